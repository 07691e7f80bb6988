"""A real ``ai-session-server`` process on 127.0.0.1 (a free port), and clients for it.

The server runs as a subprocess started the way a user starts it, with ``--port 0`` so the OS
picks a free port; the port is read from the line it prints once it listens, so there is no
sleeping or guessing. Sessions are real bash shells on real PTYs, in a temporary directory.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

TOKEN = "test-" + secrets.token_hex(16)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
LISTENING = re.compile(r"listening on (http://\S+)")


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


def start_server(workdir: Path, token: str | None, *extra: str) -> Server:
    env = dict(os.environ, HOME=str(workdir), PS1="$ ")
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


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The server with a token, shared by the tests of the session."""
    srv = start_server(tmp_path_factory.mktemp("server"), TOKEN)
    yield srv
    assert stop_server(srv) == 0, "".join(srv.log)


@pytest.fixture(scope="session")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server without a token, as the reference's examples expect."""
    srv = start_server(tmp_path_factory.mktemp("open-server"), None)
    yield srv
    assert stop_server(srv) == 0, "".join(srv.log)


@pytest.fixture
async def client(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=server.base_url, headers=server.headers, timeout=60
    ) as http:
        yield http


@pytest.fixture
async def session_name(client: httpx.AsyncClient, server: Server) -> AsyncIterator[str]:
    """A fresh bash session, deleted after the test."""
    name = "t-" + secrets.token_hex(4)
    response = await client.post(
        "/sessions",
        json={"name": name, "shell": "bash", "working_directory": str(server.workdir)},
    )
    assert response.status_code == 200, response.text
    yield name
    await client.delete(f"/sessions/{name}")
