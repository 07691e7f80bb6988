"""Fixtures for the terminal tests: a live tmux to compare the screen with."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

#: Feeds raw bytes to a tmux pane of the given size; returns (captured rows, (row, col)).
TmuxOracle = Callable[[bytes, int, int], tuple[list[str], tuple[int, int]]]


@pytest.fixture(scope="module")
def tmux_oracle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TmuxOracle]:
    """One private tmux server for the module; each call runs ``cat`` of the bytes in a pane
    with the tty in raw mode (so LF stays LF), waits for it with ``wait-for`` and captures."""
    if not shutil.which("tmux"):
        pytest.skip("tmux is not installed")
    sock = f"aitui-test-{uuid.uuid4().hex[:8]}"
    base = ["tmux", "-L", sock, "-f", "/dev/null"]
    workdir = tmp_path_factory.mktemp("tmux")
    # A session that lives as long as the module, so the server does not exit (and race with
    # the next new-session) each time a snippet's session is killed.
    subprocess.run([*base, "new-session", "-d", "-s", "keeper", "sleep 3600"], check=True)

    def run(data: bytes, rows: int = 24, cols: int = 80) -> tuple[list[str], tuple[int, int]]:
        name = uuid.uuid4().hex[:8]
        path = Path(workdir, f"{name}.bin")
        path.write_bytes(data)
        cmd = f"stty raw -echo; cat {path}; tmux -L {sock} wait-for -S {name}; exec sleep 600"
        subprocess.run(
            [*base, "new-session", "-d", "-s", name, "-x", str(cols), "-y", str(rows), cmd],
            check=True,
        )
        try:
            subprocess.run([*base, "wait-for", name], check=True, timeout=30)
            out = subprocess.run(
                [*base, "capture-pane", "-p", "-t", name], capture_output=True, check=True
            ).stdout.decode()
            cur = subprocess.run(
                [*base, "display", "-p", "-t", name, "#{cursor_y},#{cursor_x}"],
                capture_output=True,
                check=True,
            ).stdout.decode()
        finally:
            subprocess.run([*base, "kill-session", "-t", name], capture_output=True)
        y, x = (int(v) for v in cur.strip().split(","))
        lines = out.split("\n")[:rows]
        return lines + [""] * (rows - len(lines)), (y, min(x, cols - 1))

    try:
        yield run
    finally:
        subprocess.run([*base, "kill-server"], capture_output=True)
