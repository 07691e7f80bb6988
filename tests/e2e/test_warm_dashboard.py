"""The warm dashboard with real processes: tmux plays the user's terminal.

A first ``aitui`` starts the server and, once attached, the server's warm dashboard; the next
``aitui`` in that terminal is then a child of the warm process, and must behave as the first
did: it shows the sessions, takes keys, follows the terminal's size, detaches with status 0,
dies with its terminal (the launcher killed with -9), leaves no child behind; and the warm
process ends with its server.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from aitui.cli.warm import LineReader, send_line, warm_socket
from aitui.server.daemon import running_pid
from tests.e2e.tmux_helpers import AITUI, Tmux, dashboard_in_tmux

T = TypeVar("T")


def wait_until(probe: Callable[[], T | None], what: str, timeout: float = 30.0) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def warm_pid(server: Path) -> int | None:
    """The warm dashboard's pid, if one answers a ping on ``server``'s warm socket."""
    try:
        with socket.socket(socket.AF_UNIX) as probe:
            probe.settimeout(2.0)
            probe.connect(str(warm_socket(server)))
            send_line(probe, {"ping": True})
            answer = LineReader(probe).read()
    except OSError:
        return None
    return int(answer["pong"]) if answer and "pong" in answer else None


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, state) of ``pid``'s children."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    fields = fh.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append((int(entry), fields[0].decode()))
    return found


def pane_dead(tm: Tmux) -> bool:
    return tm("display-message", "-p", "-t", "ui", "#{pane_dead}") == "1\n"


def relaunch(env: dict[str, str]) -> str:
    """``aitui`` again in the pane, under a shell that prints its exit status after it. The
    respawned pane's environment carries ``COLUMNS=80 LINES=24``, which any ``aitui`` (warm or
    not, as ``shutil.get_terminal_size``) would take over the terminal's real size: unset."""
    assignments = " ".join(f"{k}={v}" for k, v in env.items())
    return f"sh -c 'unset COLUMNS LINES; {assignments} {AITUI}; echo aitui-exit=$?; sleep 600'"


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def test_the_next_aitui_is_the_warm_dashboards_child_and_behaves_as_the_first(
    tmp_path: Path,
) -> None:
    with dashboard_in_tmux(tmp_path) as (tm, _marker, env):
        server = Path(env["AITUI_SOCKET"])
        command = relaunch(env)
        tm.wait(lambda s: "e2e$" in s, "the first dashboard's shell prompt")
        warm = wait_until(lambda: warm_pid(server), "the warm dashboard the first one started")
        assert stat.S_IMODE(os.stat(warm_socket(server)).st_mode) == 0o600
        first = int(tm("display-message", "-p", "-t", "ui", "#{pane_pid}"))
        assert first not in {pid for pid, _ in children(warm)}

        tm.keys("C-]", "d")
        wait_until(lambda: pane_dead(tm), "detach")

        # The second aitui: served by the warm process, the same dashboard.
        tm("respawn-pane", "-k", "-t", "ui", command)
        child = wait_until(lambda: [p for p, s in children(warm) if s != "Z"], "a warm child")[0]
        tm.wait(lambda s: "e2e$" in s and "Context tokens" in s, "the sessions, in the child")
        tm.text("echo warm-$((6*7))")
        tm.keys("Enter")
        tm.wait(lambda s: "warm-42" in s, "the command's output typed through the child")

        # The terminal's size follows: narrow enough, the side panels go.
        tm("resize-window", "-t", "ui", "-x", "100", "-y", "30")
        tm.wait(lambda s: "Context tokens" not in s and "warm-42" in s, "the narrow layout")
        tm("resize-window", "-t", "ui", "-x", "140", "-y", "40")
        tm.wait(lambda s: "Context tokens" in s, "the wide layout again")

        tm.keys("C-]", "d")
        tm.wait(lambda s: "aitui-exit=0" in s, "the launcher's exit status 0 after detaching")
        wait_until(lambda: not alive(child), "the child's end after detaching")
        assert not children(warm), "a child left behind (or a zombie) after detaching"

        # Bad requests to the real warm socket are refused; it goes on serving.
        with socket.socket(socket.AF_UNIX) as rogue:
            rogue.connect(str(warm_socket(server)))
            rogue.sendall(b"{nonsense\n")
            assert "refused" in json.loads(rogue.makefile().readline())
        assert warm_pid(server) == warm

        # The terminal gone (the launcher killed with -9): the child hangs up too.
        tm("respawn-pane", "-k", "-t", "ui", command)
        child = wait_until(lambda: [p for p, s in children(warm) if s != "Z"], "a warm child")[0]
        tm.wait(lambda s: "e2e$" in s, "the sessions, in the second child")
        launcher = children(int(tm("display-message", "-p", "-t", "ui", "#{pane_pid}")))[0][0]
        os.kill(launcher, signal.SIGKILL)
        wait_until(lambda: not alive(child), "the child's end with its launcher")

        # The warm dashboard ends with its server, and takes its socket away.
        fds = len(os.listdir(f"/proc/{warm}/fd"))
        assert fds < 16, f"the warm process holds {fds} descriptors after three children"
        server_pid = running_pid(server)
        assert server_pid is not None
        os.kill(server_pid, signal.SIGKILL)
        wait_until(lambda: not alive(warm), "the warm dashboard's end with its server")
        assert not warm_socket(server).exists()


def test_no_warm_dashboard_when_it_is_turned_off(tmp_path: Path) -> None:
    """With ``warm_dashboard = false`` the next aitui starts from scratch: its pane's own
    process is the dashboard (the first one's attach is long past its start of the warm)."""
    with dashboard_in_tmux(tmp_path, config="warm_dashboard = false\n") as (tm, _marker, env):
        server = Path(env["AITUI_SOCKET"])
        command = relaunch(env)
        tm.wait(lambda s: "e2e$" in s, "the first dashboard's shell prompt")
        tm.keys("C-]", "d")
        wait_until(lambda: pane_dead(tm), "detach")
        tm("respawn-pane", "-k", "-t", "ui", command)
        tm.wait(lambda s: "e2e$" in s and "Context tokens" in s, "the second dashboard")
        assert warm_pid(server) is None
        assert not warm_socket(server).exists()
