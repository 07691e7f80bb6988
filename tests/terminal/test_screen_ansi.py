"""``TerminalScreen.ansi()`` redraws a screen on a blank one: every recorded program's final
screen comes back cell for cell (characters, wide halves, every attribute) with the cursor,
its visibility and the alternate screen; when the program leaves the alternate screen, the
main screen under it comes back too."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.cli.replay import replay, screen_json
from aitui.core.asciicast import load
from aitui.core.terminal import TerminalScreen

CASTS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "casts").glob("*.cast"))


@pytest.mark.parametrize("cast_path", CASTS, ids=[p.stem for p in CASTS])
def test_a_screen_redrawn_from_its_ansi_is_the_same(cast_path: Path) -> None:
    original = replay(load(cast_path))
    copy = TerminalScreen(original.rows, original.cols)
    copy.feed(original.ansi().encode())
    before, after = screen_json(original), screen_json(copy)
    assert after["rows"] == before["rows"]
    assert after["cells"] == before["cells"]
    assert after["cursor"] == before["cursor"]
    assert after["alternate_screen"] == before["alternate_screen"]
    original.feed(b"\x1b[?1049l")  # the program exits (a no-op on the main screen)
    copy.feed(b"\x1b[?1049l")
    assert screen_json(copy)["rows"] == screen_json(original)["rows"]
    assert screen_json(copy)["cells"] == screen_json(original)["cells"]
    assert copy.cursor == original.cursor


def test_the_scroll_region_is_carried() -> None:
    original = TerminalScreen(10, 20)
    original.feed(b"\x1b[3;7r\x1b[7;1Hregion")
    copy = TerminalScreen(10, 20)
    copy.feed(original.ansi().encode())
    for screen in (original, copy):
        screen.feed(b"\r\nscrolled")  # scrolls rows 3-7 only
    assert copy.display() == original.display()
