"""Memory and start-up: the server and the attached dashboard measured separately, against
tmux's server and ``tmux attach`` with the same sessions, in the same run.

    .venv/bin/python benchmarks/memory_startup.py [--sessions 1,10,30] [--rounds 3] [--launches 5]

**Memory.** Each round starts an ``aitui server --no-persist`` and a tmux server (``server_rig``)
and, for each count in ``--sessions`` in turn, adds idle bash sessions (tmux windows) up to it,
attaches a client of each in a 160x50 PTY (``aitui -S SOCK``, ``tmux attach``), waits for the
prompt and for both to go quiet, and reads each process's RSS and PSS (``/proc/PID/status``,
``smaps_rollup``: PSS shares a page between the processes that map it, so the two Pythons do
not both count the interpreter's shared libraries in full). The shells are not counted in
either. Printed per count: median [range] over the rounds, and the ratio of server + client
RSS, aitui / tmux. Then what each further session costs (from the first count to the last) and
the targets: the dashboard with one session at most 60 MB RSS, each further one at most 1 MB.

**Start-up.** ``--launches`` rounds (alternating which goes first) time from the launch (just
before ``fork``) to the read after which the terminal shows the shell prompt: ``aitui -S SOCK``
with no server on SOCK (it starts one, which makes the first session) against ``tmux -L NAME
new-session`` (a fresh tmux server); and ``aitui -S SOCK`` attaching to a running server with
one session at its prompt against ``tmux attach``, first with no warm dashboard, then with the
one a dashboard starts once attached (``aitui.cli.warm_server``, the default; its own RSS and
PSS are printed too). Targets: 300 ms and 200 ms. When aitui's whole dashboard is drawn (its
footer on screen, which may come before the sessions or after the prompt) is timed too; both
are dated by the read that first showed them, watched at once (``PtyTerminal.first_seen``). For
where the time goes, each round also times a Python that imports what the dashboard needs and
exits, and one that imports only ``textual.app`` (the floor any Textual dashboard pays).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import spread
from pty_terminal import PtyTerminal, wait_quiet
from server_attach import IMPORTS
from server_rig import AITUI, COLS, PROMPT, ROWS, AituiRig, TmuxRig, bench_home

DASHBOARD_MB, PER_SESSION_MB = 60.0, 1.0
FRESH_MS, ATTACH_MS = 300, 200
DETACH = {"aitui": b"\x1dd", "tmux": b"\x02d"}
#: On aitui's screen once the dashboard is drawn, sessions or not (a footer binding).
FRAME = "Attention"
SYSTEMS = ("aitui", "tmux")
ROLES = ("server", "client")


def memory_mb(pid: int) -> tuple[float, float]:
    """``pid``'s RSS and PSS in MB (PSS is RSS if the kernel has no ``smaps_rollup``)."""
    fields = {}
    for name in ("status", "smaps_rollup"):
        try:
            text = Path(f"/proc/{pid}/{name}").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "Pss"):
                fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields.get("Pss", fields["VmRSS"])


def measure_memory(counts: list[int]) -> dict[int, dict[str, tuple[float, float]]]:
    """One round: {count: {"aitui server": (rss, pss), ...}}."""
    found: dict[int, dict[str, tuple[float, float]]] = {}
    with bench_home() as (home, env):
        aitui, tmux = AituiRig(home, env), TmuxRig(home, env)
        try:
            made = 0
            for count in counts:
                for n in range(made + 1, count + 1):
                    aitui.new_session(f"s{n:02d}")
                    tmux.new_window()
                made = max(made, count)
                terms = {"aitui": aitui.client(), "tmux": tmux.client()}
                try:
                    for term in terms.values():
                        term.wait_for(PROMPT.rstrip(), 30)
                    pids = {
                        "aitui": (aitui.server_pid, terms["aitui"].pid),
                        "tmux": (tmux.server_pids[0], terms["tmux"].pid),
                    }
                    wait_quiet([p for pair in pids.values() for p in pair], timeout=10)
                    found[count] = {
                        f"{system} {role}": memory_mb(pid)
                        for system, pair in pids.items()
                        for role, pid in zip(ROLES, pair, strict=True)
                    }
                finally:
                    for system, term in terms.items():
                        term.type(DETACH[system])
                        term.close()
        finally:
            aitui.close()
            tmux.close()
    return found


def launch(argv: list[str], env: dict[str, str], system: str) -> tuple[float, float]:
    """Milliseconds from launching ``argv`` in a PTY to its first frame (aitui: the dashboard
    drawn, its footer on screen; tmux draws the prompt with its first frame) and to the prompt
    on its screen."""
    term = PtyTerminal(argv, env, ROWS, COLS)
    try:
        frame = FRAME if system == "aitui" else PROMPT.rstrip()
        drawn, shown = term.first_seen([frame, PROMPT.rstrip()], 30)
        term.type(DETACH[system])
    finally:
        term.close()
    return (drawn - term.started) * 1000, (shown - term.started) * 1000


def python_ms(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return (time.perf_counter() - started) * 1000


def measure_startup(launches: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {
        k: [] for k in ("aitui fresh", "tmux fresh", "aitui attach", "tmux attach")
    }
    times.update({"imports": [], "textual": [], "aitui fresh frame": [], "aitui attach frame": []})
    times.update({"aitui warm": [], "tmux warm": [], "warm rss": [], "warm pss": []})
    with bench_home() as (home, env):
        env["SHELL"] = shutil.which("bash") or "/bin/bash"  # aitui's first session: bash
        aitui, tmux = AituiRig(home, env), TmuxRig(home, env)
        try:
            aitui.new_session("s01")
            tmux.new_window()
            for round_ in range(launches):
                order = SYSTEMS if round_ % 2 == 0 else SYSTEMS[::-1]
                for system in order:
                    if system == "aitui":
                        sock = home / f"fresh-{round_}.sock"
                        argv = [str(AITUI), "-S", str(sock)]
                        for case, args in (("fresh", argv), ("attach", aitui.client_argv)):
                            drawn, shown = launch(args, env, system)
                            times[f"aitui {case} frame"].append(drawn)
                            times[f"aitui {case}"].append(shown)
                            if case == "fresh":
                                kill = [*argv, "kill-server"]
                                subprocess.run(kill, env=env, capture_output=True, check=False)
                    else:
                        base = ["tmux", "-L", f"aitui-fresh-{uuid.uuid4().hex[:8]}"]
                        fresh = [*base, "-f", tmux.conf, "new-session", "bash"]
                        times["tmux fresh"].append(launch(fresh, env, system)[1])
                        subprocess.run([*base, "kill-server"], env=env, check=False)
                        times["tmux attach"].append(launch(tmux.client_argv, env, system)[1])
                times["imports"].append(python_ms(IMPORTS, env))
                times["textual"].append(python_ms("import textual.app", env))
                print(
                    f"launch round {round_ + 1}: "
                    + ", ".join(f"{k} {v[-1]:.0f} ms" for k, v in times.items() if v),
                    flush=True,
                )
            # Then with the warm dashboard a dashboard starts once attached (the default):
            # the attach again, and what the waiting process itself holds.
            warm = aitui.start_warm()
            time.sleep(1.0)
            rss, pss = memory_mb(warm)
            times["warm rss"].append(rss)
            times["warm pss"].append(pss)
            for round_ in range(launches):
                order = SYSTEMS if round_ % 2 == 0 else SYSTEMS[::-1]
                for system in order:
                    argv = aitui.client_argv if system == "aitui" else tmux.client_argv
                    times[f"{system} warm"].append(launch(argv, env, system)[1])
                print(f"warm launch round {round_ + 1}: aitui {times['aitui warm'][-1]:.0f} ms")
        finally:
            aitui.close()
            tmux.close()
    return times


def report_memory(rounds: list[dict[int, dict[str, tuple[float, float]]]]) -> None:
    counts = sorted(rounds[0])
    print(f"\nmemory, MB: median [range] over {len(rounds)} rounds; RSS (PSS)")
    for count in counts:

        def of(key: str, which: int = 0, count: int = count) -> list[float]:
            return [r[count][key][which] for r in rounds]

        parts = [
            f"{key} {spread(of(key), '', 1)} ({statistics.median(of(key, 1)):.1f})"
            for key in (f"{s} {r}" for s in SYSTEMS for r in ROLES)
        ]
        totals = {
            s: [r[count][f"{s} server"][0] + r[count][f"{s} client"][0] for r in rounds]
            for s in SYSTEMS
        }
        ratios = [a / t for a, t in zip(totals["aitui"], totals["tmux"], strict=True)]
        both = {s: statistics.median(totals[s]) for s in SYSTEMS}
        print(
            f"{count} sessions: {', '.join(parts)}; server + client RSS aitui "
            f"{both['aitui']:.1f}, tmux {both['tmux']:.1f}: ratio {spread(ratios, 'x', 1)}"
        )
    first, last = counts[0], counts[-1]
    dashboard = statistics.median(r[first]["aitui client"][0] for r in rounds)
    print(
        f"dashboard with {first} session(s): {dashboard:.1f} MB RSS "
        f"(target <= {DASHBOARD_MB:g} MB: {'met' if dashboard <= DASHBOARD_MB else 'not met'})"
    )
    if last == first:
        return
    slopes = {
        key: statistics.median(
            (r[last][key][0] - r[first][key][0]) / (last - first) for r in rounds
        )
        for key in (f"{s} {role}" for s in SYSTEMS for role in ROLES)
    }
    met = "met" if slopes["aitui client"] <= PER_SESSION_MB else "not met"
    print(
        f"each further idle session, RSS ({first} to {last}): "
        + ", ".join(f"{key} {value:+.2f} MB" for key, value in slopes.items())
        + f" (target dashboard <= {PER_SESSION_MB:g} MB: {met})"
    )


def report_startup(times: dict[str, list[float]]) -> None:
    print(f"\nlaunch to prompt, ms: median [range] over {len(times['imports'])} rounds")
    cases = (("fresh", FRESH_MS), ("attach", ATTACH_MS), ("warm", ATTACH_MS))
    for case, target in cases:
        mine, theirs = times[f"aitui {case}"], times[f"tmux {case}"]
        ratios = [a / t for a, t in zip(mine, theirs, strict=True)]
        verdict = "met" if statistics.median(mine) <= target else "not met"
        label = {"attach": "attach (warm_dashboard = false)", "warm": "attach, warm"}
        print(
            f"{label.get(case, case)}: aitui {spread(mine, ' ms', 0)}, "
            f"tmux {spread(theirs, ' ms', 0)}: "
            f"ratio {spread(ratios, 'x', 1)} (target <= {target} ms: {verdict})"
        )
    print(
        f"aitui's whole dashboard drawn (its footer on screen): fresh "
        f"{spread(times['aitui fresh frame'], ' ms', 0)}, attach "
        f"{spread(times['aitui attach frame'], ' ms', 0)}"
    )
    print(
        f"of which Python start + the dashboard's imports {spread(times['imports'], ' ms', 0)};"
        f" textual.app alone {spread(times['textual'], ' ms', 0)}"
    )
    print(
        f"the warm dashboard waiting beside the server: RSS {times['warm rss'][0]:.1f} MB, "
        f"PSS {times['warm pss'][0]:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="1,10,30", help="session counts, ascending")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--launches", type=int, default=5)
    args = parser.parse_args()
    counts = sorted({int(n) for n in args.sessions.split(",")})
    rounds = []
    for round_ in range(args.rounds):
        rounds.append(measure_memory(counts))
        print(f"memory round {round_ + 1} done", flush=True)
    times = measure_startup(args.launches)
    report_memory(rounds)
    report_startup(times)


if __name__ == "__main__":
    main()
