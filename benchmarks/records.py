"""What keeping a long-lived agent's AI context in the session records costs per save.

A context that has seen ``--commands`` commands (16 lines of output each: the context keeps a
window, the archive keeps the rest, up to its cap) is saved once; then one more command runs
and it is saved again, which is what every coalesced write of a busy agent costs. Measured:
the time the event loop spends taking the snapshot, and the time until the write is committed.
The reference, in the same run and the same store: the whole context encoded as one JSON blob
and written in one transaction (what a save would cost without the layout/messages split).
Nothing is hard-coded. Run: ``.venv/bin/python benchmarks/records.py [--commands N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from aitui.core.context import SessionContext
from aitui.core.context_state import message_json, snapshot
from aitui.core.records import SessionRecord, SessionRecords

ROUNDS = 20


def output(n: int) -> str:
    return "\n".join(hashlib.sha256(f"{n}.{i}".encode()).hexdigest() for i in range(16))


async def run(commands: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        records = await SessionRecords.open(Path(tmp) / "sessions.sqlite3")
        config = {"shell_command": None, "working_directory": tmp, "agent_role": None}
        await records.save(SessionRecord("s", "agent", config, "2026-01-01T00:00:00+00:00"))
        context = SessionContext(session_id="s")
        for n in range(commands):
            context.record_command(f"cat part{n}", output(n), 0)
        await records.save_context("s", snapshot(context))
        state = snapshot(context)
        size = sum(len(message_json(m)) for m in state.messages.values())

        on_loop, committed, whole = [], [], []
        for n in range(ROUNDS):
            context.record_command(f"cat more{n}", output(commands + n), 0)
            start = time.perf_counter()
            state = snapshot(context)
            taken = time.perf_counter()
            await records.save_context("s", state)
            done = time.perf_counter()
            on_loop.append(taken - start)
            committed.append(done - start)

            start = time.perf_counter()
            blob = json.dumps(
                {
                    "layout": state.layout,
                    "messages": [message_json(m) for m in state.messages.values()],
                }
            )

            def write(conn: sqlite3.Connection, blob: str = blob) -> None:
                conn.execute("CREATE TABLE IF NOT EXISTS whole (id TEXT PRIMARY KEY, blob TEXT)")
                conn.execute("INSERT OR REPLACE INTO whole VALUES ('s', ?)", (blob,))

            await records._store.run(write)
            whole.append(time.perf_counter() - start)
        await records.close()

    ms = 1000.0
    inc, ref = statistics.median(committed) * ms, statistics.median(whole) * ms
    print(f"context: {len(state.messages)} messages, {size / 1e6:.1f} MB of message JSON")
    print(f"snapshot on the loop:        median {statistics.median(on_loop) * ms:.2f} ms")
    print(f"save (layout + new messages): median {inc:.2f} ms to commit")
    print(f"reference (whole context):   median {ref:.2f} ms to commit")
    print(f"ratio: {ref / inc:.1f}x less per save than rewriting the whole context")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commands", type=int, default=2000)
    asyncio.run(run(parser.parse_args().commands))


if __name__ == "__main__":
    main()
