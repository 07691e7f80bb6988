"""The event stream, raw input, and a shell killed in the middle of a request."""

from __future__ import annotations

import asyncio
import os
import signal

import httpx

from tests.server.sse import events


async def test_input_echo_shows_up_in_the_stream(
    client: httpx.AsyncClient, session_name: str
) -> None:
    async with client.stream("GET", f"/sessions/{session_name}/stream") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = events(response)
        kind, hello = await anext(stream)
        assert kind == "hello" and hello["status"] == "Running"
        sent = await client.post(
            f"/sessions/{session_name}/input", json={"text": "echo typed-$((6*7))\r"}
        )
        assert sent.json() == {"session_name": session_name, "bytes_sent": 20}
        seen = ""
        kinds = set()
        async for kind, data in stream:
            kinds.add(kind)
            if kind == "output":
                seen += data["raw"]
            if kind == "command_finished":
                assert data["exit_code"] == 0
                break
        assert "typed-42\r\n" in seen
        assert {"output", "command_started", "command_finished"} <= kinds


async def test_stream_replays_from_since_without_gaps(
    client: httpx.AsyncClient, session_name: str
) -> None:
    await client.post(f"/sessions/{session_name}/execute", json={"command": "echo before"})
    full = (await client.get(f"/sessions/{session_name}/output")).json()
    async with client.stream("GET", f"/sessions/{session_name}/stream?since=0") as response:
        stream = events(response)
        kind, hello = await anext(stream)
        kind, replay = await anext(stream)
        assert kind == "output"
        assert replay["raw"] == full["raw_output"]
        assert replay["position"] == hello["position"]


async def test_killing_the_shell_mid_request_gives_a_clean_error(
    client: httpx.AsyncClient, session_name: str
) -> None:
    pid = (await client.get(f"/sessions/{session_name}/status")).json()["pid"]
    async with client.stream("GET", f"/sessions/{session_name}/stream") as response:
        stream = events(response)
        # A builtin (no child process): a child such as `sleep` would survive the shell and
        # keep the terminal open, and the core notices the death only at EOF (see report).
        execute = asyncio.create_task(
            client.post(f"/sessions/{session_name}/execute", json={"command": "read -t 60 x"})
        )
        async for kind, _ in stream:
            if kind == "command_started":
                break
        os.kill(pid, signal.SIGKILL)
        result = await execute
        assert result.status_code == 200
        body = result.json()
        assert body["success"] is False
        assert body["timed_out"] is False
        assert "shell exited" in body["error"]
        final = [kind async for kind, _ in stream]
        assert final[-1] == "exit"
    after = await client.post(f"/sessions/{session_name}/execute", json={"command": "true"})
    assert after.status_code == 409
    assert after.json()["code"] == "SESSION_NOT_RUNNING"
    assert (await client.get(f"/sessions/{session_name}/status")).json()["status"] == "Terminated"
    typed = await client.post(f"/sessions/{session_name}/input", json={"text": "x"})
    assert typed.status_code == 409
    # A stream opened on an ended session says so and ends at once.
    async with client.stream("GET", f"/sessions/{session_name}/stream") as response:
        kinds = [kind async for kind, _ in events(response)]
    assert kinds == ["hello", "exit"]
