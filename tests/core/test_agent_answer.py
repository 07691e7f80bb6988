"""``aitui answer``/``POST .../answer`` approve and deny only an agent that asks for an approval:
otherwise the agent's keys went into its prompt (Claude Code's ``1`` sat in its input box) and
the command said nothing. ``interrupt`` goes through whenever it is asked for.

A real program on a PTY: ``cat`` under a profile whose screen pattern reads its echo as an
approval prompt, so the state is the one the host really derives.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from aitui.core.activity import Activity
from aitui.core.host import SessionHost
from aitui.core.host_agents import NotAskingError
from aitui.core.hosting import NewSession

PROFILE = """
title = "asks"
command = ["cat"]
hooks = "none"
[screen]
approval = ['^Allow it\\?']
[keys]
approve = ["y"]
deny = ["n"]
interrupt = ["ctrl+c"]
"""


async def state_of(host: SessionHost, key: str, wanted: Activity) -> None:
    for _ in range(600):  # a bound on a hang, not a speed
        info = host.info(key)
        if info is not None and info.activity is wanted:
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"never {wanted}: {host.info(key)}")


async def test_approve_and_deny_need_an_approval_asked(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "asks.toml").write_text(PROFILE)
    host = SessionHost(profiles_dir=profiles)
    unsubscribe = host.subscribe(lambda _: None)  # a watcher, as a dashboard is: the host ticks
    try:
        key = await host.create(NewSession(name="a", directory=tmp_path, agent="asks"))
        session = host.session(key)
        assert session is not None
        await asyncio.sleep(0.5)  # cat at its read
        for action in ("approve", "deny"):
            with pytest.raises(NotAskingError, match="asks for no approval"):
                await host.answer(key, action)
        await session.screen_caught_up()
        assert "y" not in session.screen.text() and "n" not in session.screen.text()
        await session.send_input("Allow it?\r")  # echoed, then cat's copy: its screen asks
        await state_of(host, key, Activity.APPROVAL)
        assert await host.answer(key, "approve") == 1
        assert host.info(key).activity is Activity.WORKING  # type: ignore[union-attr]
        assert await host.answer(key, "interrupt") == 1  # ^C: whatever it is doing
    finally:
        unsubscribe()
        await host.close()
