"""Shared fixtures: real sessions on real PTYs, cleaned up after each test."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from aitui import AISession, SessionConfig

#: Shells the core is tested with; each is skipped when not installed.
SHELLS = ["bash", "sh", "zsh", "fish"]


def shell_params() -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.skipif(not shutil.which(name), reason=f"no {name}"))
        for name in SHELLS
    ]


SessionFactory = Callable[..., Awaitable[AISession]]


@pytest.fixture
async def make_session(tmp_path: Path) -> AsyncIterator[SessionFactory]:
    """Start sessions with ``await make_session(shell="bash", **config)``; all stopped after."""
    sessions: list[AISession] = []

    async def factory(shell: str = "bash", **overrides: object) -> AISession:
        overrides.setdefault("working_directory", tmp_path)
        config = SessionConfig(shell=shell, **overrides)  # type: ignore[arg-type]
        session = AISession(config)
        sessions.append(session)
        await session.start()
        return session

    yield factory
    for session in sessions:
        await session.stop()
