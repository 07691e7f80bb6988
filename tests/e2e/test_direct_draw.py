"""Rows drawn straight to the terminal leave it exactly as Textual's compositor would.

Recordings of full-screen programs (htop, top, vim, less...) play in the real dashboard inside
tmux, tmux playing the user's terminal. Once they have played, the panes as tmux holds them
(every cell's character and attributes, from ``capture-pane -e``) are compared with the same
panes after the dashboard has drawn everything again through the compositor alone (the session
list and the status line are left out: their texts change with time): any row put at the
wrong place, with the wrong style or a stale strip by the direct path would differ. The probe
also counts how many times rows went the direct way, so a path never taken cannot pass for a
correct one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.e2e.tmux_helpers import Tmux

pytestmark = [pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux"), pytest.mark.slow]

CASTS = Path(__file__).resolve().parents[1] / "fixtures" / "casts"
#: Recordings of five events or more (each event's frame may go either way: a layout pending
#: anywhere on the screen sends it through the compositor).
RECORDINGS = [
    "htop",
    "top",
    "vim",
    "less",
    "progress",
    "edit_ops",
    "vttest_autowrap",
    "python_repl",
]


def _wait_file(tm: Tmux, path: Path, what: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; the screen:\n{tm.screen()}")
        time.sleep(0.05)
    return path.read_text()


def _settled(tm: Tmux, timeout: float = 30) -> str:
    """The pane's contents with attributes, once two reads 0.3 s apart agree (bounded)."""
    deadline = time.monotonic() + timeout
    last = tm("capture-pane", "-e", "-p", "-t", "ui")
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = tm("capture-pane", "-e", "-p", "-t", "ui")
        if now == last:
            return now
        last = now
    raise AssertionError(f"the screen never settled:\n{last}")


#: Where the panes are on the 120x45 terminal: right of the 30-column session list, above the
#: status and key lines (whose texts change with time: "active" turns "quiet" after 5 s).
PANES_LEFT, PANES_BOTTOM = 30, 43


def _panes(capture: str) -> list[list[tuple[str, object]]]:
    """The panes' cells, character and attributes, in a ``capture-pane -e`` of the screen."""
    from aitui.core.terminal import TerminalScreen

    screen = TerminalScreen(45, 120)
    screen.feed(capture.rstrip("\n").replace("\n", "\r\n").encode())
    rows = []
    for y in range(PANES_BOTTOM):
        cells = [(char, style) for text, style in screen.row_runs(y) for char in text]
        rows.append(cells[PANES_LEFT:])
    return rows


def _run(
    tmp_path: Path, name: str, direct: bool, grid: bool, casts: list[str]
) -> tuple[str, str, int]:
    """The probe in a 120x45 tmux pane: the screen after playing, after a full repaint, and
    how many frames went straight to the terminal."""
    out = tmp_path / name
    out.mkdir()
    tm = Tmux(f"aitui-draw-{uuid.uuid4().hex[:8]}")
    env = {
        "HOME": str(tmp_path),
        "AITUI_CONFIG": str(tmp_path / "none.toml"),
        "AITUI_DATA_DIR": str(tmp_path / "data"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    files = " ".join(str(CASTS / f"{c}.cast") for c in casts)
    command = (
        " ".join(f"{k}={v}" for k, v in env.items())
        + f" {sys.executable} -m tests.e2e.draw_probe {out} {int(direct)} {int(grid)} {files}"
    )
    tm("new-session", "-d", "-s", "ui", "-x", "120", "-y", "45", command)
    tm("set-option", "-g", "remain-on-exit", "on")  # a probe that fails leaves its traceback
    try:
        _wait_file(tm, out / "played", "the recordings to play")
        played = _settled(tm)
        os.kill(int(_wait_file(tm, out / "pid", "the probe's pid")), signal.SIGUSR1)
        direct_frames = int(_wait_file(tm, out / "repainted", "the full repaint") or 0)
        repainted = _settled(tm)
    finally:
        subprocess.run([*tm.base, "kill-server"], capture_output=True, check=False)
    return played, repainted, direct_frames


def _same_panes(played: str, repainted: str) -> None:
    assert "\x1b[" in played, "a capture without attributes compares only text"
    assert _panes(played) == _panes(repainted), (
        f"drawn directly:\n{played}\nrepainted:\n{repainted}"
    )


@pytest.mark.timeout(180)
@pytest.mark.parametrize("cast", RECORDINGS)
def test_a_recording_drawn_directly_is_what_the_compositor_draws(tmp_path: Path, cast: str) -> None:
    played, repainted, direct_frames = _run(tmp_path, "one", True, False, [cast])
    assert direct_frames > 0, "no row went straight to the terminal"
    _same_panes(played, repainted)


@pytest.mark.timeout(180)
def test_bordered_grid_panes_drawn_directly_are_what_the_compositor_draws(tmp_path: Path) -> None:
    """You should see four recordings in the grid's bordered panes, identical either way."""
    played, repainted, direct_frames = _run(tmp_path, "grid", True, True, RECORDINGS[:4])
    assert direct_frames > 0, "no row went straight to the terminal"
    _same_panes(played, repainted)


@pytest.mark.timeout(180)
def test_with_direct_draw_off_every_row_goes_through_the_compositor(tmp_path: Path) -> None:
    played, repainted, direct_frames = _run(tmp_path, "off", False, False, ["htop"])
    assert direct_frames == 0
    _same_panes(played, repainted)
