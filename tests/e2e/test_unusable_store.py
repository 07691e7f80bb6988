"""A server whose files cannot be used (a truncated or overwritten SQLite file) still starts,
leaves the files as they are, and says so to the user: to every dashboard that attaches and
to ``aitui ls``. It said so only in its log, so the sessions of earlier runs vanished from
the list without a word, and messages it acknowledged were kept in memory only.

A real server process, started as ``aitui`` starts it, over a data dir of the test's own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aitui.client import attach
from aitui.core.agents.store import db_path_for
from aitui.core.hosting import NewSession, Notice
from aitui.core.records import records_path_for
from aitui.server.daemon import running_pid
from tests.e2e.server_helpers import short_socket, stop_server, wait_for

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def sock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AITUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PS1", "$ ")
    monkeypatch.delenv("AITUI_SOCKET", raising=False)
    path = short_socket()
    yield path
    stop_server(path, signal.SIGKILL if running_pid(path) else signal.SIGTERM)


def damage(sock: Path) -> dict[Path, bytes]:
    """The sessions' file cut short and the agents' one overwritten; what each holds."""
    records, agents = records_path_for(sock.name), db_path_for(sock.name)
    records.parent.mkdir(parents=True, exist_ok=True)
    records.write_bytes(b"SQLite format 3\x00" + b"\x10\x00" * 300)  # a header, then nothing
    agents.write_bytes(b"not a database at all")
    return {path: path.read_bytes() for path in (records, agents)}


async def test_every_dashboard_is_told_and_the_files_are_left(sock: Path, tmp_path: Path) -> None:
    kept = damage(sock)
    for _ in range(2):  # the first dashboard (it starts the server) and one attaching later
        host = await attach(sock)
        # A round trip: what the server sent as this client attached has come by its answer.
        await host.create(NewSession(name=f"s{len(host.sessions())}", directory=tmp_path))
        notices: list[Notice] = []
        # Subscribed only now, as the dashboard does once it is drawn.
        host.subscribe(lambda e, seen=notices: seen.append(e) if isinstance(e, Notice) else None)
        await wait_for(lambda seen=notices: len(seen) >= 2)
        said = " ".join(notice.text for notice in notices)
        assert all(str(path) in said for path in kept)
        assert "kept in memory only" in said and "not kept" in said
        await host.close()
    assert {path: path.read_bytes() for path in kept} == kept


def test_ls_says_what_is_not_kept(sock: Path, tmp_path: Path) -> None:
    kept = damage(sock)
    command = [sys.executable, "-m", "aitui.cli", "-S", str(sock)]
    env = dict(os.environ)
    done = subprocess.run([*command, "new", "dev"], env=env, cwd=tmp_path, capture_output=True)
    assert done.returncode == 0, done.stderr
    listed = subprocess.run([*command, "ls"], env=env, capture_output=True, text=True)
    assert listed.returncode == 0 and "dev" in listed.stdout
    warnings = [line for line in listed.stderr.splitlines() if line.startswith("aitui: warning:")]
    assert len(warnings) == 2, listed.stderr
    assert all(any(str(path) in w for w in warnings) for path in kept)
    assert "Traceback" not in listed.stderr
