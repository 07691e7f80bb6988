"""The coordination layer of a product process (the dashboard, ``aitui serve``), persisted.

Both keep the agents' messages and tasks in the user's data dir so they survive a restart: the
coordinator re-queues what was not acknowledged, the distributor reloads every task as it was.
Agents are sessions registered by name (``AgentId.for_name``), so when a session of the same
name joins again it gets its parked messages and the tasks it held. One process owns the
database at a time (``Store.open(exclusive=True)``); another is told which one has it.
"""

from __future__ import annotations

from pathlib import Path

from aitui.core.agents.coordinator import MultiAgentSession
from aitui.core.agents.distributor import TaskDistributor
from aitui.core.agents.errors import StoreError


async def open_persistent(
    path: Path | str | None = None,
) -> tuple[MultiAgentSession, TaskDistributor]:
    """A coordinator and distributor over the SQLite store at ``path`` (default: the user data
    dir), restored; raises ``StoreError`` (naming the holder) if another process has it."""
    try:
        coordinator = await MultiAgentSession.open(path, exclusive=True)
        distributor = TaskDistributor(coordinator)
        try:
            await distributor.load()
        except BaseException:
            await coordinator.close()
            raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        # A damaged row (its JSON cut, a field missing) kept the server from starting at all.
        where = path if path is not None else "the agents' store"
        raise StoreError(f"{where}: a kept message or task cannot be read ({exc})") from None
    return coordinator, distributor
