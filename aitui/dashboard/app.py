"""The dashboard: sessions on the left, terminals in the middle, AI panels on the right.

Data flows one way: the host's events (``aitui.core.hosting``: sessions held here or by a
server) reach ``_on_host_event`` (the bridge), become messages (``aitui.dashboard.bridge``),
and handlers push plain values down into widgets. Widgets never reach into the engine. Long
operations (starting, stopping sessions) run in named workers whose failures surface in one
handler, on the status line.

This module puts the app together: layout, bindings, start-up and shutdown. Its state and
behaviour live in ``aitui.dashboard`` (``base``: state, showing and layout; ``events``: the
bridge's handlers; ``session_actions`` and ``view_actions``: what the keys do).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Footer

from aitui.core.config import SessionConfig
from aitui.core.errors import AituiError
from aitui.dashboard.bridge import CoordinationChanged
from aitui.dashboard.events import EngineEvents
from aitui.dashboard.key_order import KeyOrder
from aitui.dashboard.palette import SessionCommands
from aitui.dashboard.session_actions import SessionActions
from aitui.dashboard.view_actions import ViewActions
from aitui.dashboard.widgets.panels import (
    CompressionPanel,
    ContextPanel,
    MessagesPanel,
    TasksPanel,
)
from aitui.dashboard.widgets.session_list import SessionList
from aitui.dashboard.widgets.status_line import StatusLine, WaitingLine
from aitui.dashboard.widgets.terminal_pane import TerminalPane

TYPE_CHECKING = False
if TYPE_CHECKING:
    from aitui.core.hosting import Host


class AituiApp(EngineEvents, SessionActions, ViewActions, KeyOrder):
    CSS_PATH = "app.tcss"
    TITLE = "aitui"
    COMMANDS = App.COMMANDS | {SessionCommands}
    #: Esc belongs to the program (vim, an agent's interrupt) even in a pane maximized from
    #: the palette, which Textual would otherwise minimize on Esc, the key never sent; the
    #: palette's "Minimize" and prefix z restore it.
    ESCAPE_TO_MINIMIZE = False
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False),
        Binding("ctrl+right_square_bracket", "prefix", "Prefix", id="prefix", priority=True),
        Binding("ctrl+pagedown", "next_session", "Next", id="next_session", priority=True),
        Binding("ctrl+pageup", "previous_session", "Prev", id="previous_session", priority=True),
        Binding("alt+a", "next_attention", "Attention", id="next_attention", priority=True),
        *(
            Binding(f"alt+{n}", f"goto({n})", f"Session {n}", show=False, priority=True)
            for n in range(1, 10)
        ),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield SessionList(id="sessions")
            with Vertical(id="terminals"):
                yield TerminalPane(id="pane-main", direct_draw=self.settings.direct_draw)
            with Vertical(id="panels", classes="" if self.settings.show_panels else "-hidden"):
                yield ContextPanel()
                yield CompressionPanel()
                yield MessagesPanel()
                yield TasksPanel()
        with Horizontal(id="status-row"):
            yield StatusLine(id="status")
            yield WaitingLine(id="waiting")
        yield Footer(show_command_palette=False)

    def on_load(self) -> None:
        if self._reconnect is not None and self._given_host is None:
            # Connecting starts before the widgets are composed: its round trips to the server
            # then overlap the ~0.1 s of compose, styles and layout before the first frame.
            self._attaching = asyncio.ensure_future(self._attach_showing_first())

    async def on_mount(self) -> None:
        self.set_keymap(dict(self.bound_keys))
        for problem in self._problems:
            self.say(f"configuration: {problem}", "warning", toast=True)
        if self._reconnect is not None and self._given_host is None:
            # Not awaited here: the first frame is drawn now, the sessions come when the
            # server answers (a fresh one takes a second to start).
            self.run_worker(self._attach_then_start(), name="attaching", group="attach")
            return
        if self._coordination_store is not None and self.local_host is not None:
            await self._open_coordination_store(self._coordination_store)
        self._start()

    def on_unmount(self) -> None:
        if self._attaching is not None:  # the app ended before it mounted: stop attaching
            self._attaching.cancel()

    async def _attach_showing_first(self) -> Host:
        """The first attach, asking at once for the screen of the session shown first: it then
        comes while the widgets are composed, not a round trip after they are mounted."""
        assert self._reconnect is not None
        host = await self._reconnect()
        keys = [info.key for info in host.sessions()]
        first = self._target_key(host) or (keys[0] if keys else None)
        if first is not None:
            host.show([first], first)
        return host

    def _target_key(self, host: Host) -> str | None:
        """The key of the session ``-t NAME`` asked for, if it is there."""
        return next((i.key for i in host.sessions() if i.name == self._target), None)

    async def _attach_then_start(self) -> None:
        if await self._attach_to_server():
            self._start()

    def _start(self) -> None:
        """Follow the host, start the initial sessions and the background jobs."""
        self.connect_host()
        host = self.local_host
        for item in self._initial:
            if isinstance(item, SessionConfig):
                self.open_session(item, show=False)
            elif host is not None:
                host.add_replay(item)
        self.post_message(CoordinationChanged())  # show restored tasks and messages
        self.set_interval(1.0, self.refresh_waiting, name="who waits")
        for index, job in enumerate(self._background):
            self.run_worker(job(), name=f"background-{index}", group="background")

    def watch_theme(self, theme: str) -> None:
        if self._save_theme is not None and theme != self.settings.theme:
            self.settings.theme = theme
            try:
                self._save_theme(theme)
            except (AituiError, OSError) as exc:  # the theme stays for this run
                self.say(f"theme {theme}: {exc}", "warning")

    def on_resize(self, event: Resize) -> None:
        """Fit the layout to the terminal's new width.

        ``event.size``, not ``self.size``: this handler runs before Textual's own
        ``App._on_resize`` stores the new size, so ``self.size`` is still the old one (a
        terminal widened from 80 to 140 columns kept the narrow layout until the next
        resize). The classes go on the app, not the current screen, so a resize while a
        dialog is open still reaches the main screen under it."""
        width = event.size.width
        self.set_class(width < 110, "-narrow")
        self.set_class(width < 70, "-very-narrow")

    async def _attach_to_server(self) -> bool:
        """Attach to the server (started if none runs); a fresh server gets one shell."""
        assert self._reconnect is not None
        attaching, self._attaching = self._attaching, None
        try:
            self.host = await (attaching or self._reconnect())
        except Exception as exc:
            self.exit(return_code=1, message=f"aitui: {exc}")
            return False
        if self.host.sessions():
            target = self._target_key(self.host)
            if self._target is not None and target is None:
                self.say(f"no session named {self._target!r}", "warning")
            self._first = target
        else:
            for item in self._initial:
                if isinstance(item, SessionConfig):
                    self.create_on_host(item)
        self._initial = [i for i in self._initial if not isinstance(i, SessionConfig)]
        return True

    async def _open_coordination_store(self, path: Path) -> None:
        """Persist messages and tasks at ``path`` (before any session joins, so every agent
        and task lives in the persisted pair); if another aitui has it, say so, keep them in
        memory."""
        from aitui.core.agents import StoreError  # the local path only: the bus, SQLite
        from aitui.core.coordination import Coordination

        time_format = (self._coordination or Coordination()).time_format
        try:
            coordination = await Coordination.open(path, time_format)
        except StoreError as exc:
            self.say(f"{exc}: this dashboard keeps them in memory.", "warning", toast=True)
            return
        self.host = self._own_host(coordination)

    async def action_quit(self) -> None:
        self._unsubscribe_host()
        await self.host.close()
        self.exit()

    async def action_detach(self) -> None:
        """Leave the sessions running (they are a server's) and close this dashboard."""
        if self.local_host is not None:
            self.say("these sessions live in this dashboard: prefix q quits and ends them")
            return
        self._unsubscribe_host()
        await self.host.close()
        self.exit()
