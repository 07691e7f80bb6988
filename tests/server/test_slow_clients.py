"""A client that never finishes its request's headers or body is cut off; a slow answer is not.

Each test waits for the server to close a connection, with a bound far past the header timeout
(so a slow machine cannot fail them), rather than for any time to pass.
"""

from __future__ import annotations

import asyncio
import select
import socket
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from aitui.core import SessionManager
from aitui.server import Limits
from tests.server.helpers import Running, Server
from tests.server.sse import events

#: Far longer than any header timeout here takes, however loaded the machine.
BOUND_S = Limits().header_timeout_s + 60


def _connect(base_url: str) -> socket.socket:
    url = urlsplit(base_url)
    assert url.hostname is not None and url.port is not None
    return socket.create_connection((url.hostname, url.port), timeout=10)


def _closed_by_server(sock: socket.socket, trickle: bool, bound_s: float) -> bool:
    """Send a header a byte at a time (or nothing) until the server hangs up, or ``bound_s``."""
    if trickle:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        readable, _, _ = select.select([sock], [], [], 0.25)
        if readable:
            try:
                return sock.recv(4096) == b""  # an answer would be a failure too
            except ConnectionResetError:
                return True
        if trickle:
            try:
                sock.sendall(b"a")
            except (BrokenPipeError, ConnectionResetError):
                return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize("trickle", [True, False], ids=["trickling", "silent"])
def test_a_connection_that_sends_no_complete_header_is_closed(
    open_server: Server, trickle: bool
) -> None:
    with _connect(open_server.base_url) as sock:
        assert _closed_by_server(sock, trickle, BOUND_S)
    assert httpx.get(open_server.base_url + "/health").status_code == 200


def _answer_to_a_trickled_body(base_url: str, bound_s: float) -> bytes:
    """Send headers promising a body, then a byte of it at a time: what the server answers."""
    with _connect(base_url) as sock:
        sock.sendall(
            b"POST /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100000\r\n\r\n{"
        )
        answer = b""
        deadline = time.monotonic() + bound_s
        while time.monotonic() < deadline:
            readable, _, _ = select.select([sock], [], [], 0.25)
            if readable:
                chunk = sock.recv(65536)
                answer += chunk
                if not chunk or b"}" in answer:
                    break
                continue
            try:
                sock.sendall(b" ")
            except (BrokenPipeError, ConnectionResetError):
                break
        return answer


async def test_a_body_that_does_not_arrive_in_time_gets_408(
    start: Callable[..., Awaitable[Running]],
) -> None:
    running = await start(SessionManager(), limits=Limits(body_timeout_s=0.5))
    answer = await asyncio.to_thread(_answer_to_a_trickled_body, running.base_url, BOUND_S)
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b'"code":"REQUEST_TIMEOUT"' in answer and b"connection: close" in answer.lower()
    async with httpx.AsyncClient(base_url=running.base_url) as http:
        assert (await http.get("/sessions")).json()["total"] == 0


async def test_a_long_answer_outlives_the_header_timeout(
    tmp_path: Path, start: Callable[..., Awaitable[Running]]
) -> None:
    """The timeout bounds the headers only: a stream that was open before a trickling client
    was cut off (so the timeout has passed) still gets the session's output."""
    manager = SessionManager()
    base_url = (await start(manager, limits=Limits(header_timeout_s=0.5))).base_url
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
            created = await http.post(
                "/sessions", json={"name": "slow", "working_directory": str(tmp_path)}
            )
            assert created.status_code == 200, created.text
            async with http.stream("GET", "/sessions/slow/stream") as response:
                stream = events(response)
                assert (await anext(stream))[0] == "hello"
                with _connect(base_url) as sock:
                    closed = await asyncio.to_thread(_closed_by_server, sock, True, BOUND_S)
                assert closed
                await http.post("/sessions/slow/input", json={"text": "echo still-$((6*7))\r"})
                seen = ""
                async for kind, data in stream:
                    seen += data.get("raw", "") if kind == "output" else ""
                    if "still-42" in seen:
                        break
                assert "still-42" in seen  # and not a stream cut off at the header timeout
    finally:
        await manager.stop_all()
