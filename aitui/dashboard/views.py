"""The dashboard's record of each session it shows: its source, activity and list row.

Plain Python (no widgets), so the app stays small and the row logic is testable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from aitui.core.activity import Activity, ActivityTracker
from aitui.core.session import AISession
from aitui.core.stats import ContextStats
from aitui.dashboard.widgets.session_list import SessionRow
from aitui.dashboard.widgets.source import PaneSource


@dataclass
class SessionView:
    key: str
    source: PaneSource
    session: AISession | None = None  # None for replayed recordings
    tracker: ActivityTracker = field(default_factory=ActivityTracker)
    unsubscribe: Callable[[], None] = lambda: None
    context: ContextStats | None = None  # the latest AI-context figures, when enabled

    @property
    def name(self) -> str:
        return self.source.name

    def note_output(self) -> bool:
        """Bring the tracker up to the source's last output; whether the list row changed."""
        return self.tracker.output_seen_at(getattr(self.source, "last_output_at", None))

    @property
    def role(self) -> str | None:
        if self.session is not None:
            return self.session.config.agent_role
        role = getattr(self.source, "role", None)
        return role if isinstance(role, str) else None

    @property
    def recording(self) -> bool:
        """Whether an asciicast recording of this session is being written."""
        recording = self.session.recording if self.session is not None else None
        return recording is not None and recording.active


def describe(view: SessionView, now: float) -> str:
    """The detail line under a session's name: a fact, with its source."""
    state = view.tracker.state
    activity = state.activity
    if activity is Activity.EXITED:
        return f"code {state.exit_code}"
    if activity is Activity.WAITING:
        return f"exit {state.exit_code}"
    if activity is Activity.ERROR and view.session is not None:
        return view.session.error or "failed"
    if activity is Activity.QUIET and state.last_output:
        return f"no output for {_duration(now - state.last_output)}"
    return ""


def facts(view: SessionView, now: float) -> list[tuple[str, str]]:
    """Everything the details screen says about a session, in full (the list shortens it)."""
    state = view.tracker.state
    found = [("status", " ".join(p for p in (state.activity.value, describe(view, now)) if p))]
    if state.attention:
        found.append(("needs you", state.attention))
    session = view.session
    if session is not None:
        launch = session.launch
        command = " ".join(launch.argv) if launch else session.config.shell_command or "shell"
        found += [("command", command), ("directory", str(session.config.working_directory))]
        if session.error:
            found.append(("error", session.error))
        if session.exit_code is not None:
            found.append(("exit code", str(session.exit_code)))
        recording = session.recording
        if recording is not None:
            found.append(
                (
                    "recording",
                    f"{recording.path}" + (f" ({recording.error})" if recording.error else ""),
                )
            )
    if view.role:
        found.append(("role", view.role))
    return found


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"


def rows(views: list[SessionView], now: float) -> list[SessionRow]:
    return [
        SessionRow(
            key=view.key,
            number=index + 1,
            name=view.name,
            role=view.role,
            activity=view.tracker.state.activity,
            detail=describe(view, now),
            attention=view.tracker.state.attention,
            recording=view.recording,
        )
        for index, view in enumerate(views)
    ]
