"""Desktop notifications when a session comes to need the user, and "who waits" for the
status bar.

A notification goes out when a session enters one of the configured states
(``Settings.notifications``) while it is not the session being typed into: through the outer
terminal, as OSC 9 (iTerm2, kitty, WezTerm, Windows Terminal, foot) and OSC 777 (rxvt-unicode,
foot, Ghostty: ``notify;title;body``), written to the terminal the dashboard runs in; and through
``notify-send`` where it is installed. The text comes partly from the agent (what it asks
approval for), so every control character is removed before it reaches the terminal: a hostile
payload cannot end the sequence early and inject its own.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterable

from aitui.core.activity import NEEDS_YOU, Activity
from aitui.core.durations import duration
from aitui.core.hosting import SessionInfo
from aitui.core.settings import Notifications

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Longest notification body (terminals cut theirs anyway).
BODY_LIMIT = 200

WHY = {
    Activity.APPROVAL: "waits for approval",
    Activity.WAITING: "waits for input",
    Activity.DONE: "is done",
    Activity.ERROR: "failed",
    Activity.EXITED: "exited",
}


def clean(text: str) -> str:
    return _CONTROL.sub(" ", text)[:BODY_LIMIT]


def terminal_sequences(title: str, body: str) -> str:
    """The OSC 9 and OSC 777 notifications for ``title`` and ``body``, cleaned."""
    title, body = clean(title).replace(";", ","), clean(body)
    return f"\x1b]9;{title}: {body}\x07\x1b]777;notify;{title};{body.replace(';', ',')}\x07"


def message_of(info: SessionInfo) -> str:
    why = WHY.get(info.activity, info.activity.value)
    if info.activity is Activity.APPROVAL and info.asked:
        return f"{info.name} {why}: {info.asked}"
    if info.activity is Activity.EXITED and info.exit_code is not None:
        return f"{info.name} {why} (code {info.exit_code})"
    return f"{info.name} {why}"


class Notifier:
    """Decides when to notify; ``write`` puts text on the outer terminal, ``run`` starts a
    program without waiting for it (``notify-send``)."""

    def __init__(
        self,
        settings: Notifications,
        write: Callable[[str], None],
        run: Callable[[list[str]], None],
    ) -> None:
        self.settings = settings
        self._write = write
        self._run = run
        self._known: dict[str, Activity] = {}
        self._notify_send = shutil.which("notify-send") if settings.desktop else None

    def seen(self, info: SessionInfo, foreground: bool) -> bool:
        """A session's row, as it is now; returns whether a notification went out."""
        before = self._known.get(info.key)
        self._known[info.key] = info.activity
        if before is None or before is info.activity or foreground:
            return False  # first sight (attaching is not news), no change, or in front
        if info.activity.value not in self.settings.states or not info.live:
            return False
        text = message_of(info)
        if self.settings.terminal:
            self._write(terminal_sequences("aitui", text))
        if self._notify_send is not None:
            self._run([self._notify_send, "--app-name=aitui", "aitui", clean(text)])
        return True

    def forget(self, keys: Iterable[str]) -> None:
        for key in list(self._known):
            if key not in keys:
                del self._known[key]


def who_waits(infos: Iterable[SessionInfo], now: float | None = None) -> str:
    """``"needs you: cc approval 2m · codex done 10s"``: who needs the user, longest first
    ("waiting:" read "waiting: build waiting 7s" for a shell whose command had finished)."""
    now = time.time() if now is None else now
    waiting = sorted(
        (i for i in infos if i.activity in NEEDS_YOU and i.live and i.running),
        key=lambda i: i.since or now,
    )
    if not waiting:
        return ""
    parts = [
        f"{i.name} {i.activity.value} {duration(max(0.0, now - (i.since or now)))}" for i in waiting
    ]
    return "needs you: " + " · ".join(parts)
