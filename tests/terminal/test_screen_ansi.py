"""``TerminalScreen.ansi()`` redraws a screen on a blank one: every recorded program's final
screen comes back cell for cell (characters, wide halves, every attribute) with the cursor."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.commands.replay import replay, screen_json
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
    assert after["cursor"]["row"] == before["cursor"]["row"]
    assert after["cursor"]["col"] == before["cursor"]["col"]
