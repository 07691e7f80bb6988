"""The routes of the scripting CLI, over HTTP against the shared server process (a whole aitui
server, with its ``SessionHost``): rows with activity, dashboard-style creation, keys by name,
capture, the server-side wait and restart; and 409 ``NO_HOST`` from an app without a host."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from aitui.core import SessionManager
from tests.server.helpers import Running, Server

LONG_MS = 60_000  # ends a wait only in a test that would otherwise hang


async def _wait(client: httpx.AsyncClient, name: str, **body: Any) -> dict[str, Any]:
    response = await client.post(
        f"/sessions/{name}/wait", json={"timeout_ms": LONG_MS, **body}, timeout=90
    )
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()
    return reply


async def test_rows_with_activity_and_a_session_made_as_the_dashboard_makes_one(
    client: httpx.AsyncClient, server: Server
) -> None:
    made = await client.post(
        "/host/sessions",
        json={
            "name": "made-here",
            "directory": str(server.workdir),
            "command": "sh -c 'echo MADE; exec cat'",
            "role": "builder",
        },
    )
    assert made.status_code == 200, made.text
    row = made.json()
    assert (row["name"], row["role"], row["running"]) == ("made-here", "builder", True)
    assert row["command"].startswith("sh -c")
    try:
        assert (await _wait(client, "made-here", until="pattern", pattern="^MADE$"))["met"]
        listed = {r["name"]: r for r in (await client.get("/host/sessions")).json()["sessions"]}
        assert listed["made-here"]["key"] == row["key"]
        info = (await client.get("/sessions/made-here/info")).json()
        assert info["activity"] in ("active", "quiet", "starting")  # no shell integration
        taken = await client.post("/host/sessions", json={"name": "made-here"})
        assert (taken.status_code, taken.json()["code"]) == (409, "SESSION_EXISTS")
    finally:
        await client.delete("/sessions/made-here")
    missing = await client.post("/host/sessions", json={"name": "nowhere", "directory": "/no/dir"})
    assert missing.status_code == 400
    assert (await client.get("/sessions/nowhere/info")).status_code == 404  # none left behind
    for blank in ("", "  "):  # the schema's minLength and pattern, as for directory
        nowhere = await client.post("/host/sessions", json={"name": "np", "search_path": blank})
        assert (nowhere.status_code, nowhere.json()["code"]) == (400, "INVALID_CONFIG")
    assert (await client.get("/sessions/np/info")).status_code == 404


async def test_keys_follow_the_programs_cursor_key_mode(
    client: httpx.AsyncClient, session_name: str
) -> None:
    """``up`` is ESC [ A, or ESC O A once the program asked for application cursor keys, as a
    real xterm sends it; ``cat -v`` shows what arrived."""
    await client.post(f"/sessions/{session_name}/execute", json={"command": "printf '\\033[?1h'"})
    await client.post(f"/sessions/{session_name}/input", json={"text": "cat -v\r"})
    sent = await client.post(f"/sessions/{session_name}/keys", json={"keys": ["up", "enter"]})
    assert sent.json()["bytes_sent"] == 4
    found = await _wait(client, session_name, until="pattern", pattern=r"\^\[O?A")
    assert found["match"] == "^[OA"
    refused = await client.post(f"/sessions/{session_name}/keys", json={"keys": ["nope"]})
    assert (refused.status_code, refused.json()["code"]) == (400, "INVALID_KEY")
    await client.post(f"/sessions/{session_name}/keys", json={"keys": ["C-c"]})


async def test_capture_with_history_and_colours(
    client: httpx.AsyncClient, session_name: str
) -> None:
    await client.post(
        f"/sessions/{session_name}/execute",
        json={"command": "seq 1 100; printf '\\033[32mGREEN\\033[0m\\n'"},
    )
    screen = (await client.get(f"/sessions/{session_name}/capture")).json()
    assert "GREEN" in screen["lines"] and "1" not in screen["lines"]
    assert screen["rows"] == 24 and screen["ansi"] is False
    deep = (await client.get(f"/sessions/{session_name}/capture?lines=500")).json()
    first = deep["lines"].index("1")
    assert deep["lines"][first : first + 3] == ["1", "2", "3"]
    coloured = (await client.get(f"/sessions/{session_name}/capture?lines=3&ansi=true")).json()
    assert any("\x1b[0;32mGREEN" in line for line in coloured["lines"])
    assert (await client.get(f"/sessions/{session_name}/capture?lines=0")).status_code == 422


async def test_wait_outcomes(client: httpx.AsyncClient, session_name: str) -> None:
    timed_out = await _wait(client, session_name, until="pattern", pattern="NEVER", timeout_ms=200)
    assert (timed_out["met"], timed_out["reason"]) == (False, "timeout")
    bad = await client.post(
        f"/sessions/{session_name}/wait", json={"until": "pattern", "pattern": "("}
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "INVALID_PATTERN")
    no_pattern = await client.post(f"/sessions/{session_name}/wait", json={"until": "pattern"})
    assert no_pattern.status_code == 422
    # A shell never reports a turn's end: refused at once rather than waited out.
    never = await client.post(
        f"/sessions/{session_name}/wait", json={"until": "done", "timeout_ms": 600_000}
    )
    assert (never.status_code, never.json()["code"]) == (409, "NOT_AN_AGENT"), never.text
    await client.post(f"/sessions/{session_name}/input", json={"text": "sleep 0.5; exit 5\r"})
    idle = await _wait(client, session_name, until="idle")
    assert (idle["met"], idle["reason"], idle["exit_code"]) == (False, "exited", 5)
    ended = await _wait(client, session_name, until="exit")
    assert (ended["met"], ended["reason"], ended["running"]) == (True, "exited", False)
    assert ended["activity"] == "exited"


async def test_restart_runs_the_command_again_under_a_new_key(
    client: httpx.AsyncClient, session_name: str
) -> None:
    before = (await client.get(f"/sessions/{session_name}/info")).json()
    await client.post(f"/sessions/{session_name}/input", json={"text": "exit 3\r"})
    await _wait(client, session_name, until="exit")
    again = await client.post(f"/sessions/{session_name}/restart", json={})
    assert again.status_code == 200, again.text
    row = again.json()
    assert row["key"] != before["key"] and row["running"] and row["name"] == session_name
    assert (await _wait(client, session_name, until="idle"))["met"]


async def test_an_app_without_a_host_says_so(tmp_path: Path, start: Callable[..., object]) -> None:
    manager = SessionManager()
    running: Running = await start(manager)  # type: ignore[misc]
    async with httpx.AsyncClient(base_url=running.base_url, timeout=60) as http:
        listing = await http.get("/host/sessions")
        assert (listing.status_code, listing.json()["code"]) == (409, "NO_HOST")
        await http.post("/sessions", json={"name": "bare", "working_directory": str(tmp_path)})
        idle = await http.post("/sessions/bare/wait", json={"until": "idle"})
        assert (idle.status_code, idle.json()["code"]) == (409, "NO_HOST")
        # What needs no activity works all the same.
        await http.post("/sessions/bare/input", json={"text": "echo BARE-$((2+2))\r"})
        found = await http.post(
            "/sessions/bare/wait", json={"until": "pattern", "pattern": "^BARE-4$"}
        )
        assert found.json()["match"] == "BARE-4" and found.json()["activity"] is None
    await manager.stop_all()
