"""The dashboard is drawn before its server answers; the sessions come when it does."""

from __future__ import annotations

import asyncio

import pytest

from aitui.client import ServerGoneError
from aitui.core.config import HistoryMode, SessionConfig
from aitui.core.hosting import Host, NoHost
from aitui.dashboard.app import AituiApp
from aitui.dashboard.widgets.terminal_pane import TerminalPane
from tests.widgets.test_dashboard_pilot import wait_for

pytestmark = pytest.mark.timeout(60)  # a dashboard that waits for its server to draw hangs


async def test_the_dashboard_is_drawn_while_the_server_starts() -> None:
    """You should see the dashboard (its pane, its panels) while the server is still starting,
    be able to use it, and get the server's error when it fails."""
    answer = asyncio.Event()

    async def connect() -> Host:
        await answer.wait()
        raise ServerGoneError("the aitui server did not start: for this test")

    app = AituiApp(
        sessions=[SessionConfig(name="shell-1", history=HistoryMode.SHELL)], reconnect=connect
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.query_one(TerminalPane).region.height > 0)
        assert isinstance(app.host, NoHost) and app.is_running
        await pilot.press("ctrl+right_square_bracket", "b")  # the panels, hidden meanwhile
        await wait_for(pilot, lambda: app.query_one("#panels").has_class("-hidden"))
        answer.set()
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 1
