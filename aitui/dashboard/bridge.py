"""The one place the host's events become Textual messages.

A host (``aitui.core.hosting.Host``) calls back on the event loop, for sessions held in this
process or on a server; each event becomes a small message posted to the app. Screen updates
carry only the session key and replace an unprocessed one for the same session
(``can_replace``), so a flooding session produces at most one pending redraw, never a backlog.
"""

from __future__ import annotations

from textual.message import Message

from aitui.core import hosting


class ScreenChanged(Message):
    """A session's screen has new content."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ScreenChanged) and message.key == self.key


class SessionRowChanged(Message):
    """Something a session's row shows changed (status, attention, exit code, context)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SessionRowChanged) and message.key == self.key


class SessionsChanged(Message):
    """Sessions were added or removed (by this dashboard, another one, or the HTTP API)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SessionsChanged)


class CoordinationChanged(Message):
    """Messages or tasks changed; the panels re-read the host's rows (coalesced)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, CoordinationChanged)


class NoticePosted(Message):
    """The host has something to tell the user."""

    def __init__(self, text: str, severity: str) -> None:
        super().__init__()
        self.text = text
        self.severity = severity


class ServerLost(Message):
    """The server holding the sessions went away."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


def message_for(event: hosting.HostEvent) -> Message:
    """The message a host event becomes."""
    if isinstance(event, hosting.ScreenChanged):
        return ScreenChanged(event.key)
    if isinstance(event, hosting.SessionChanged):
        return SessionRowChanged(event.key)
    if isinstance(event, hosting.SessionsChanged):
        return SessionsChanged()
    if isinstance(event, hosting.CoordinationChanged):
        return CoordinationChanged()
    if isinstance(event, hosting.HostLost):
        return ServerLost(event.reason)
    return NoticePosted(event.text, event.severity)
