"""The frame budget: which frames of a shown session may go to a client, and when."""

from __future__ import annotations

from aitui.server.budget import (
    BACKGROUND_FRAME_RATE,
    CONTINUOUS_AFTER_S,
    CONTINUOUS_FRAME_RATE,
    FRAME_RATE,
    QUIET_S,
    FrameBudget,
)


def _budget(key: str = "ink") -> FrameBudget:
    budget = FrameBudget()
    budget.foreground = key
    return budget


def _redraw(budget: FrameBudget, key: str, start: float, seconds: float, fps: float) -> float:
    """The screen of ``key`` changes ``fps`` times a second from ``start``; returns the end."""
    frames = round(seconds * fps)
    for n in range(frames + 1):
        budget.changed(key, start + n / fps)
    return start + frames / fps


def test_the_first_change_goes_at_once() -> None:
    budget = _budget()
    budget.changed("ink", 100.0)
    assert budget.due("ink", 100.0) <= 100.0


def test_a_session_changing_now_and_then_gets_the_full_rate() -> None:
    budget = _budget()
    budget.changed("ink", 100.0)
    budget.sent("ink", 100.0)
    budget.changed("ink", 100.005)
    assert budget.due("ink", 100.005) == 100.0 + 1 / FRAME_RATE


def test_a_continuous_redraw_is_cut_to_the_continuous_rate() -> None:
    budget = _budget()
    end = _redraw(budget, "ink", 100.0, 0.5, 60)
    assert budget.continuous("ink", end)
    assert budget.rate("ink", end) == CONTINUOUS_FRAME_RATE


def test_a_redraw_shorter_than_the_threshold_is_not_continuous() -> None:
    budget = _budget()
    end = _redraw(budget, "ink", 100.0, CONTINUOUS_AFTER_S / 2, 60)
    assert not budget.continuous("ink", end)
    assert budget.rate("ink", end) == FRAME_RATE


def test_a_redraw_slower_than_the_quiet_gap_is_never_continuous() -> None:
    budget = _budget()
    fps = 1 / (QUIET_S * 1.5)  # a spinner ticking every 75 ms
    end = _redraw(budget, "ink", 100.0, 2.0, fps)
    assert not budget.continuous("ink", end)


def test_the_first_change_after_a_quiet_spell_goes_at_once() -> None:
    budget = _budget()
    end = _redraw(budget, "ink", 100.0, 1.0, 60)
    budget.sent("ink", end)
    later = end + QUIET_S * 2
    budget.changed("ink", later)
    assert not budget.continuous("ink", later)
    assert budget.due("ink", later) <= later


def test_keys_typed_lift_the_cut_for_the_echo() -> None:
    budget = _budget()
    end = _redraw(budget, "ink", 100.0, 1.0, 60)
    budget.typed("ink", end)
    assert budget.rate("ink", end + 0.01) == FRAME_RATE
    _redraw(budget, "ink", end, 0.5, 60)
    assert budget.rate("ink", end + 0.5) == CONTINUOUS_FRAME_RATE


def test_sessions_not_in_front_keep_the_background_rate() -> None:
    budget = _budget("other")
    budget.changed("ink", 100.0)
    assert budget.rate("ink", 100.0) == BACKGROUND_FRAME_RATE


def test_a_continuous_redraw_gets_its_whole_rate_when_the_loop_wakes_late() -> None:
    budget = _budget()
    now, sent = 100.0, 0
    _redraw(budget, "ink", now - 1.0, 1.0, 60)
    while now < 110.0:
        budget.changed("ink", now)
        if budget.due("ink", now) <= now:
            budget.sent("ink", now)
            sent += 1
        now += 0.001  # the loop looks every millisecond
    assert sent >= CONTINUOUS_FRAME_RATE * 10 - 1


def test_a_session_shown_again_starts_afresh() -> None:
    budget = _budget()
    end = _redraw(budget, "ink", 100.0, 1.0, 60)
    budget.sent("ink", end)
    budget.forget("ink")
    budget.changed("ink", end)
    assert budget.due("ink", end) <= end


def test_a_continuous_redraw_needs_its_screen_at_the_next_frame_only() -> None:
    """Between two frames of a pane cut to 30 a second, its screen need not be parsed."""
    budget = _budget()
    end = _redraw(budget, "ink", 100.0, 1.0, 60)
    budget.sent("ink", end)
    assert budget.needed("ink", end) == budget.due("ink", end) == end + 1 / CONTINUOUS_FRAME_RATE


def test_a_held_screen_is_needed_again_when_it_would_count_as_quiet() -> None:
    """A change after a gap longer than ``QUIET_S`` goes at once: the hold ends by then."""
    budget = _budget()
    end = _redraw(budget, "ink", 100.0, 1.0, 60)
    sent = end + QUIET_S * 0.9  # the last change waited for its frame
    budget.sent("ink", sent)
    assert budget.needed("ink", sent) == end + QUIET_S < budget.due("ink", sent)


def test_nothing_is_held_at_the_full_rate() -> None:
    budget = _budget()
    budget.changed("ink", 100.0)
    budget.sent("ink", 100.0)
    assert budget.needed("ink", 100.0) is None  # now and then: every change at once
    end = _redraw(budget, "ink", 100.0, 1.0, 60)
    budget.typed("ink", end)
    budget.sent("ink", end)
    assert budget.needed("ink", end) is None  # the echo of typing


def test_a_background_session_is_held_to_its_rate() -> None:
    budget = _budget("other")
    budget.changed("ink", 100.0)
    budget.sent("ink", 100.0)
    assert budget.needed("ink", 100.0) == 100.0 + 1 / BACKGROUND_FRAME_RATE
