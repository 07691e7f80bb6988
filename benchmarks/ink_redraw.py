"""An agent UI's redraw (Ink, as Claude Code uses): the CPU that watching it costs, against tmux.

    .venv/bin/python benchmarks/ink_redraw.py [--seconds 20] [--fps 60] [--rounds 2]

A small program repaints a 40-line, 80-column coloured frame ``--fps`` times a second for
``--seconds``, the way Ink does: cursor home, every line rewritten, a spinner and a counter.
Variants: ``spinner`` (only the spinner and the counter change; the other 38 lines are
rewritten with what they already showed), ``full`` (every line changes every frame; a line's
text comes round again every 26 frames, as a spinner's frames do) and ``unique`` (every line
changes every frame and never shows the same text twice: it carries the frame's number; not run
unless asked for with ``--variants``). It runs
in one session shown in the real ``aitui -S SOCK`` (a 160x50 PTY this process drains, as a
terminal would), then in one tmux window with ``tmux attach`` in the same kind of PTY, one after
the other so they do not compete. Measured: CPU seconds of the server and the client together
over the program's run (scheduler nanoseconds of every thread), the ratio aitui / tmux, median
[range] over ``--rounds``. Targets: full at most 1.5x tmux, spinner at most 1.0x. Also counted:
the frames each client showed (the distinct counters on its terminal's screen after each of
its writes, as the benchmark's terminal reads them), against the program's and what aitui's
frame budget allows (``aitui/server/budget.py``: 30 a second once a pane redraws continuously).
``--compositor`` runs the dashboard with ``direct_draw = false`` (every row through Textual's
compositor), for comparison.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import spread
from pty_terminal import PtyTerminal, process_cpu
from server_rig import COLD_CONFIG, PROMPT, AituiRig, TmuxRig, bench_home

from aitui.server.budget import CONTINUOUS_AFTER_S, CONTINUOUS_FRAME_RATE, FRAME_RATE

TARGETS = {"spinner": 1.0, "full": 1.5, "unique": 1.5}
#: The program's counter, as a terminal shows it: one value a frame.
COUNTER = re.compile(r"working\.\.\. +(\d+)")

PROGRAM = r"""
import sys, time
variant, seconds, fps, mark = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
spin = "|/-\\"
out = sys.stdout
start = time.monotonic()
frame = 0
while (now := time.monotonic()) - start < seconds:
    rows = ["\x1b[H"]
    for y in range(40):
        shift = 0 if variant == "spinner" else frame
        text = "".join(chr(97 + (x + y + shift) % 26) for x in range(72))
        if variant == "unique":
            text = f"{frame:07d}" + text[7:]
        rows.append(f"\x1b[3{1 + y % 6}m{y:02d} {text}\x1b[0m\x1b[K\r\n")
    rows.append(f"{spin[frame % 4]} working... {frame:6d}\x1b[K")
    out.write("".join(rows))
    out.flush()
    frame += 1
    time.sleep(max(0.0, start + frame / fps - time.monotonic()))
out.write(f"\x1b[2J\x1b[H{mark}\r\n")
out.flush()
"""


def run_round(
    rig: AituiRig | TmuxRig,
    term: PtyTerminal,
    target: str,
    pids: list[int],
    command: str,
    seconds: float,
    mark: str,
) -> tuple[float, float, int]:
    """CPU seconds of ``pids`` over the program's run in ``target``: all, and the client's
    (the last pid); and the frames the client's terminal showed."""
    term.count(COUNTER)
    before = [process_cpu(p) for p in pids]
    rig.send(target, f"{command} {mark}\r")
    time.sleep(seconds + 0.2)  # no polling while it runs: that would cost CPU too
    after = [process_cpu(p) for p in pids]
    shown = len(term.counted)
    term.count(None)
    rig.wait_screen(target, mark, 30)
    return sum(after) - sum(before), after[-1] - before[-1], shown


def allowed(seconds: float, fps: float) -> int:
    """The frames aitui's budget lets through for a program redrawing ``fps`` times a second
    for ``seconds``: all of them for ``CONTINUOUS_AFTER_S``, then ``CONTINUOUS_FRAME_RATE``."""
    first = min(fps, FRAME_RATE) * min(seconds, CONTINUOUS_AFTER_S)
    rest = min(fps, CONTINUOUS_FRAME_RATE) * max(0.0, seconds - CONTINUOUS_AFTER_S)
    return round(first + rest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--fps", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--variants", default="spinner,full")
    parser.add_argument("--compositor", action="store_true", help="direct_draw = false")
    args = parser.parse_args()
    with bench_home() as (home, env):
        if args.compositor:
            Path(env["AITUI_CONFIG"]).write_text(COLD_CONFIG + "direct_draw = false\n")
        program = home / "ink.py"
        program.write_text(PROGRAM)
        aitui, tmux = AituiRig(home, env), TmuxRig(home, env)
        terms = []
        try:
            aitui.new_session("ink")
            pane = tmux.new_window()
            for rig in (aitui, tmux):
                term = rig.client()
                terms.append(term)
                term.wait_for(PROMPT.rstrip(), 30)
            pids = {
                "aitui": [*aitui.server_pids, terms[0].pid],
                "tmux": [*tmux.server_pids, terms[1].pid],
            }
            results: dict[str, dict[str, list[float]]] = {}
            counts: dict[str, dict[str, list[float]]] = {}
            for variant in args.variants.split(","):
                command = f"python3 {program} {variant} {args.seconds:g} {args.fps:g}"
                cpu: dict[str, list[float]] = {"aitui": [], "tmux": [], "dashboard": []}
                shown: dict[str, list[float]] = {"aitui": [], "tmux": []}
                for n in range(args.rounds):
                    mark = f"INK-DONE-{variant}-{n}"
                    total, dashboard, frames = run_round(
                        aitui, terms[0], "ink", pids["aitui"], command, args.seconds, mark
                    )
                    cpu["aitui"].append(total)
                    cpu["dashboard"].append(dashboard)
                    shown["aitui"].append(frames)
                    total, _, frames = run_round(
                        tmux, terms[1], pane, pids["tmux"], command, args.seconds, mark
                    )
                    cpu["tmux"].append(total)
                    shown["tmux"].append(frames)
                results[variant] = cpu
                counts[variant] = shown
        finally:
            for term in terms:
                term.close()
            aitui.close()
            tmux.close()
    print(
        f"a 40x80 Ink-like frame at {args.fps:g} fps for {args.seconds:g} s, shown in one "
        f"attached client; CPU seconds of server + client, {args.rounds} rounds"
    )
    for variant, cpu in results.items():
        ratios = [
            a / t if t > 0 else float("inf") for a, t in zip(cpu["aitui"], cpu["tmux"], strict=True)
        ]
        ratio = statistics.median(ratios)
        target = TARGETS.get(variant, 1.0)
        verdict = "met" if ratio <= target else "not met"
        print(
            f"{variant:8} aitui {spread(cpu['aitui'], ' s', 2)}, "
            f"tmux {spread(cpu['tmux'], ' s', 2)}: "
            f"ratio {spread(ratios, 'x', 1)} (target <= {target:g}x: {verdict}); "
            f"of aitui's, the dashboard {spread(cpu['dashboard'], ' s', 2)}"
        )
        shown = counts[variant]
        print(
            f"{'':8} frames shown: aitui {spread(shown['aitui'], '', 0)} "
            f"(the budget allows {allowed(args.seconds, args.fps)}), "
            f"tmux {spread(shown['tmux'], '', 0)}, of the program's "
            f"{round(args.seconds * args.fps)}"
        )


if __name__ == "__main__":
    main()
