"""A paste into the real dashboard reaches the program in its pane as the terminal sent it,
escape sequences included (coloured text copied from a terminal), as it does through tmux.

tmux plays the user's terminal: ``paste-buffer -p`` sends the buffer as a bracketed paste,
since the dashboard asked for one. The program in the pane (``paste_reader.py``) writes what
it reads to a file: inside the paste markers when it asked for bracketed paste, raw if not.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux_helpers import Tmux, dashboard_in_tmux

pytestmark = [pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux"), pytest.mark.slow]

READER = Path(__file__).with_name("paste_reader.py")
#: Coloured words copied from a terminal, over two lines, an Esc-led sequence of each kind.
PASTED = "plain \x1b[31mred\x1b[0m \x1b[1;32mbold green\x1b[m\nline two \x1b]0;title\x07 end"


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    with dashboard_in_tmux(tmp_path) as (tm, _marker, _env):
        tm.wait(lambda s: "e2e$" in s and "Prefix" in s, "the dashboard and a prompt")
        yield tm


def _read(out: Path, size: int, tm: Tmux) -> bytes:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if out.exists() and len(data := out.read_bytes()) >= size:
            return data
        time.sleep(0.05)
    raise AssertionError(f"the reader got {out.read_bytes()!r}; screen:\n{tm.screen()}")


@pytest.mark.parametrize("mode", ["bracketed", "raw"])
def test_a_paste_with_escapes_reaches_the_program_intact(
    tmux: Tmux, tmp_path: Path, mode: str
) -> None:
    out = tmp_path / f"{mode}.bin"
    tmux.text(f"{sys.executable} {READER} {out} {mode}")
    tmux.keys("Enter")
    tmux.wait(lambda s: f"ready {mode}" in s, "the reader")
    tmux("set-buffer", "-b", "pasted", "--", PASTED)
    tmux("paste-buffer", "-p", "-b", "pasted", "-t", "ui")
    body = PASTED.replace("\n", "\r").encode()  # tmux pastes a new line as Enter, as terminals do
    sent = b"\x1b[200~" + body + b"\x1b[201~" if mode == "bracketed" else body
    assert _read(out, len(sent), tmux) == sent
    # Keys after the paste are keys again: Escape and a letter, not pasted text.
    tmux.keys("Escape")
    tmux.wait(lambda s: f"read {len(sent) + 1}" in s, "Escape read")
    tmux.text("k")
    assert _read(out, len(sent) + 2, tmux) == sent + b"\x1bk"
