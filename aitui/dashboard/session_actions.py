"""Keyboard actions on sessions: switch, create, rename, record, restart, kill, dismiss.

Each change is asked of the host in the ``sessions`` worker group; a failure (the host's error
says why) reaches the status line through ``DashboardBase.on_worker_state_changed``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import work

from aitui.core.activity import Activity
from aitui.core.hosting import NewSession
from aitui.core.profiles import ProfileError, load_profiles
from aitui.dashboard.base import DashboardBase
from aitui.dashboard.views import SessionView
from aitui.dashboard.widgets.dialogs import (
    ConfirmScreen,
    NewSessionRequest,
    NewSessionScreen,
    RenameScreen,
)


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
            if view.info.attention:
                self.show_session(view.key)
                return
        self.say("no session needs attention")

    def action_approve(self) -> None:
        self._answer_oldest("approve")

    def action_deny(self) -> None:
        self._answer_oldest("deny")

    def _answer_oldest(self, action: str) -> None:
        """Answer the agent that has waited longest for an approval, from wherever one is
        (the status bar names it), with its own keys."""
        asking = [v for v in self.views if v.info.activity is Activity.APPROVAL and v.info.running]
        if not asking:
            self.say("no agent waits for an approval")
            return
        view = min(asking, key=lambda v: v.info.since or 0.0)
        verb = "approved" if action == "approve" else "denied"
        self.say(f"{view.name}: {verb} {view.info.asked or 'its request'}")
        self.run_worker(
            self.host.answer(view.key, action),
            name=f"answering {view.name}",
            group="sessions",
            exit_on_error=False,
        )

    def action_new_session(self) -> None:
        try:
            profiles = load_profiles()
        except ProfileError as exc:
            self.say(f"agent profiles: {exc}", "warning")
            profiles = {}

        def created(request: NewSessionRequest | None) -> None:
            if request is not None:
                self.create_session(
                    NewSession(
                        name=request.name,
                        directory=request.directory,
                        command=request.command,
                        shell=self.settings.shell,
                        role=request.role,
                        agent=request.agent,  # or the profile of its command: the host's
                    )
                )

        taken = [v.name for v in self.views]
        self.push_screen(NewSessionScreen(Path.cwd(), tuple(profiles), taken), created)

    @work(group="sessions", exit_on_error=False, name="starting a session")
    async def create_session(self, request: NewSession) -> None:
        try:
            key = await self.host.create(request)
        finally:
            self.sync_views()
        self.show_session(key)

    def action_rename_session(self) -> None:
        view = self.view(self.current)
        if view is None:
            return
        key = view.key

        def renamed(name: str | None) -> None:
            if name:
                self.run_worker(
                    self.host.rename(key, name),
                    name="renaming",
                    group="sessions",
                    exit_on_error=False,
                )

        self.push_screen(RenameScreen(view.name, [v.name for v in self.views]), renamed)

    @work(group="sessions", exit_on_error=False, name="recording")
    async def action_toggle_recording(self) -> None:
        """Start recording the current session to the data dir, or stop and say where it is
        (``aitui replay FILE`` plays it back)."""
        view = self.view(self.current)
        if view is not None:
            self.say(await self.host.toggle_recording(view.key))

    def action_kill_session(self) -> None:
        """Kill the current session; a running one only once the user says yes."""
        view = self.view(self.current)
        if view is None:
            return
        key = view.key
        self._once_confirmed(
            view,
            f"Kill {view.name}?",
            lambda: self.run_worker(
                self.host.kill(key), name="killing", group="sessions", exit_on_error=False
            ),
        )

    def action_restart_session(self) -> None:
        """Run the current session's command again; a running one only once the user says yes
        (its program is ended first)."""
        view = self.view(self.current)
        if view is None:
            return
        key = view.key
        self._once_confirmed(view, f"Restart {view.name}?", lambda: self._restart(key))

    @work(group="sessions", exit_on_error=False, name="restarting")
    async def _restart(self, key: str) -> None:
        key = await self.host.restart(key)
        self.sync_views()
        self.show_session(key)

    def _once_confirmed(self, view: SessionView, question: str, act: Callable[[], object]) -> None:
        if not view.info.running:  # nothing runs that the action would end
            act()
            return
        words = view.info.command.split()
        program = Path(words[0]).name if words else "its program"  # bash, not its rc flags

        def answered(yes: bool | None) -> None:
            if yes:
                act()

        detail = f"{program} and everything it started will end."
        self.push_screen(ConfirmScreen(question, detail), answered)

    @work(group="sessions", exit_on_error=False, name="dismissing")
    async def action_dismiss_session(self) -> None:
        view = self.view(self.current)
        if view is None:
            return
        if view.info.running:
            self.say("only an exited session can be dismissed", "warning")
            return
        await self.host.dismiss(view.key)
        self.sync_views()
