"""``aitui --serve``: the HTTP API runs in the dashboard, on the sessions the human watches."""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.request
from pathlib import Path

from aitui.core.config import SessionConfig
from aitui.dashboard.app import AituiApp
from tests.widgets.test_dashboard_pilot import started, wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(port: int, method: str, path: str, body: object | None = None) -> dict[str, object]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        result: dict[str, object] = json.loads(response.read())
        return result


async def test_sessions_created_over_http_appear_in_the_dashboard(tmp_path: Path) -> None:
    port = free_port()
    app = AituiApp(
        sessions=[SessionConfig(name="human", shell="bash", working_directory=tmp_path)],
        serve_port=port,
    )
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot, app)

        def healthy() -> bool:
            try:
                return call(port, "GET", "/health")["status"] == "healthy"
            except OSError:
                return False

        for _ in range(200):
            if await asyncio.to_thread(healthy):
                break
            await pilot.pause(0.05)
        body = {"name": "orchestrated", "working_directory": str(tmp_path), "shell": "bash"}
        await asyncio.to_thread(call, port, "POST", "/sessions", body)
        await wait_for(pilot, lambda: [v.name for v in app.views] == ["human", "orchestrated"])
        listed = await asyncio.to_thread(call, port, "GET", "/sessions")
        assert {s["name"] for s in listed["sessions"]} == {"human", "orchestrated"}  # type: ignore[index,union-attr]
        result = await asyncio.to_thread(
            call, port, "POST", "/sessions/orchestrated/execute", {"command": "echo via-http"}
        )
        assert result["output"] == "via-http\n" and result["exit_code"] == 0
        await asyncio.to_thread(call, port, "DELETE", "/sessions/orchestrated")
        await wait_for(pilot, lambda: [v.name for v in app.views] == ["human"])
        await app.action_quit()
