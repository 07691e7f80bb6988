"""The dashboard attached to a real aitui server process, driven through Pilot.

The server is a separate process on its own socket and data dir (started by the dashboard's
``reconnect``, as ``aitui`` does); the pane draws a ``RemoteScreen``. Waits are for conditions.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from aitui.client import RemoteHost, attach
from aitui.core.config import HistoryMode, SessionConfig
from aitui.core.hosting import Host
from aitui.dashboard.app import AituiApp
from aitui.dashboard.widgets.server_lost import ServerLostScreen
from aitui.dashboard.widgets.terminal_pane import TerminalPane
from aitui.server.daemon import running_pid
from tests.e2e.server_helpers import FOUND_FIRST, tool_on_a_path_of_its_own
from tests.widgets.test_dashboard_pilot import rendered, wait_for

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def sock(server_socket: Path) -> Path:
    return server_socket


def attached_app(sock: Path) -> AituiApp:
    async def connect() -> Host:
        return await attach(sock)

    return AituiApp(
        sessions=[SessionConfig(name="shell-1", history=HistoryMode.SHELL)], reconnect=connect
    )


async def test_an_attached_dashboard_types_and_draws_through_the_server(sock: Path) -> None:
    """You should see the server's shell in the pane, echo what is typed, and after a detach
    the session still running in the server."""
    app = attached_app(sock)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.host, RemoteHost) and bool(app.views), 30)
        pane = app.query_one("#pane-main", TerminalPane)
        await wait_for(pilot, lambda: rendered(pane).strip() != "", 30)
        pane.focus()
        await pilot.press(*"echo attached-", "o", "k", "enter")
        await wait_for(pilot, lambda: "\nattached-ok" in rendered(pane), 30)
        key = app.views[0].key
        await pilot.press("ctrl+right_square_bracket", "d")
        await wait_for(pilot, lambda: not app.is_running, 30)
    probe = await attach(sock, start=False)
    assert [i.key for i in probe.sessions()] == [key]
    assert probe.sessions()[0].running
    await probe.close()


async def test_a_dead_server_is_offered_to_be_started_again(sock: Path) -> None:
    """You should see "The aitui server is gone" when the server is killed, and after Enter a
    new server listing the shell as stopped, which runs again when asked."""
    app = attached_app(sock)
    async with app.run_test(size=(120, 36)) as pilot:
        # Listed is not kept: the server answers the create once the session's record is
        # committed, and only what it acknowledged must outlive a kill -9.
        await wait_for(pilot, lambda: bool(app.views) and app._first is not None, 30)
        first_server = running_pid(sock)
        assert first_server is not None
        os.kill(first_server, signal.SIGKILL)
        await wait_for(pilot, lambda: isinstance(app.screen, ServerLostScreen), 30)
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: running_pid(sock) not in (None, first_server) and bool(app.views), 30
        )
        assert not isinstance(app.screen, ServerLostScreen)
        stopped = app.views[0]
        assert stopped.name == "shell-1" and stopped.info.restorable
        assert not stopped.info.running
        await app.host.restart(stopped.key)
        pane = app.query_one("#pane-main", TerminalPane)
        await wait_for(pilot, lambda: app.views[0].info.running, 30)
        await wait_for(pilot, lambda: rendered(pane).strip() != "", 30)


def over_unix(sock: Path, method: str, path: str, body: object | None = None) -> dict[str, object]:
    """An HTTP request on the server's Unix socket (as ``curl --unix-socket`` sends it)."""
    import http.client
    import json
    import socket as sockets

    class UnixConnection(http.client.HTTPConnection):
        def connect(self) -> None:
            self.sock = sockets.socket(sockets.AF_UNIX, sockets.SOCK_STREAM)
            self.sock.connect(str(sock))

    connection = UnixConnection("localhost", timeout=30)
    data = json.dumps(body).encode() if body is not None else None
    connection.request(method, path, body=data, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    result: dict[str, object] = json.loads(response.read())
    connection.close()
    assert response.status == 200, result
    return result


async def test_the_http_api_on_the_socket_drives_the_sessions_a_dashboard_shows(
    sock: Path, tmp_path: Path
) -> None:
    """You should see a session created over HTTP (no token on the owner's socket) appear in
    the dashboard, run a command, and go when deleted."""
    import asyncio

    app = attached_app(sock)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: [v.name for v in app.views] == ["shell-1"], 30)
        body = {"name": "orchestrated", "working_directory": str(tmp_path), "shell": "bash"}
        await asyncio.to_thread(over_unix, sock, "POST", "/sessions", body)
        await wait_for(pilot, lambda: [v.name for v in app.views] == ["shell-1", "orchestrated"])
        listed = await asyncio.to_thread(over_unix, sock, "GET", "/sessions")
        assert {s["name"] for s in listed["sessions"]} == {"shell-1", "orchestrated"}  # type: ignore[index,union-attr]
        result = await asyncio.to_thread(
            over_unix, sock, "POST", "/sessions/orchestrated/execute", {"command": "echo via-http"}
        )
        assert result["output"] == "via-http\n" and result["exit_code"] == 0
        await asyncio.to_thread(over_unix, sock, "DELETE", "/sessions/orchestrated")
        await wait_for(pilot, lambda: [v.name for v in app.views] == ["shell-1"])


async def test_an_attached_task_board_shows_who_submitted_claimed_and_finished_tasks(
    sock: Path,
) -> None:
    """You should see, on an attached dashboard's task board (rows from the server, over the
    wire), a task an agent submitted and the shell claimed, one done with its summary and one
    failed with its error, each naming the agent it came from."""
    import asyncio

    from textual.widgets import Static

    from aitui.dashboard.widgets.panels import TasksPanel

    app = attached_app(sock)
    async with app.run_test(size=(150, 44)) as pilot:
        await wait_for(pilot, lambda: [v.name for v in app.views] == ["shell-1"], 30)
        ids = {}
        for description in ("claimed one", "done one", "failed one"):
            body = {"description": description, "metadata": {"submitted_by": "planner"}}
            task = await asyncio.to_thread(over_unix, sock, "POST", "/tasks", body)
            assert task["agent"] == "shell-1", task
            ids[description] = task["id"]
        await asyncio.to_thread(over_unix, sock, "POST", f"/tasks/{ids['claimed one']}/start", {})
        done = {"result": {"summary": "readme tidied"}}
        await asyncio.to_thread(over_unix, sock, "POST", f"/tasks/{ids['done one']}/complete", done)
        failed = {"error": "no such file"}
        await asyncio.to_thread(over_unix, sock, "POST", f"/tasks/{ids['failed one']}/fail", failed)
        board = app.query_one(TasksPanel).query_one(".task-list", Static)
        await wait_for(pilot, lambda: "✗ no such file" in str(board.render()), 30)
        text = str(board.render())
        lines = text.splitlines()
        assert lines[:2] == ["1 claimed", "1 done · 1 failed"]
        # Live first, then the finished ones, newest first; each with its holder and origin.
        claimed, failed, done = (text.index(f"{d} one") for d in ("claimed", "failed", "done"))
        assert claimed < failed < done
        assert text.count("by shell-1 · from planner") == 3
        assert text.index("✗ no such file") < done < text.index("✓ readme tidied")


async def test_a_new_session_finds_its_program_on_the_dashboards_path(
    sock: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """You should see a program the dashboard's shell finds start in the server, which was
    started before that program was on any PATH (its own PATH is only the default)."""
    tools = tool_on_a_path_of_its_own(tmp_path)
    app = attached_app(sock)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: bool(app.views) and app._first is not None, 30)
        monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")  # the server keeps its own
        await pilot.press("ctrl+right_square_bracket", "n", *"mine", "tab", "tab")
        await pilot.press(*"only-on-my-path", "enter")
        await wait_for(pilot, lambda: [v.name for v in app.views] == ["shell-1", "mine"], 30)
        pane = app.query_one("#pane-main", TerminalPane)
        await wait_for(pilot, lambda: FOUND_FIRST in rendered(pane), 30)
        await app.action_quit()


async def test_typing_takes_the_session_back_to_this_dashboards_size(sock: Path) -> None:
    """You should see the session sized to the dashboard you type in, even one attached while
    the session already had its size (it reported none, and a larger client kept the session
    at its own size: the pane showed a crop of a bigger screen)."""
    first = attached_app(sock)
    async with first.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: bool(first.views) and first._first is not None, 30)
        pane = first.query_one("#pane-main", TerminalPane)
        await wait_for(pilot, lambda: rendered(pane).strip() != "", 30)
        size = (pane.size.height, pane.size.width)
        await wait_for(pilot, lambda: pane.source is not None and screen_size(pane) == size, 30)
        await pilot.press("ctrl+right_square_bracket", "d")
        await wait_for(pilot, lambda: not first.is_running, 30)

    async def connect() -> Host:
        return await attach(sock)

    again = AituiApp(sessions=[], reconnect=connect)  # the same size as the session's
    async with again.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: bool(again.views), 30)
        pane = again.query_one("#pane-main", TerminalPane)
        await wait_for(pilot, lambda: rendered(pane).strip() != "", 30)
        larger = await attach(sock, start=False)  # another client, on a bigger terminal
        other = larger.source(again.views[0].key)
        assert other is not None
        await other.resize(50, 150)
        await wait_for(pilot, lambda: screen_size(pane) == (50, 150), 30)
        pane.focus()
        await pilot.press("x")
        await wait_for(pilot, lambda: screen_size(pane) == size, 30)
        await larger.close()
        await again.action_quit()


def screen_size(pane: TerminalPane) -> tuple[int, int] | None:
    return (pane.source.screen.rows, pane.source.screen.cols) if pane.source else None
