"""Keyboard actions on sessions: switch, create, rename, record, restart, kill, dismiss.

Starting and stopping run in the ``sessions`` worker group; failures surface as toasts through
``DashboardBase.on_worker_state_changed``.
"""

from __future__ import annotations

from pathlib import Path

from textual import work

from aitui.core.config import HistoryMode, SessionConfig
from aitui.core.errors import SessionError
from aitui.core.recording import default_recording_path
from aitui.dashboard.base import DashboardBase
from aitui.dashboard.widgets.dialogs import NewSessionRequest, NewSessionScreen, RenameScreen
from aitui.dashboard.widgets.terminal_pane import TerminalPane


class SessionActions(DashboardBase):
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
        self.say("no session needs attention")

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
                        history=HistoryMode.SHELL,  # a person types here
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
                self.say(f"a session named {name!r} already exists", "error")
                return
            session.config.name = name
            self._refresh_list()

        self.push_screen(RenameScreen(view.name), renamed)

    @work(group="sessions", exit_on_error=False)
    async def action_toggle_recording(self) -> None:
        """Start recording the current session to the data dir, or stop and say where it is
        (``aitui replay FILE`` plays it back)."""
        view = self.view(self.current)
        if view is None or view.session is None:
            self.say("a replayed recording cannot be recorded", "warning")
            return
        session = view.session
        recording = session.recording
        if recording is not None and recording.active:
            await session.stop_recording()
            self._refresh_list()
            if recording.error is None:
                self.say(f"recording saved: {recording.path}")
            else:
                self.say(f"recording failed: {recording.error}", "error", toast=True)
            return
        if not session.is_running:
            self.say("the session has exited: nothing left to record", "warning")
            return
        try:
            recording = session.start_recording(default_recording_path(session.name))
        except SessionError as exc:
            self.say(str(exc), "error", toast=True)
            return
        self._refresh_list()
        self.say(f"recording to {recording.path} (prefix w stops)")

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
            self.say("only an exited session can be dismissed", "warning")
            return
        view.unsubscribe()
        if view.session is not None:
            await self.coordination.remove_session(view.session)
            await self.manager.remove_session(view.session.id)
        self.views.remove(view)
        self.current = None
        if self.views:
            self.show_session(self.views[0].key)
        else:
            self.query_one("#pane-main", TerminalPane).attach(None)
            self._refresh_list()
