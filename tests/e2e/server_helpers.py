"""A real aitui server process per test, on its own socket and data dir."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from aitui.client import RemoteHost
from aitui.client.remote import RemoteSource
from aitui.server.daemon import running_pid


def short_socket() -> Path:
    """A socket path short enough for sun_path, in a fresh 0700 directory under the run's
    runtime directory (removed when the run ends)."""
    directory = Path(tempfile.mkdtemp(prefix="aitui-sock-", dir=os.environ.get("XDG_RUNTIME_DIR")))
    os.chmod(directory, 0o700)
    return directory / "s"


async def wait_for(condition: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.02)


def screen_text(source: RemoteSource) -> str:
    screen = source.screen
    return "\n".join(
        "".join(text for text, _ in screen.row_runs(y)).rstrip() for y in range(screen.rows)
    )


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(FileNotFoundError):
        if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            return False
    return True


def stop_server(sock: Path, sig: int = signal.SIGTERM) -> None:
    pid = running_pid(sock)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + 15
        while running_pid(sock) is not None and time.monotonic() < deadline:
            time.sleep(0.05)


async def shown_session(host: RemoteHost, name: str, command: str | None = None) -> RemoteSource:
    """A new session on ``host``, shown, at 12x60, its first frame in."""
    from aitui.core.hosting import NewSession

    key = await host.create(NewSession(name=name, command=command))
    await wait_for(lambda: host.info(key) is not None, what="the new session in the list")
    source = host.source(key)
    assert source is not None
    host.show([key], key)
    await source.resize(12, 60)
    await wait_for(lambda: source.screen.rows == 12, what="a 12-row frame")
    return source


#: What :func:`tool_on_a_path_of_its_own` prints when its directory is first on its PATH.
FOUND_FIRST = "found, mine first"


def tool_on_a_path_of_its_own(tmp_path: Path) -> Path:
    """A directory holding ``only-on-my-path``, a program on no PATH yet: it prints
    ``FOUND_FIRST`` when it runs with that directory first on its PATH (compared by the
    script itself: a temporary path printed may be longer than a screen row), then sleeps."""
    tools = tmp_path / "tools"
    tools.mkdir()
    tool = tools / "only-on-my-path"
    tool.write_text(
        f'#!/bin/sh\n[ "${{PATH%%:*}}" = "{tools}" ] && echo "{FOUND_FIRST}"\nexec sleep 120\n'
    )
    tool.chmod(0o755)
    return tools
