"""Dashboard responsiveness while another session floods output.

Two real bash sessions side by side in grid view: the first runs ``yes`` (a flood the dashboard
must parse and draw), the second has the focus. For each of N keys typed into the second, we
time from the key press to the first frame in which the pane draws the echoed character, and we
count the frames the flooding pane got. Also: the time from creating the app to its first frame.

Textual runs headless here (no real terminal), so the figures are the app's own work: parsing,
the bridge, rendering strips, compositing; not a terminal emulator's drawing time.
Run: ``.venv/bin/python benchmarks/ui_latency.py [--keys 200]``; ``FLOOD=bursts`` floods in
bursts instead of with ``yes``, ``NO_FLOOD=1`` not at all.
"""

from __future__ import annotations

import os

# The dashboard as `aitui` launches it (before Textual is imported; see aitui.cli).
os.environ.setdefault("TEXTUAL_FPS", "120")

import argparse
import asyncio
import statistics
import string
import tempfile
import time
from pathlib import Path

from figures import percentile
from textual import events
from textual.strip import Strip

from aitui.core.activity import Activity
from aitui.core.config import SessionConfig
from aitui.dashboard.app import AituiApp
from aitui.dashboard.widgets.terminal_pane import TerminalPane


class TimedPane(TerminalPane):
    """Records when each rendered line first contains a watched character."""

    watch: str | None = None
    seen_at: float | None = None
    lines_drawn = 0

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        TimedPane.lines_drawn += 1
        if self.watch and self.seen_at is None and self.watch in strip.text:
            self.seen_at = time.perf_counter()
        return strip


NO_FLOOD = os.environ.get("NO_FLOOD") == "1"
#: ``yes`` (a sustained flood) or ``bursts`` (2 MB of ``seq`` every ~0.5 s: the screen keeps
#: catching up between bursts, the commoner case of a chatty build or test run).
FLOOD = os.environ.get("FLOOD", "yes")
FLOOD_COMMANDS = {
    "yes": "yes 'flooding the dashboard with output'\n",
    "bursts": "while :; do seq 1 300000; sleep 0.3; done\n",
}


async def measure(keys: int) -> None:
    workdir = Path(tempfile.mkdtemp())
    (workdir / ".bashrc").write_text("PS1='bench$ '\n")
    created = time.perf_counter()
    first_frame: list[float] = []
    app = AituiApp(
        sessions=[
            SessionConfig(
                name=name,
                shell="bash",
                working_directory=workdir,
                environment={"HOME": str(workdir)},
            )
            for name in ("flood", "typing")
        ]
    )
    async with app.run_test(size=(200, 50)) as pilot:
        first_frame.append(time.perf_counter() - created)
        while not (
            len(app.views) == 2
            and all(v.tracker.state.activity is Activity.IDLE for v in app.views)
        ):
            await pilot.pause(0.01)
        flood, typing = (v.session for v in app.views)
        assert flood is not None and typing is not None
        await pilot.press("alt+2")
        await pilot.press("ctrl+right_square_bracket", "g")
        await pilot.pause(0.2)
        pane = next(p for p in app.query(TerminalPane) if p.has_focus)
        # Swap in the timing pane class for the focused pane only.
        pane.__class__ = TimedPane
        if not NO_FLOOD:
            await flood.send_input(FLOOD_COMMANDS[FLOOD])
        await pilot.pause(0.5)
        flood_start, flood_bytes = time.perf_counter(), flood.output_position
        TimedPane.lines_drawn = 0
        latencies: list[float] = []
        typed = ""
        assert isinstance(pane, TimedPane)
        for i in range(keys):
            if len(typed) >= 40:  # start a fresh line (readline Ctrl+U) now and then
                await typing.send_input(b"\x15")
                while typed in typing.screen.text():
                    await asyncio.sleep(0.001)
                typed = ""
            char = string.ascii_lowercase[i % 26]
            typed += char
            pane.watch = "bench$ " + typed
            pane.seen_at = None
            started = time.perf_counter()
            # What Textual's terminal driver does with a key press: post it to the app.
            app.post_message(events.Key(char, char))
            while pane.seen_at is None and time.perf_counter() - started < 5:
                await asyncio.sleep(0.0002)
            if pane.seen_at is None:
                raise RuntimeError(f"key {i} never appeared on screen")
            latencies.append((pane.seen_at - started) * 1000)
        elapsed = time.perf_counter() - flood_start
        flood_rate = (flood.output_position - flood_bytes) / elapsed / 1e6
        flood_skipped = flood.screen_skipped_bytes / 1e6
        lines_per_s = TimedPane.lines_drawn / elapsed
        await flood.send_input(b"\x03")
        await app.action_quit()
    flood_note = (
        "no flood (NO_FLOOD=1)"
        if NO_FLOOD
        else f"another visible session floods: {FLOOD_COMMANDS[FLOOD].strip()!r}"
    )
    print(f"{keys} keystrokes; {flood_note}\n")
    print("| measure | value | target |")
    print("|---|---:|---:|")
    print(f"| key → echo on screen, median | {statistics.median(latencies):.1f} ms | < 16 ms |")
    print(f"| key → echo on screen, p99 | {percentile(latencies, 0.99):.1f} ms | < 50 ms |")
    print(f"| flood read meanwhile | {flood_rate:.2f} MB/s | |")
    print(f"| of it skipped by the flood's screen (too fast to show) | {flood_skipped:.1f} MB | |")
    print(f"| typing pane lines drawn per second | {lines_per_s:.0f} | |")
    print(f"| start to first frame | {first_frame[0] * 1000:.0f} ms | < 1000 ms |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=200)
    asyncio.run(measure(parser.parse_args().keys))
