"""Fixtures for the terminal tests: a live tmux to compare the screen with."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

#: Feeds raw bytes to a tmux pane of the given size; returns (captured rows, (row, col)).
TmuxOracle = Callable[[bytes, int, int], tuple[list[str], tuple[int, int]]]
#: The rows (trailing spaces stripped) and cursor of a pane.
Capture = tuple[list[str], tuple[int, int]]


class TmuxPanes:
    """One private tmux server; each pane runs ``cat`` of some bytes with the tty in raw mode
    (so LF stays LF) and is captured once ``cat`` has finished (``wait-for``)."""

    def __init__(self, workdir: Path) -> None:
        self.sock = f"aitui-test-{uuid.uuid4().hex[:8]}"
        self.base = ["tmux", "-L", self.sock, "-f", "/dev/null"]
        self.workdir = workdir
        # A session that lives as long as the server, so it does not exit (and race with the
        # next new-session) each time a pane's session is killed.
        self("new-session", "-d", "-s", "keeper", "sleep 3600")

    def __call__(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], capture_output=True, check=True).stdout.decode()

    def start(self, data: bytes, rows: int, cols: int) -> str:
        name = uuid.uuid4().hex[:8]
        path = Path(self.workdir, f"{name}.bin")
        path.write_bytes(data)
        cmd = f"stty raw -echo; cat {path}; tmux -L {self.sock} wait-for -S {name}; exec sleep 600"
        self("new-session", "-d", "-s", name, "-x", str(cols), "-y", str(rows), cmd)
        subprocess.run([*self.base, "wait-for", name], check=True, timeout=30)
        return name

    def start_parts(self, parts: list[bytes], rows: int, cols: int) -> str:
        """A pane that writes ``parts`` one at a time, each when :meth:`write_part` asks (so a
        test can resize the pane between them, as a program redrawing after SIGWINCH does)."""
        name = uuid.uuid4().hex[:8]
        steps = ["stty raw -echo"]
        for k, part in enumerate(parts):
            path = Path(self.workdir, f"{name}-{k}.bin")
            path.write_bytes(part)
            wait = f"tmux -L {self.sock} wait-for"
            steps.append(f"{wait} {name}-go{k}; cat {path}; {wait} -S {name}-done{k}")
        steps.append("exec sleep 600")
        self("new-session", "-d", "-s", name, "-x", str(cols), "-y", str(rows), "; ".join(steps))
        return name

    def write_part(self, name: str, k: int) -> None:
        """Let a :meth:`start_parts` pane write its part ``k``; return once it has."""
        self("wait-for", "-S", f"{name}-go{k}")
        subprocess.run([*self.base, "wait-for", f"{name}-done{k}"], check=True, timeout=30)

    def resize(self, name: str, rows: int, cols: int) -> None:
        self("resize-window", "-t", name, "-x", str(cols), "-y", str(rows))
        deadline = time.monotonic() + 5
        while self("display", "-p", "-t", name, "#{pane_width}x#{pane_height}") != (
            f"{cols}x{rows}\n"
        ):
            assert time.monotonic() < deadline, "tmux did not resize"
            time.sleep(0.01)

    def capture(self, name: str, rows: int, cols: int) -> Capture:
        """Rows with trailing spaces stripped; a pending wrap's column shown as the last."""
        lines = [line.rstrip() for line in self("capture-pane", "-p", "-t", name).split("\n")]
        y, x = (
            int(v) for v in self("display", "-p", "-t", name, "#{cursor_y},#{cursor_x}").split(",")
        )
        return lines[:rows] + [""] * (rows - len(lines[:rows])), (y, min(x, cols - 1))

    def kill(self, name: str) -> None:
        subprocess.run([*self.base, "kill-session", "-t", name], capture_output=True)


@pytest.fixture(scope="module")
def tmux_panes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TmuxPanes]:
    if not shutil.which("tmux"):
        pytest.skip("tmux is not installed")
    panes = TmuxPanes(tmp_path_factory.mktemp("tmux"))
    try:
        yield panes
    finally:
        subprocess.run([*panes.base, "kill-server"], capture_output=True)


@pytest.fixture(scope="module")
def tmux_oracle(tmux_panes: TmuxPanes) -> TmuxOracle:
    """Rows and cursor of a pane of the given size after ``cat`` of the bytes."""

    def run(data: bytes, rows: int = 24, cols: int = 80) -> Capture:
        name = tmux_panes.start(data, rows, cols)
        try:
            return tmux_panes.capture(name, rows, cols)
        finally:
            tmux_panes.kill(name)

    return run
