"""A scripting command's cost, start to exit, against tmux's own command for the same job.

An orchestrator (a script, an agent through its shell) drives sessions by running ``aitui ls``,
``aitui read``, ``aitui send`` and ``aitui keys`` again and again; tmux's ``list-windows``,
``capture-pane -p``, ``send-keys -l`` and ``send-keys`` do the same jobs. Each pair runs on a
server of its own with one bash session, in turn (aitui, tmux, aitui, tmux...), and the CPU
seconds of the finished command (its own user + system time, from ``wait4``) and its wall time
are taken; the ratio is taken pair by pair, so the machine's drift moves both sides. The
servers' own work is not counted: what is measured is what a caller waits for and pays.

Run: ``.venv/bin/python benchmarks/cli_latency.py [--calls 20] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import spread
from server_rig import AITUI, AituiRig, TmuxRig, bench_home


def run_timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU ms, wall ms) of one run of ``argv``, which must succeed."""
    started = time.perf_counter()
    child = subprocess.Popen(
        argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        error = child.stderr.read().decode() if child.stderr else ""
        raise RuntimeError(f"{argv} failed ({child.returncode}): {error}")
    if child.stderr:
        child.stderr.close()
    return (usage.ru_utime + usage.ru_stime) * 1000, wall


def jobs(aitui: AituiRig, tmux: TmuxRig, pane: str) -> dict[str, tuple[list[str], list[str]]]:
    """Each job as (aitui's command, tmux's command)."""
    a = [str(AITUI), "-S", str(aitui.sock)]
    return {
        "list sessions": ([*a, "ls"], [*tmux.base, "list-windows", "-a"]),
        "read the screen": ([*a, "read", "s1"], [*tmux.base, "capture-pane", "-p", "-t", pane]),
        "type text": ([*a, "send", "s1", "#"], [*tmux.base, "send-keys", "-t", pane, "-l", "#"]),
        "press a key": (
            [*a, "keys", "s1", "BSpace"],
            [*tmux.base, "send-keys", "-t", pane, "BSpace"],
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=20, help="pairs of calls a job a round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    with bench_home() as (home, env):
        aitui, tmux = AituiRig(home, env), TmuxRig(home, env)
        try:
            aitui.new_session("s1")
            pane = tmux.new_window()
            table = jobs(aitui, tmux, pane)
            results: dict[str, dict[str, list[float]]] = {
                name: {"cpu": [], "wall": [], "tmux cpu": [], "tmux wall": [], "ratio": []}
                for name in table
            }
            for round_ in range(args.rounds):
                for name, (ours, theirs) in table.items():
                    run_timed(ours, env), run_timed(theirs, env)  # warm the page cache
                    cpu, wall, tcpu, twall, ratios = [], [], [], [], []
                    for _ in range(args.calls):
                        c, w = run_timed(ours, env)
                        tc, tw = run_timed(theirs, env)
                        cpu.append(c), wall.append(w), tcpu.append(tc), twall.append(tw)
                        ratios.append(w / tw)
                    row = results[name]
                    row["cpu"].append(statistics.median(cpu))
                    row["wall"].append(statistics.median(wall))
                    row["tmux cpu"].append(statistics.median(tcpu))
                    row["tmux wall"].append(statistics.median(twall))
                    row["ratio"].append(statistics.median(ratios))
                print(f"round {round_ + 1} of {args.rounds} done", flush=True)
        finally:
            aitui.close()
            subprocess.run([*tmux.base, "kill-server"], env=env, check=False)
    print(
        f"\nmedians of each round's median over {args.calls} calls, median [range] over "
        f"{args.rounds} rounds:"
    )
    print("| job | aitui CPU ms | aitui wall ms | tmux CPU ms | tmux wall ms | wall ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in results.items():
        print(
            f"| {name} | {spread(row['cpu'], digits=1)} | {spread(row['wall'], digits=1)} | "
            f"{spread(row['tmux cpu'], digits=1)} | {spread(row['tmux wall'], digits=1)} | "
            f"{spread(row['ratio'], 'x', digits=1)} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
