"""A session redrawing continuously (an agent's Ink UI), watched through a real server: its
screen is parsed only when a frame can go, yet keys typed into it echo and its last frame is
shown, and the server's readers see everything it wrote."""

from __future__ import annotations

import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from aitui.client import attach
from aitui.server.daemon import running_pid
from tests.e2e.server_helpers import screen_text, short_socket, shown_session, stop_server, wait_for

pytestmark = pytest.mark.timeout(120)

#: Redraws 8 rows and what was typed 60 times a second, as Ink does, until it reads "q"; then
#: writes the number of its last frame to a file and stays, its last frame on screen.
PROGRAM = r"""
import os, select, sys, time, tty
tty.setcbreak(0)
typed, n, start = "", 0, time.monotonic()
while "q" not in typed:
    if select.select([0], [], [], 0)[0]:
        typed += os.read(0, 64).decode()
    rows = "".join(f"\x1b[3{1 + y % 6}mrow {y} frame {n}\x1b[0m\x1b[K\r\n" for y in range(8))
    sys.stdout.write(f"\x1b[H{rows}typed: {typed}\x1b[K")
    sys.stdout.flush()
    n += 1
    time.sleep(max(0.0, start + n / 60 - time.monotonic()))
open(sys.argv[1], "w").write(str(n - 1))
time.sleep(60)
"""


@pytest.fixture
def sock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Path]:
    monkeypatch.setenv("AITUI_DATA_DIR", str(tmp_path / "data"))
    path = short_socket()
    yield path  # type: ignore[misc]
    stop_server(path, signal.SIGKILL if running_pid(path) else signal.SIGTERM)


async def test_keys_echo_and_the_last_frame_shows_while_a_pane_redraws(
    sock: Path, tmp_path: Path
) -> None:
    script, last = tmp_path / "ink.py", tmp_path / "last"
    script.write_text(PROGRAM)
    host = await attach(sock)
    source = await shown_session(host, "ink", f"{sys.executable} {script} {last}")
    # Long enough to count as continuous (its frames cut to 30 a second, parsing held).
    await wait_for(lambda: "frame 30" in screen_text(source), what="the redraw running")
    await source.send_input("abc")
    await wait_for(lambda: "typed: abc" in screen_text(source), what="the echo of abc")
    await source.send_input("q")
    # (The file exists from its open(), a moment before its number is written in it.)
    await wait_for(lambda: last.exists() and last.read_text() != "", what="its last frame")
    final = f"row 7 frame {int(last.read_text())}"
    await wait_for(lambda: final in screen_text(source), what=final)
    assert "typed: abcq" in screen_text(source)
    await host.close()
