"""A session as the host keeps it (``Entry``) and as a list row shows it (``info_of``).

``SessionHost`` holds one ``Entry`` per session or recording: the item, its activity tracker,
the latest context figures and savings, whether it was restored from its record and not run
again. ``info_of`` turns one into the plain ``SessionInfo`` that crosses to dashboards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aitui.core.activity import Activity, ActivityTracker
from aitui.core.durations import duration
from aitui.core.errors import SessionNotRunningError
from aitui.core.hosting import SessionInfo
from aitui.core.replay import ReplaySession
from aitui.core.session import AISession
from aitui.core.stats import ContextStats

if TYPE_CHECKING:
    from aitui.core.agent_watch import AgentWatch


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
    agent: AgentWatch | None = None  # started from an agent profile
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
    agent = entry.agent
    last = agent.decisions[-1] if agent is not None and agent.decisions else None
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
        source=state.source,
        asked=state.asked,
        since=state.since or None,
        agent=agent.profile.name if agent is not None else session.get_metadata("agent"),
        auto_accept=agent is not None and agent.auto_accept.enabled,
        decision=(
            f"{'approved' if last.approved else 'asked you'}: {last.subject or last.tool}"
            f" (risk {last.risk}; {last.reason})"
            if last is not None
            else None
        ),
    )


def how_to_run(name: str) -> str:
    """What runs a stopped session again, in the words of the list and the errors."""
    return f"Enter, prefix R or `aitui restart {name}` runs it again"


def require_not_stopped(entry: Entry) -> None:
    """``SessionNotRunningError`` for a stopped session, saying how to run it: the engine's
    own words for a session never started ("call start()") mean nothing to a person."""
    if entry.stopped:
        name = entry.item.name
        why = f"{name} is stopped (the server restarted)"
        raise SessionNotRunningError(f"{why}: {how_to_run(name)}")


def describe(entry: Entry, now: float) -> str:
    """The detail under a session's name: a fact, with its source."""
    if entry.stopped:
        return f"stopped: {how_to_run(entry.item.name)}"
    state = entry.tracker.state
    activity = state.activity
    if activity is Activity.EXITED:  # a recording that ended has no code: nothing to say
        return f"code {state.exit_code}" if state.exit_code is not None else ""
    if activity is Activity.WAITING and state.source == "shell":
        return f"exit {state.exit_code}"
    if activity is Activity.ERROR and entry.session is not None:
        return entry.session.error or "failed"
    if activity is Activity.QUIET and state.last_output:
        return f"no output for {duration(now - state.last_output)}"
    if activity is Activity.APPROVAL and state.asked:
        return state.asked
    if state.source in ("hook", "screen") and activity in (
        Activity.WAITING,
        Activity.WORKING,
        Activity.DONE,
    ):
        return f"from its {state.source}"
    return ""
