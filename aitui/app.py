"""The dashboard: sessions on the left, terminals in the middle, AI panels on the right.

Data flows one way: engine events reach ``_on_engine_event`` (the bridge), become messages
(``aitui.bridge``), and handlers push plain values down into widgets. Widgets never reach into
the engine. Long operations (starting, stopping sessions) run in named workers whose failures
surface in one handler as error toasts.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from aitui.alt_keys import restore_alt_digits
from aitui.bridge import (
    ActivityChanged,
    ContextChanged,
    CoordinationChanged,
    ScreenChanged,
    SessionsChanged,
)
from aitui.coordination import Coordination
from aitui.core.config import SessionConfig
from aitui.core.events import ScreenUpdated, SessionEvent
from aitui.core.manager import SessionManager
from aitui.core.session import AISession
from aitui.core.stats import ContextStats, ContextStatsChanged
from aitui.settings import Settings
from aitui.theming import DEFAULT_THEME, load_themes
from aitui.views import SessionView, rows
from aitui.widgets.agent_dialogs import (
    BroadcastRequest,
    BroadcastScreen,
    MessageScreen,
    TaskRequest,
    TaskScreen,
)
from aitui.widgets.commands import SessionCommands
from aitui.widgets.dialogs import NewSessionRequest, NewSessionScreen, RenameScreen, SearchScreen
from aitui.widgets.panels import (
    CompressionFigures,
    CompressionPanel,
    ContextFigures,
    ContextPanel,
    MessagesPanel,
    TasksPanel,
)
from aitui.widgets.prefix import PrefixScreen
from aitui.widgets.session_list import SessionList
from aitui.widgets.source import PaneSource
from aitui.widgets.terminal_pane import TerminalPane

GRID_MAX = 4


class AituiApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "aitui"
    COMMANDS = App.COMMANDS | {SessionCommands}
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

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        problems: Sequence[str] = (),
        sessions: Sequence[SessionConfig | PaneSource] = (),
        manager: SessionManager | None = None,
        clock: Callable[[], float] = time.monotonic,
        save_settings: Callable[[Settings], object] | None = None,
        coordination: Coordination | None = None,
        background: Sequence[Callable[[], Awaitable[object]]] = (),
        serve_port: int | None = None,
    ) -> None:
        restore_alt_digits()
        super().__init__()
        self.settings = settings or Settings()
        self.manager = manager or SessionManager()
        self._problems = list(problems)
        self._initial = list(sessions)
        self._clock = clock
        self._save_settings = save_settings
        self.views: list[SessionView] = []
        self.current: str | None = None
        self.grid = False
        self._savings: list[float] = []  # output savings % of each command, oldest first
        self.coordination = coordination or Coordination()
        self._background = list(background)
        self._serve_port = serve_port
        self._server: object | None = None  # the embedded uvicorn server, once listening
        self._last_search = ""
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

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield SessionList(id="sessions")
            with Vertical(id="terminals"):
                yield TerminalPane(id="pane-main")
            with Vertical(id="panels", classes="" if self.settings.show_panels else "-hidden"):
                yield ContextPanel()
                yield CompressionPanel()
                yield MessagesPanel()
                yield TasksPanel()
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.set_keymap({k: v for k, v in self.settings.keys.items()})
        for problem in self._problems:
            self.notify(problem, title="configuration", severity="warning", timeout=10)
        for item in self._initial:
            if isinstance(item, SessionConfig):
                self.open_session(item, show=False)
            else:
                self.add_source(item)
        self._refresh_list()
        self.coordination.coordinator.subscribe(self._on_coordination_event)
        self.manager.subscribe(self._on_manager_event)
        if self._serve_port is not None:
            self.run_worker(self._serve_api(self._serve_port), name="http-api", group="server")
        self.set_interval(1.0, self._tick, name="activity-clock")
        for index, job in enumerate(self._background):
            self.run_worker(job(), name=f"background-{index}", group="background")

    def watch_theme(self, theme: str) -> None:
        if self._save_settings is not None and theme != self.settings.theme:
            self.settings.theme = theme
            self._save_settings(self.settings)

    def on_resize(self) -> None:
        width = self.size.width
        self.screen.set_class(width < 110, "-narrow")
        self.screen.set_class(width < 70, "-very-narrow")

    # -- sessions -----------------------------------------------------------------------------
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
            view.unsubscribe = subscribe(lambda e, k=key: self._on_engine_event(k, e))
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
            self.coordination.add_session(session)
        finally:
            self._refresh_list()

    def _on_engine_event(self, key: str, event: SessionEvent) -> None:
        """The bridge: engine events in, messages out (see ``aitui.bridge``)."""
        if isinstance(event, ScreenUpdated):
            self.post_message(ScreenChanged(key))
            return
        view = self.view(key)
        if view is not None and view.tracker.apply(event):
            self.post_message(ActivityChanged(key))

    def _on_context_event(self, key: str, event: ContextStatsChanged) -> None:
        self.post_message(ContextChanged(key, event.stats))

    @on(ContextChanged)
    def _context_changed(self, message: ContextChanged) -> None:
        view = self.view(message.key)
        if view is None or not isinstance(message.stats, ContextStats):
            return
        previous = view.context
        view.context = message.stats
        new = message.stats
        if previous is None or new.commands_seen > previous.commands_seen:
            raw = new.raw_output_tokens - (previous.raw_output_tokens if previous else 0)
            kept = new.compressed_output_tokens - (
                previous.compressed_output_tokens if previous else 0
            )
            if new.commands_seen and raw > 0:
                self._savings.append(100.0 * (1 - kept / raw))
        self._refresh_panels()

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

    async def _serve_api(self, port: int) -> None:
        """The HTTP API in this process: sessions an orchestrator drives are the ones shown."""
        import os

        from aitui.server import create_app, serve

        api = create_app(
            self.manager,
            token=os.environ.get("AITUI_TOKEN") or None,
            coordinator=self.coordination.coordinator,
            distributor=self.coordination.distributor,
        )
        self.notify(f"HTTP API on http://127.0.0.1:{port}", timeout=4)
        await serve(
            api,
            "127.0.0.1",
            port,
            embedded=True,
            server_ready=lambda s: setattr(self, "_server", s),
        )

    def _on_manager_event(self, event: object) -> None:
        self.post_message(SessionsChanged())

    @on(SessionsChanged)
    def _sessions_changed(self) -> None:
        """Follow the manager: show sessions others created, drop the ones they removed."""
        live = {str(s.id): s for s in self.manager.sessions()}
        for key, session in live.items():
            if self.view(key) is None:
                self.add_source(session, session)
        for view in [v for v in self.views if v.session is not None and v.key not in live]:
            if view.session is not None and view.session.is_running:
                continue  # being restarted by us
            view.unsubscribe()
            self.views.remove(view)
            if self.current == view.key:
                self.current = None
                if self.views:
                    self.show_session(self.views[0].key)
        self._refresh_list()

    def _on_coordination_event(self, event: object) -> None:
        """Bridge: any coordination event -> one coalesced panel refresh."""
        self.post_message(CoordinationChanged())

    @on(CoordinationChanged)
    def _coordination_changed(self) -> None:
        self.query_one(MessagesPanel).show(self.coordination.message_rows())
        self.query_one(TasksPanel).show(self.coordination.task_rows())

    @on(MessagesPanel.Opened)
    def _open_message(self, message: MessagesPanel.Opened) -> None:
        self.push_screen(MessageScreen(message.row))

    def action_search_history(self) -> None:
        pane = self.query_one("#pane-main", TerminalPane)

        def searched(query: str | None) -> None:
            if not query:
                return
            self._last_search = query
            regex = query.startswith("re:")
            try:
                found = pane.search_history(query[3:] if regex else query, regex=regex)
            except re.error as exc:
                self.notify(f"bad regular expression: {exc}", severity="error")
                return
            if not found:
                self.notify(f"not found in the history: {query}")
            pane.focus()

        self.push_screen(SearchScreen(self._last_search), searched)

    def action_submit_task(self) -> None:
        async def submitted(request: TaskRequest | None) -> None:
            if request is not None:
                await self.coordination.submit(
                    request.description, request.requirements, request.priority
                )

        self.push_screen(TaskScreen(), submitted)

    def action_broadcast(self) -> None:
        async def written(request: BroadcastRequest | None) -> None:
            if request is not None:
                count = await self.coordination.broadcast(request.text, request.priority)
                self.notify(f"broadcast to {count} agent(s)")

        self.push_screen(BroadcastScreen(), written)

    @on(ScreenChanged)
    def _screen_changed(self, message: ScreenChanged) -> None:
        view = self.view(message.key)
        if view is None:
            return
        for pane in self.query(TerminalPane):
            if pane.source is view.source:
                pane.screen_changed()

    @on(ActivityChanged)
    def _activity_changed(self, message: ActivityChanged) -> None:
        self._refresh_list()

    def _tick(self) -> None:
        now = self._clock()
        if any(view.tracker.tick(now) for view in self.views):
            self._refresh_list()

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

    def _grid_views(self) -> list[SessionView]:
        return [v for v in self.views if v.key != self.current][: GRID_MAX - 1]

    @on(SessionList.Chosen)
    def _chosen(self, message: SessionList.Chosen) -> None:
        self.show_session(message.key)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures become visible to the user."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(str(event.worker.error), title=event.worker.name, severity="error")
            self._refresh_list()

    # -- actions ------------------------------------------------------------------------------
    def action_goto(self, number: int) -> None:
        if 0 < number <= len(self.views):
            self.show_session(self.views[number - 1].key)

    def _step(self, delta: int) -> None:
        if not self.views:
            return
        keys = [v.key for v in self.views]
        index = keys.index(self.current) if self.current in keys else 0
        self.show_session(keys[(index + delta) % len(keys)])

    def action_next_session(self) -> None:
        self._step(1)

    def action_previous_session(self) -> None:
        self._step(-1)

    def action_next_attention(self) -> None:
        keys = [v.key for v in self.views]
        start = keys.index(self.current) if self.current in keys else -1
        for offset in range(1, len(keys) + 1):
            view = self.views[(start + offset) % len(keys)]
            if view.tracker.state.attention:
                self.show_session(view.key)
                return
        self.notify("no session needs attention")

    def action_focus_list(self) -> None:
        self.query_one(SessionList).focus()

    def action_toggle_panels(self) -> None:
        panels = self.query_one("#panels")
        panels.set_class(not panels.has_class("-hidden"), "-hidden")
        self.settings.show_panels = not panels.has_class("-hidden")

    def action_toggle_grid(self) -> None:
        self.grid = not self.grid
        self._layout_grid()

    def action_zoom(self) -> None:
        if self.grid:
            self.action_toggle_grid()

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

    def action_prefix(self) -> None:
        def chosen(result: str | None) -> None:
            if result is None:
                return
            if result == "send-prefix":
                pane = self.query_one("#pane-main", TerminalPane)
                pane.send(b"\x1d")
            elif result.startswith("goto:"):
                self.action_goto(int(result[5:]))
            elif result == "command_palette":
                self.action_command_palette()  # explicit request: bypass check_action
            else:
                self.call_next(self.run_action, result)

        self.push_screen(PrefixScreen(self.settings.keys["prefix"]), chosen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Ctrl+P belongs to the program (shell history) while a terminal has focus; the
        # palette is then reached with the prefix key and "p".
        return not (action == "command_palette" and isinstance(self.focused, TerminalPane))

    def action_new_session(self) -> None:
        def created(request: NewSessionRequest | None) -> None:
            if request is not None:
                self.open_session(
                    SessionConfig(
                        name=request.name,
                        working_directory=request.directory,
                        shell_command=request.command,
                        agent_role=request.role,
                        enable_ai_features=True,
                    )
                )

        self.push_screen(NewSessionScreen(Path.cwd()), created)

    def action_rename_session(self) -> None:
        view = self.view(self.current)
        if view is None or view.session is None:
            return
        session = view.session

        def renamed(name: str | None) -> None:
            if not name:
                return
            if self.manager.get_session_by_name(name) not in (None, session):
                self.notify(f"a session named {name!r} already exists", severity="error")
                return
            session.config.name = name
            self._refresh_list()

        self.push_screen(RenameScreen(view.name), renamed)

    @work(group="sessions", exit_on_error=False)
    async def action_kill_session(self) -> None:
        view = self.view(self.current)
        if view is not None and view.session is not None:
            await view.session.stop()
            await self.coordination.remove_session(view.session)

    @work(group="sessions", exit_on_error=False)
    async def action_restart_session(self) -> None:
        view = self.view(self.current)
        if view is None or view.session is None:
            return
        old = view.session
        await self.coordination.remove_session(old)
        await self.manager.remove_session(old.id)
        view.unsubscribe()
        self.views.remove(view)
        self.current = None
        self.open_session(old.config)

    @work(group="sessions", exit_on_error=False)
    async def action_dismiss_session(self) -> None:
        view = self.view(self.current)
        if view is None or (view.session is not None and view.session.is_running):
            self.notify("only an exited session can be dismissed")
            return
        view.unsubscribe()
        if view.session is not None:
            await self.manager.remove_session(view.session.id)
        self.views.remove(view)
        self.current = None
        if self.views:
            self.show_session(self.views[0].key)
        else:
            self.query_one("#pane-main", TerminalPane).attach(None)
            self._refresh_list()

    async def action_quit(self) -> None:
        if self._server is not None:
            self._server.should_exit = True  # type: ignore[attr-defined]
        await self.manager.stop_all()
        self.exit()
