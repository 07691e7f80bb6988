"""A flood into a session on display in an attached dashboard: the program's slowdown against a
bare PTY, and the CPU the server and the dashboard spend per MB against tmux's server and client.

    .venv/bin/python benchmarks/server_flood.py [--mb 10] [--rounds 15] [--stream text]

Set up once, in the same run: an ``aitui server`` with one bash session and the real
``aitui -S SOCK`` attached to it (the session on display), and a tmux server with one bash
window and ``tmux attach``; each client in a 160x50 PTY that a thread drains as fast as a
terminal would (``PtyTerminal`` without parsing, as ``dashboard_flood.py`` drains). A script
(``dashboard_flood.timing_script``) times ``cat FILE`` with ``date +%s%N``; each round runs it
in a bare PTY, typed into the aitui session, typed into the tmux pane, and in a bare PTY again
(aitui and tmux in alternating order). Figures:

* slowdown: ``cat`` in the session / the mean of the round's two bare runs (target <= 1.1x,
  met when the 95% bootstrap interval of the median ends at or under it, as in
  ``throughput.py``), tmux's for scale;
* CPU per MB: the CPU seconds (the scheduler's: ``process_cpu(precise=True)``) the server
  and the client used from typing the command until both were quiet again (they had drawn
  what they were going to), per MB written, for aitui (server + dashboard) and tmux (server +
  client), and the per-round ratio aitui / tmux (target <= 1).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard_flood import bare_seconds, timing_script
from figures import spread
from pty_terminal import PtyTerminal, process_cpu, wait_quiet
from server_rig import PROMPT, AituiRig, TmuxRig, bench_home
from throughput import MB, TARGET, make_ls, make_repaint, make_text, median_interval, verdict_of


class Flooded:
    """One system with a session on display in an attached client."""

    def __init__(
        self,
        pids: list[int],
        term: PtyTerminal,
        type_: Callable[[str], None],
        close: Callable[[], None],
    ) -> None:
        self.pids, self.term, self.type, self.close = pids, term, type_, close

    def run(self, script: Path, out: Path) -> tuple[float, list[float]]:
        """(seconds ``cat`` took, CPU seconds the server and the client each used for it)."""
        out.unlink(missing_ok=True)
        before = [process_cpu(p, precise=True) for p in self.pids]
        self.type(f"{script}\r")
        deadline = time.monotonic() + 120
        while not out.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{script} did not report a time within 120 s")
            time.sleep(0.02)
        cpu = [after - was for after, was in zip(wait_quiet(self.pids), before, strict=True)]
        self.type("clear\r")
        time.sleep(0.3)
        return int(out.read_text()) / 1e9, cpu


def aitui_flooded(home: Path, env: dict[str, str]) -> Flooded:
    rig = AituiRig(home, env)
    rig.new_session("flood")
    term = rig.client(emulate=False)
    rig.wait_screen("flood", PROMPT.rstrip())
    time.sleep(2.0)  # the dashboard's start (a drained terminal cannot say when it has drawn)

    def close() -> None:
        term.close()
        rig.close()

    return Flooded([*rig.server_pids, term.pid], term, lambda text: rig.send("flood", text), close)


def tmux_flooded(home: Path, env: dict[str, str]) -> Flooded:
    rig = TmuxRig(home, env)
    pane = rig.new_window()
    term = rig.client(emulate=False)
    time.sleep(0.5)

    def close() -> None:
        term.close()
        rig.close()

    return Flooded([*rig.server_pids, term.pid], term, lambda text: rig.send(pane, text), close)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--stream", default="text", choices=["text", "ls", "repaint"])
    args = parser.parse_args()
    makers = {"text": make_text, "ls": make_ls, "repaint": make_repaint}
    with bench_home() as (home, env):
        data = home / f"{args.stream}.bin"
        data.write_bytes(makers[args.stream](int(args.mb * MB)))
        mb = data.stat().st_size / MB
        scripts = {
            name: timing_script(home, data, 0, linger=name == "bare", name=name)
            for name in ("bare", "aitui", "tmux")
        }
        systems = {"aitui": aitui_flooded(home, env), "tmux": tmux_flooded(home, env)}
        seconds: dict[str, list[float]] = {"bare": [], "aitui": [], "tmux": []}
        ratios: dict[str, list[float]] = {"aitui": [], "tmux": []}
        cpu_per_mb: dict[str, list[float]] = {"aitui": [], "tmux": []}
        server_share: dict[str, list[float]] = {"aitui": [], "tmux": []}
        try:
            for round_ in range(args.rounds):
                before = bare_seconds(*scripts["bare"], env)
                inside = {}
                order = ["aitui", "tmux"] if round_ % 2 == 0 else ["tmux", "aitui"]
                for name in order:
                    inside[name], cpu = systems[name].run(*scripts[name])
                    cpu_per_mb[name].append(sum(cpu) / mb)
                    server_share[name].append(cpu[0] / max(sum(cpu), 1e-9))
                after = bare_seconds(*scripts["bare"], env)
                seconds["bare"] += [before, after]
                for name, took in inside.items():
                    seconds[name].append(took)
                    ratios[name].append(took / ((before + after) / 2))
                print(
                    f"round {round_ + 1}: bare {before:.3f}s/{after:.3f}s, "
                    + ", ".join(
                        f"{n} {inside[n]:.3f}s ({cpu_per_mb[n][-1]:.3f} CPU s/MB)" for n in order
                    ),
                    flush=True,
                )
        finally:
            for system in systems.values():
                system.close()
    print(f"\n{args.stream} {mb:.1f} MB, {args.rounds} rounds; median [range] over the rounds")
    for name in ("aitui", "tmux"):
        low, high = median_interval(ratios[name])
        ratio = statistics.median(ratios[name])
        target = f"target <= {TARGET}x: {verdict_of(ratio, high)}" if name == "aitui" else "scale"
        print(
            f"{name}: cat into a session on display in an attached client "
            f"{spread(seconds[name], 's', 3)}, in a bare PTY {spread(seconds['bare'], 's', 3)}: "
            f"slowdown {ratio:.2f}x [95% CI {low:.2f}-{high:.2f}] ({target})"
        )
    cpu_ratio = [
        a / t if t > 0 else float("inf")
        for a, t in zip(cpu_per_mb["aitui"], cpu_per_mb["tmux"], strict=True)
    ]
    print(
        f"CPU per MB: aitui server + dashboard {spread(cpu_per_mb['aitui'], ' s', 3)}, "
        f"tmux server + client {spread(cpu_per_mb['tmux'], ' s', 3)}: "
        f"ratio {spread(cpu_ratio, 'x')} (target <= 1x: "
        f"{'met' if statistics.median(cpu_ratio) <= 1 else 'not met'}); the server's share "
        f"of it: aitui {spread(server_share['aitui'], '', 2)}, "
        f"tmux {spread(server_share['tmux'], '', 2)}"
    )


if __name__ == "__main__":
    main()
