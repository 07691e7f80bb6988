"""Activity states and attention reasons come only from observed events."""

from __future__ import annotations

import time

from aitui.core.activity import QUIET_AFTER_S, Activity, ActivityTracker
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


def test_an_exit_with_no_code_says_no_code() -> None:
    """A recording that ended (no exit code is recorded) said "exited (code None)"."""
    tracker = ActivityTracker()
    tracker.apply(SessionExited(SID, None))
    assert tracker.state.activity is Activity.EXITED
    assert tracker.state.attention == "exited"


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


def test_idle_means_the_prompt_came_back_after_the_last_input() -> None:
    """A prompt still shown from before the last input is not "idle": the command just sent
    has not started yet (the race ``aitui send`` then ``aitui wait --until idle`` meets)."""
    tracker = ActivityTracker()
    tracker.apply(PromptShown(SID))
    prompt = tracker.state.settled_at
    assert tracker.idle(last_output=prompt, last_input=None, now=prompt)
    assert tracker.idle(last_output=prompt, last_input=prompt - 1, now=prompt)
    typed = prompt + 0.5
    assert not tracker.idle(last_output=prompt, last_input=typed, now=typed + 1)
    tracker.apply(CommandStarted(SID))
    assert not tracker.idle(last_output=prompt, last_input=typed, now=typed + 60)  # silent
    tracker.apply(CommandFinished(SID, 0))
    finished = tracker.state.settled_at
    assert tracker.idle(last_output=finished, last_input=finished - 0.1, now=finished)


def test_idle_at_a_prompt_after_typing_without_enter_once_quiet() -> None:
    tracker = ActivityTracker()
    tracker.apply(PromptShown(SID))
    typed = tracker.state.settled_at + 1
    assert not tracker.idle(last_output=typed, last_input=typed, now=typed + QUIET_AFTER_S - 1)
    assert tracker.idle(last_output=typed, last_input=typed, now=typed + QUIET_AFTER_S)


def test_idle_without_integration_is_quiet_since_output_and_input() -> None:
    tracker = ActivityTracker()
    tracker.apply(OutputReceived(SID, b"thinking..."))
    out = tracker.state.last_output
    assert not tracker.idle(last_output=out, last_input=None, now=out + 1)
    assert tracker.idle(last_output=out, last_input=None, now=out + QUIET_AFTER_S)
    assert not tracker.idle(last_output=out, last_input=out + 3, now=out + QUIET_AFTER_S)
    tracker.apply(SessionExited(SID, 0))
    assert not tracker.idle(last_output=out, last_input=None, now=out + 60)


def test_a_turn_done_again_with_no_working_between_is_a_new_done() -> None:
    """Codex reports only a turn's end; a turn too quick for its screen to say "working"
    goes done -> done. The second is the answer to the prompt sent between them."""
    tracker = ActivityTracker()
    tracker.report(Activity.DONE, "hook")
    first = tracker.state.changed_at
    prompt_sent = first + 1e-6
    while time.monotonic() <= prompt_sent:
        pass
    assert not tracker.reached(frozenset({Activity.DONE}), prompt_sent)  # the old turn's
    assert tracker.report(Activity.DONE, "hook")  # what a row shows changed: its "for"
    assert tracker.reached(frozenset({Activity.DONE}), prompt_sent)
    assert tracker.state.changed_at > first
