"""execute, output, screen, input, resize: real commands in real bash sessions."""

from __future__ import annotations

import asyncio

import httpx

from tests.server.helpers import RFC3339


async def run(client: httpx.AsyncClient, name: str, command: str, **extra: object) -> dict:  # type: ignore[type-arg]
    response = await client.post(f"/sessions/{name}/execute", json={"command": command, **extra})
    assert response.status_code == 200, response.text
    body: dict = response.json()  # type: ignore[type-arg]
    return body


async def test_execute_returns_output_exit_code_and_line_breaks(
    client: httpx.AsyncClient, session_name: str
) -> None:
    body = await run(client, session_name, "printf 'one\\ntwo\\n'; echo three")
    assert body["success"] is True
    assert body["output"] == "one\ntwo\nthree\n"
    assert body["error"] is None
    assert body["exit_code"] == 0
    assert body["timed_out"] is False
    assert isinstance(body["execution_time_ms"], int) and body["execution_time_ms"] >= 0

    failed = await run(client, session_name, "echo oops >&2; (exit 3)")
    assert failed["success"] is False
    assert failed["exit_code"] == 3
    assert failed["output"] == "oops\n"


async def test_execute_timeout_interrupts_and_the_session_stays_usable(
    client: httpx.AsyncClient, session_name: str
) -> None:
    body = await run(client, session_name, "sleep 30", timeout_ms=300)
    assert body["timed_out"] is True
    assert body["success"] is False
    assert "timed out" in body["error"]
    after = await run(client, session_name, "echo still-here")
    assert after["output"] == "still-here\n" and after["success"] is True


async def test_concurrent_executes_on_one_session_do_not_interleave(
    client: httpx.AsyncClient, session_name: str
) -> None:
    commands = [f"echo begin-{i}; echo middle-{i}; echo end-{i}" for i in range(8)]
    results = await asyncio.gather(*(run(client, session_name, c) for c in commands))
    for i, body in enumerate(results):
        assert body["output"] == f"begin-{i}\nmiddle-{i}\nend-{i}\n"
        assert body["exit_code"] == 0


async def test_output_has_the_reference_shape_and_reads_incrementally(
    client: httpx.AsyncClient, session_name: str
) -> None:
    await run(client, session_name, "echo first-marker")
    body = (await client.get(f"/sessions/{session_name}/output")).json()
    assert body["session_name"] == session_name
    assert "first-marker\n" in body["output"]
    assert "first-marker\r\n" in body["raw_output"]
    assert "\x1b" not in body["output"]
    assert RFC3339.match(body["timestamp"])
    assert body["size_bytes"] == len(body["raw_output"].encode())
    assert body["lost_bytes"] == 0

    await run(client, session_name, "echo second-marker")
    newer = (await client.get(f"/sessions/{session_name}/output?since={body['position']}")).json()
    assert "second-marker" in newer["output"]
    assert "first-marker" not in newer["output"]
    assert newer["position"] == body["position"] + newer["size_bytes"]
    nothing = await client.get(f"/sessions/{session_name}/output?since={newer['position']}")
    assert nothing.json()["size_bytes"] == 0 and nothing.json()["output"] == ""


async def test_output_never_splits_a_utf8_character(
    client: httpx.AsyncClient, session_name: str
) -> None:
    await run(client, session_name, "printf 'caf\\303\\251 \\342\\202\\254\\n'")
    body = (await client.get(f"/sessions/{session_name}/output")).json()
    assert "café €" in body["output"]
    for offset in range(body["position"] - 12, body["position"]):
        part = (await client.get(f"/sessions/{session_name}/output?since={offset}")).json()
        assert "\ufffd" not in part["raw_output"]


async def test_screen_and_resize(client: httpx.AsyncClient, session_name: str) -> None:
    await run(client, session_name, "echo on-the-screen")
    screen = (await client.get(f"/sessions/{session_name}/screen")).json()
    assert screen["rows"] == 24 and screen["cols"] == 80
    assert len(screen["lines"]) == 24
    assert "on-the-screen" in screen["lines"]
    row, col = screen["cursor"]
    assert 0 <= row < 24 and 0 <= col < 80

    resized = await client.post(f"/sessions/{session_name}/resize", json={"rows": 40, "cols": 120})
    assert resized.status_code == 200
    assert resized.json()["rows"] == 40 and resized.json()["cols"] == 120
    assert (await run(client, session_name, "stty size"))["output"].strip() == "40 120"


async def test_the_screen_has_all_output_read_before_the_request(
    client: httpx.AsyncClient, session_name: str
) -> None:
    """A flood into a session nobody watches is parsed after it, not during it: the screen
    endpoint catches up first, so the last line of a 3 MB flood is on it at once."""
    flood = "head -c 3000000 /dev/zero | tr '\\0' y | fold -w 79; echo; echo flood-done-marker"
    body = await run(client, session_name, flood)
    assert body["output"].endswith("flood-done-marker\n")
    screen = (await client.get(f"/sessions/{session_name}/screen")).json()
    assert "flood-done-marker" in screen["lines"]
