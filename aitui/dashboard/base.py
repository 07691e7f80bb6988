"""The dashboard's state and the few operations everything else is built from.

``DashboardBase`` holds the sessions shown (``views``), which one is current, and whether the
grid is on; it shows a session, lays out the grid and refreshes the list and the panels from
plain values. The mixins beside it (events, session and view actions) and
``aitui.dashboard.app`` build on it; only this module changes that state's shape.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from textual.app import App
from textual.worker import Worker, WorkerState

from aitui.core.config import SessionConfig
from aitui.core.events import ScreenUpdated, SessionEvent, SessionExited
from aitui.core.manager import SessionManager
from aitui.core.session import AISession
from aitui.core.settings import Settings
from aitui.core.stats import ContextStatsChanged
from aitui.dashboard import alt_keys
from aitui.dashboard.bridge import ActivityChanged, ContextChanged, ProgramExited, ScreenChanged
from aitui.dashboard.coordination import Coordination
from aitui.dashboard.theming import DEFAULT_THEME, load_themes
from aitui.dashboard.views import SessionView, rows
from aitui.dashboard.widgets.panels import (
    CompressionFigures,
    CompressionPanel,
    ContextFigures,
    ContextPanel,
)
from aitui.dashboard.widgets.session_list import SessionList
from aitui.dashboard.widgets.source import PaneSource
from aitui.dashboard.widgets.status_line import StatusLine
from aitui.dashboard.widgets.terminal_pane import TerminalPane

GRID_MAX = 4


class DashboardBase(App[None]):
    def __init__(
        self,
        *,
        settings: Settings | None = None,
        problems: Sequence[str] = (),
        sessions: Sequence[SessionConfig | PaneSource] = (),
        manager: SessionManager | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        save_settings: Callable[[Settings], object] | None = None,
        coordination: Coordination | None = None,
        coordination_store: Path | None = None,
        background: Sequence[Callable[[], Awaitable[object]]] = (),
        serve_port: int | None = None,
    ) -> None:
        alt_keys.install()
        super().__init__()
        self.settings = settings or Settings()
        self.manager = manager or SessionManager()
        self._problems = list(problems)
        self._initial = list(sessions)
        self._clock = clock
        #: Wall-clock time of what the status line says (frozen in snapshot tests).
        self._wall_clock = wall_clock
        self._save_settings = save_settings
        self.views: list[SessionView] = []
        self.current: str | None = None
        self.grid = False
        self._savings: list[float] = []  # output savings % of each command, oldest first
        self.coordination = coordination or Coordination()
        #: Where ``on_mount`` persists messages and tasks (``aitui`` passes the user data dir).
        self._coordination_store = coordination_store
        self._background = list(background)
        self._serve_port = serve_port
        self._server: object | None = None  # the embedded uvicorn server, once listening
        self._last_search = ""
        #: Set by quit: sessions are being stopped by us, not exiting on their own.
        self.quitting = False
        for theme in load_themes():
            self.register_theme(theme)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self._problems.append(f"unknown theme {self.settings.theme!r}; using {DEFAULT_THEME}")
            self.theme = DEFAULT_THEME

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """aitui's variables for themes that lack them (Textual's built-in themes)."""
        fallback = next((t for t in load_themes() if t.name == DEFAULT_THEME), None)
        return dict(fallback.variables) if fallback else {}

    def session_names(self) -> list[tuple[str, str]]:
        return [(view.key, view.name) for view in self.views]

    def view(self, key: str | None) -> SessionView | None:
        return next((v for v in self.views if v.key == key), None)

    def add_source(self, source: PaneSource, session: AISession | None = None) -> SessionView:
        source_id = getattr(source, "id", None)
        key = str(source_id) if source_id is not None else f"source-{len(self.views)}"
        view = SessionView(key=key, source=source, session=session)
        subscribe = getattr(source, "subscribe", None)
        if subscribe is not None:
            # Not OutputReceived (one per PTY read): output is seen through ``last_output_at``.
            view.unsubscribe = subscribe(lambda e, k=key: self._on_engine_event(k, e), output=False)
        context = getattr(source, "ai_context", None)
        if session is not None and session.config.enable_ai_features:
            context = session.get_ai_context()
        if context is not None:
            stop_events = view.unsubscribe
            stop_stats = context.subscribe(lambda e, k=key: self._on_context_event(k, e))
            view.unsubscribe = lambda: (stop_events(), stop_stats())[0]
        if session is None:  # a recording: an agent at once (live ones once started)
            self.coordination.add_agent(key, view.name, view.role, None)
        self.views.append(view)
        if self.current is None:
            self.show_session(key)
        else:
            self._refresh_list()
        return view

    def open_session(self, config: SessionConfig, show: bool = True) -> None:
        """Create and start a session for ``config`` in a worker (errors surface as a toast).

        ``show`` brings it into view; the first session is always shown.
        """
        self.run_worker(
            self._open_session(config, show),
            name=f"starting {config.name or 'a session'}",
            group="sessions",
            exit_on_error=False,
        )

    async def _open_session(self, config: SessionConfig, show: bool) -> None:
        if config.shell is None and self.settings.shell:
            config.shell = self.settings.shell
        config.scrollback_lines = self.settings.scrollback_lines
        session = await self.manager.create_session_with_config(config)
        view = self.add_source(session, session)
        if show:
            self.show_session(view.key)
        try:
            await session.start()
            await self.coordination.add_session(session)
        finally:
            self._refresh_list()

    def _refresh_panels(self) -> None:
        current = self.view(self.current)
        stats = current.context if current else None
        self.query_one(ContextPanel).show(
            ContextFigures(current.name, stats.tokens_in_context, stats.max_tokens)
            if current and stats
            else None
        )
        known = [v.context for v in self.views if v.context is not None]
        self.query_one(CompressionPanel).show(
            CompressionFigures(
                raw_tokens=sum(s.raw_output_tokens for s in known),
                compressed_tokens=sum(s.compressed_output_tokens for s in known),
                commands=sum(s.commands_seen for s in known),
                history=tuple(self._savings[-60:]),
            )
            if known
            else None
        )

    def _refresh_list(self) -> None:
        self.query_one(SessionList).show_rows(rows(self.views, self._clock()), self.current)

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
        """Sessions on screen (the current one, and the grid's) never get attention badges."""
        shown = [self.current] + ([v.key for v in self._grid_views()] if self.grid else [])
        for view in self.views:
            view.tracker.see(view.key in shown)
            if view.session is not None:
                view.session.set_foreground(view.key == self.current)
                view.session.set_visible(view.key in shown)

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
            container.mount_all(TerminalPane(v.source) for v in self._grid_views())
        self._mark_visible()
        main.focus()
        self._refresh_list()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures become visible to the user."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.say(f"{event.worker.name}: {event.worker.error}", "error", toast=True)
            self._refresh_list()

    def say(self, text: str, severity: str = "information", *, toast: bool = False) -> None:
        """Tell the user ``text`` on the status line (kept whole for prefix ``i``); with
        ``toast`` also as a notification, for what must not be missed."""
        stamp = time.strftime("%H:%M:%S", time.localtime(self._wall_clock()))
        self.query_one(StatusLine).say(text, severity, stamp)
        if toast:
            self.notify(text, severity=severity)  # type: ignore[arg-type]

    # -- the bridge's entry points (engine callbacks: post messages, nothing else) ---------
    def _on_engine_event(self, key: str, event: SessionEvent) -> None:
        """The bridge: engine events in, messages out (see ``aitui.dashboard.bridge``)."""
        if isinstance(event, ScreenUpdated):
            self.post_message(ScreenChanged(key))
            return
        if isinstance(event, SessionExited):
            self.post_message(ProgramExited(key))
        view = self.view(key)
        if view is not None and view.tracker.apply(event):
            self.post_message(ActivityChanged(key))

    def _on_context_event(self, key: str, event: ContextStatsChanged) -> None:
        self.post_message(ContextChanged(key, event.stats))
