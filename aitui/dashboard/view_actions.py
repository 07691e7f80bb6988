"""Keyboard actions on what is shown: grid and zoom, panels, the prefix key, history
search, and the coordination dialogs (submit a task, broadcast)."""

from __future__ import annotations

import re

from textual.command import CommandPalette

from aitui.core.errors import AituiError
from aitui.dashboard.base import DashboardBase
from aitui.dashboard.views import facts
from aitui.dashboard.widgets.agent_dialogs import (
    BroadcastRequest,
    BroadcastScreen,
    TaskRequest,
    TaskScreen,
)
from aitui.dashboard.widgets.details import DetailsScreen
from aitui.dashboard.widgets.dialog import Palette
from aitui.dashboard.widgets.dialogs import SearchScreen
from aitui.dashboard.widgets.prefix import PrefixScreen
from aitui.dashboard.widgets.session_list import SessionList
from aitui.dashboard.widgets.status_line import StatusLine
from aitui.dashboard.widgets.terminal_pane import TerminalPane


class ViewActions(DashboardBase):
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
        """Back to one session at its normal size: out of the grid, and out of a pane the
        palette's "Maximize" filled the screen with."""
        if self.screen.maximized is not None:
            self.screen.minimize()
        if self.grid:
            self.action_toggle_grid()

    def action_prefix(self) -> None:
        def chosen(result: str | None) -> None:
            if result is None:
                return
            if result == "send-prefix":
                pane = self.query_one("#pane-main", TerminalPane)
                pane.send(b"\x1d")
            elif result.startswith("goto:"):
                self.call_next(self.run_action, f"goto({int(result[5:])})")
            elif result == "command_palette":
                self.action_command_palette()  # explicit request: bypass check_action
            else:
                self.call_next(self.run_action, result)

        self.push_screen(PrefixScreen(self.bound_keys["prefix"]), chosen)

    def action_command_palette(self) -> None:
        """Textual's palette, as ``App.action_command_palette`` opens it, dismissed once."""
        if self.use_command_palette and not CommandPalette.is_open(self.app):
            self.push_screen(Palette(id="--command-palette"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Ctrl+P belongs to the program (shell history) while a terminal has focus; the
        # palette is then reached with the prefix key and "p".
        return not (action == "command_palette" and isinstance(self.focused, TerminalPane))

    def action_search_history(self) -> None:
        pane = self.query_one("#pane-main", TerminalPane)

        async def searched(query: str | None) -> None:
            if not query:
                return
            self._last_search = query
            regex = query.startswith("re:")
            try:
                found = await pane.search_history(query[3:] if regex else query, regex=regex)
            except (re.error, AituiError) as exc:
                self.say(f"bad regular expression: {exc}", "error")
                return
            if not found and pane.screen_shows(query[3:] if regex else query, regex=regex):
                self.say(f"only on the screen, not in the history above it: {query}")
            elif not found:
                self.say(f"not found in the history: {query}")
            pane.focus()

        self.push_screen(SearchScreen(self._last_search), searched)

    def action_details(self) -> None:
        """The current session's facts and what the status line said, in full."""
        view = self.view(self.current)
        said = list(self.query_one(StatusLine).history)
        title = view.name if view is not None else "aitui"
        found = facts(view.info) if view is not None else []
        self.push_screen(DetailsScreen(title, found, said))

    def action_submit_task(self) -> None:
        async def submitted(request: TaskRequest | None) -> None:
            if request is not None:
                await self.host.submit_task(
                    request.description, request.requirements, request.priority
                )

        self.push_screen(TaskScreen(), submitted)

    def action_broadcast(self) -> None:
        async def written(request: BroadcastRequest | None) -> None:
            if request is not None:
                count = await self.host.broadcast(request.text, request.priority)
                self.say(f"broadcast to {count} agent(s)")

        self.push_screen(BroadcastScreen(), written)
