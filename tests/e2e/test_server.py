"""The aitui server as its clients meet it: real server processes, real sockets, real PTYs.

Each test starts its own server (``aitui.client.attach`` starts one on a fresh socket, as
``aitui`` does) with its own data dir, attaches ``RemoteHost`` clients, and kills what it
started. Waits are for conditions, never for time.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from websockets.asyncio.client import unix_connect

from aitui.client import (
    RemoteHost,
    ServerGoneError,
    ServerStartError,
    VersionMismatchError,
    attach,
    start_server,
)
from aitui.core.errors import SessionNotRunningError
from aitui.core.hosting import HostEvent, HostLost, NewSession
from aitui.core.sockets import SocketDirError
from aitui.core.wire import (
    PROTOCOL_VERSION,
    Hello,
    Refused,
    Resize,
    Show,
    decode_server,
    encode,
)
from aitui.server.daemon import running_pid
from tests.e2e.server_helpers import (
    pid_alive,
    screen_text,
    short_socket,
    shown_session,
    stop_server,
    wait_for,
)

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def sock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Path]:
    monkeypatch.setenv("AITUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PS1", "$ ")
    path = short_socket()
    yield path  # type: ignore[misc]
    stop_server(path, signal.SIGKILL if running_pid(path) else signal.SIGTERM)


async def test_a_session_outlives_its_dashboard_and_keeps_what_it_wrote(sock: Path) -> None:
    """Detach mid-flood: the program carries on; a new client sees all it wrote meanwhile."""
    host = await attach(sock)
    source = await shown_session(host, "flood", "bash --norc --noprofile -i")
    await source.send_input("for i in $(seq 1 40000); do echo line $i; done; echo FLOOD-DONE\r")
    await wait_for(lambda: "line " in screen_text(source), what="the flood on screen")
    await host.close()  # detached in the middle of the flood

    again = await attach(sock, start=False)
    info = next(i for i in again.sessions() if i.name == "flood")
    assert info.running
    source = again.source(info.key)
    assert source is not None
    again.show([info.key], info.key)
    await wait_for(lambda: "FLOOD-DONE" in screen_text(source), what="the end of the flood")
    assert "line 40000" in screen_text(source)
    # History written while nobody was attached is fetched on demand.
    history = source.screen.scrollback
    assert len(history) > 1000
    matches = await history.find("line 39000")
    assert matches and matches[-1][2] == len("line 39000")
    await again.close()


async def test_two_clients_see_and_type_into_one_session(sock: Path) -> None:
    first = await attach(sock)
    a = await shown_session(first, "shared", "bash --norc --noprofile -i")
    second = await attach(sock, start=False)
    await wait_for(lambda: any(i.name == "shared" for i in second.sessions()))
    b = second.source(a.key)
    assert b is not None
    second.show([a.key], a.key)
    await b.send_input("echo from-second\r")
    await wait_for(lambda: "from-second" in screen_text(a).split("\n", 1)[-1], what="echo in A")
    await a.send_input("echo from-first\r")
    await wait_for(lambda: screen_text(b).count("from-first") >= 2, what="echo in B")
    await first.close()
    await second.close()


async def test_typing_into_an_exited_session_says_so(sock: Path) -> None:
    host = await attach(sock)
    key = await host.create(NewSession(name="short", command="sh -c 'echo bye'"))
    await wait_for(lambda: host.info(key) is not None and not host.info(key).running)  # type: ignore[union-attr]
    source = host.source(key)
    assert source is not None
    host.show([key], key)
    await wait_for(lambda: "bye" in screen_text(source), what="its last words on screen")
    with pytest.raises(SessionNotRunningError, match="exited"):
        await source.send_input("x")
    await host.close()


async def test_a_second_server_on_the_same_socket_refuses(sock: Path) -> None:
    start_server(sock)
    with pytest.raises(ServerStartError, match="already running"):
        start_server(sock)


async def test_a_stale_socket_is_replaced(sock: Path) -> None:
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(sock))
    stale.close()  # the file stays, nobody listens: what a server killed with -9 leaves
    with pytest.raises(ServerGoneError):
        await attach(sock, start=False)
    host = await attach(sock)
    assert stat.S_IMODE(sock.stat().st_mode) == 0o600
    assert stat.S_IMODE(sock.parent.stat().st_mode) == 0o700
    await host.close()


async def test_an_unsafe_socket_directory_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "open"
    directory.mkdir()
    os.chmod(directory, 0o755)
    with pytest.raises(SocketDirError, match="open to other users"):
        start_server(directory / "s")


@pytest.mark.skipif(os.getuid() != 0, reason="making another user's socket needs root")
async def test_a_socket_owned_by_another_user_is_refused(sock: Path) -> None:
    sock.parent.mkdir(exist_ok=True)
    planted = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    planted.bind(str(sock))
    planted.listen(1)
    os.chown(sock, 12345, 12345)
    try:
        with pytest.raises(SocketDirError, match="another user"):
            await attach(sock, start=False)
    finally:
        planted.close()


async def test_a_client_of_another_version_is_told_what_to_do(sock: Path) -> None:
    host = await attach(sock)
    await host.close()
    async with unix_connect(str(sock), uri="ws://localhost/attach") as websocket:
        await websocket.send(encode(Hello(version=999, client="9.9")))
        answer = decode_server(await websocket.recv())  # type: ignore[arg-type]
    assert isinstance(answer, Refused)
    assert "protocol 999" in answer.reason and "same aitui version" in answer.reason


async def test_the_client_reports_a_refusal_as_a_version_mismatch(
    sock: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start_server(sock)
    monkeypatch.setattr("aitui.client.connection.PROTOCOL_VERSION", 0)
    with pytest.raises(VersionMismatchError, match="kill-server"):
        await attach(sock, start=False)


async def test_kill_server_ends_every_session_and_leaves_no_process(sock: Path) -> None:
    host = await attach(sock)
    source = await shown_session(host, "victim", "bash --norc --noprofile -i")
    await source.send_input("sleep 1000 & echo started\r")
    await wait_for(lambda: "started" in screen_text(source).split("\n", 1)[-1])
    server_pid = running_pid(sock)
    assert server_pid is not None
    events: list[HostEvent] = []
    host.subscribe(events.append)
    children = _descendants(server_pid)
    assert children, "the session's shell and its sleep"
    result = subprocess.run(
        [sys.executable, "-m", "aitui.cli", "-S", str(sock), "kill-server"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    await wait_for(lambda: any(isinstance(e, HostLost) for e in events), what="HostLost")
    lost = next(e for e in events if isinstance(e, HostLost))
    assert lost.reason == "the server stopped (aitui kill-server, or it was asked to end)"
    await wait_for(lambda: not any(pid_alive(p) for p in children), what="no process left")
    assert not sock.exists()
    again = subprocess.run(
        [sys.executable, "-m", "aitui.cli", "-S", str(sock), "kill-server"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert again.returncode == 1 and "no server running" in again.stderr


async def test_a_killed_server_is_reported_to_its_clients(sock: Path) -> None:
    host = await attach(sock)
    events: list[HostEvent] = []
    host.subscribe(events.append)
    stop_server(sock, signal.SIGKILL)
    await wait_for(lambda: any(isinstance(e, HostLost) for e in events), what="HostLost")
    lost = next(e for e in events if isinstance(e, HostLost))
    assert "killed, or it crashed" in lost.reason and "close frame" not in lost.reason
    with pytest.raises(ServerGoneError):
        await host.create(NewSession(name="late"))
    # The socket file is left behind, stale; the next start replaces it.
    again = await attach(sock)
    assert again.sessions() == []
    await again.close()


async def test_attach_and_detach_a_hundred_times_leaks_nothing(sock: Path) -> None:
    host = await attach(sock)
    await shown_session(host, "steady", "bash --norc --noprofile -i")
    before = await host.connection.call("stats")
    await host.close()
    for _ in range(100):
        client = await attach(sock, start=False)
        key = client.sessions()[0].key
        client.show([key], key)
        await client.close()
    probe: RemoteHost = await attach(sock, start=False)
    await wait_for(lambda: True)
    for _ in range(200):
        after = await probe.connection.call("stats")
        if after["clients"] == 1 and after["tasks"] <= before["tasks"]:
            break
        await asyncio.sleep(0.05)
    assert after["clients"] == 1
    assert after["fds"] <= before["fds"], (before, after)
    assert after["threads"] <= before["threads"], (before, after)
    assert after["tasks"] <= before["tasks"], (before, after)
    await probe.close()


def _descendants(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True).stdout
    children: dict[int, list[int]] = {}
    for line in out.splitlines():
        child, parent = (int(x) for x in line.split())
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    """A bad server name (status 2), no server or no terminal: a sentence on stderr, no
    traceback."""
    cases = [
        (["-L", "bad/name", "kill-server"], {2}),
        (["-S", str(tmp_path / "none"), "attach"], {1, 2}),  # 2: no terminal here
    ]
    for argv, statuses in cases:
        result = subprocess.run(
            [sys.executable, "-m", "aitui.cli", *argv],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert result.returncode in statuses, result
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith("aitui: "), result.stderr


async def test_a_client_that_stops_reading_holds_up_nobody(sock: Path) -> None:
    """A dashboard frozen mid-flood (suspended, a dead network under it) must not stall the
    others nor grow the server: its updates coalesce while it does not read."""
    host = await attach(sock)
    flood = await shown_session(host, "flood", "bash --norc --noprofile -i")
    other = await shown_session(host, "other", "bash --norc --noprofile -i")
    host.show([flood.key, other.key], other.key)
    server_pid = running_pid(sock)
    assert server_pid is not None
    frozen = await unix_connect(str(sock), uri="ws://localhost/attach", max_size=None)
    await frozen.send(encode(Hello(version=PROTOCOL_VERSION, client="frozen")))
    await frozen.recv()
    await frozen.send(encode(Show(visible=[flood.key, other.key], foreground=flood.key)))
    # A tall screen, so that its frames fill the socket's buffers within the flood.
    await frozen.send(encode(Resize(key=flood.key, rows=300, cols=200)))
    frozen.transport.pause_reading()  # reads nothing more, as a stopped process
    rss_before = _rss_kb(server_pid)
    await flood.send_input("for i in $(seq 1 1500000); do echo flood line $i; done; echo F-END\r")
    await wait_for(lambda: "flood line" in screen_text(flood), what="the flood")
    await other.send_input("echo still-answering\r")
    await wait_for(
        lambda: "still-answering" in screen_text(other).split("\n", 1)[-1], what="the other echo"
    )
    await wait_for(lambda: "F-END" in screen_text(flood), timeout=90, what="the flood's end")
    assert _rss_kb(server_pid) - rss_before < 150_000, "the server grew with the frozen client"
    frozen.transport.abort()
    await host.close()


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def test_sessions_of_a_killed_server_are_listed_as_stopped_and_run_again(
    sock: Path, tmp_path: Path
) -> None:
    """kill -9 the server: the next one lists its sessions as restorable; restarting one runs
    its command again in its directory, under its name."""
    work = tmp_path / "work"
    work.mkdir()
    host = await attach(sock)
    key = await host.create(
        NewSession(name="keeper", directory=work, command="bash --norc --noprofile -i", role="dev")
    )
    await wait_for(lambda: host.info(key) is not None and host.info(key).running)  # type: ignore[union-attr]
    stop_server(sock, signal.SIGKILL)

    again = await attach(sock)
    await wait_for(lambda: any(i.name == "keeper" for i in again.sessions()), what="the record")
    info = next(i for i in again.sessions() if i.name == "keeper")
    assert not info.running and info.restorable and "stopped" in info.detail
    assert info.role == "dev" and info.directory == str(work)
    restarted = await again.restart(info.key)
    await wait_for(lambda: (again.info(restarted) or info).running, what="running again")
    source = again.source(restarted)
    assert source is not None
    again.show([restarted], restarted)
    await source.send_input("pwd\r")
    # Rows joined: under xdist the temporary path is longer than the screen's 80 columns.
    await wait_for(
        lambda: str(work) in screen_text(source).replace("\n", ""), what="pwd in its directory"
    )
    await again.close()


async def test_two_named_servers_keep_their_own_messages_and_tasks(
    sock: Path, tmp_path: Path
) -> None:
    """``-L work`` and ``-L play`` in one data dir: each keeps, and gets back after a
    ``kill -9``, only its own broadcasts and tasks (one shared file listed the other's, or
    kept the second server's in memory only while the first held it)."""
    names = {name: sock.with_name(name) for name in ("work", "play")}
    try:
        for name, path in names.items():
            host = await attach(path)
            key = await host.create(NewSession(name=f"{name}-agent", role="dev"))
            await wait_for(
                lambda h=host, k=key: (h.info(k) or SimpleNamespace(running=False)).running
            )
            await host.broadcast(f"{name} news", "Normal")
            await host.submit_task(f"{name} chore", ["dev"], "Medium")
            await wait_for(lambda h=host: len(h.task_rows()) == 1 and len(h.message_rows()) >= 1)
            await host.close()
        for name, path in names.items():
            stop_server(path, signal.SIGKILL)
            again = await attach(path)
            await wait_for(lambda h=again: bool(h.task_rows()), what=f"{name}'s tasks back")
            assert [row.description for row in again.task_rows()] == [f"{name} chore"]
            said = {row.text for row in again.message_rows()}
            assert f"{name} news" in said
            assert not any(other in text for text in said for other in names if other != name)
            await again.close()
    finally:  # the fixture ends only its own server
        for path in names.values():
            stop_server(path, signal.SIGKILL)
