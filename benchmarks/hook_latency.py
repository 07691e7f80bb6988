"""Hook to badge: from an agent running its hook command to the dashboard's row saying so.

    .venv/bin/python benchmarks/hook_latency.py [--rounds 40]

A real ``aitui server`` runs an agent session from the shipped ``claude`` profile, so its hooks
are wired exactly as for Claude Code (a ``--settings`` file whose hooks run ``python -m
aitui.client.hook EVENT``). The agent is a small stand-in (installed as ``claude`` on PATH)
that, for each line typed into it, notes the time and runs that event's hook command through
``sh -c`` with a Claude Code payload on stdin, as Claude Code does. A client attached over the
socket (``aitui.client.attach``, what the dashboard uses) notes when the session's row arrives
with the new state (UserPromptSubmit -> working, Stop -> done, alternating). The figure is the
time between the two: the hook's start-up, its request, the server's update and the row
reaching the client; the dashboard then redraws the row within its frame budget. Target:
under 50 ms. There is no tmux figure: tmux has no notion of an agent's state.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import spread
from server_rig import AituiRig, bench_home

from aitui.client import attach
from aitui.core.activity import Activity
from aitui.core.hosting import SessionChanged

TARGET_MS = 50
AGENT = """#!{python}
import json, subprocess, sys, time
settings = json.load(open(sys.argv[sys.argv.index("--settings") + 1]))
print("ready", flush=True)
for line in sys.stdin:
    event = line.strip()
    for entry in settings["hooks"].get(event, []):
        for hook in entry["hooks"]:
            with open({stamps!r}, "a") as f:
                f.write(f"{{time.time()}}\\n")
            payload = {{"session_id": "s", "cwd": ".", "hook_event_name": event}}
            subprocess.run(["sh", "-c", hook["command"]], input=json.dumps(payload), text=True)
"""
EVENTS = (("UserPromptSubmit", Activity.WORKING), ("Stop", Activity.DONE))


async def measure(rig: AituiRig, stamps: Path, rounds: int) -> list[float]:
    host = await attach(rig.sock, start=False)
    try:
        reply = rig.http.post("/host/sessions", json={"name": "agent", "agent": "claude"})
        reply.raise_for_status()
        key = reply.json()["key"]
        rig.wait_screen("agent", "ready")
        arrived: dict[Activity, float] = {}

        def seen(event: object) -> None:
            info = host.info(key)
            if isinstance(event, SessionChanged) and event.key == key and info is not None:
                arrived.setdefault(info.activity, time.time())

        unsubscribe = host.subscribe(seen)
        latencies = []
        for round_ in range(rounds):
            event, state = EVENTS[round_ % 2]
            arrived.clear()
            await asyncio.to_thread(rig.send, "agent", event + "\r")
            deadline = time.monotonic() + 20
            while state not in arrived:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{event}: the row never said {state}")
                await asyncio.sleep(0.001)
            text = await asyncio.to_thread(stamps.read_text)
            started = float(text.split()[-1])
            latencies.append((arrived[state] - started) * 1000)
        unsubscribe()
        return latencies
    finally:
        await host.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    with bench_home() as (home, env):
        bin_dir = home / "bin"
        bin_dir.mkdir()
        stamps = home / "stamps"
        agent = bin_dir / "claude"
        agent.write_text(AGENT.format(python=sys.executable, stamps=str(stamps)))
        agent.chmod(0o755)
        env["PATH"] = f"{bin_dir}:{env['PATH']}"
        rig = AituiRig(home, env)
        try:
            latencies = asyncio.run(measure(rig, stamps, args.rounds))
        finally:
            rig.close()
    p50 = statistics.median(latencies)
    p99 = sorted(latencies)[max(0, round(0.99 * len(latencies)) - 1)]
    print(f"hook to row, {len(latencies)} hooks: {spread(latencies, ' ms', 1)}")
    print(f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (target: under {TARGET_MS} ms)")


if __name__ == "__main__":
    os.environ.pop("AITUI_SOCKET", None)
    main()
