"""What the server tests share: a real ``ai-session-server`` process on 127.0.0.1.

The server runs as a subprocess started the way a user starts it, with ``--port 0`` so the OS
picks a free port; the port is read from the line it prints once it listens, so there is no
sleeping or guessing. (Kept out of ``conftest.py``, which pytest imports under another module
name: one module means one ``TOKEN``.)
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from aitui.server.state import ServerState

if TYPE_CHECKING:
    import httpx2

    from aitui.core.host import SessionHost

TOKEN = "test-" + secrets.token_hex(16)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
LISTENING = re.compile(r"listening on (http://\S+)")


@dataclass
class Running:
    """A server inside the test's event loop (the ``start`` fixture)."""

    base_url: str
    state: ServerState


@dataclass
class Server:
    base_url: str
    token: str | None
    workdir: Path
    process: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


def start_server(
    workdir: Path, token: str | None, *extra: str, data_dir: Path | None = None
) -> Server:
    """A server whose messages and tasks persist in ``data_dir`` (default: its own, in
    ``workdir``: servers of one test run must not share, or restore, each other's)."""
    env = dict(os.environ, HOME=str(workdir), PS1="$ ")
    env["AITUI_DATA_DIR"] = str(data_dir if data_dir is not None else workdir / "data")
    env.pop("AITUI_TOKEN", None)
    argv = [sys.executable, "-m", "aitui.server.cli", "--port", "0", *extra]
    if token:
        argv += ["--token", token]
    process = subprocess.Popen(
        argv,
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    log: list[str] = []
    for line in process.stdout:  # blocks until the server prints, or exits (EOF)
        log.append(line)
        match = LISTENING.search(line)
        if match:
            break
    else:
        raise RuntimeError("the server did not start:\n" + "".join(log))
    stdout = process.stdout
    # Keep draining the pipe so the server never blocks on a full pipe; keep it for debugging.
    threading.Thread(target=lambda: log.extend(stdout), daemon=True).start()
    return Server(match.group(1), token, workdir, process, log)


def stop_server(server: Server) -> int:
    server.process.terminate()
    return server.process.wait(timeout=30)


def host_client(host: SessionHost) -> httpx2.AsyncClient:
    """An HTTP client of the app over ``host`` (a ``SessionHost``), in process (ASGI)."""
    import httpx2

    from aitui.server import create_app

    coordination = host.coordination
    app = create_app(
        host.manager,
        host=host,
        coordinator=coordination.coordinator,
        distributor=coordination.distributor,
    )
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://localhost")
