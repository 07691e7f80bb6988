"""Every error is JSON ``{error, code}`` with the status the issue lists."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.server.helpers import Server


def assert_error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "code"}
    assert body["code"] == code
    assert "Traceback" not in body["error"]
    message: str = body["error"]
    return message


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/sessions/nope"),
        ("DELETE", "/sessions/nope"),
        ("GET", "/sessions/nope/status"),
        ("GET", "/sessions/nope/output"),
        ("GET", "/sessions/nope/screen"),
        ("GET", "/sessions/nope/stream"),
        ("POST", "/sessions/nope/execute"),
        ("POST", "/sessions/nope/input"),
        ("POST", "/sessions/nope/resize"),
    ],
)
async def test_unknown_session_is_404(client: httpx.AsyncClient, method: str, path: str) -> None:
    bodies = {
        "execute": {"command": "true"},
        "input": {"text": "x"},
        "resize": {"rows": 5, "cols": 5},
    }
    body = bodies.get(path.rsplit("/", 1)[-1])
    response = await client.request(method, path, json=body)
    assert "'nope'" in assert_error(response, 404, "SESSION_NOT_FOUND")


async def test_duplicate_name_is_409(client: httpx.AsyncClient, session_name: str) -> None:
    response = await client.post("/sessions", json={"name": session_name})
    assert session_name in assert_error(response, 409, "SESSION_EXISTS")


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2]", b"", b'{"enable_ai_features": true}', b'{"name": 5}'],
)
async def test_a_body_that_is_not_valid_json_or_misses_a_field_is_422(
    client: httpx.AsyncClient, content: bytes
) -> None:
    response = await client.post(
        "/sessions", content=content, headers={"content-type": "application/json"}
    )
    assert_error(response, 422, "INVALID_REQUEST")


async def test_execute_body_errors(client: httpx.AsyncClient, session_name: str) -> None:
    path = f"/sessions/{session_name}/execute"
    assert "command" in assert_error(await client.post(path, json={}), 422, "INVALID_REQUEST")
    too_long = await client.post(path, json={"command": "true", "timeout_ms": 600_001})
    assert "timeout_ms" in assert_error(too_long, 422, "INVALID_REQUEST")
    assert_error(
        await client.post(path, json={"command": "true", "timeout_ms": 0}), 422, "INVALID_REQUEST"
    )
    assert "empty" in assert_error(
        await client.post(path, json={"command": "  "}), 400, "INVALID_COMMAND"
    )
    assert "NUL" in assert_error(
        await client.post(path, json={"command": "a\x00b"}), 400, "INVALID_COMMAND"
    )
    for control in ("\x03", "\r", "\x1b", "\x7f"):
        response = await client.post(path, json={"command": f"echo a{control}b"})
        assert "U+00" in assert_error(response, 400, "INVALID_COMMAND")
    ok = await client.post(path, json={"command": "printf 'a\\tb\\n'\r\necho c"})
    assert ok.status_code == 200 and ok.json()["output"] == "a\tb\nc\n"


@pytest.mark.parametrize(
    "name", ["a/b", "..", ".hidden", "-flag", "", "with space", "x" * 65, "ünïcode", "a\\b"]
)
async def test_bad_session_names_are_400_with_the_rule(
    client: httpx.AsyncClient, name: str
) -> None:
    response = await client.post("/sessions", json={"name": name})
    assert "1-64 characters" in assert_error(response, 400, "INVALID_NAME")


async def test_a_64_character_name_is_fine(client: httpx.AsyncClient, server: Server) -> None:
    name = "n" * 64
    response = await client.post(
        "/sessions", json={"name": name, "working_directory": str(server.workdir)}
    )
    assert response.status_code == 200
    assert (await client.delete(f"/sessions/{name}")).status_code == 200


async def test_bad_working_directory_is_400_with_the_reason(
    client: httpx.AsyncClient, server: Server
) -> None:
    missing = await client.post("/sessions", json={"name": "wd", "working_directory": "/no/such"})
    assert "does not exist: /no/such" in assert_error(missing, 400, "INVALID_CONFIG")
    a_file = server.workdir / "plain-file"
    a_file.write_text("x")
    not_dir = await client.post("/sessions", json={"name": "wd", "working_directory": str(a_file)})
    assert "not a directory" in assert_error(not_dir, 400, "INVALID_CONFIG")
    nul = await client.post("/sessions", json={"name": "wd", "working_directory": "/tmp\x00x"})
    assert_error(nul, 400, "INVALID_CONFIG")
    shell = await client.post(
        "/sessions",
        json={"name": "wd", "working_directory": str(server.workdir), "shell": "no-such-shell"},
    )
    assert "no-such-shell" in assert_error(shell, 400, "INVALID_CONFIG")
    assert (await client.get("/sessions/wd")).status_code == 404


async def test_oversized_bodies_are_413(client: httpx.AsyncClient, session_name: str) -> None:
    big = b'{"command": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    path = f"/sessions/{session_name}/execute"
    response = await client.post(path, content=big, headers={"content-type": "application/json"})
    assert_error(response, 413, "PAYLOAD_TOO_LARGE")

    async def chunked() -> AsyncIterator[bytes]:
        for _ in range(40):
            yield b"x" * 65536

    streamed = await client.post(
        path, content=chunked(), headers={"content-type": "application/json"}
    )
    assert_error(streamed, 413, "PAYLOAD_TOO_LARGE")


async def test_unknown_routes_and_methods_answer_json(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/no/such/route"), 404, "NOT_FOUND")
    assert_error(await client.put("/sessions"), 405, "METHOD_NOT_ALLOWED")
    assert_error(await client.get("/sessions/x/output?since=-1"), 422, "INVALID_REQUEST")


async def test_a_value_out_of_bounds_is_said_in_plain_words(
    client: httpx.AsyncClient, session_name: str
) -> None:
    """What ``aitui keys`` and ``aitui new --role`` users read: no validator wording ("List
    should have at most 256 items after validation, not 2000")."""
    keys = await client.post(f"/sessions/{session_name}/keys", json={"keys": ["a"] * 2000})
    message = assert_error(keys, 422, "INVALID_REQUEST")
    assert message == "invalid request: keys: at most 256 items"
    late = await client.post(
        f"/sessions/{session_name}/execute", json={"command": "true", "timeout_ms": 600_001}
    )
    message = assert_error(late, 422, "INVALID_REQUEST")
    assert message == "invalid request: timeout_ms: at most 600000"
