"""Shared fixtures: real sessions on real PTYs, cleaned up after each test.

The whole run gets its own empty ``HOME`` (and XDG dirs): shells in tests must not depend on,
or write into, the developer's dotfiles. It gets its own runtime dir too, so a test that starts
a server on a default socket name (``default``, ``http-PORT``) never joins or leaves one among
the developer's own servers. A real rc file can be slow, print, or — as seen here —
hang for a minute on a lock left by a shell that was killed during start-up. The tests that
check aitui loads the user's rc file write one into their own temporary home.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from aitui import AISession, SessionConfig

#: The run's own home and runtime directories, removed when it ends (each run, and each xdist
#: worker, made two: a machine running the suite often had hundreds left in /tmp).
_RUN_DIRS: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    home = tempfile.mkdtemp(prefix="aitui-test-home-")
    os.environ["HOME"] = home
    os.environ["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
    os.environ["XDG_DATA_HOME"] = os.path.join(home, ".local", "share")
    os.environ.pop("ZDOTDIR", None)
    os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="aitui-rt-")  # 0700, short
    os.environ.pop("AITUI_SOCKET", None)
    os.environ.setdefault("AITUI_CONFIG", os.path.join(home, "aitui-config.toml"))
    _RUN_DIRS.extend([home, os.environ["XDG_RUNTIME_DIR"]])


def pytest_unconfigure(config: pytest.Config) -> None:
    for path in _RUN_DIRS:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def server_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Where this test's own aitui server listens (whatever the test does starts it), with its
    own data dir and a plain bash prompt; the server is killed with -9 afterwards."""
    import signal

    from tests.e2e.server_helpers import short_socket, stop_server

    monkeypatch.setenv("AITUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PS1", "$ ")
    monkeypatch.setenv("SHELL", "/bin/bash")
    path = short_socket()
    yield path
    stop_server(path, signal.SIGKILL)


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
