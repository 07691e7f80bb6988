"""The bridge's handlers: messages from the host's events.

Host callbacks may fire at any moment (a PTY read, a task assignment, a frame from the
server): they only post messages (``aitui.dashboard.bridge``). The handlers run on the app's
message loop, update the views and push plain values down into the widgets. One that is handled
while the app shuts down (its widgets being removed, the host still sending) is dropped.
"""

from __future__ import annotations

from textual import on

from aitui.core.config import HistoryMode, SessionConfig
from aitui.dashboard.bridge import (
    CoordinationChanged,
    NoticePosted,
    ScreenChanged,
    ServerLost,
    SessionRowChanged,
    SessionsChanged,
)
from aitui.dashboard.needs_you import NeedsYou
from aitui.dashboard.widgets.agent_dialogs import MessageScreen
from aitui.dashboard.widgets.panels import MessagesPanel, TasksPanel
from aitui.dashboard.widgets.server_lost import ServerLostScreen
from aitui.dashboard.widgets.session_list import SessionList
from aitui.dashboard.widgets.terminal_pane import TerminalPane


class EngineEvents(NeedsYou):
    @on(SessionsChanged)
    def _sessions_changed(self) -> None:
        """Follow the host: show sessions others created, drop the ones they removed."""
        if not self.is_running:
            return
        self.sync_views()
        self.notifier.forget(v.key for v in self.views)
        for view in self.views:
            self.notifier.seen(view.info, foreground=view.key == self.current)
        self.refresh_waiting()

    @on(SessionRowChanged)
    def _row_changed(self, message: SessionRowChanged) -> None:
        if self.is_running and self.update_view(message.key):
            self._refresh_list()
            self._refresh_panels()  # the compression panel sums every session
            view = self.view(message.key)
            if view is not None:
                self.note_row(view.info)

    @on(CoordinationChanged)
    def _coordination_changed(self) -> None:
        if not self.is_running:
            return
        self.query_one(MessagesPanel).show(self.host.message_rows())
        self.query_one(TasksPanel).show(self.host.task_rows())

    @on(NoticePosted)
    def _notice(self, message: NoticePosted) -> None:
        if self.is_running:
            self.say(message.text, message.severity, toast=message.severity == "error")

    @on(ServerLost)
    def _server_lost(self, message: ServerLost) -> None:
        """Say so, and offer to start it again (the sessions it kept come back as stopped)."""
        if not self.is_running:
            return
        self.say(f"the aitui server is gone: {message.reason}", "error")
        if self._reconnect is None:
            return

        async def chosen(start: bool | None) -> None:
            if not start or self._reconnect is None:
                self.exit(return_code=1, message="the aitui server is gone")
                return
            try:
                host = await self._reconnect()
            except Exception as exc:
                self.push_screen(ServerLostScreen(f"could not start it: {exc}"), chosen)
                return
            lost = self.host
            self.replace_host(host)
            await lost.close()
            self.say("re-attached to a new aitui server")
            if not host.sessions():
                self.create_on_host(
                    SessionConfig(
                        name="shell-1", shell=self.settings.shell, history=HistoryMode.SHELL
                    )
                )

        self.push_screen(ServerLostScreen(message.reason), chosen)

    @on(MessagesPanel.Opened)
    def _open_message(self, message: MessagesPanel.Opened) -> None:
        self.push_screen(MessageScreen(message.row))

    @on(ScreenChanged)
    def _screen_changed(self, message: ScreenChanged) -> None:
        view = self.view(message.key)
        if view is None or not self.is_running:
            return
        for pane in TerminalPane.showing(view.source):
            pane.screen_changed()

    @on(TerminalPane.InputRefused)
    def _input_refused(self, message: TerminalPane.InputRefused) -> None:
        """Keys typed into a session whose program has exited: say so, and what to do."""
        view = next((v for v in self.views if v.source is message.source), None)
        if view is not None and view.info.restorable and b"\r" in message.data:
            self._run_again(view.key)  # what its "stopped: Enter ... runs it again" promises
            return
        if not message.first:
            return  # reported at the streak's first key
        running = view is not None and view.info.running
        hint = "" if running else " — prefix R restarts it, prefix X dismisses it"
        self.say(f"{message.source.name}: keys not sent: {message.reason}{hint}", "warning")

    @on(SessionList.Chosen)
    def _chosen(self, message: SessionList.Chosen) -> None:
        self.show_session(message.key)
        view = self.view(message.key)
        if view is None or not view.info.restorable:
            return
        if message.by_click:
            self.say(f"{view.name} is stopped: Enter or a double click runs it again")
        else:  # listed from its record: run it again
            self._run_again(message.key)

    def _run_again(self, key: str) -> None:
        self.run_worker(
            self.host.restart(key),
            name="restarting",
            group="sessions",
            exit_on_error=False,
        )
