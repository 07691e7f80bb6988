"""``aitui`` with no server: the server is started before the dashboard is imported, and the
dashboard attaches to that one. Real processes on their own socket and data dir."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from aitui.client import RemoteHost, ServerLaunch, ServerStartError, attach
from aitui.client.spawn import server_answers
from aitui.server.daemon import running_pid
from tests.e2e.server_helpers import wait_for

pytestmark = pytest.mark.timeout(120)

#: Runs ``aitui -S SOCK``, noting what was imported when the server's process was started.
LAUNCHER = """
import json, sys
sock, note = sys.argv[1], sys.argv[2]
def hook(event, args):
    if event == "subprocess.Popen" and "aitui.server.daemon" in [str(a) for a in args[1]]:
        names = ("textual", "aitui.dashboard.app", "websockets")
        with open(note, "w") as out:
            json.dump([n for n in names if n in sys.modules], out)
sys.addaudithook(hook)
from aitui.cli import main
sys.exit(main(["-S", sock]))
"""


@pytest.fixture
def sock(server_socket: Path) -> Path:
    return server_socket


async def test_a_launch_started_early_is_the_server_attached_to(sock: Path) -> None:
    assert not server_answers(sock)
    launch = ServerLaunch(sock, ["--no-persist"])
    host = await attach(sock, start=False, launch=launch)
    assert isinstance(host, RemoteHost) and host.sessions() == []
    assert server_answers(sock) and running_pid(sock) is not None
    await host.close()


async def test_a_server_that_cannot_start_says_why(sock: Path) -> None:
    """Its reason and its log, not just "no server", whether started early or by attach."""
    sock.parent.joinpath("s.lock").mkdir()  # the server's lock cannot be taken
    with pytest.raises(ServerStartError, match=r"did not start: .* \(log: "):
        await attach(sock)
    with pytest.raises(ServerStartError, match=r"did not start: .* \(log: "):
        await attach(sock, launch=ServerLaunch(sock))


async def test_aitui_starts_the_server_before_it_imports_the_dashboard(
    sock: Path, tmp_path: Path
) -> None:
    """The server's process starts with Textual not yet imported (so their start-ups overlap),
    and the dashboard then attaches to it and makes the first shell there."""
    note = tmp_path / "imported-at-start"
    main, child = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "36"}
    client = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(sock), str(note)],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    drain = threading.Thread(target=_drain, args=(main,), daemon=True)
    drain.start()
    try:
        await wait_for(note.exists, 60, "the server's process started")
        await wait_for(lambda: server_answers(sock), 60, "the server listening")
        probe = await attach(sock, start=False)
        await wait_for(lambda: bool(probe.sessions()), 60, "the dashboard's first shell")
        assert [i.name for i in probe.sessions()] == ["shell-1"]
        await probe.close()
        assert json.loads(note.read_text()) == []
    finally:
        client.send_signal(signal.SIGKILL)
        await asyncio.to_thread(client.wait, 30)
        drain.join(10)


def _drain(fd: int) -> None:
    """Read the dashboard's output (a terminal that nobody reads stalls its writer) until the
    dashboard is gone."""
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
