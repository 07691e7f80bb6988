"""A session as the host keeps it (``Entry``) and as a list row shows it (``info_of``).

``SessionHost`` holds one ``Entry`` per session or recording: the item, its activity tracker,
the latest context figures and savings, whether it was restored from its record and not run
again. ``info_of`` turns one into the plain ``SessionInfo`` that crosses to dashboards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aitui.core.activity import Activity, ActivityTracker
from aitui.core.hosting import SessionInfo
from aitui.core.replay import ReplaySession
from aitui.core.session import AISession
from aitui.core.stats import ContextStats


@dataclass
class Entry:
    key: str
    item: AISession | ReplaySession
    tracker: ActivityTracker = field(default_factory=ActivityTracker)
    context: ContextStats | None = None
    savings: list[float] = field(default_factory=list)
    registered: bool = False  # an agent of the coordination
    stopped: bool = False  # restored from its record, not run again yet
    detail: str = ""
    unsubscribe: Callable[[], None] = lambda: None

    @property
    def session(self) -> AISession | None:
        return self.item if isinstance(self.item, AISession) else None


def info_of(entry: Entry, now: float) -> SessionInfo:
    """What a list row and the details screen show of ``entry`` at time ``now``."""
    state = entry.tracker.state
    entry.detail = describe(entry, now)
    session = entry.session
    if session is None:
        assert isinstance(entry.item, ReplaySession)
        return SessionInfo(
            key=entry.key,
            name=entry.item.name,
            role=entry.item.role,
            activity=state.activity,
            detail=entry.detail,
            exit_code=state.exit_code,
            attention=state.attention,
            running=False,
            command="a replayed recording",
            directory="",
            context=entry.context,
            savings=tuple(entry.savings),
            live=False,
        )
    launch = session.launch
    recording = session.recording
    active = recording is not None and recording.active
    return SessionInfo(
        key=entry.key,
        name=session.name,
        role=session.config.agent_role,
        activity=Activity.EXITED if entry.stopped else state.activity,
        detail=entry.detail,
        exit_code=session.exit_code if session.exit_code is not None else state.exit_code,
        attention=state.attention,
        running=session.is_running,
        command=" ".join(launch.argv) if launch else session.config.shell_command or "shell",
        directory=str(session.config.working_directory),
        error=session.error,
        recording=str(recording.path) if recording is not None and active else None,
        recording_error=recording.error if recording is not None else None,
        context=entry.context,
        savings=tuple(entry.savings),
        restorable=entry.stopped,
    )


def describe(entry: Entry, now: float) -> str:
    """The detail under a session's name: a fact, with its source."""
    if entry.stopped:
        return f"stopped: Enter, prefix R or `aitui restart {entry.item.name}` runs it again"
    state = entry.tracker.state
    activity = state.activity
    if activity is Activity.EXITED:
        return f"code {state.exit_code}"
    if activity is Activity.WAITING:
        return f"exit {state.exit_code}"
    if activity is Activity.ERROR and entry.session is not None:
        return entry.session.error or "failed"
    if activity is Activity.QUIET and state.last_output:
        return f"no output for {duration(now - state.last_output)}"
    return ""


def duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"
