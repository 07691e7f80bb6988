"""Model-based property test of the bus: random sends, broadcasts, receives, acks, leaves and
returns against a bounded inbox. Nothing accepted is ever lost or duplicated, nothing
rejected is half-delivered, the bound holds, and each receive returns the model's next message.
"""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aitui.core.agents import (
    AgentId,
    BroadcastMessage,
    InboxFullError,
    Message,
    MessagePriority,
    MessageType,
    MultiAgentSession,
)

N, CAPACITY = 3, 4
op_st = st.one_of(
    st.tuples(st.just("send"), st.integers(0, N - 1), st.integers(0, N - 1),
              st.sampled_from(list(MessagePriority))),
    st.tuples(st.just("broadcast"), st.integers(0, N - 1), st.sampled_from(list(MessagePriority))),
    st.tuples(st.just("receive"), st.integers(0, N - 1), st.booleans()),
    st.tuples(st.just("ack_all"), st.integers(0, N - 1)),
    st.tuples(st.just("leave_and_return"), st.integers(0, N - 1)),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(op_st, min_size=5, max_size=40))
@example(  # received-not-acked, then the agent leaves: the message must be kept
    [("send", 0, 1, MessagePriority.LOW), ("receive", 1, False), ("leave_and_return", 1)] * 2
)
def test_bus_never_loses_or_duplicates(ops: list[tuple[Any, ...]]) -> None:
    asyncio.run(run(ops))


async def run(ops: list[tuple[Any, ...]]) -> None:
    bus = MultiAgentSession(inbox_capacity=CAPACITY)
    ids = [AgentId.new() for _ in range(N)]
    for agent in ids:
        bus.register_agent(agent)
    seq = 0
    queued: list[list[tuple[int, int, Message]]] = [[] for _ in range(N)]  # model
    in_flight: list[list[tuple[int, int, Message]]] = [[] for _ in range(N)]
    accepted: list[set[tuple[object, int]]] = [set() for _ in range(N)]
    received: list[list[object]] = [[] for _ in range(N)]

    def held(i: int) -> int:
        return len(queued[i]) + len(in_flight[i])

    for op in ops:
        if op[0] == "send":
            _, src, dst, priority = op
            m = Message(ids[src], MessageType.DATA_SHARE, seq, priority)
            try:
                await bus.send_message(ids[src], ids[dst], m)
            except InboxFullError:
                assert held(dst) == CAPACITY
            else:
                assert held(dst) < CAPACITY
                queued[dst].append((-priority.rank, seq, m))
                accepted[dst].add((m.id, seq))
            seq += 1
        elif op[0] == "broadcast":
            _, src, priority = op
            b = BroadcastMessage(ids[src], "hi", priority)
            others = [i for i in range(N) if i != src]
            try:
                await bus.broadcast(ids[src], b)
            except InboxFullError:
                assert any(held(i) == CAPACITY for i in others)
            else:
                for i in others:
                    queued[i].append((-priority.rank, seq, b.as_message()))
                    accepted[i].add((b.id, seq))
                    seq += 1
        elif op[0] == "receive":
            _, i, ack = op
            got = bus.try_receive(ids[i])
            if not queued[i]:
                assert got is None
                continue
            expected = min(queued[i], key=lambda e: (e[0], e[1]))
            queued[i].remove(expected)
            assert got is not None and got.id == expected[2].id
            received[i].append(got.id)
            if ack:
                await bus.ack(ids[i], got.id)
            else:
                in_flight[i].append(expected)
        elif op[0] == "ack_all":
            _, i = op
            for entry in in_flight[i]:
                await bus.ack(ids[i], entry[2].id)
            in_flight[i].clear()
        else:  # an agent leaves and comes back: what it had not acked is delivered again
            _, i = op
            kept = await bus.unregister_agent(ids[i])
            assert {m.id for m in kept} == {e[2].id for e in queued[i] + in_flight[i]}
            bus.register_agent(ids[i])
            queued[i].extend(in_flight[i])
            in_flight[i].clear()
        for i in range(N):
            assert bus.pending_count(ids[i]) == held(i) <= CAPACITY

    for i in range(N):  # drain: exactly the accepted messages, each acked once
        for entry in in_flight[i]:
            await bus.ack(ids[i], entry[2].id)
        while (left := bus.try_receive(ids[i])) is not None:
            received[i].append(left.id)
            await bus.ack(ids[i], left.id)
        accepted_ids = sorted(str(mid) for mid, _ in accepted[i])
        assert sorted(str(mid) for mid in set(received[i])) == accepted_ids
