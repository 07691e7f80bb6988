"""The screen catches up behind the reader in bounded slices, one pump chain at a time."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator

from aitui.core import screen_feed as sf
from aitui.core.screen_feed import ScreenFeeder


class Recorder:
    def __init__(self) -> None:
        self.fed: list[bytes] = []

    def feed(self, data: bytes) -> None:
        self.fed.append(data)


class SlowScreen(Recorder):
    """Parses at ~50 MB/s, about as fast as the real screen on plain text."""

    def feed(self, data: bytes) -> None:
        super().feed(data)
        until = time.perf_counter() + len(data) / 50e6
        while time.perf_counter() < until:
            pass


@contextlib.contextmanager
def pauses_between_slices(feeder: ScreenFeeder) -> Iterator[list[float]]:
    """The pauses the feeder schedules before its next slice, in order."""
    loop = asyncio.get_running_loop()
    pauses: list[float] = []
    original_call_later = loop.call_later

    def record(delay, callback, *args):  # type: ignore[no-untyped-def]
        if callback == feeder._pump:  # not asyncio.sleep's timers
            pauses.append(delay)
        return original_call_later(delay, callback, *args)

    loop.call_later = record  # type: ignore[method-assign]
    try:
        yield pauses
    finally:
        del loop.call_later  # back to the class's method


async def caught_up(feeder: ScreenFeeder, seconds: float = 10.0) -> None:
    for _ in range(int(seconds * 1000)):
        if not feeder.pending:
            return
        await asyncio.sleep(0.001)
    raise AssertionError(f"the screen did not catch up: {feeder.pending} bytes pending")


async def test_everything_is_fed_in_order_with_one_chain() -> None:
    screen = Recorder()
    updates = 0
    feeder: ScreenFeeder

    def updated() -> None:
        nonlocal updates
        updates += 1

    pushed = [bytes([65 + i % 26]) * 50_000 for i in range(40)]
    extra = list(pushed[20:])

    def drain() -> None:  # data arriving while the pump parses
        if extra:
            feeder.push(extra.pop(0))

    feeder = ScreenFeeder(screen, updated, drain=drain, slice_seconds=0.001)
    # Count pump runs scheduled but not yet run: more than one means parallel chains.
    loop = asyncio.get_running_loop()
    pending = 0
    most = 0
    original_pump = feeder._pump

    def counted_pump() -> None:
        nonlocal pending
        pending -= 1
        original_pump()

    def track(schedule):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            nonlocal pending, most
            if args and args[-1] is counted_pump:
                pending += 1
                most = max(most, pending)
            return schedule(*args, **kwargs)

        return wrapper

    feeder._pump = counted_pump  # type: ignore[method-assign]
    loop.call_soon = track(loop.call_soon)  # type: ignore[method-assign]
    loop.call_later = track(loop.call_later)  # type: ignore[method-assign]
    try:
        for chunk in pushed[:20]:
            feeder.push(chunk)
        for _ in range(10_000):
            if not feeder.pending and not extra:
                break
            await asyncio.sleep(0.001)
    finally:
        del loop.call_soon, loop.call_later  # back to the class's methods
    feeder.flush()
    assert b"".join(screen.fed) == b"".join(pushed)
    assert feeder.skipped_bytes == 0
    # Reported updated at least once; how many slices it took depends on the machine's speed
    # (an unwatched flood may be parsed in one go once it stops), so the count is not asserted.
    assert updates >= 1
    assert most == 1


async def test_a_flood_beyond_the_limit_is_skipped_and_counted() -> None:
    screen = Recorder()
    feeder = ScreenFeeder(screen, lambda: None, limit=1000)
    for i in range(30):
        feeder.push(f"line {i:03d}\n".encode() * 10)  # 90 bytes a push, 2,700 in all
    assert feeder.skipped_bytes > 0
    feeder.flush()
    fed = b"".join(screen.fed)
    assert len(fed) + feeder.skipped_bytes == 2700
    assert fed.startswith(b"line ")  # resumes at a line start
    assert fed.endswith(b"line 029\n")


async def test_a_producer_outrunning_the_screen_gets_the_loop_until_it_stops() -> None:
    """Flood mode, on display: while the backlog is past FLOOD_BACKLOG and data keeps arriving,
    the screen parses small pieces once per frame; when the program stops it catches up at full
    pace."""
    screen = SlowScreen()
    feeder = ScreenFeeder(screen, lambda: None, limit=16 << 20)  # no skip: pacing only
    feeder.watched = True  # on display: the pane shows the output moving
    with pauses_between_slices(feeder) as pauses:
        began = time.monotonic()
        feeder.push(b"y" * (sf.FLOOD_BACKLOG + 1))  # a burst the screen cannot parse at once
        for _ in range(100):  # and the program keeps writing, faster than the screen parses
            feeder.push(b"x" * 65536)
            await asyncio.sleep(0.001)
        flooded_for = time.monotonic() - began
        flood_pauses = list(pauses)
        fed_during_flood = list(screen.fed)
        backlog_when_it_stopped = feeder.pending
        await caught_up(feeder)
    assert sum(len(piece) for piece in screen.fed) == sf.FLOOD_BACKLOG + 1 + 100 * 65536
    assert feeder.skipped_bytes == 0
    # While flooded: one small piece a frame (the program waits while it is parsed); the
    # backlog grew.
    assert flood_pauses and set(flood_pauses) == {sf.FLOOD_BREATHER_SECONDS}
    assert fed_during_flood and {len(p) for p in fed_during_flood} == {sf.FLOOD_PIECE}
    assert len(fed_during_flood) <= len(flood_pauses) + 1
    assert len(fed_during_flood) <= 1 + flooded_for / sf.FLOOD_FRAME_SECONDS  # drawn ~10x/s
    assert backlog_when_it_stopped > sf.FLOOD_BACKLOG
    # Once nothing more arrived it caught up at the normal pace.
    assert pauses[len(flood_pauses) + 1 :]
    assert set(pauses[len(flood_pauses) + 1 :]) == {sf.BREATHER_SECONDS}


async def test_the_first_slice_of_a_flood_is_already_a_flood_slice() -> None:
    """A watched screen parses new output at once, but reads the PTY first: if a flood's worth
    came in meanwhile, the first slice is one small piece, not 2 ms of big ones while the
    program waits on a full PTY."""
    screen = SlowScreen()
    feeder: ScreenFeeder
    held = [b"f" * 65536] * 2  # what the PTY holds by the time the slice runs

    def drain() -> None:
        while held:
            feeder.push(held.pop())

    feeder = ScreenFeeder(screen, lambda: None, drain=drain, limit=16 << 20)
    feeder.watched = True
    feeder.push(b"s" * 4096)  # the first read of the flood
    await asyncio.sleep(0)  # the slice it scheduled at once
    assert [len(piece) for piece in screen.fed] == [sf.FLOOD_PIECE]
    await caught_up(feeder)


async def flood(feeder: ScreenFeeder, pushes: int = 100, size: int = 65536) -> int:
    """A program writing ``size`` bytes a millisecond, far faster than the screen parses;
    returns the bytes the screen was fed meanwhile."""
    fed_before = sum(len(piece) for piece in feeder.screen.fed)  # type: ignore[attr-defined]
    for _ in range(pushes):
        feeder.push(b"x" * size)
        await asyncio.sleep(0.001)
    return sum(len(piece) for piece in feeder.screen.fed) - fed_before  # type: ignore[attr-defined]


async def test_a_flood_nobody_watches_is_parsed_once_it_stops() -> None:
    """Unwatched (headless, or not on display): no slices at all while the flood pours in,
    only a look once a frame; then it catches up at the normal pace, losing nothing."""
    screen = SlowScreen()
    feeder = ScreenFeeder(screen, lambda: None, limit=16 << 20)
    assert not feeder.watched  # sessions start unseen
    with pauses_between_slices(feeder) as pauses:
        feeder.push(b"y" * (sf.FLOOD_BACKLOG + 1))
        fed_during_flood = await flood(feeder)
        flood_pauses = list(pauses)
        await caught_up(feeder)
    assert fed_during_flood == 0
    # The chain starts after a breather (not at once: nobody is looking), then looks once a frame.
    assert flood_pauses[0] == sf.BREATHER_SECONDS
    assert set(flood_pauses[1:]) == {sf.FLOOD_BREATHER_SECONDS}
    assert sum(len(piece) for piece in screen.fed) == sf.FLOOD_BACKLOG + 1 + 100 * 65536
    assert feeder.skipped_bytes == 0
    assert sf.BREATHER_SECONDS in pauses[len(flood_pauses) :]  # caught up at the normal pace


async def test_output_reaches_a_watched_screen_at_once_and_an_unwatched_one_soon() -> None:
    watched, unwatched = Recorder(), Recorder()
    feeders = [ScreenFeeder(watched, lambda: None), ScreenFeeder(unwatched, lambda: None)]
    feeders[0].watched = True
    for feeder in feeders:
        feeder.push(b"$ ")
    await asyncio.sleep(0)  # one loop turn
    assert watched.fed == [b"$ "] and unwatched.fed == []
    await caught_up(feeders[1], seconds=1.0)  # after a breather
    assert unwatched.fed == [b"$ "]


async def test_an_unwatched_screen_shown_mid_flood_gets_slices_again() -> None:
    screen = SlowScreen()
    feeder = ScreenFeeder(screen, lambda: None, limit=16 << 20)
    feeder.push(b"y" * (sf.FLOOD_BACKLOG + 1))
    assert await flood(feeder, pushes=50) == 0
    feeder.watched = True  # the user switched to it
    assert await flood(feeder, pushes=100) > 0  # a slice a frame, while the flood goes on
    await caught_up(feeder)


async def test_a_trickle_past_the_backlog_mark_is_parsed_unwatched() -> None:
    """Deferring is for output pouring in, not for a slow writer that happens to have a
    backlog: a program writing 1 KB a millisecond still sees its screen catch up."""
    screen = SlowScreen()
    feeder = ScreenFeeder(screen, lambda: None, limit=16 << 20)
    feeder.push(b"y" * (4 * sf.FLOOD_BACKLOG))
    for _ in range(2000):
        feeder.push(b"t" * 1024)
        await asyncio.sleep(0.001)
        if feeder.pending < 4096:
            break
    assert feeder.pending < 4096  # it caught up while the trickle went on


async def test_waiting_for_an_unwatched_screen_during_a_flood_returns() -> None:
    """``catch_up`` (the HTTP screen, a resize) is served even while the flood goes on."""
    screen = SlowScreen()
    feeder = ScreenFeeder(screen, lambda: None, limit=16 << 20)
    feeder.push(b"y" * (sf.FLOOD_BACKLOG + 1))
    writer = asyncio.create_task(flood(feeder, pushes=1000, size=16384))
    try:
        await asyncio.sleep(0.02)
        position = feeder._pushed
        await asyncio.wait_for(feeder.catch_up(), 5)
        assert feeder._done >= position
        assert not writer.done()  # the flood was still going on
    finally:
        writer.cancel()


async def test_a_producer_the_screen_keeps_up_with_never_floods() -> None:
    screen = SlowScreen()
    feeder = ScreenFeeder(screen, lambda: None)
    with pauses_between_slices(feeder) as pauses:
        for _ in range(200):  # 16 KB every millisecond or so: steady, within parse speed
            feeder.push(b"z" * 16384)
            await asyncio.sleep(0.001)
        await caught_up(feeder)
    assert sf.FLOOD_BREATHER_SECONDS not in pauses
    assert all(len(piece) == sf.PIECE for piece in screen.fed)


async def test_catch_up_parses_everything_so_far_in_slices_not_in_one_block() -> None:
    """For a program that exited or a resize: wait for the screen without freezing the loop."""
    screen = SlowScreen()
    feeder = ScreenFeeder(screen, lambda: None)
    burst = b"w" * (4 * 1024 * 1024)  # ~80 ms of parsing at 50 MB/s
    feeder.push(burst)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0)
            ticks += 1

    beside = asyncio.create_task(ticker())
    try:
        await feeder.catch_up()
    finally:
        beside.cancel()
    assert feeder.pending == 0
    assert sum(len(piece) for piece in screen.fed) == len(burst)
    assert ticks > 10  # the loop ran other work while the screen caught up (0 if it blocked)
    await feeder.catch_up()  # nothing pending: returns at once


async def test_small_reads_reach_the_screen_joined_into_pieces() -> None:
    """The screen's cost per call is high, so ~4 KB reads are joined up to PIECE bytes (and a
    read larger than a piece is cut), in order."""
    screen = Recorder()
    feeder = ScreenFeeder(screen, lambda: None)
    reads = [bytes([65 + i]) * 4000 for i in range(9)] + [b"z" * (sf.PIECE + 10)]
    for data in reads:
        feeder.push(data)
    await caught_up(feeder)
    assert b"".join(screen.fed) == b"".join(reads)
    assert [len(piece) for piece in screen.fed] == [16_000, 16_000, 4000, sf.PIECE, 10]
