"""What each session is doing and whether it needs the user, from engine events only.

Every state shown is a fact the engine observed: shell integration says a command is running or
that the shell is back at its prompt (with the command's exit code); the screen says the bell
rang; the process table says the program exited. An agent CLI started from a profile reports
its own state through its hooks (working, waiting for input, waiting for approval, done), and
its screen's patterns stand in where it has none (``aitui.core.agent_watch``); every such state
says where it came from (``source``). For other programs without shell integration (REPLs,
agents with neither) nothing claims they wait for input: they are "active" while output flows
and "quiet" after it stops, and the list says how long.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from aitui.core.events import (
    BellRang,
    CommandFinished,
    CommandStarted,
    OutputReceived,
    PromptShown,
    SessionEvent,
    SessionExited,
    StatusChanged,
)
from aitui.core.types import SessionStatus


class Activity(StrEnum):
    STARTING = "starting"
    IDLE = "idle"  # at the prompt, nothing run since it appeared
    RUNNING = "running"  # shell integration: a command is running
    WAITING = "waiting"  # shell integration: a command finished, the prompt waits for input
    ACTIVE = "active"  # no integration: output is flowing
    QUIET = "quiet"  # no integration: no output for a while
    EXITED = "exited"
    ERROR = "error"
    # Reported by an agent (its hooks, or its screen's patterns as a fallback):
    WORKING = "working"
    APPROVAL = "approval"  # waiting for the user to approve a tool call (``asked`` says which)
    DONE = "done"  # finished its turn: the next prompt is the user's


#: States in which the session waits on the user (the attention jump, notifications, the
#: status bar's "who waits").
NEEDS_YOU = frozenset({Activity.WAITING, Activity.APPROVAL, Activity.DONE})


#: No output for this long: a program without shell integration is "quiet".
QUIET_AFTER_S = 5.0


@dataclass
class ActivityState:
    activity: Activity = Activity.STARTING
    exit_code: int | None = None  # of the last command, or of the program once exited
    attention: str | None = None  # why the user is wanted, while the session is out of view
    last_output: float = 0.0  # time.monotonic() of the last output
    #: time.monotonic() of the last sign that the shell is at its prompt (a prompt shown or a
    #: command finished), so a wait can tell a prompt that came back from one still shown
    #: from before the last input.
    settled_at: float = 0.0
    #: Where the activity came from: "shell" (integration), "hook" (the agent's own report),
    #: "screen" (its profile's patterns), "output" (flowing or not), "process" (it exited).
    source: str | None = None
    asked: str | None = None  # what an agent waits for approval of ("Bash: rm -rf build")
    #: time.monotonic() and time.time() when the activity last changed (how long one waits,
    #: and whether a state came after the last input).
    changed_at: float = 0.0
    since: float = 0.0


class ActivityTracker:
    """Fold one session's events into an :class:`ActivityState`."""

    def __init__(self) -> None:
        self.state = ActivityState()
        self.in_view = False
        self._integrated = False

    def see(self, in_view: bool) -> None:
        """The session came into (or left) view; viewing it clears its attention badge."""
        self.in_view = in_view
        if in_view:
            self.state.attention = None

    def dismiss(self) -> None:
        self.state.attention = None

    def report(self, activity: Activity, source: str, asked: str | None = None) -> bool:
        """An agent says what it is doing (``source``: "hook" or "screen"); returns whether
        anything a list row shows changed. A state that wants the user badges the session
        while nobody looks at it."""
        state = self.state
        if state.activity in (Activity.EXITED, Activity.ERROR):
            return False  # an agent's hook may still fire on its way out
        before = (state.activity, state.source, state.asked, state.attention, state.changed_at)
        self._integrated = True  # its own reports, not output, say what it does from now on
        if activity is not state.activity:
            self._set(activity)
        elif activity is Activity.DONE:
            # Each report of it ends a turn of its own: a Codex turn too quick for its screen
            # to say "working" (its notify reports only the end) is done again, now, and a
            # ``wait --until done`` sent with its prompt is met by it.
            self._stamp()
        state.source = source
        state.asked = asked if activity is Activity.APPROVAL else None
        if activity in (Activity.WAITING, Activity.DONE):
            state.settled_at = time.monotonic()
        if activity is Activity.APPROVAL:
            self._want(f"approve {asked}" if asked else "approval asked")
        elif activity is Activity.WAITING:
            self._want("waiting for input")
        elif activity is Activity.DONE:
            self._want("done")
        elif state.attention in ("waiting for input", "done") or (state.attention or "").startswith(
            "approv"
        ):
            state.attention = None  # it works again: it no longer waits on the user
        return before != (
            state.activity,
            state.source,
            state.asked,
            state.attention,
            state.changed_at,
        )

    def _set(self, activity: Activity) -> None:
        self.state.activity = activity
        self._stamp()

    def _stamp(self) -> None:
        """The activity just changed: when, for waits (monotonic) and for people (wall)."""
        self.state.changed_at = time.monotonic()
        self.state.since = time.time()

    def output_seen_at(self, when: float | None) -> bool:
        """Output last came at ``when`` (``time.monotonic()``; the session's
        ``last_output_at``, read when its screen changes and once a second, rather than an
        event per PTY read); returns whether anything a list row shows changed."""
        state = self.state
        if when is None or when <= state.last_output:
            return False
        state.last_output = when
        if not self._integrated and state.activity in (Activity.STARTING, Activity.QUIET):
            self._set(Activity.ACTIVE)
            state.source = "output"
            return True
        return False

    def apply(self, event: SessionEvent) -> bool:
        """Update from ``event``; returns whether anything a list row shows changed."""
        if isinstance(event, OutputReceived):
            return self.output_seen_at(time.monotonic())
        state = self.state
        before = (state.activity, state.exit_code, state.attention)
        activity = state.activity
        self._apply(event)
        if state.activity is not activity:
            self._stamp()
        return before != (state.activity, state.exit_code, state.attention)

    def _apply(self, event: SessionEvent) -> None:
        state = self.state
        if isinstance(event, PromptShown | CommandFinished):
            state.settled_at = time.monotonic()
        if isinstance(event, PromptShown):
            self._integrated = True
            state.source = "shell"
            if state.activity is not Activity.WAITING:
                state.activity = Activity.IDLE
        elif isinstance(event, CommandStarted):
            self._integrated = True
            state.source = "shell"
            state.activity = Activity.RUNNING
            if state.attention and state.attention.startswith("command finished"):
                state.attention = None  # a new command runs: the shell no longer waits
        elif isinstance(event, CommandFinished):
            if state.activity is Activity.RUNNING:
                state.activity = Activity.WAITING
                state.exit_code = event.exit_code
                self._want(f"command finished (exit {event.exit_code})")
        elif isinstance(event, BellRang):
            self._want("bell")
        elif isinstance(event, SessionExited):
            state.activity = Activity.EXITED
            state.source = "process"
            state.asked = None
            state.exit_code = event.exit_code
            code = f" (code {event.exit_code})" if event.exit_code is not None else ""
            self._want(f"exited{code}")
        elif isinstance(event, StatusChanged) and event.new is SessionStatus.ERROR:
            state.activity = Activity.ERROR

    def idle(self, last_output: float | None, last_input: float | None, now: float) -> bool:
        """Whether the program is done with what it was last given: its shell's prompt came
        back after the last input (shell integration), or, at a prompt or without
        integration, neither output nor input for ``QUIET_AFTER_S``. A command running under
        integration is never idle, however silent; an exited program is not idle either.
        Times are ``time.monotonic()``; the session's own, since this tracker's see output
        only when someone watches."""
        state = self.state
        if state.activity in (
            Activity.RUNNING,
            Activity.EXITED,
            Activity.ERROR,
            Activity.WORKING,
            Activity.APPROVAL,
        ):
            return False
        if state.activity in (Activity.IDLE, Activity.WAITING, Activity.DONE) and (
            last_input is None or state.settled_at > last_input
        ):
            return True
        latest = max(last_output or 0.0, last_input or 0.0)
        return now - latest >= QUIET_AFTER_S

    def reached(self, wanted: frozenset[Activity], last_input: float | None) -> bool:
        """Whether the activity is one of ``wanted`` and came after the last input (a
        "done" left from the previous turn is not the answer to a prompt just sent)."""
        state = self.state
        return state.activity in wanted and (last_input is None or state.changed_at > last_input)

    def tick(self, now: float, quiet_after: float = QUIET_AFTER_S) -> bool:
        """Time passing: an un-integrated program with no recent output becomes quiet."""
        state = self.state
        if state.activity is Activity.ACTIVE and now - state.last_output >= quiet_after:
            self._set(Activity.QUIET)
            return True
        return False

    def acknowledge_input(self) -> None:
        """The user typed into the session: it is no longer waiting on them."""
        state = self.state
        if state.activity is Activity.WAITING and state.source == "shell":
            self._set(Activity.IDLE)
        elif state.activity is Activity.APPROVAL:
            # The user answered the prompt (or typed past it): the agent goes on.
            self._set(Activity.WORKING)
            state.source = "input"
            state.asked = None
        state.attention = None

    def _want(self, reason: str) -> None:
        if not self.in_view:
            self.state.attention = reason
