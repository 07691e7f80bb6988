"""The one place engine events become Textual messages.

Engine callbacks run on the event loop; each is turned into a small message posted to the app.
Screen updates carry only the session key and replace an unprocessed one for the same session
(``can_replace``), so a flooding session produces at most one pending redraw, never a backlog.
"""

from __future__ import annotations

from textual.message import Message


class ScreenChanged(Message):
    """A session's screen has new content."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ScreenChanged) and message.key == self.key


class ActivityChanged(Message):
    """Something a session-list row shows changed (status, attention, exit code)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ActivityChanged) and message.key == self.key


class ProgramExited(Message):
    """A live session's program has exited (its tasks must go to someone else)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class SessionsChanged(Message):
    """Sessions were added to or removed from the manager (e.g. through the HTTP API)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SessionsChanged)


class CoordinationChanged(Message):
    """Messages or tasks changed; the panels re-read the coordinator's state (coalesced)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CoordinationChanged)


class ContextChanged(Message):
    """A session's AI-context figures changed (``stats`` is a ``ContextStats``)."""

    def __init__(self, key: str, stats: object) -> None:
        super().__init__()
        self.key = key
        self.stats = stats

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ContextChanged) and message.key == self.key
