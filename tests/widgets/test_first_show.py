"""The first attach asks for the screen of the session shown first before the widgets mount:
its frame then comes while the dashboard composes, not a round trip after its first frame."""

from __future__ import annotations

from pathlib import Path

import pytest

import aitui.dashboard.app as app_module
from aitui.core.activity import Activity
from aitui.core.hosting import Host, NoHost, SessionInfo
from aitui.dashboard.app import AituiApp


def info(key: str, name: str) -> SessionInfo:
    return SessionInfo(key, name, None, Activity.IDLE, "", None, None, True, "bash", "/")


class ListedHost(NoHost):
    """Two sessions listed; what the dashboard asks to see is kept."""

    def __init__(self) -> None:
        self.shown: list[tuple[list[str], str | None]] = []

    def sessions(self) -> list[SessionInfo]:
        return [info("1", "first"), info("2", "second")]

    def show(self, visible: list[str], foreground: str | None) -> None:
        self.shown.append((list(visible), foreground))


class MountWatch(AituiApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    async def on_mount(self) -> None:
        assert isinstance(self._host_given, ListedHost)
        self.shown_at_mount = list(self._host_given.shown)
        await super().on_mount()


@pytest.mark.parametrize(("target", "key"), [(None, "1"), ("second", "2"), ("gone", "1")])
async def test_the_first_session_is_asked_for_before_mount(target: str | None, key: str) -> None:
    host = ListedHost()

    async def connect() -> Host:
        return host

    app = MountWatch(reconnect=connect, target=target)
    app._host_given = host
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.shown_at_mount == [([key], key)]
        app.exit()
