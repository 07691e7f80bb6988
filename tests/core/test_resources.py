"""No zombies and no leaked file descriptors after many create/stop cycles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aitui import AISession, SessionConfig


def _open_fds() -> set[int]:
    return {int(fd) for fd in os.listdir("/proc/self/fd")}


def _zombie_children() -> list[int]:
    me = os.getpid()
    zombies = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if fields[0] == b"Z" and int(fields[1]) == me:
            zombies.append(int(entry))
    return zombies


@pytest.mark.slow
async def test_200_create_stop_cycles_leak_nothing(tmp_path: Path) -> None:
    # Warm up once so lazily created loop/selector fds are not counted as leaks.
    warm = AISession(SessionConfig(shell="sh", working_directory=tmp_path))
    await warm.start()
    await warm.stop()
    fds_before = _open_fds()
    for i in range(200):
        shell = "bash" if i % 10 == 0 else "sh"
        session = AISession(SessionConfig(shell=shell, working_directory=tmp_path))
        await session.start()
        if i % 20 == 0:
            assert (await session.execute("echo hi")).output == "hi\n"
        await session.stop()
    assert _zombie_children() == []
    assert _open_fds() - fds_before == set()
