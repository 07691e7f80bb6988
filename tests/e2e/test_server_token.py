"""``aitui server --port P --token T``: the token guards the TCP API and is nowhere a program
can read it. Not in the server's command line, which every local user (and every program in
its sessions, as their parent's) reads from ``/proc``: it goes to the server in its
environment, which its sessions never inherit."""

from __future__ import annotations

import os
import secrets
import signal
import sys
from pathlib import Path

import httpx
import pytest

from aitui.server.daemon import running_pid
from tests.e2e.server_helpers import short_socket, stop_server
from tests.e2e.test_cli_scripting import Cli
from tests.e2e.test_mcp_orchestrator import free_port

pytestmark = [
    pytest.mark.timeout(180),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]


def test_the_token_is_not_on_the_servers_command_line(tmp_path: Path) -> None:
    sock = short_socket()
    env = dict(os.environ, PS1="$ ", AITUI_DATA_DIR=str(tmp_path / "data"))
    env.pop("AITUI_SOCKET", None)
    env.pop("AITUI_TOKEN", None)
    cli, port, token = Cli(sock, env), free_port(), secrets.token_urlsafe(24)
    try:
        cli.ok("server", "--port", str(port), "--token", token)
        pid = running_pid(sock)
        assert pid is not None
        assert token.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/sessions", timeout=30).status_code == 401
        authorized = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{base}/sessions", headers=authorized, timeout=30).status_code == 200
        cli.ok("new", "sh", cwd=tmp_path)
        show = "tr '\\0' ' ' < /proc/$PPID/cmdline; env; echo END-$((6*7))"
        cli.ok("send", "sh", "--enter", show)
        cli.ok("wait", "sh", "--until", "END-42", "--timeout", "60")
        assert token not in cli.ok("read", "sh", "--lines", "10000")
    finally:
        stop_server(sock, signal.SIGKILL if running_pid(sock) else signal.SIGTERM)
