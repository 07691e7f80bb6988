"""Where the producer slowdown comes from: the same ``cat`` read by ever more of aitui.

    .venv/bin/python benchmarks/producer_ablation.py [--stream text] [--rounds 13] [--pin]

``throughput.py`` reports one figure (an aitui session vs a bare PTY). This takes it apart, each
step adding one layer, all measured in the same ABBA rounds against the same bare baseline:

* ``asyncio``: ``pty.fork`` and a non-blocking ``os.read`` loop in ``loop.add_reader``, doing
  nothing with the data (the floor for any asyncio reader);
* ``PtyChild``: aitui's spawn (ptyprocess, signal reset) and reader, data appended to a list;
* ``session, no data``: a whole ``AISession`` whose per-chunk handler only appends;
* ``session, no screen``: the real per-chunk handler (output log, marks, commands, events),
  nothing fed to the screen;
* ``session``: everything, the figure ``throughput.py`` reports (nobody watches its screen);
* ``session on display``: the same with the screen on display (it parses during a flood).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import MB, bare_pty_seconds, make_ls, make_repaint, make_text, session_run

from aitui.core.pty import READS_PER_WAKEUP, PtyChild
from aitui.core.session import AISession

Runner = Callable[[list[str]], float]


def asyncio_floor(argv: list[str]) -> float:
    async def run() -> tuple[float, int]:
        started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(argv[0], argv)
        os.set_blocking(fd, False)
        loop = asyncio.get_running_loop()
        done: asyncio.Future[float] = loop.create_future()

        def readable() -> None:
            for _ in range(READS_PER_WAKEUP):
                try:
                    data = os.read(fd, 65536)
                except BlockingIOError:
                    return
                except OSError:
                    data = b""
                if not data:
                    loop.remove_reader(fd)
                    done.set_result(time.perf_counter() - started)
                    return

        loop.add_reader(fd, readable)
        seconds = await done
        os.close(fd)
        return seconds, pid

    seconds, pid = asyncio.run(run())
    os.waitpid(pid, 0)
    return seconds


def pty_child(argv: list[str]) -> float:
    async def run() -> float:
        started = time.perf_counter()
        child = PtyChild(argv, cwd=Path.cwd(), env=dict(os.environ), rows=24, cols=80)
        loop = asyncio.get_running_loop()
        done: asyncio.Future[float] = loop.create_future()
        kept: list[bytes] = []
        child.attach(loop, kept.append, lambda: done.set_result(time.perf_counter() - started))
        seconds = await done
        await child.terminate()
        return seconds

    return asyncio.run(run())


def session(layers: str, visible: bool = False) -> Runner:
    def prepare(s: AISession) -> None:
        if layers == "no data":
            kept: list[bytes] = []
            s._on_data = kept.append  # type: ignore[method-assign]
        elif layers == "no screen":
            s._feeder.push = lambda data: None  # type: ignore[method-assign]

    def runner(argv: list[str]) -> float:
        return session_run(argv, visible=visible, prepare=prepare)[0]

    return runner


LAYERS: dict[str, Runner] = {
    "asyncio": asyncio_floor,
    "PtyChild": pty_child,
    "session, no data": session("no data"),
    "session, no screen": session("no screen"),
    "session": session("all"),
    "session on display": session("all", visible=True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stream", choices=["ls", "text", "repaint"], default="text")
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=13)
    parser.add_argument("--pin", action="store_true", help="this process on CPU 0, cat on CPU 1")
    args = parser.parse_args()
    makers = {"ls": make_ls, "text": make_text, "repaint": make_repaint}
    if args.pin:
        os.sched_setaffinity(0, {0})
    with tempfile.TemporaryDirectory(prefix="aitui-ablation-") as tmp:
        path = Path(tmp, f"{args.stream}.bin")
        path.write_bytes(makers[args.stream](int(args.mb * MB)))
        argv = (["taskset", "-c", "1"] if args.pin else []) + ["cat", str(path)]
        ratios: dict[str, list[float]] = {name: [] for name in ["bare vs bare", *LAYERS]}
        for _ in range(args.rounds):
            for name, runner in LAYERS.items():
                bare = [bare_pty_seconds(argv)]
                runs = []
                for _ in range(2):  # ABBA, a discarded run after each (see throughput.py)
                    runs.append(runner(argv))
                    bare_pty_seconds(argv)
                bare.append(bare_pty_seconds(argv))
                ratios[name].append(sum(runs) / sum(bare))
            first = bare_pty_seconds(argv)
            ratios["bare vs bare"].append(bare_pty_seconds(argv) / first)
    print(f"{args.stream}, {args.mb:g} MB, {args.rounds} ABBA rounds, pinned: {args.pin}")
    for name, values in ratios.items():
        q = statistics.quantiles(values, n=4)
        print(f"{name:20} {statistics.median(values):.3f}x  [IQR {q[0]:.2f}-{q[2]:.2f}]")


if __name__ == "__main__":
    main()
