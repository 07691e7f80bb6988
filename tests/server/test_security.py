"""Token authentication, refusing unsafe binds, no CORS, no /docs, and a clean shutdown."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from aitui.server.auth import TokenError, check_bind, is_loopback
from aitui.server.runner import bind_socket
from tests.server.helpers import TOKEN, Server, start_server, stop_server


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-of-some-length"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
    ],
)
async def test_requests_without_the_token_get_401(server: Server, headers: dict[str, str]) -> None:
    assert server.token == TOKEN  # so the near-miss tokens above really are near misses
    async with httpx.AsyncClient(base_url=server.base_url, headers=headers) as http:
        for method, path in [
            ("GET", "/sessions"),
            ("POST", "/sessions"),
            ("GET", "/sessions/x/output"),
            ("GET", "/openapi.json"),
        ]:
            response = await http.request(method, path, json={"name": "sneaky"})
            assert response.status_code == 401, (method, path)
            assert response.json() == {
                "error": "missing or invalid bearer token",
                "code": "UNAUTHORIZED",
            }
            assert response.headers["www-authenticate"].startswith("Bearer")
        assert (await http.get("/health")).status_code == 200
    async with httpx.AsyncClient(base_url=server.base_url, headers=server.headers) as http:
        names = [s["name"] for s in (await http.get("/sessions")).json()["sessions"]]
    assert "sneaky" not in names


async def test_no_cors_headers(client: httpx.AsyncClient) -> None:
    """No preflight is approved and no answer may be read by another site (``test_origin.py``
    has the rest: such requests are refused outright)."""
    origin = {"Origin": "https://evil.example"}
    preflight = await client.options(
        "/sessions", headers=origin | {"Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers
    response = await client.get("/sessions", headers=origin)
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers


async def test_no_docs_page_loads_scripts_from_elsewhere(client: httpx.AsyncClient) -> None:
    """FastAPI's /docs loaded Swagger UI from a CDN: blank offline, and a third party's script
    running with this server's origin. The schema stays where clients and tools look."""
    for path in ("/docs", "/docs/oauth2-redirect", "/redoc"):
        assert (await client.get(path)).status_code == 404, path
    assert (await client.get("/openapi.json")).json()["info"]["title"] == "aitui HTTP API"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_binds_need_no_token(host: str) -> None:
    assert is_loopback(host)
    check_bind(host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.com"])
def test_other_binds_need_a_token(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(TokenError, match="without a token"):
        check_bind(host, None)
    check_bind(host, TOKEN)


def test_short_tokens_are_refused() -> None:
    with pytest.raises(TokenError, match="at least 16"):
        check_bind("127.0.0.1", "short")


@pytest.mark.parametrize(
    "argv",
    [
        ["-m", "aitui.server.cli", "--host", "0.0.0.0"],
        ["-m", "aitui.cli", "serve", "--host", "0.0.0.0", "--port", "0"],
    ],
)
def test_the_commands_refuse_a_public_bind_without_a_token(argv: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "AITUI_TOKEN"}
    done = subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 2
    assert "refusing to listen on 0.0.0.0 without a token" in done.stderr
    assert "--token" in done.stderr and "AITUI_TOKEN" in done.stderr


def test_aitui_token_from_the_environment(tmp_path: Path) -> None:
    env = dict(os.environ, AITUI_TOKEN="short")
    done = subprocess.run(
        [sys.executable, "-m", "aitui.server.cli", "--port", "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2 and "at least 16" in done.stderr


async def test_shutdown_stops_the_sessions(tmp_path: Path) -> None:
    srv = start_server(tmp_path, TOKEN)
    try:
        async with httpx.AsyncClient(base_url=srv.base_url, headers=srv.headers) as http:
            created = await http.post(
                "/sessions", json={"name": "orphan?", "working_directory": str(tmp_path)}
            )
            assert created.status_code == 400  # '?' is not allowed in names
            created = await http.post(
                "/sessions", json={"name": "orphan", "working_directory": str(tmp_path)}
            )
            assert created.status_code == 200
            pid = (await http.get("/sessions/orphan/status")).json()["pid"]
    finally:
        assert stop_server(srv) == 0, "".join(srv.log)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_the_listening_socket_is_tcp_so_responses_are_not_delayed() -> None:
    """asyncio turns Nagle off (TCP_NODELAY) only on sockets made with IPPROTO_TCP; without it
    every keep-alive response waited ~40 ms for a delayed ACK (found by the load benchmark)."""
    sock = bind_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()


def test_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    taken = bind_socket("127.0.0.1", 0)
    try:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "aitui.server.cli", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
    finally:
        taken.close()
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
