"""Fixtures: the shared servers (with and without a token), clients and fresh sessions, and
servers inside the test's own event loop.

Sessions are real bash shells on real PTYs, in a temporary directory.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest
import uvicorn

from aitui.core.manager import SessionManager
from aitui.server import create_app, serve
from tests.server.helpers import TOKEN, Running, Server, start_server, stop_server


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


@pytest.fixture
async def start() -> AsyncIterator[Callable[..., object]]:
    """``await start(manager, limits=...)`` serves the app in this loop; stopped after."""
    servers: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []

    async def starter(manager: SessionManager, **options: object) -> Running:
        app = create_app(manager, **options)  # type: ignore[arg-type]
        listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        holder: list[uvicorn.Server] = []
        task = asyncio.create_task(
            serve(
                app,
                "127.0.0.1",
                0,
                embedded=True,
                on_listening=lambda _host, port: listening.set_result(port),
                server_ready=holder.append,
            )
        )
        port = await listening
        servers.append((holder[0], task))
        return Running(f"http://127.0.0.1:{port}", app.state.aitui)

    yield starter
    for server, task in servers:
        server.should_exit = True
        await task
