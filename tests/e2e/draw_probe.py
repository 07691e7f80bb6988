"""Plays recordings in the real dashboard on a real terminal, for ``test_direct_draw.py``.

    python -m tests.e2e.draw_probe OUT_DIR direct_draw(0|1) grid(0|1) CAST [CAST...]

Every recording plays at once, one session each, in the dashboard running on this process's
terminal (a tmux pane in the test), once the panes are shown; its events ``GAP`` seconds apart
whatever their recorded times (only their order makes the final screen).
Files in ``OUT_DIR`` tell the test what happened:
``pid`` at start; ``played`` once every recording has been fed and one more frame has gone
straight to the terminal (below). On SIGUSR1 every pane forgets
its strips and the whole screen is drawn again by Textual's compositor; after that frame,
``repainted`` holds the number of times rows went straight to the terminal
(``direct_draw.draw_regions`` returning True) until then.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from aitui.dashboard.fps import use_dashboard_fps

#: Seconds between a recording's events: some recordings play in 50 ms, all of it before a
#: single frame; spread out, their frames are drawn one by one, as a live program's are.
GAP = 0.04

#: Written into every session once its recording has played: the top-left cell in reverse
#: video (``#`` and ``*`` in turn: a cell written with what it holds is no change), the cursor
#: and pen put back. Whether a recording's own frames went the direct way
#: depends on timing (a layout pending anywhere on the screen sends a frame through the
#: compositor, and on a loaded machine every frame may find one), so the probe pokes until a
#: frame is seen going directly: the count the test asserts on is then not left to chance.
POKE_FRAMES = (b"\x1b7\x1b[1;1H\x1b[7m#\x1b[m\x1b8", b"\x1b7\x1b[1;1H\x1b[7m*\x1b[m\x1b8")
#: Pokes tried, ``POKE_GAP`` seconds apart, before giving up (the test then fails, with the
#: count at zero: the direct path was never taken, which is what it must catch).
POKES, POKE_GAP = 100, 0.1


def main() -> None:
    out, direct, grid, *casts = sys.argv[1:]
    use_dashboard_fps()
    from aitui.core.asciicast import load
    from aitui.core.replay import ReplaySession
    from aitui.core.settings import Settings
    from aitui.dashboard.app import AituiApp
    from aitui.dashboard.widgets import pane_view
    from aitui.dashboard.widgets.terminal_pane import TerminalPane

    directory = Path(out)
    drawn = 0
    real = pane_view.draw_regions

    def counting(widget: object, regions: list[object], placement: object = None) -> bool:
        nonlocal drawn
        done = real(widget, regions, placement)  # type: ignore[arg-type]
        drawn += done
        return done

    pane_view.draw_regions = counting  # type: ignore[assignment]

    recordings = [load(Path(c)) for c in casts]
    sources = [
        ReplaySession(Path(c).stem, r.height, r.width, role="recording")
        for c, r in zip(casts, recordings, strict=True)
    ]

    shown = asyncio.Event()  # play once the panes are on screen: these recordings are short

    async def play() -> None:
        await shown.wait()
        await asyncio.gather(
            *(
                source.play(
                    [
                        (i * GAP, e.data.encode())
                        for i, e in enumerate(o for o in r.events if o.code == "o")
                    ]
                )
                for source, r in zip(sources, recordings, strict=True)
            )
        )
        for attempt in range(POKES):
            before = drawn
            for source in sources:
                source.feed(POKE_FRAMES[attempt % 2])
            await asyncio.sleep(POKE_GAP)
            if drawn > before:
                break
        (directory / "played").write_text("1")

    class Probe(AituiApp):
        # Textual finds a relative CSS_PATH beside the class that sets it: the app's own.
        CSS_PATH = str(Path(sys.modules[AituiApp.__module__].__file__ or "").with_name("app.tcss"))

        def on_mount(self) -> None:
            asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, self.repaint)
            if grid == "1":
                self.action_toggle_grid()
            (directory / "pid").write_text(str(os.getpid()))
            self.call_after_refresh(shown.set)

        def repaint(self) -> None:
            for pane in self.query(TerminalPane):
                pane._invalidate()
            self.screen.refresh()
            self.call_after_refresh(lambda: (directory / "repainted").write_text(str(drawn)))

    settings = Settings(show_panels=False, direct_draw=direct == "1")
    Probe(settings=settings, sessions=sources, background=[play]).run()


if __name__ == "__main__":
    main()
