"""The Unix socket's API is built after start-up or at the first request; /attach never waits."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.websockets import WebSocket

from aitui.core.wire import ATTACH_PATH
from aitui.server.deferred import DeferredApi
from tests.e2e.server_helpers import wait_for


class Api:
    """A stand-in for ``create_app``: counts builds (and the threads they ran in) and its
    lifespan's entries and exits; the first ``failures`` builds raise."""

    def __init__(self, failures: int = 0, gate: threading.Event | None = None) -> None:
        self.builds = 0
        self.threads: list[str] = []
        self.entered = self.left = 0
        self.failures = failures
        self.gate = gate

    def build(self) -> Any:
        self.builds += 1
        self.threads.append(threading.current_thread().name)
        if self.gate is not None:
            self.gate.wait(10)
        if self.failures:
            self.failures -= 1
            raise ImportError("no module named 'fastapi' (for this test)")

        @asynccontextmanager
        async def lifespan(_: Starlette) -> AsyncIterator[None]:
            self.entered += 1
            yield
            self.left += 1

        async def hello(request: Request) -> PlainTextResponse:
            return PlainTextResponse(f"api {request.url.path}")

        return Starlette(routes=[Route("/hello", hello)], lifespan=lifespan)


async def get(app: DeferredApi, path: str) -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"localhost")],
        "scheme": "http",
        "server": ("localhost", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


class Lifespan:
    """Drives the app's lifespan as uvicorn does."""

    def __init__(self, app: DeferredApi) -> None:
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task = asyncio.create_task(
            app({"type": "lifespan"}, self.inbox.get, self.outbox.put)  # type: ignore[arg-type]
        )

    async def say(self, what: str) -> str:
        await self.inbox.put({"type": f"lifespan.{what}"})
        return str((await asyncio.wait_for(self.outbox.get(), 10))["type"])


async def test_start_up_does_not_build_and_the_api_comes_in_the_background() -> None:
    api = Api()
    app = DeferredApi(api.build, attach=lambda ws: asyncio.sleep(0), after_s=0.2)
    lifespan = Lifespan(app)
    assert await lifespan.say("startup") == "lifespan.startup.complete"
    assert api.builds == 0  # the server is up before the API is
    await wait_for(lambda: app.built, 10, "the background build")
    assert api.builds == 1 and api.entered == 1
    assert api.threads[0] != threading.main_thread().name  # its imports ran off the loop
    assert await get(app, "/hello") == (200, b"api /hello")
    assert await lifespan.say("shutdown") == "lifespan.shutdown.complete"
    assert api.left == 1


async def test_attach_is_served_without_building_the_api() -> None:
    api = Api()
    attached: list[str] = []

    async def attach(websocket: WebSocket) -> None:
        attached.append(websocket.url.path)

    app = DeferredApi(api.build, attach=attach, after_s=3600)
    lifespan = Lifespan(app)
    await lifespan.say("startup")
    scope = {"type": "websocket", "path": ATTACH_PATH, "headers": [], "query_string": b""}
    await app(scope, asyncio.Queue().get, asyncio.Queue().put)  # type: ignore[arg-type]
    assert attached == [ATTACH_PATH] and api.builds == 0
    await lifespan.say("shutdown")
    assert api.builds == 0 and api.entered == 0


async def test_requests_before_the_api_wait_for_one_build() -> None:
    gate = threading.Event()
    api = Api(gate=gate)
    app = DeferredApi(api.build, attach=lambda ws: asyncio.sleep(0), after_s=3600)
    lifespan = Lifespan(app)
    await lifespan.say("startup")
    first = asyncio.create_task(get(app, "/hello"))
    second = asyncio.create_task(get(app, "/hello"))
    await wait_for(lambda: api.builds == 1, 10, "the build to start")
    assert not first.done() and not second.done()  # waiting, not refused
    gate.set()
    assert await first == (200, b"api /hello") and await second == (200, b"api /hello")
    assert api.builds == 1 and api.entered == 1
    await lifespan.say("shutdown")
    assert api.left == 1


async def test_a_failed_build_is_a_clear_503_and_the_next_request_tries_again() -> None:
    api = Api(failures=1)
    app = DeferredApi(api.build, attach=lambda ws: asyncio.sleep(0), after_s=3600)
    lifespan = Lifespan(app)
    await lifespan.say("startup")
    status, body = await get(app, "/hello")
    assert status == 503
    assert json.loads(body)["code"] == "API_UNAVAILABLE"  # the API's error shape (ErrorBody)
    assert "could not start" in json.loads(body)["error"]
    assert "fastapi" in json.loads(body)["error"]
    assert await get(app, "/hello") == (200, b"api /hello")
    assert api.builds == 2
    await lifespan.say("shutdown")
    assert api.left == 1
