"""Latency of ``execute("true")`` and ``execute("echo hi")``, beside tmux doing the same.

The reference is what an orchestrator does without aitui: type the command into a tmux pane with
``tmux send-keys`` and wait for it with ``tmux wait-for`` (the command signals the channel when
it ends). Both run on this machine in the same run, so the ratio is meaningful even on a noisy
box. Run: ``.venv/bin/python benchmarks/execute_latency.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from figures import percentile

from aitui import AISession, SessionConfig

COMMANDS = ("true", "echo hi")


async def time_calls(call: Callable[[], Awaitable[object]], runs: int) -> list[float]:
    for _ in range(5):  # warm up
        await call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def aitui_samples(shell: str, command: str, runs: int) -> list[float]:
    session = AISession(SessionConfig(shell=shell, working_directory=Path(tempfile.gettempdir())))
    await session.start()
    try:

        async def call() -> None:
            result = await session.execute(command)
            assert result.exit_code == 0, result

        return await time_calls(call, runs)
    finally:
        await session.stop()


async def tmux_samples(command: str, runs: int) -> list[float]:
    socket = "aitui-bench-latency"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    subprocess.run([*tmux, "kill-server"], capture_output=True)
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "b", "-x", "80", "-y", "24", "bash --norc"], check=True
    )
    try:

        async def call() -> None:
            proc = await asyncio.create_subprocess_exec(
                *tmux,
                "send-keys",
                "-t",
                "b",
                f"{command}; tmux -L {socket} wait-for -S done",
                "Enter",
            )
            await proc.wait()
            waiter = await asyncio.create_subprocess_exec(*tmux, "wait-for", "done")
            await waiter.wait()

        return await time_calls(call, runs)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def row(label: str, samples: list[float]) -> str:
    return f"| {label:<34} | {statistics.median(samples):8.2f} | {percentile(samples, 0.95):8.2f} |"


async def main(runs: int) -> None:
    print(f"execute latency, {runs} runs each (ms)\n")
    print(f"| {'what':<34} | {'median':>8} | {'p95':>8} |")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 10}|")
    medians: dict[tuple[str, str], float] = {}
    for command in COMMANDS:
        for shell in ("bash", "sh"):
            samples = await aitui_samples(shell, command, runs)
            medians[(shell, command)] = statistics.median(samples)
            mode = "hooks" if shell == "bash" else "sentinel"
            print(row(f'aitui {shell} ({mode}) "{command}"', samples))
        if shutil.which("tmux"):
            samples = await tmux_samples(command, runs)
            medians[("tmux", command)] = statistics.median(samples)
            print(row(f'tmux send-keys + wait-for "{command}"', samples))
    if ("tmux", "true") in medians:
        print()
        for command in COMMANDS:
            ratio = medians[("tmux", command)] / medians[("bash", command)]
            print(
                f'"{command}": aitui (bash) is {ratio:.1f}x faster than tmux send-keys + wait-for'
            )
    else:
        print("\n(tmux not installed: no reference measured)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    asyncio.run(main(parser.parse_args().runs))
