"""Command-palette provider: session actions and a fuzzy "go to session"."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from aitui.dashboard.app import AituiApp

ACTIONS = [
    ("New session", "new_session", "Start a shell or an agent command"),
    ("Rename session", "rename_session", "Rename the current session"),
    ("Record session", "toggle_recording", "Start or stop an asciicast recording of it"),
    ("Restart session", "restart_session", "Stop and start the current session again"),
    ("Kill session", "kill_session", "End the current session's processes"),
    ("Dismiss exited session", "dismiss_session", "Remove an exited session from the list"),
    ("Next session needing attention", "next_attention", "Jump to it"),
    ("Approve the oldest waiting approval", "approve", "With the agent's own keys"),
    ("Deny the oldest waiting approval", "deny", "With the agent's own keys"),
    ("Toggle grid view", "toggle_grid", "Several sessions at once"),
    ("Zoom session", "zoom", "Show only the current session"),
    ("Toggle side panels", "toggle_panels", "Context, compression, messages, tasks"),
    ("Submit a task", "submit_task", "Assigned to a capable session by priority and load"),
    ("Broadcast a message", "broadcast", "To every agent session"),
]


class SessionCommands(Provider):
    @property
    def _app(self) -> AituiApp:
        return cast("AituiApp", self.app)

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self._app
        commands: list[tuple[str, str, object]] = [
            (title, help_, partial(app.run_action, action)) for title, action, help_ in ACTIONS
        ]
        for key, name in app.session_names():
            commands.append(
                (f"Go to session: {name}", "Switch to it", partial(app.show_session, key))
            )
        return commands

    async def discover(self) -> Hits:
        for title, help_, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_)  # type: ignore[arg-type]
