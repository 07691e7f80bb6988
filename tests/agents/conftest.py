"""Fixtures for the coordination tests: buses, agents, unstarted bash sessions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from aitui import AISession, SessionConfig
from aitui.core.agents import AgentId, CoordinationEvent, MultiAgentSession


@pytest.fixture
async def bus() -> AsyncIterator[MultiAgentSession]:
    coordinator = MultiAgentSession(inbox_capacity=100)
    yield coordinator
    await coordinator.close()


@pytest.fixture
def agents(bus: MultiAgentSession) -> list[AgentId]:
    ids = [AgentId.new() for _ in range(4)]
    for agent_id in ids:
        bus.register_agent(agent_id)
    return ids


@pytest.fixture
def events(bus: MultiAgentSession) -> list[CoordinationEvent]:
    seen: list[CoordinationEvent] = []
    bus.subscribe(seen.append)
    return seen


@pytest.fixture
async def bash_sessions(tmp_path: Path) -> AsyncIterator[Callable[..., AISession]]:
    """``new(role, subdir)``: an *unstarted* bash session in ``tmp_path/subdir``; stopped after."""
    made: list[AISession] = []

    def new(role: str, subdir: str = ".") -> AISession:
        directory = tmp_path / subdir
        directory.mkdir(parents=True, exist_ok=True)
        config = SessionConfig(
            name=role, shell="bash", working_directory=directory, agent_role=role
        )
        session = AISession(config)
        made.append(session)
        return session

    yield new
    await asyncio.gather(*(s.stop() for s in made))


Until = Callable[..., Awaitable[None]]


@pytest.fixture
def until() -> Until:
    """``await until(predicate, timeout, what)``: a bounded wait on a condition."""
    return wait_for


async def wait_for(
    predicate: Callable[[], bool | Awaitable[bool]], timeout: float = 10.0, what: str = ""
) -> None:
    """Poll ``predicate`` until true; fail (not hang) after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = predicate()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s: {what or predicate}")
        await asyncio.sleep(0.02)
