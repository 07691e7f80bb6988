"""The real ``aitui`` used as a person would, inside tmux: keys in, screen out.

tmux plays the user's terminal: ``send-keys`` types, ``capture-pane`` reads the screen. The test
starts the dashboard, runs a command, opens a second session, switches between them, edits a
file in vim, quits, and checks no process it started is left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux_helpers import AITUI, Tmux, dashboard_in_tmux, marked_processes

pytestmark = [
    pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux"),
    pytest.mark.skipif(not shutil.which("vim"), reason="needs vim"),
    pytest.mark.slow,
]


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[tuple[Tmux, str, dict[str, str]]]:
    with dashboard_in_tmux(tmp_path) as rig:
        yield rig


def _printed(text: str) -> object:
    """A line of output (not the echoed command line) ending with ``text``."""
    return lambda screen: any(
        line.rstrip().endswith(text) and "echo" not in line for line in screen.splitlines()
    )


def test_a_user_session(tmux: tuple[Tmux, str, dict[str, str]], tmp_path: Path) -> None:
    tm, marker, env = tmux
    command_env = " ".join(f"{k}={v}" for k, v in env.items())
    tm.wait(lambda s: "e2e$" in s and "Prefix" in s, "the dashboard and a prompt")
    tm.text("echo hel" + "lo")
    tm.keys("Enter")
    tm.wait(_printed("hello"), "hello printed")

    # Alt+. (readline: insert the previous command's last word) reaches bash as ESC ".".
    tm.text("echo again-")
    tm.keys("M-.")
    tm.wait(lambda s: "echo again-hello" in s, "Alt+. inserting the last argument")
    tm.keys("Enter")
    tm.wait(_printed("again-hello"), "again-hello printed")

    # A second session from the prefix key's "new session" dialog.
    tm.keys("C-]")
    tm.wait(lambda s: "press a key" in s, "the prefix help")
    tm.keys("n")
    tm.wait(lambda s: "New session" in s, "the new-session dialog")
    tm.text("second")
    tm.keys("Enter")
    tm.wait(lambda s: "second" in s and s.count("e2e$") == 1 and "hello" not in s, "session 2")

    # Switch back and forth with Alt+number.
    tm.keys("M-1")
    tm.wait(_printed("hello"), "session 1 with its output")
    tm.keys("M-2")
    tm.wait(lambda s: "hello" not in s, "session 2 again")

    # vim works inside the pane and writes the file.
    tm.text("vim -u NONE -N notes.txt")
    tm.keys("Enter")
    tm.wait(lambda s: "notes.txt" in s and "~" in s, "vim")
    tm.text("iwritten in vim")
    tm.wait(lambda s: "written in vim" in s, "the typed text")
    # Escape and ":" back to back, as a script types them: they may share one read, which
    # Textual's parser reports as Alt+":"; the pane forwards it as the same two bytes.
    tm.keys("Escape")
    tm.text(":wq")
    tm.keys("Enter")
    tm.wait(lambda s: "e2e$" in s and "~ " not in s, "the shell after vim")
    assert (tmp_path / "notes.txt").read_text() == "written in vim\n"

    # Detach from the prefix key: the sessions run on in the server.
    shells = marked_processes(marker)
    assert shells, "the sessions' shells should be running"
    tm.keys("C-]")
    tm.wait(lambda s: "press a key" in s, "the prefix help")
    tm.keys("d")
    tm.wait(lambda s: "Prefix" not in s, "the dashboard gone")
    assert all(pid in marked_processes(marker) for pid in shells[1:]), "detached, not killed"

    # Attach again: both sessions are there, with what they printed.
    tm("respawn-pane", "-k", "-t", "ui", f"env {command_env} {AITUI} attach -t second")
    tm.wait(lambda s: "Prefix" in s and "second" in s, "the dashboard re-attached")
    tm.keys("M-1")
    tm.wait(_printed("again-hello"), "session 1's output kept by the server")

    # kill-server ends every process the server started.
    subprocess.run([AITUI, "kill-server"], env=dict(os.environ, **env), check=True)
    # The attached dashboard says so and offers to start it again; q quits.
    tm.wait(lambda s: "The aitui server is gone" in s, "the dashboard noticing")
    tm.keys("q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and marked_processes(marker):
        time.sleep(0.05)
    assert marked_processes(marker) == []


def _dashboard_pid(marker: str) -> int:
    """The dashboard's process (marked, running aitui, not the server)."""
    for pid in marked_processes(marker):
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            argv = fh.read().split(b"\0")
        if any(a.endswith(b"aitui") for a in argv) and b"aitui.server.daemon" not in argv:
            return pid
    raise AssertionError("no dashboard process")


def test_killing_the_dashboard_mid_flood_loses_nothing(
    tmux: tuple[Tmux, str, dict[str, str]],
) -> None:
    """kill -9 the dashboard while a session floods: the program runs on, and what it wrote
    meanwhile is on screen and in the history when a client attaches again."""
    import asyncio

    from aitui.client import attach
    from tests.e2e.server_helpers import screen_text, wait_for

    tm, marker, env = tmux
    tm.wait(lambda s: "e2e$" in s and "Prefix" in s, "the dashboard and a prompt")
    tm.text("for i in $(seq 1 3000000); do echo n$i; done; echo FLOOD-END")
    tm.keys("Enter")
    flooding = re.compile(r"\bn\d{3,}")
    screen = tm.wait(lambda s: bool(flooding.search(s)), "the flood on screen")
    os.kill(_dashboard_pid(marker), signal.SIGKILL)
    assert "FLOOD-END" not in screen, "killed mid-flood"

    async def reattach() -> None:
        host = await attach(Path(env["AITUI_SOCKET"]), start=False)
        info = host.sessions()[0]
        assert info.running
        source = host.source(info.key)
        assert source is not None
        host.show([info.key], info.key)
        await wait_for(lambda: "FLOOD-END" in screen_text(source), timeout=90, what="the end")
        assert "n3000000" in screen_text(source)
        assert await source.screen.scrollback.find("n2999000")
        await host.close()

    asyncio.run(reattach())
