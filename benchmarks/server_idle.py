"""20 idle sessions with a dashboard attached: the CPU the server and the dashboard use
together, against tmux's server and client with 20 idle windows, over the same 60 seconds.

    .venv/bin/python benchmarks/server_idle.py [--sessions 20] [--seconds 60] [--windows 6]

An ``aitui server`` with ``--sessions`` bash sessions at their prompt and the real
``aitui -S SOCK`` attached (in a 160x50 PTY this process drains and parses, as a terminal
would), and a tmux server with as many bash windows and ``tmux attach`` in the same kind of PTY.
Both are set up, left 3 s to settle, then measured at the same time (both idle: they do not
compete) for ``--seconds``, cut into ``--windows`` equal windows. CPU is the scheduler's
nanoseconds for every thread of the server and of the client (``process_cpu(precise=True)``;
clock ticks would round an idle process to zero). Printed: the CPU per cent of one core over
the whole span for each and the ratio aitui / tmux, and the median [range] over the windows.
Target: aitui's server and dashboard together under 1%.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import spread
from pty_terminal import process_cpu
from server_rig import PROMPT, AituiRig, TmuxRig, bench_home

TARGET_PERCENT = 1.0
SETTLE_SECONDS = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--windows", type=int, default=6)
    args = parser.parse_args()
    with bench_home() as (home, env):
        aitui, tmux = AituiRig(home, env), TmuxRig(home, env)
        terms = []
        try:
            for n in range(1, args.sessions + 1):
                aitui.new_session(f"s{n:02d}")
                tmux.new_window()
            for rig in (aitui, tmux):
                term = rig.client()
                terms.append(term)
                term.wait_for(PROMPT.rstrip(), 30)
            pids = {
                "aitui": [*aitui.server_pids, terms[0].pid],
                "tmux": [*tmux.server_pids, terms[1].pid],
            }
            time.sleep(SETTLE_SECONDS)
            windows: dict[str, list[float]] = {"aitui": [], "tmux": []}
            span = args.seconds / args.windows

            def cpu() -> dict[str, float]:
                return {k: sum(process_cpu(p, precise=True) for p in v) for k, v in pids.items()}

            server_start = process_cpu(aitui.server_pid, precise=True)
            start = last = cpu()
            began = time.perf_counter()
            for _ in range(args.windows):
                time.sleep(span)
                now = cpu()
                for name in windows:
                    windows[name].append((now[name] - last[name]) / span * 100)
                last = now
            elapsed = time.perf_counter() - began
            total = {name: (last[name] - start[name]) / elapsed * 100 for name in windows}
            server = (process_cpu(aitui.server_pid, precise=True) - server_start) / elapsed * 100
        finally:
            for term in terms:
                term.close()
            aitui.close()
            tmux.close()
    verdict = "met" if total["aitui"] < TARGET_PERCENT else "not met"
    ratio = total["aitui"] / total["tmux"] if total["tmux"] > 0 else float("inf")
    window_ratios = [
        a / t if t > 0 else float("inf") for a, t in zip(*windows.values(), strict=True)
    ]
    print(
        f"{args.sessions} idle sessions, a client attached, {elapsed:.0f} s in {args.windows} "
        f"windows; CPU % of one core, server + client\n"
        f"over the whole span: aitui {total['aitui']:.3f}%, tmux {total['tmux']:.3f}%: "
        f"ratio {ratio:.1f}x (target aitui < {TARGET_PERCENT:g}%: {verdict}); of aitui's, "
        f"the server {server:.3f}%, the dashboard {total['aitui'] - server:.3f}%\n"
        f"per window: aitui {spread(windows['aitui'], '%', 3)}, "
        f"tmux {spread(windows['tmux'], '%', 3)}, ratio {spread(window_ratios, 'x', 1)}"
    )


if __name__ == "__main__":
    main()
