"""Throughput and latency of the agent message bus: 10 agents sending to each other.

Each agent runs a producer (sends to the other nine in turn, yielding to the loop every
``--batch`` messages, the way a busy agent would) and a consumer (``receive`` + ``ack``).
Latency is measured per message from just before ``send_message`` to ``receive`` returning it,
so it includes the time a message waits in a queue behind its batch. Throughput counts
messages received and acknowledged over the whole run's wall time.

Two runs: the in-memory bus, then the bus persisting every message and ack in SQLite (WAL,
group commit in the writer thread), with fewer messages. Figures are measured on this machine,
now; nothing is hard-coded. Run: ``.venv/bin/python benchmarks/bus.py [--messages N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from figures import percentile

from aitui.core.agents import (
    AgentId,
    InboxFullError,
    Message,
    MessagePriority,
    MessageType,
    MultiAgentSession,
)

AGENTS = 10


async def run(
    bus: MultiAgentSession, total: int, batch: int, rate: float | None = None
) -> dict[str, float]:
    """Saturate the bus (``rate`` None) or offer ``rate`` msgs/s in all (bursts of ``batch``)."""
    agents = [AgentId.new() for _ in range(AGENTS)]
    for agent in agents:
        bus.register_agent(agent)
    per_agent = total // AGENTS
    expected = per_agent * AGENTS
    latencies: list[float] = []
    received = 0
    done = asyncio.Event()
    full = 0

    async def produce(index: int) -> None:
        nonlocal full
        me = agents[index]
        t0 = time.perf_counter()
        others = [a for a in agents if a != me]
        for i in range(per_agent):
            to = others[i % len(others)]
            message = Message(
                from_=me,
                message_type=MessageType.DATA_SHARE,
                payload={"n": i, "t": time.perf_counter()},
                priority=MessagePriority.NORMAL,
            )
            while True:
                try:
                    await bus.send_message(me, to, message)
                    break
                except InboxFullError:  # back-pressure: let consumers drain, then retry
                    full += 1
                    await asyncio.sleep(0)
            if i % batch == batch - 1:
                # Paced: sleep until this producer's schedule (rate / AGENTS msgs/s) is due.
                due = 0.0 if rate is None else t0 + (i + 1) * AGENTS / rate - time.perf_counter()
                await asyncio.sleep(max(due, 0.0))

    async def consume(agent: AgentId) -> None:
        nonlocal received
        while True:
            message = await bus.receive(agent)
            now = time.perf_counter()
            latencies.append((now - message.payload["t"]) * 1000)
            await bus.ack(agent, message.id)
            received += 1
            if received == expected:
                done.set()

    consumers = [asyncio.create_task(consume(a)) for a in agents]
    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(produce(i) for i in range(AGENTS)))
    await asyncio.wait_for(done.wait(), 600)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    for task in consumers:
        task.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    return {
        "messages": expected,
        "seconds": elapsed,
        "rate": expected / elapsed,
        "cpu": cpu,
        "cpu_rate": expected / cpu,
        "p50": percentile(latencies, 0.50),
        "p99": percentile(latencies, 0.99),
        "mean": statistics.fmean(latencies),
        "samples": len(latencies),
        "full": full,
    }


def report(title: str, r: dict[str, float]) -> None:
    print(f"{title}")
    print(f"  {int(r['messages'])} messages in {r['seconds']:.2f} s -> {r['rate']:,.0f} msgs/s")
    print(
        f"  CPU time of this process {r['cpu']:.2f} s -> {r['cpu_rate']:,.0f} msgs per CPU-second"
        " (wall and CPU differ when other processes share the cores)"
    )
    print(
        f"  latency send->receive: p50 {r['p50']:.3f} ms, p99 {r['p99']:.3f} ms, "
        f"mean {r['mean']:.3f} ms ({int(r['samples'])} samples; "
        f"inbox-full retries {int(r['full'])})"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--persist-messages", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=20, help="sends between yields")
    parser.add_argument("--paced-rate", type=float, default=20_000)
    parser.add_argument("--paced-messages", type=int, default=60_000)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.2f} at start")
    print(f"{AGENTS} agents, each sending to the other nine; yield every {args.batch} sends\n")
    memory = await run(MultiAgentSession(inbox_capacity=10_000), args.messages, args.batch)
    report("in-memory bus, saturated (as fast as the producers can send)", memory)
    target = memory["rate"] >= 50_000 and memory["p99"] < 5.0
    print(f"  target (>= 50,000 msgs/s and p99 < 5 ms): {'met' if target else 'NOT met'}\n")
    paced = await run(MultiAgentSession(inbox_capacity=10_000), args.paced_messages, 10,
                      rate=args.paced_rate)  # fmt: skip
    report(f"in-memory bus, offered {args.paced_rate:,.0f} msgs/s in bursts of 10 per agent", paced)
    print()
    with tempfile.TemporaryDirectory() as tmp:
        bus = await MultiAgentSession.open(Path(tmp) / "bench.sqlite3", inbox_capacity=10_000)
        try:
            persisted = await run(bus, args.persist_messages, args.batch)
        finally:
            await bus.close()
    report("persistent bus (SQLite WAL; every send and ack committed before it returns)", persisted)


if __name__ == "__main__":
    asyncio.run(main())
