"""The server's share of a keystroke's latency: keys sent over ``/attach`` by a bare client (the
dashboard's own ``RemoteHost``, in this process, no Textual), timed to the frame that brings the
echo. ``server_keys.py`` prints it beside the dashboard's figure: the difference is what the
dashboard adds (reading the key, drawing the frame, writing the terminal)."""

from __future__ import annotations

import asyncio
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aitui.client.remote import RemoteSource
from aitui.client.spawn import attach
from aitui.core.hosting import HostEvent, ScreenChanged

PROMPT = "bench$ "
LINE = 30


def _line_shows(source: RemoteSource, text: str) -> bool:
    screen = source.screen
    return any(text in "".join(t for t, _ in screen.row_runs(y)) for y in range(screen.rows))


async def _measure(
    sock: Path, keys: int, gap: float, flood: Callable[[bool], None]
) -> dict[str, list[float]]:
    host = await attach(sock, start=False)
    try:
        by_name = {info.name: info.key for info in host.sessions()}
        typing, flooding = by_name["typing"], by_name["flood"]
        host.show([typing, flooding], typing)
        source = host.source(typing)
        assert source is not None
        await source.resize(24, 44)  # a grid pane's size in a 160x50 dashboard
        seen = asyncio.Event()
        watch: list[str] = []

        def on_event(event: HostEvent) -> None:
            changed = isinstance(event, ScreenChanged) and event.key == typing
            if changed and watch and _line_shows(source, watch[0]):
                watch.clear()
                seen.set()

        host.subscribe(on_event)
        await asyncio.sleep(0.5)
        results: dict[str, list[float]] = {}
        for condition in ("idle", "flood"):
            if condition == "flood":
                flood(True)
                await asyncio.sleep(0.5)
            latencies: list[float] = []
            typed = ""
            for i in range(keys):
                if i == 0 or len(typed) >= LINE:
                    await source.send_input(b"\x15")
                    while typed and _line_shows(source, PROMPT + typed):
                        await asyncio.sleep(0.002)
                    typed = ""
                typed += string.ascii_lowercase[i % 26]
                await asyncio.sleep(gap)
                seen.clear()
                watch[:] = [PROMPT + typed]
                sent = time.perf_counter()
                await source.send_input(typed[-1].encode())
                await asyncio.wait_for(seen.wait(), 10)
                latencies.append((time.perf_counter() - sent) * 1000)
            results[condition] = latencies
        flood(False)
        return results
    finally:
        await host.close()


def wire_latencies(
    sock: Path, keys: int, gap: float, flood: Callable[[bool], None]
) -> dict[str, list[float]]:
    """Milliseconds per key, ``idle`` and then with ``flood(True)``, for the sessions
    ``typing`` and ``flood`` of the server at ``sock``."""
    return asyncio.run(_measure(sock, keys, gap, flood))
