"""The app over an existing manager, served inside the running loop (as the dashboard will)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from aitui.core import AISession, SessionConfig, SessionManager
from aitui.core.events import CommandStarted, SessionEvent
from aitui.server import Limits, create_app, serve
from aitui.server.limits import ExecuteQueue
from tests.server.helpers import Running


async def test_sessions_of_the_host_manager_are_served_and_outlive_the_server(
    tmp_path: Path, start: Callable[..., object]
) -> None:
    manager = SessionManager()
    session = await manager.create_session_with_config(
        SessionConfig(name="watched", shell="bash", working_directory=tmp_path)
    )
    await session.start()
    try:
        running: Running = await start(manager)  # type: ignore[misc]
        async with httpx.AsyncClient(base_url=running.base_url) as http:
            listing = (await http.get("/sessions")).json()
            assert [s["name"] for s in listing["sessions"]] == ["watched"]
            result = await http.post("/sessions/watched/execute", json={"command": "echo hi"})
            assert result.json()["output"] == "hi\n"
            created = await http.post(
                "/sessions", json={"name": "from-api", "working_directory": str(tmp_path)}
            )
            assert created.status_code == 200
        # The session made over HTTP is in the host's manager, for the dashboard to show.
        assert manager.get_session_by_name("from-api") is not None
    finally:
        await manager.stop_all()


async def test_sessions_keep_running_after_an_embedded_server_stops(tmp_path: Path) -> None:
    manager = SessionManager()
    session = await manager.create_session_with_config(
        SessionConfig(name="kept", shell="bash", working_directory=tmp_path)
    )
    await session.start()
    app = create_app(manager)
    holder: list[uvicorn.Server] = []
    listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(
        serve(
            app,
            "127.0.0.1",
            0,
            embedded=True,
            server_ready=holder.append,
            on_listening=lambda _h, port: listening.set_result(port),
        )
    )
    await listening
    holder[0].should_exit = True
    await task
    assert session.is_running
    assert (await session.execute("echo alive")).output == "alive\n"
    await manager.stop_all()


class _BrokenManager(SessionManager):
    def sessions(self) -> list[AISession]:
        raise RuntimeError("secret internal detail /etc/passwd")


async def test_an_unexpected_error_is_a_json_500_without_internals(
    start: Callable[..., object], caplog: pytest.LogCaptureFixture
) -> None:
    running: Running = await start(_BrokenManager())  # type: ignore[misc]
    async with httpx.AsyncClient(base_url=running.base_url) as http:
        response = await http.get("/sessions")
    assert response.status_code == 500
    assert response.json() == {
        "error": "internal server error (see the server log)",
        "code": "INTERNAL_ERROR",
    }
    assert "secret" not in response.text and "Traceback" not in response.text
    assert "secret internal detail" in caplog.text  # logged for the operator


async def test_the_session_limit_is_429(tmp_path: Path, start: Callable[..., object]) -> None:
    manager = SessionManager()
    running: Running = await start(manager, limits=Limits(max_sessions=1))  # type: ignore[misc]
    try:
        async with httpx.AsyncClient(base_url=running.base_url) as http:
            body = {"working_directory": str(tmp_path)}
            assert (await http.post("/sessions", json=body | {"name": "one"})).status_code == 200
            second = await http.post("/sessions", json=body | {"name": "two"})
            assert second.status_code == 429
            assert second.json()["code"] == "TOO_MANY_SESSIONS"
    finally:
        await manager.stop_all()


class _WatchedQueue(ExecuteQueue):
    """Tells the test when a second execute is queued on a session (no polling)."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.second_queued = asyncio.Event()

    @contextmanager
    def slot(self, session_key: str) -> Iterator[None]:
        with super().slot(session_key):
            if self._pending[session_key] >= 2:
                self.second_queued.set()
            yield


async def test_too_many_queued_executes_is_429(
    tmp_path: Path, start: Callable[..., object]
) -> None:
    manager = SessionManager()
    running: Running = await start(  # type: ignore[misc]
        manager, limits=Limits(max_queued_executes=1)
    )
    queue = running.state.executes = _WatchedQueue(1)
    try:
        async with httpx.AsyncClient(base_url=running.base_url, timeout=60) as http:
            await http.post("/sessions", json={"name": "busy", "working_directory": str(tmp_path)})
            session = manager.require("busy")
            started = asyncio.Event()

            def on_event(event: SessionEvent) -> None:
                if isinstance(event, CommandStarted):
                    started.set()

            session.subscribe(on_event)
            path = "/sessions/busy/execute"
            first = asyncio.create_task(http.post(path, json={"command": "sleep 60"}))
            await started.wait()
            second = asyncio.create_task(http.post(path, json={"command": "echo queued"}))
            await queue.second_queued.wait()  # the second request waits behind the first
            third = await http.post(path, json={"command": "echo refused"})
            assert third.status_code == 429
            assert third.json()["code"] == "TOO_MANY_REQUESTS"
            await session.send_input("\x03")  # Ctrl-C ends the sleep
            assert (await first).json()["success"] is False
            assert (await second).json()["output"] == "queued\n"
    finally:
        await manager.stop_all()
