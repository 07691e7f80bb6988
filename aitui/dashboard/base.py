"""The dashboard's state and the few operations everything else is built from.

``DashboardBase`` holds the sessions shown (``views``), which one is current, and whether the
grid is on; it shows a session, lays out the grid and refreshes the list and the panels from
plain values. Sessions live in a ``Host`` (``aitui.core.hosting``): a server's, reached through
``aitui.client``, or one of this process's own (recordings, headless scenarios, tests). The
mixins beside it (events, session and view actions) and ``aitui.dashboard.app`` build on it;
only this module changes that state's shape.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.content import Content
from textual.worker import Worker, WorkerState

from aitui.core.config import SessionConfig
from aitui.core.hosting import Host, HostEvent, NewSession, NoHost
from aitui.core.settings import Settings
from aitui.dashboard import alt_keys, pastes
from aitui.dashboard.bridge import message_for
from aitui.dashboard.css_cache import share_parsed_css
from aitui.dashboard.key_names import usable_keys
from aitui.dashboard.theming import DEFAULT_THEME, LIGHT_THEME, load_themes
from aitui.dashboard.views import SessionView, pane_titles, rows
from aitui.dashboard.widgets.panels import (
    CompressionFigures,
    CompressionPanel,
    ContextFigures,
    ContextPanel,
)
from aitui.dashboard.widgets.session_list import SessionList
from aitui.dashboard.widgets.status_line import StatusLine
from aitui.dashboard.widgets.terminal_pane import TerminalPane

if TYPE_CHECKING:  # the engine's session classes load only for a dashboard holding sessions
    from aitui.core.coordination import Coordination
    from aitui.core.host import SessionHost
    from aitui.core.replay import ReplaySession

GRID_MAX = 4


class DashboardBase(App[None]):
    def __init__(
        self,
        *,
        settings: Settings | None = None,
        problems: Sequence[str] = (),
        sessions: Sequence[SessionConfig | ReplaySession] = (),
        host: Host | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        save_theme: Callable[[str], object] | None = None,
        coordination: Coordination | None = None,
        coordination_store: Path | None = None,
        background: Sequence[Callable[[], Awaitable[object]]] = (),
        reconnect: Callable[[], Awaitable[Host]] | None = None,
        target: str | None = None,
    ) -> None:
        """``host``: whoever holds the sessions (a server's, through ``aitui.client``); without
        one the dashboard holds its own (``coordination`` and ``coordination_store`` are then
        its coordination, in memory or persisted there). ``sessions`` are started on it.
        ``reconnect`` starts a server again and attaches to it, when the one attached to dies."""
        alt_keys.install()
        pastes.install()  # pastes keep their escape sequences (see its module)
        share_parsed_css()  # before the first stylesheet parses (see its module)
        super().__init__()
        self.settings = settings or Settings()
        self._problems = list(problems)
        self.bound_keys, key_problems = usable_keys(self.settings.keys)
        self._problems += key_problems
        self._initial = list(sessions)
        self._clock = clock
        #: Wall-clock time of what the status line says (frozen in snapshot tests).
        self._wall_clock = wall_clock
        self._save_theme = save_theme
        self._given_host = host
        self._reconnect = reconnect
        self._target = target  # the session to show first (``aitui attach -t NAME``)
        self._first: str | None = None
        #: The first attach, started in ``on_load`` and awaited once the widgets are mounted.
        self._attaching: asyncio.Future[Host] | None = None
        self._coordination = coordination
        #: Where ``on_mount`` persists messages and tasks of a host of its own.
        self._coordination_store = coordination_store
        self._local: SessionHost | None = None
        #: Until ``on_mount`` attaches (``reconnect``), an empty host: attaching to a server
        #: loads none of the engine's session machinery (tokenizer, compressors) here.
        self.host: Host = (
            host
            if host is not None
            else NoHost()
            if reconnect is not None
            else self._own_host(coordination)
        )
        self.views: list[SessionView] = []
        self.current: str | None = None
        self.grid = False
        self._background = list(background)
        self._last_search = ""
        self._unsubscribe_host: Callable[[], None] = lambda: None
        for theme in load_themes():
            self.register_theme(theme)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self._problems.append(f"unknown theme {self.settings.theme!r}; using {DEFAULT_THEME}")
            self.theme = DEFAULT_THEME

    def _own_host(self, coordination: Coordination | None) -> SessionHost:
        from aitui.core.host import SessionHost

        self._local = SessionHost(
            coordination=coordination,
            clock=self._clock,
            shell=self.settings.shell,
            scrollback_lines=self.settings.scrollback_lines,
        )
        return self._local

    @property
    def local_host(self) -> SessionHost | None:
        """The host this process holds, if the sessions are not a server's."""
        return self._local if self._local is not None and self.host is self._local else None

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """aitui's variables for themes that lack them (Textual's built-in themes): the light
        theme's for a light one. The dark theme's everywhere gave textual-light a black
        terminal and its yellow "waiting" (#ffd75f) on a near-white list, barely readable."""
        name = DEFAULT_THEME if self.current_theme.dark else LIGHT_THEME
        fallback = next((t for t in load_themes() if t.name == name), None)
        return dict(fallback.variables) if fallback else {}

    def session_names(self) -> list[tuple[str, str]]:
        return [(view.key, view.name) for view in self.views]

    def view(self, key: str | None) -> SessionView | None:
        return next((v for v in self.views if v.key == key), None)

    # -- the host ---------------------------------------------------------------------------
    def connect_host(self) -> None:
        """Follow the host: its events in, as messages (the bridge); its sessions shown."""
        self._unsubscribe_host = self.host.subscribe(self._on_host_event)
        self.sync_views()

    def replace_host(self, host: Host) -> None:
        """Follow another host (a server started again): its sessions replace the views."""
        self._unsubscribe_host()
        self.host = host
        self.views = []
        self.current = None
        self.connect_host()

    def create_on_host(self, config: SessionConfig) -> None:
        """Ask the host (a server) for ``config``'s session: named, in this directory; it is
        shown first once it comes."""
        request = NewSession(
            name=config.name,
            directory=Path(config.working_directory or Path.cwd()),
            command=config.shell_command,
            shell=config.shell,
            history=config.history,
        )

        async def create() -> None:
            self._first = await self.host.create(request)

        # A failure (the server gone mid-request) is said on the status line, never a crash.
        self.run_worker(
            create(), name=f"creating {config.name}", group="sessions", exit_on_error=False
        )

    def _on_host_event(self, event: HostEvent) -> None:
        """The bridge: host events in, messages out (see ``aitui.dashboard.bridge``)."""
        self.post_message(message_for(event))

    def sync_views(self) -> None:
        """Show the host's sessions, in its order; keep the current one if it is still there."""
        known = {v.key: v for v in self.views}
        before = list(known)
        views = []
        for info in self.host.sessions():
            view = known.get(info.key)
            if view is not None:
                view.info = info
            else:
                source = self.host.source(info.key)
                if source is None:
                    continue
                view = SessionView(source=source, info=info)
            views.append(view)
        self.views = views
        if self.current not in {v.key for v in views}:
            gone, self.current = self.current, None
            if views:
                self.show_session(self._in_place_of(gone, before, [v.key for v in views]))
                return
            self.query_one("#pane-main", TerminalPane).attach(None)
        if self.grid:
            self._layout_grid()
        self._refresh_list()
        self._refresh_panels()

    def _in_place_of(self, gone: str | None, before: list[str], keys: list[str]) -> str:
        """The session shown when the current one ``gone`` left the list (dismissed, ended
        elsewhere): the next one, or the previous one for the last, as tmux does for a
        window. The first one shown went there, and a user dismissing exited sessions at the
        end of a long list lost their place at each."""
        if gone in before:
            at = before.index(gone)
            for key in before[at + 1 :] + before[:at][::-1]:
                if key in keys:
                    return key
        return self._first if self._first in keys else keys[0]

    def update_view(self, key: str) -> bool:
        """Re-read what the host says of ``key``; whether it is shown here."""
        view = self.view(key)
        info = self.host.info(key)
        if view is None or info is None:
            return False
        view.info = info
        return True

    def open_session(self, config: SessionConfig, show: bool = True) -> None:
        """Create and start a session for ``config`` in a worker (errors on the status line).

        ``show`` brings it into view; the first session is always shown.
        """

        async def start() -> None:
            host = self.local_host
            if host is None:
                raise RuntimeError("sessions from a configuration need a host of this process")
            key = await host.start_config(config)
            if show:
                self.sync_views()
                self.show_session(key)

        self.run_worker(
            start(),
            name=f"starting {config.name or 'a session'}",
            group="sessions",
            exit_on_error=False,
        )

    def _refresh_panels(self) -> None:
        current = self.view(self.current)
        stats = current.info.context if current else None
        self.query_one(ContextPanel).show(
            ContextFigures(current.name, stats.tokens_in_context, stats.max_tokens)
            if current and stats
            else None
        )
        known = [v.info.context for v in self.views if v.info.context is not None]
        self.query_one(CompressionPanel).show(
            CompressionFigures(
                raw_tokens=sum(s.raw_output_tokens for s in known),
                compressed_tokens=sum(s.compressed_output_tokens for s in known),
                commands=sum(s.commands_seen for s in known),
                history=tuple(s for v in self.views for s in v.info.savings)[-60:],
            )
            if known
            else None
        )

    def _refresh_list(self) -> None:
        self.query_one(SessionList).show_rows(rows(self.views), self.current)
        if self.grid:
            self._title_panes()

    def _title_panes(self) -> None:
        """Name each grid pane's session on its border; a title set again unchanged would
        redraw the whole pane through the compositor, so only changes are set."""
        panes = list(self.query(TerminalPane))
        keys = self._pane_keys()
        titles = pane_titles(self.views, [k for k in keys if k is not None])
        for pane, key in zip(panes, keys, strict=False):
            title, subtitle = titles.get(key or "", ("", ""))
            if pane.border_title != title:
                pane.border_title = Content(title)
            if pane.border_subtitle != subtitle:
                pane.border_subtitle = Content(subtitle)

    def show_session(self, key: str) -> None:
        view = self.view(key)
        if view is None:
            return
        self.current = key
        self._mark_visible()
        if self.grid:
            self._layout_grid()
        else:
            pane = self.query_one("#pane-main", TerminalPane)
            pane.attach(view.source)
            pane.focus()
        self._refresh_list()
        self._refresh_panels()

    def _mark_visible(self) -> None:
        """Sessions on screen (the current one, and the grid's) are kept current on screen
        and get no attention badges."""
        shown = self._pane_keys()
        self.host.show([k for k in shown if k is not None], self.current)

    def _pane_keys(self) -> list[str | None]:
        """The sessions the panes show, in the panes' order: the current one's, then the
        grid's."""
        return [self.current] + ([v.key for v in self._grid_views()] if self.grid else [])

    def _grid_views(self) -> list[SessionView]:
        return [v for v in self.views if v.key != self.current][: GRID_MAX - 1]

    def _layout_grid(self) -> None:
        container = self.query_one("#terminals")
        container.set_class(self.grid, "-grid")
        for pane in list(self.query(TerminalPane)):
            if pane.id != "pane-main":
                pane.remove()
        main = self.query_one("#pane-main", TerminalPane)
        current = self.view(self.current)
        main.attach(current.source if current else None)
        if self.grid:
            container.mount_all(
                TerminalPane(v.source, direct_draw=self.settings.direct_draw)
                for v in self._grid_views()
            )
        self._mark_visible()
        main.focus()
        self._refresh_list()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures become visible to the user."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.say(f"{event.worker.name}: {event.worker.error}", "error", toast=True)
            self.sync_views()

    def say(self, text: str, severity: str = "information", *, toast: bool = False) -> None:
        """Tell the user ``text`` on the status line (kept whole for prefix ``i``); with
        ``toast`` also as a notification, for what must not be missed."""
        stamp = time.strftime("%H:%M:%S", time.localtime(self._wall_clock()))
        self.query_one(StatusLine).say(text, severity, stamp)
        if toast:
            self.notify(text, severity=severity)  # type: ignore[arg-type]
