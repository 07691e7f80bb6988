"""Activity states and attention reasons come only from observed events."""

from __future__ import annotations

from aitui.core.activity import Activity, ActivityTracker
from aitui.core.events import (
    BellRang,
    CommandFinished,
    CommandStarted,
    OutputReceived,
    PromptShown,
    SessionExited,
)
from aitui.core.types import SessionId

SID = SessionId.new()


def test_shell_integration_states_and_attention_out_of_view() -> None:
    tracker = ActivityTracker()
    tracker.apply(PromptShown(SID))
    assert tracker.state.activity is Activity.IDLE
    tracker.apply(CommandStarted(SID))
    assert tracker.state.activity is Activity.RUNNING
    assert tracker.apply(CommandFinished(SID, 2))
    tracker.apply(PromptShown(SID))
    assert tracker.state.activity is Activity.WAITING
    assert tracker.state.exit_code == 2
    assert tracker.state.attention == "command finished (exit 2)"
    tracker.see(True)
    assert tracker.state.attention is None


def test_no_attention_while_in_view() -> None:
    tracker = ActivityTracker()
    tracker.see(True)
    tracker.apply(CommandStarted(SID))
    tracker.apply(CommandFinished(SID, 0))
    tracker.apply(BellRang(SID))
    assert tracker.state.attention is None


def test_bell_and_exit() -> None:
    tracker = ActivityTracker()
    tracker.apply(BellRang(SID))
    assert tracker.state.attention == "bell"
    tracker.apply(SessionExited(SID, 3))
    assert tracker.state.activity is Activity.EXITED
    assert tracker.state.attention == "exited (code 3)"


def test_programs_without_integration_are_never_called_waiting() -> None:
    tracker = ActivityTracker()
    tracker.apply(OutputReceived(SID, b"thinking..."))
    assert tracker.state.activity is Activity.ACTIVE
    start = tracker.state.last_output
    assert not tracker.tick(start + 1.0)
    assert tracker.tick(start + 6.0)
    assert tracker.state.activity is Activity.QUIET
    assert tracker.state.attention is None
    # A finish without a start (no integration) is not evidence of anything.
    tracker.apply(CommandFinished(SID, 0))
    assert tracker.state.activity is Activity.QUIET


def test_output_seen_by_time_rather_than_by_event() -> None:
    """The dashboard reads the session's ``last_output_at`` (no event per PTY read)."""
    tracker = ActivityTracker()
    assert not tracker.output_seen_at(None)  # nothing came yet
    assert tracker.output_seen_at(100.0)
    assert tracker.state.activity is Activity.ACTIVE
    assert not tracker.output_seen_at(100.0)  # the same output again changes nothing
    assert tracker.tick(106.0) and tracker.state.activity is Activity.QUIET
    assert not tracker.output_seen_at(99.0)  # older than what was seen: ignored
    assert tracker.state.activity is Activity.QUIET
    assert tracker.output_seen_at(107.0)
    assert tracker.state.activity is Activity.ACTIVE
