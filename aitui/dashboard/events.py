"""The bridge's handlers: messages from engine, coordination and manager events.

Engine callbacks may fire at any moment (a PTY read, a task assignment): they only post
messages (``aitui.dashboard.bridge``). The handlers run on the app's message loop, update the
views and push plain values down into the widgets.
"""

from __future__ import annotations

from textual import on

from aitui.core.stats import ContextStats
from aitui.dashboard.base import DashboardBase
from aitui.dashboard.bridge import (
    ActivityChanged,
    ContextChanged,
    CoordinationChanged,
    ProgramExited,
    ScreenChanged,
    SessionsChanged,
)
from aitui.dashboard.widgets.agent_dialogs import (
    MessageScreen,
)
from aitui.dashboard.widgets.panels import (
    MessagesPanel,
    TasksPanel,
)
from aitui.dashboard.widgets.session_list import SessionList
from aitui.dashboard.widgets.terminal_pane import TerminalPane


class EngineEvents(DashboardBase):
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
        if self.quitting:
            return
        self.query_one(MessagesPanel).show(self.coordination.message_rows())
        self.query_one(TasksPanel).show(self.coordination.task_rows())

    @on(MessagesPanel.Opened)
    def _open_message(self, message: MessagesPanel.Opened) -> None:
        self.push_screen(MessageScreen(message.row))

    @on(ScreenChanged)
    def _screen_changed(self, message: ScreenChanged) -> None:
        view = self.view(message.key)
        if view is None:
            return
        if view.note_output():
            self._refresh_list()
        for pane in self.query(TerminalPane):
            if pane.source is view.source:
                pane.screen_changed()

    @on(ActivityChanged)
    def _activity_changed(self, message: ActivityChanged) -> None:
        self._refresh_list()

    def _tick(self) -> None:
        """Once a second: output that came without a screen update (a flood nobody watches is
        parsed only once it slows down), and sessions gone quiet."""
        now = self._clock()
        changed = False
        for view in self.views:
            changed |= view.note_output()
            changed |= view.tracker.tick(now)
        if changed:
            self._refresh_list()

    @on(ProgramExited)
    def _program_exited(self, message: ProgramExited) -> None:
        view = self.view(message.key)
        if view is not None and view.session is not None and not self.quitting:
            session = view.session
            self.run_worker(
                self.coordination.session_exited(session),
                name="release-tasks",
                group="coordination",
                exit_on_error=False,
            )

    @on(TerminalPane.InputRefused)
    def _input_refused(self, message: TerminalPane.InputRefused) -> None:
        """Keys typed into a session whose program has exited: say so, and what to do."""
        view = next((v for v in self.views if v.source is message.source), None)
        running = view is not None and view.session is not None and view.session.is_running
        hint = "" if running else " — prefix R restarts it, prefix d dismisses it"
        self.say(f"{message.source.name}: keys not sent: {message.reason}{hint}", "warning")

    @on(SessionList.Chosen)
    def _chosen(self, message: SessionList.Chosen) -> None:
        self.show_session(message.key)
