"""The screen catches up behind the reader in bounded slices, one pump chain at a time."""

from __future__ import annotations

import asyncio

from aitui.core.screen_feed import ScreenFeeder


class Recorder:
    def __init__(self) -> None:
        self.fed: list[bytes] = []

    def feed(self, data: bytes) -> None:
        self.fed.append(data)


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
    assert updates > 1  # the screen was reported updated slice by slice
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
