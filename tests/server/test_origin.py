"""What a web page could make the server do: DNS rebinding, cross-origin and simple requests.

Against real servers (``open_server`` has no token, ``server`` has one), with the headers a
browser would send; the guard's transport rule on its own, with hand-made ASGI scopes.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from aitui.server.origin import OriginGuard
from tests.server.helpers import Server, start_server, stop_server

HOSTILE_HOSTS = [
    "attacker.example:3000",
    "attacker.example",
    "127.0.0.1.nip.io",
    "127.1",
    "",
    "::1",
]
#: The Content-Types a page may send with no preflight, and none at all (a Blob body).
SIMPLE_TYPES = [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]


def _port(server: Server) -> int:
    port = urlsplit(server.base_url).port
    assert port is not None
    return port


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["code"] == code and set(response.json()) == {"error", "code"}
    assert "access-control-allow-origin" not in response.headers


@pytest.fixture
async def open_client(open_server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=open_server.base_url, timeout=60) as http:
        yield http


@pytest.fixture
async def open_session(open_client: httpx.AsyncClient, open_server: Server) -> AsyncIterator[str]:
    body = {"name": "guarded", "working_directory": str(open_server.workdir)}
    assert (await open_client.post("/sessions", json=body)).status_code == 200
    yield "guarded"
    await open_client.delete("/sessions/guarded")


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
async def test_without_a_token_a_foreign_host_is_refused(
    open_client: httpx.AsyncClient, open_session: str, host: str
) -> None:
    """A page that rebinds its name to 127.0.0.1 still sends its own name as ``Host``."""
    headers = {"Host": host}
    for method, path, body in [
        ("GET", "/health", None),
        ("GET", "/sessions", None),
        ("GET", f"/sessions/{open_session}/output", None),
        ("GET", f"/sessions/{open_session}/stream", None),
        ("POST", "/sessions", {"name": "rebound"}),
        ("POST", f"/sessions/{open_session}/execute", {"command": "touch pwned"}),
        ("DELETE", f"/sessions/{open_session}", None),
    ]:
        response = await open_client.request(method, path, json=body, headers=headers)
        assert_refused(response, 403, "HOST_NOT_ALLOWED")
    assert (await open_client.get("/sessions/rebound")).status_code == 404
    assert (await open_client.get(f"/sessions/{open_session}")).status_code == 200


async def test_without_a_token_loopback_hosts_are_answered(
    open_client: httpx.AsyncClient, open_server: Server
) -> None:
    port = _port(open_server)
    for host in [
        "localhost",
        f"LOCALHOST:{port}",
        "127.0.0.1",
        "127.8.9.10:1",
        "[::1]",
        "[::1]:80",
    ]:
        response = await open_client.get("/sessions", headers={"Host": host})
        assert response.status_code == 200, (host, response.text)


async def test_with_a_token_any_host_is_answered_but_only_with_the_token(
    client: httpx.AsyncClient,
) -> None:
    """A token defeats rebinding (a browser never adds it by itself), and a server on 0.0.0.0
    must answer to whatever name its users reach it by."""
    assert (
        await client.get("/sessions", headers={"Host": "build-box.lan:3000"})
    ).status_code == 200
    anonymous = await client.get(
        "/sessions", headers={"Host": "attacker.example:3000", "Authorization": ""}
    )
    assert_refused(anonymous, 401, "UNAUTHORIZED")


async def test_allowed_host_adds_a_name(tmp_path: Path) -> None:
    srv = start_server(tmp_path, None, "--allowed-host", "Dev-Box.test")
    try:
        async with httpx.AsyncClient(base_url=srv.base_url) as http:
            named = await http.get("/sessions", headers={"Host": f"dev-box.test:{_port(srv)}"})
            assert named.status_code == 200
            other = await http.get("/sessions", headers={"Host": "other.test"})
            assert_refused(other, 403, "HOST_NOT_ALLOWED")
    finally:
        assert stop_server(srv) == 0, "".join(srv.log)


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "null",
        "http://attacker.example:{port}",
        "http://127.0.0.1:1",  # another server on this machine
        "https://127.0.0.1:{port}",  # another scheme is another origin
        "http://localhost:{port}",  # the Host below is 127.0.0.1
        "file://",
    ],
)
async def test_a_foreign_origin_is_refused_on_every_route(
    open_client: httpx.AsyncClient, open_server: Server, open_session: str, origin: str
) -> None:
    headers = {"Origin": origin.format(port=_port(open_server))}
    for method, path, body in [
        ("GET", "/sessions", None),
        ("GET", f"/sessions/{open_session}/stream", None),
        ("POST", "/sessions", {"name": "cross"}),
        ("POST", f"/sessions/{open_session}/input", {"text": "x"}),
        ("DELETE", f"/sessions/{open_session}", None),
        ("OPTIONS", "/sessions", None),  # a preflight: never approved
    ]:
        response = await open_client.request(method, path, json=body, headers=headers)
        assert_refused(response, 403, "ORIGIN_NOT_ALLOWED")
    assert (await open_client.get("/sessions/cross")).status_code == 404


async def test_the_servers_own_origin_and_no_origin_are_fine(
    open_client: httpx.AsyncClient, open_server: Server
) -> None:
    own = {"Origin": f"http://127.0.0.1:{_port(open_server)}"}
    assert (await open_client.get("/sessions", headers=own)).status_code == 200
    assert (await open_client.get("/sessions")).status_code == 200


def _fill(path: str, names: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: names[m.group(1)], path)


async def test_no_post_route_takes_a_simple_request(
    open_client: httpx.AsyncClient, open_server: Server, open_session: str
) -> None:
    """Every POST of the schema, sent as a page could send it unasked, is refused, and so
    nothing changes: no session made, no keys typed, no recording, no message taken."""
    agent = await open_client.post("/agents", json={"session": open_session})
    assert agent.status_code == 200
    sent = await open_client.post("/messages", json={"from": "system", "to": open_session})
    task = await open_client.post("/tasks", json={"description": "keep me"})
    names = {
        "name": open_session,
        "agent": open_session,
        "message_id": sent.json()["id"],
        "task_id": task.json()["id"],
        "action": "cancel",
        "outcome": "done",
    }

    async def now() -> tuple[object, ...]:
        held = await open_client.get(f"/agents/{open_session}/messages")
        return (
            (await open_client.get("/sessions")).json()["total"],
            (await open_client.get(f"/sessions/{open_session}/output")).json()["position"],
            (await open_client.get(f"/sessions/{open_session}/recording")).status_code,
            [(m["id"], m["state"]) for m in held.json()["messages"]],
            (await open_client.get(f"/tasks/{task.json()['id']}")).json()["state"],
        )

    before = await now()
    schema = (await open_client.get("/openapi.json")).json()
    posts = [path for path, operations in schema["paths"].items() if "post" in operations]
    assert len(posts) >= 12
    for path in posts:
        for content_type in SIMPLE_TYPES:
            headers = {} if content_type is None else {"Content-Type": content_type}
            response = await open_client.post(
                _fill(path, names),
                content=b'{"name": "simple", "command": "touch x"}',
                headers=headers,
            )
            assert_refused(response, 415, "UNSUPPORTED_MEDIA_TYPE")
            assert "Content-Type: application/json" in response.json()["error"]
    assert await now() == before
    await open_client.delete(f"/agents/{open_session}")
    await open_client.post(f"/tasks/{task.json()['id']}/cancel", json={})


async def test_every_state_change_is_a_json_post_or_a_delete(
    open_client: httpx.AsyncClient,
) -> None:
    """What keeps the test above complete: a GET may not change anything (checked route by
    route in their own tests), and every POST requires a JSON body, so it says so."""
    schema = (await open_client.get("/openapi.json")).json()
    for path, operations in schema["paths"].items():
        assert set(operations) <= {"get", "post", "delete"}, path
        for method, operation in operations.items():
            assert "403" in operation["responses"], (method, path)
            if method == "post":
                body = operation["requestBody"]
                assert body["required"] is True and list(body["content"]) == ["application/json"]
                assert "415" in operation["responses"], path
            else:
                assert "requestBody" not in operation, (method, path)


async def test_a_json_post_without_a_body_is_refused_too(
    open_client: httpx.AsyncClient, open_session: str
) -> None:
    response = await open_client.post(
        f"/sessions/{open_session}/recording", headers={"Content-Type": "application/json"}
    )
    assert_refused(response, 422, "INVALID_REQUEST")
    started = await open_client.post(f"/sessions/{open_session}/recording", json={})
    assert started.status_code == 200, started.text
    assert (await open_client.delete(f"/sessions/{open_session}/recording")).status_code == 200


async def test_a_post_to_a_path_without_post_gets_405_not_415(
    open_client: httpx.AsyncClient,
) -> None:
    assert (await open_client.post("/sessions/x/status")).status_code == 405
    assert (await open_client.post("/no/such/path")).status_code == 404


# -- the transport rule, on hand-made scopes ------------------------------------------------------


async def _through_guard(scope: dict[str, Any], check_host: bool = True) -> list[Message]:
    reached: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(scope)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    guard = OriginGuard(app, check_host=check_host, routes=[])
    await guard(scope, receive, send)
    return sent


def _scope(
    host: str, server: tuple[str, int | None] | None, kind: str = "http", **extra: str
) -> dict[str, Any]:
    headers = [(b"host", host.encode())] + [(k.encode(), v.encode()) for k, v in extra.items()]
    scope = {"type": kind, "path": "/sessions", "headers": headers, "server": server}
    return scope | ({"method": "GET", "scheme": "http"} if kind == "http" else {"scheme": "ws"})


def _status(sent: list[Message]) -> int:
    return int(sent[0]["status"])


async def test_on_a_unix_socket_the_host_is_not_checked_but_the_origin_is() -> None:
    """There ``Host`` is whatever the client wrote; the socket's permissions protect it."""
    unix = ("/run/user/1000/aitui.sock", None)
    assert _status(await _through_guard(_scope("anything.example", unix))) == 204
    foreign = _scope("anything.example", unix, origin="https://evil.example")
    assert _status(await _through_guard(foreign)) == 403
    assert _status(await _through_guard(_scope("anything.example", ("127.0.0.1", 3000)))) == 403
    # An unknown transport is checked as TCP is.
    assert _status(await _through_guard(_scope("anything.example", None))) == 403
    assert _status(await _through_guard(_scope("anything.example", None), check_host=False)) == 204


async def test_a_websocket_from_another_site_or_a_rebound_name_is_closed_unaccepted() -> None:
    tcp = ("127.0.0.1", 3000)
    for scope in [
        _scope("attacker.example:3000", tcp, kind="websocket"),
        _scope("127.0.0.1:3000", tcp, kind="websocket", origin="https://evil.example"),
    ]:
        assert await _through_guard(scope) == [{"type": "websocket.close", "code": 1008}]
    own = _scope("127.0.0.1:3000", tcp, kind="websocket", origin="http://127.0.0.1:3000")
    assert _status(await _through_guard(own)) == 204
