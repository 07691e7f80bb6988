"""Resident memory of aitui screens full of scrollback, against tmux.

    .venv/bin/python benchmarks/screen_memory.py [--screens 50] [--lines 10000] [--cols 120]

Fills ``--screens`` TerminalScreens (24 rows x ``--cols``, scrollback limit ``--lines``) with
``--lines`` + 24 distinct lines of exactly ``--cols`` printable characters (every 5th one
coloured), in a fresh child process, and reports the growth of its RSS (from /proc) per stored
line. tmux is measured the same way: a server with ``history-limit`` ``--lines`` and
``--tmux-sessions`` panes of the same size each ``cat``-ing the same lines; the growth of the
server's RSS per stored line. Target (issue 3 item 8): at most 2x tmux per line.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROWS = 24


def make_lines(count: int, cols: int, seed: int) -> bytes:
    """``count`` distinct lines, each ``cols`` printable characters wide, CR LF terminated."""
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyz      ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,-_/"
    out: list[str] = []
    for i in range(count):
        body = "".join(rng.choice(alphabet) for _ in range(cols - 8))
        line = f"{i:7d} {body}"
        if i % 5 == 0:  # a coloured word, as in compiler or test-runner output
            line = f"\x1b[1;31m{line[:7]}\x1b[0m{line[7:]}"
        out.append(line)
    return ("\r\n".join(out) + "\r\n").encode()


def rss_kb(pid: str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def child(screens: int, lines: int, cols: int) -> None:
    """Run in a fresh interpreter: prints JSON with RSS before and after."""
    from aitui.core.terminal import TerminalScreen

    TerminalScreen(ROWS, cols).feed(make_lines(100, cols, -1))  # warm caches and imports
    gc.collect()
    before = rss_kb()
    kept = []
    for seed in range(screens):
        data = make_lines(lines + ROWS, cols, seed)
        screen = TerminalScreen(ROWS, cols, scrollback=lines)
        for i in range(0, len(data), 65536):
            screen.feed(data[i : i + 65536])
        kept.append(screen)
        del data
    gc.collect()
    after = rss_kb()
    stored = sum(len(s.scrollback) for s in kept)
    print(json.dumps({"before_kb": before, "after_kb": after, "stored": stored}))


def measure_aitui(screens: int, lines: int, cols: int) -> tuple[float, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(screens), str(lines), str(cols)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    r = json.loads(out)
    # Each screen's input is generated and freed in turn; the allocator may keep some of those
    # pages, so the figure is an upper bound.
    return (r["after_kb"] - r["before_kb"]) / r["stored"], r["after_kb"]


def measure_tmux(sessions: int, lines: int, cols: int) -> float:
    sock = f"aitui-mem-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp, "tmux.conf")
        conf.write_text(f"set -g history-limit {lines}\n")
        base = ["tmux", "-L", sock, "-f", str(conf)]
        size = ["-x", str(cols), "-y", str(ROWS)]
        subprocess.run([*base, "new-session", "-d", "-s", "idle", *size, "sleep 600"], check=True)
        try:
            server = subprocess.run(
                [*base, "display", "-p", "#{pid}"], capture_output=True, text=True, check=True
            ).stdout.strip()
            before = rss_kb(server)
            for n in range(sessions):
                path = Path(tmp, f"{n}.txt")
                path.write_bytes(make_lines(lines + ROWS, cols, n).replace(b"\r\n", b"\n"))
                cmd = f"cat {path}; tmux -L {sock} wait-for -S done{n}; sleep 600"
                subprocess.run([*base, "new-session", "-d", "-s", f"s{n}", *size, cmd], check=True)
                subprocess.run([*base, "wait-for", f"done{n}"], check=True, timeout=300)
            stored = sum(
                int(
                    subprocess.run(
                        [*base, "display", "-p", "-t", f"s{n}", "#{history_size}"],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout
                )
                for n in range(sessions)
            )
            return (rss_kb(server) - before) / stored
        finally:
            subprocess.run([*base, "kill-server"], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=50)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--cols", type=int, default=120)
    parser.add_argument("--tmux-sessions", type=int, default=5)
    parser.add_argument("--child", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    per_line, total = measure_aitui(args.screens, args.lines, args.cols)
    print(
        f"aitui: {args.screens} screens x {args.lines} lines x {args.cols} cols: "
        f"{per_line:.3f} KB/line (process RSS {total / 1024:.0f} MB)"
    )
    if shutil.which("tmux"):
        tmux = measure_tmux(args.tmux_sessions, args.lines, args.cols)
        print(f"tmux:  {args.tmux_sessions} panes x {args.lines} lines: {tmux:.3f} KB/line")
        print(f"ratio: {per_line / tmux:.2f}x tmux per line (target <= 2x)")
    else:
        print("tmux is not installed: no comparison")


if __name__ == "__main__":
    main()
