"""Parse time of output written to hurt the screen, at two sizes ten times apart.

    .venv/bin/python benchmarks/hostile_input.py [--rounds 3] [--scale 1]

Each case is fed to a fresh 24x80 ``TerminalScreen`` at size N and 10 N; the ratio of the two
times is about 10 when the cost is linear and about 100 when it is quadratic (as each of these
was: a million combining marks on one letter, newlines inside an OSC string, a title written
a byte at a time). For scale, the same number of bytes of plain ASCII lines is timed too
and the 10 N time is printed as a multiple of it (``x plain``). Medians of ``--rounds`` runs,
process CPU time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aitui.core.terminal import TerminalScreen

Case = tuple[Callable[[int], bytes], int, int]  # data of size n, n, bytes per feed (0: all)

CASES: dict[str, Case] = {
    "combining marks on one letter": (lambda n: ("e" + "\u0301" * n + "|").encode(), 10**5, 0),
    "newlines inside an OSC string": (lambda n: b"\x1b]0;" + b"\n" * n + b"\x07ok", 10**4, 0),
    "newlines inside a DCS string": (lambda n: b"\x1bP" + b"\r\n" * n + b"\x1b\\ok", 10**4, 0),
    "a title written a byte at a time": (lambda n: b"\x1b]2;" + b"t" * n + b"\x07", 6000, 1),
    "a CSI of n digits, in 4 KB pieces": (lambda n: b"\x1b[" + b"9" * n + b"mok", 10**5, 4096),
    "SGR with n parameters": (lambda n: b"\x1b[" + b"1;" * n + b"mok", 3000, 0),
}


def seconds(data: bytes, piece: int, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        screen = TerminalScreen(24, 80)
        step = piece or len(data)
        start = time.process_time()
        for i in range(0, len(data), step):
            screen.feed(data[i : i + step])
        times.append(time.process_time() - start)
    return statistics.median(times)


def plain(size: int) -> bytes:
    line = b"the quick brown fox jumps over the lazy dog 0123456789\r\n"
    return line * (size // len(line) + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every N by this")
    args = parser.parse_args()
    print(f"{'case':36} {'N':>9} {'t(N) s':>8} {'t(10N) s':>9} {'ratio':>6} {'x plain':>8}")
    for name, (make, n, piece) in CASES.items():
        n = max(1, int(n * args.scale))
        small, large = make(n), make(10 * n)
        t_small = seconds(small, piece, args.rounds)
        t_large = seconds(large, piece, args.rounds)
        reference = seconds(plain(len(large)), piece or 65536, args.rounds)
        print(
            f"{name:36} {n:>9} {t_small:8.3f} {t_large:9.3f} "
            f"{t_large / max(t_small, 1e-9):6.1f} {t_large / max(reference, 1e-9):8.1f}"
        )


if __name__ == "__main__":
    main()
