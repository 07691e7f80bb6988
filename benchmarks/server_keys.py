"""Keystroke to echo in an attached dashboard, with and without another visible session
flooding, against a ``tmux attach`` client set up the same way, in the same run.

    .venv/bin/python benchmarks/server_keys.py [--keys 100] [--rounds 3] [--gap 0.03]

Both clients run in a 160x50 PTY that this process reads as a terminal would, parsing what they
draw with one emulator (``pty_terminal.PtyTerminal``); a key's latency runs from writing it to
the PTY to the read after which the typing pane's line shows it (``bench$ abc...``):

* aitui: ``aitui server`` with two bash sessions, ``flood`` and ``typing``; the real
  ``aitui -S SOCK`` attached, grid view (prefix g), the focus on ``typing``;
* tmux: a tmux server with one window split in two bash panes, ``tmux attach``, the focus on
  the second pane.

Each round sets both up afresh (in alternating order) and types ``--keys`` keys with no flood,
then again while the other pane runs ``yes``, pausing ``--gap`` seconds between keys (a fast
typist's pace: keys typed back to back would measure the frame budget, not a keystroke). Each
round gives each client a p50 and a p99; printed are their medians over the rounds with the
range, and the median of the per-round ratios aitui / tmux (target: at most 1, no worse than
tmux) with its range. Then, for where the time goes, the server's share alone
(``server_wire.py``: the same keys sent over ``/attach`` by a bare client, no dashboard).
``--compositor`` runs the dashboard with ``direct_draw = false``, for comparison.
"""

from __future__ import annotations

import argparse
import statistics
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import percentile, spread
from pty_terminal import PtyTerminal
from server_rig import COLD_CONFIG, PROMPT, AituiRig, TmuxRig, bench_home
from server_wire import wire_latencies

FLOOD = "yes 'flooding the dashboard with output'\r"
#: Keys typed on one line before it is cleared (Ctrl+U): shorter than a grid pane's width.
LINE = 30
PREFIX = b"\x1d"  # ctrl+]


class Client(Protocol):
    """One system set up for typing: its client, and how to start and stop the flood."""

    term: PtyTerminal

    def flood(self, on: bool) -> None: ...

    def close(self) -> None: ...


def type_keys(term: PtyTerminal, keys: int, gap: float) -> list[float]:
    """Milliseconds from each key written to its echo on the terminal."""
    latencies: list[float] = []
    typed = ""
    for i in range(keys):
        if len(typed) >= LINE:
            clear_line(term, typed)
            typed = ""
        typed += string.ascii_lowercase[i % 26]
        time.sleep(gap)
        if term.expect(PROMPT + typed):
            raise RuntimeError(f"{PROMPT + typed!r} was on the terminal before it was typed")
        sent = term.type(typed[-1].encode())
        latencies.append((term.wait() - sent) * 1000)
    clear_line(term, typed)
    return latencies


def clear_line(term: PtyTerminal, typed: str) -> None:
    """Erase the typed line (readline's Ctrl+U) and wait until the terminal shows it gone."""
    term.type(b"\x15")
    deadline = time.monotonic() + 10
    while term.shows(PROMPT + typed):
        if time.monotonic() > deadline:
            raise TimeoutError("the line was not cleared")
        time.sleep(0.002)


class AituiClient:
    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.rig = AituiRig(home, env)
        try:
            for name in ("flood", "typing"):
                self.rig.new_session(name)
            self.term = self.rig.client()
            self.term.wait_for(PROMPT, 30)
            self.term.type(PREFIX + b"g")  # grid: both sessions on display
            deadline = time.monotonic() + 10
            while self._prompts() < 2:
                if time.monotonic() > deadline:
                    raise TimeoutError("the grid did not show both sessions")
                time.sleep(0.02)
            self.term.type(b"\x1b2")  # alt+2: the focus on the second session, typing
            time.sleep(0.3)
            self.term.type(b"q")  # a probe: the keys must reach ``typing``
            self.rig.wait_screen("typing", PROMPT + "q")
            self.term.type(b"\x15")
            self.rig.wait_screen("typing", PROMPT + "q", gone=True)
        except BaseException:
            self.close()
            raise

    def _prompts(self) -> int:
        assert self.term.screen is not None
        return sum(line.count(PROMPT.strip()) for line in self.term.screen.display())

    def flood(self, on: bool) -> None:
        self.rig.send("flood", FLOOD if on else "\x03")

    def close(self) -> None:
        if hasattr(self, "term"):
            self.term.close()
        self.rig.close()


class TmuxClient:
    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.rig = TmuxRig(home, env)
        try:
            self.flood_pane = self.rig.new_window()
            self.rig.split()
            self.term = self.rig.client()
            self.term.wait_for(PROMPT, 30)
        except BaseException:
            self.close()
            raise

    def flood(self, on: bool) -> None:
        if on:
            self.rig.send(self.flood_pane, FLOOD)
        else:
            self.rig.tmux("send-keys", "-t", self.flood_pane, "C-c")

    def close(self) -> None:
        if hasattr(self, "term"):
            self.term.close()
        self.rig.close()


def wire_round(keys: int, gap: float) -> dict[str, list[float]]:
    """The same keys into a fresh server's ``typing`` session over ``/attach``, no dashboard."""
    with bench_home() as (home, env):
        rig = AituiRig(home, env)
        try:
            for name in ("flood", "typing"):
                rig.new_session(name)
            return wire_latencies(
                rig.sock, keys, gap, lambda on: rig.send("flood", FLOOD if on else "\x03")
            )
        finally:
            rig.close()


SYSTEMS: dict[str, Callable[[Path, dict[str, str]], Client]] = {
    "aitui": AituiClient,
    "tmux": TmuxClient,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=100, help="keys per round and condition")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--gap", type=float, default=0.03, help="seconds between keys")
    parser.add_argument("--compositor", action="store_true", help="direct_draw = false")
    args = parser.parse_args()
    # results[condition][system] = [(p50, p99) per round]
    results: dict[str, dict[str, list[tuple[float, float]]]] = {
        c: {s: [] for s in SYSTEMS} for c in ("idle", "flood")
    }
    wires: dict[str, list[tuple[float, float]]] = {"idle": [], "flood": []}
    order = list(SYSTEMS)
    for round_ in range(args.rounds):
        for system in order if round_ % 2 == 0 else order[::-1]:
            with bench_home() as (home, env):
                if args.compositor:
                    Path(env["AITUI_CONFIG"]).write_text(COLD_CONFIG + "direct_draw = false\n")
                client = SYSTEMS[system](home, env)
                try:
                    for condition in ("idle", "flood"):
                        if condition == "flood":
                            client.flood(True)
                            time.sleep(0.5)
                        samples = type_keys(client.term, args.keys, args.gap)
                        p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
                        results[condition][system].append((p50, p99))
                        print(
                            f"round {round_ + 1} {system:5} {condition:5}: "
                            f"p50 {p50:.2f} ms, p99 {p99:.2f} ms",
                            flush=True,
                        )
                    client.flood(False)
                finally:
                    client.close()
        wire = wire_round(args.keys, args.gap)
        for condition, samples in wire.items():
            p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
            wires[condition].append((p50, p99))
            print(f"round {round_ + 1} wire  {condition:5}: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    print(
        f"\n{args.keys} keys per round and condition, {args.rounds} rounds, "
        f"{args.gap * 1000:.0f} ms between keys; median [range] over the rounds"
    )
    for condition, label in (("idle", "no flood"), ("flood", "another visible session floods")):
        print(f"\n{label}:")
        for q, name in ((0, "p50"), (1, "p99")):
            figures = {s: [r[q] for r in results[condition][s]] for s in SYSTEMS}
            ratios = [a / t for a, t in zip(figures["aitui"], figures["tmux"], strict=True)]
            ratio = spread(ratios, "x")
            verdict = _verdict(ratios)
            print(
                f"  key -> echo {name}: aitui {spread(figures['aitui'], ' ms')}, "
                f"tmux {spread(figures['tmux'], ' ms')}: ratio {ratio} "
                f"(target <= 1x, tmux's: {verdict})"
            )
        print(
            "  of which the server (keys over /attach from a bare client, no dashboard): "
            + ", ".join(
                f"{name} {spread([r[q] for r in wires[condition]], ' ms')}"
                for q, name in ((0, "p50"), (1, "p99"))
            )
        )


def _verdict(ratios: list[float]) -> str:
    """``met`` when every round's ratio is at most 1, ``median met`` when the median is."""
    if max(ratios) <= 1:
        return "met"
    return "median met" if statistics.median(ratios) <= 1 else "not met"


if __name__ == "__main__":
    main()
