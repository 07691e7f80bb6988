"""Attach to a server running 20 sessions: the time to the first complete frame, against
``tmux attach`` to a tmux server with 20 windows, in the same run.

    .venv/bin/python benchmarks/server_attach.py [--sessions 20] [--rounds 5]

An ``aitui server`` with ``--sessions`` bash sessions and a tmux server with as many bash
windows, each of which has printed ``pane NN ready``. Each round launches the real
``aitui -S SOCK`` and ``tmux attach`` (alternating which goes first) in a 160x50 PTY that this
process reads and parses as a terminal would (``PtyTerminal``), and times from the launch (just
before ``fork``) to the read after which the terminal shows the shown session's content (a
``pane NN ready`` line) and, for aitui, the whole session list (the last session's name; tmux
has no list beside its status line). The client then detaches (prefix d, tmux's C-b d) and
ends. Target: the aitui figure within 200 ms; the ratio to tmux is printed beside it. For
where the time goes, each round also times a Python that only imports what the dashboard
needs (``IMPORTS``) and exits.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import spread
from pty_terminal import PtyTerminal
from server_rig import AituiRig, TmuxRig, bench_home

TARGET_MS = 200
READY = re.compile(r"pane \d\d ready")
#: What ``aitui -S`` imports before it shows a session: the CLI and its parser, the dashboard,
#: the client and its connection (which ``aitui.client.spawn`` loads only when it attaches).
IMPORTS = (
    "import aitui.cli; aitui.cli.build_parser(); import aitui.cli.dashboard, aitui.dashboard.app, "
    "aitui.client.spawn, aitui.client.connection, aitui.client.remote"
)


def import_ms(env: dict[str, str]) -> float:
    """Milliseconds for a Python to start and import what the dashboard needs, then exit: the
    share of the first frame that is start-up, before any connection."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", IMPORTS], env=env, check=True)
    return (time.perf_counter() - started) * 1000


def announce(n: int) -> str:
    """What session ``n`` types, so that its screen shows ``pane NN ready`` (the command
    itself does not match ``READY``)."""
    return f"clear; printf 'pane %02d ready\\n' {n}\r"


def first_frame(term: PtyTerminal, also: str | None) -> float:
    """Milliseconds from the client's launch until it shows a ready pane (and ``also``)."""
    seen = max(term.first_seen([READY] if also is None else [READY, also], 30))
    return (seen - term.started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"aitui": [], "aitui warm": [], "tmux": []}
    imports: list[float] = []
    with bench_home() as (home, env):
        aitui, tmux = AituiRig(home, env), TmuxRig(home, env)
        try:
            names = [f"s{n:02d}" for n in range(1, args.sessions + 1)]
            for n, name in enumerate(names, 1):
                aitui.new_session(name)
                aitui.send(name, announce(n))
                pane = tmux.new_window()
                tmux.send(pane, announce(n))
            for n, name in enumerate(names, 1):
                aitui.wait_screen(name, f"pane {n:02d} ready")
            for round_ in range(2 * args.rounds):
                warm = round_ >= args.rounds  # the cold rounds first, then a warm dashboard
                if round_ == args.rounds:
                    aitui.start_warm()
                    time.sleep(1.0)  # its start-up's CPU settles
                order = ["aitui", "tmux"] if round_ % 2 == 0 else ["tmux", "aitui"]
                for system in order:
                    if system == "aitui":
                        term = aitui.client()
                        detach = b"\x1dd"
                        system = "aitui warm" if warm else "aitui"
                        times[system].append(first_frame(term, names[-1]))
                    else:
                        term = tmux.client()
                        detach = b"\x02d"
                        times[system].append(first_frame(term, None))
                    term.type(detach)
                    time.sleep(0.3)
                    term.close()
                    time.sleep(0.3)
                if not warm:
                    imports.append(import_ms(env))
                shown = "aitui warm" if warm else "aitui"
                print(
                    f"round {round_ + 1}: {shown} {times[shown][-1]:.0f} ms, "
                    f"tmux {times['tmux'][-1]:.0f} ms"
                    + ("" if warm else f"; Python start + imports {imports[-1]:.0f} ms"),
                    flush=True,
                )
        finally:
            aitui.close()
            tmux.close()
    tmux_cold, tmux_warm = times["tmux"][: args.rounds], times["tmux"][args.rounds :]
    print(f"\n{args.sessions} sessions, {args.rounds} rounds each; median [range]")
    for system, tmux_ms in (("aitui", tmux_cold), ("aitui warm", tmux_warm)):
        ratios = [a / t for a, t in zip(times[system], tmux_ms, strict=True)]
        ms = statistics.median(times[system])
        what = (
            "a warm dashboard waiting (the default)"
            if system == "aitui warm"
            else "no warm dashboard (warm_dashboard = false)"
        )
        print(
            f"launch to first complete frame, {what}: aitui -S {spread(times[system], ' ms', 0)}"
            f", tmux attach {spread(tmux_ms, ' ms', 0)}: ratio {spread(ratios, 'x', 1)} "
            f"(target <= {TARGET_MS} ms: {'met' if ms <= TARGET_MS else 'not met'})"
        )
    print(
        "of which, without a warm dashboard, starting Python and importing the dashboard "
        f"(no connection, no drawing): {spread(imports, ' ms', 0)}"
    )


if __name__ == "__main__":
    main()
