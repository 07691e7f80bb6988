"""The warm dashboard's launcher and its door, in-process: which ``aitui`` goes there, what it
does when nobody (or a wrong process) answers, and what the warm side refuses.

The real processes, the fork and the terminal are tested in ``tests/e2e/test_warm_dashboard.py``;
nothing here reaches the fork (every request checked here is refused before it).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aitui.cli import dashboard as dashboard_cli
from aitui.cli import warm, warm_server
from aitui.core.settings import Settings, load_settings


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch) -> None:
    """The launcher believes it runs in a terminal (it only asks ``isatty``)."""
    monkeypatch.setattr(warm, "_in_terminal", lambda: True)
    monkeypatch.setattr(warm, "_terminal_modes", lambda: None)


@pytest.fixture
def sock_path(tmp_path: Path) -> Path:
    directory = tmp_path / "run"
    directory.mkdir(mode=0o700)
    return directory / "s"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "default"),
        (["attach"], "default"),
        (["attach", "-t", "work"], "default"),
        (["-L", "team"], "team"),
        (["-S", "/tmp/x/sock", "attach"], "/tmp/x/sock"),
        (["ls"], None),
        (["--theme", "aitui-light"], None),
        (["attach", "-t"], None),
        (["new", "x"], None),
        (["-L", "a/b"], None),  # a bad server name: the usual path says why
        (["--headless", "--scenario", "x.toml"], None),
    ],
)
def test_only_the_dashboards_start_is_offered_to_the_warm_dashboard(
    argv: list[str], expected: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AITUI_SOCKET", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    found = warm._dashboard_socket(argv)
    if expected is None:
        assert found is None
    elif expected.startswith("/"):
        assert found == Path(expected)
    else:
        assert found == tmp_path / "aitui" / expected


def test_with_no_warm_dashboard_aitui_starts_the_usual_way(tty: None, sock_path: Path) -> None:
    assert warm.launch_warm(["-S", str(sock_path)]) is None


def test_without_a_terminal_the_warm_dashboard_is_not_asked(sock_path: Path) -> None:
    listener = _listener(warm.warm_socket(sock_path))
    with listener:
        assert warm.launch_warm(["-S", str(sock_path)]) is None
        listener.settimeout(0.1)
        with pytest.raises(TimeoutError):
            listener.accept()


def test_a_stale_warm_socket_costs_only_the_connect(tty: None, sock_path: Path) -> None:
    _listener(warm.warm_socket(sock_path)).close()  # bound once, nobody listens now
    assert warm.launch_warm(["-S", str(sock_path)]) is None


def test_a_warm_dashboard_that_never_answers_is_given_up(
    tty: None, sock_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warm, "ANSWER_TIMEOUT_S", 0.2)
    with _listener(warm.warm_socket(sock_path)) as listener:
        held: list[socket.socket] = []
        thread = threading.Thread(target=lambda: held.append(listener.accept()[0]))
        thread.start()
        assert warm.launch_warm(["-S", str(sock_path)]) is None
        thread.join(5)
        assert len(held) == 1  # it was asked, and did not answer
        held[0].close()


@contextlib.contextmanager
def fake_warm(sock_path: Path, *answers: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A warm dashboard that takes one request, notes it (and how many descriptors came with
    it, which it closes) and sends ``answers``; joined on the way out."""
    seen: dict[str, Any] = {}

    def serve(listener: socket.socket) -> None:
        conn, _ = listener.accept()
        with conn:
            reader = warm.LineReader(conn, max_fds=3)
            seen["request"] = reader.read()
            seen["fds"] = len(reader.fds)
            for fd in reader.fds:
                os.close(fd)
            for answer in answers:
                warm.send_line(conn, answer)

    with _listener(warm.warm_socket(sock_path)) as listener:
        thread = threading.Thread(target=serve, args=(listener,))
        thread.start()
        yield seen
        thread.join(5)


def test_a_refusal_sends_aitui_the_usual_way_and_passes_the_terminal(
    tty: None, sock_path: Path
) -> None:
    with fake_warm(sock_path, {"refused": "another aitui"}) as seen:
        assert warm.launch_warm(["-S", str(sock_path), "attach"]) is None
    request = seen["request"]
    assert seen["fds"] == 3
    assert request["argv"] == ["-S", str(sock_path), "attach"]
    assert request["cwd"] == os.getcwd()
    assert request["version"] == warm.VERSION
    assert request["package"] == warm.code_identity()["package"]


def test_the_childs_exit_status_is_the_launchers(tty: None, sock_path: Path) -> None:
    with fake_warm(sock_path, {"started": 12345}, {"exit": 3}):
        assert warm.launch_warm(["-S", str(sock_path)]) == 3


def test_a_child_that_dies_without_a_word_is_reported(
    tty: None, sock_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    restored: list[object] = []
    monkeypatch.setattr(warm, "_restore_terminal", restored.append)
    with fake_warm(sock_path, {"started": 12345}):
        assert warm.launch_warm(["-S", str(sock_path)]) == 1
    assert restored == [None]
    assert "the dashboard ended unexpectedly" in capsys.readouterr().err


# The warm side: every request below is refused before anything is forked.


def _request(**overrides: Any) -> dict[str, Any]:
    return {
        "version": warm.VERSION,
        **warm.code_identity(),
        "argv": [],
        "cwd": "/",
        "env": {"TERM": "xterm-256color"},
        "encoding": "utf-8",
        **overrides,
    }


def _ask(
    payload: bytes | dict[str, Any],
    *,
    fds: int = 3,
    fingerprint: tuple[tuple[str, int, int], ...] | None = None,
) -> tuple[str, dict[str, Any] | None]:
    """Send ``payload`` to ``_answer`` over a socket pair: its verdict and its answer."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    data = payload if isinstance(payload, bytes) else (json.dumps(payload) + "\n").encode()
    passed = [os.open(os.devnull, os.O_RDONLY) for _ in range(fds)]
    try:
        if passed:
            socket.send_fds(ours, [data], passed)
        else:
            ours.sendall(data)
        ours.shutdown(socket.SHUT_WR)
        identity = warm.code_identity()
        current = warm_server._code_fingerprint()
        verdict = warm_server._answer(theirs, theirs, -1, identity, fingerprint or current)
        theirs.close()
        answer = warm.LineReader(ours).read()
    finally:
        for fd in passed:
            os.close(fd)
        ours.close()
    return verdict, answer


@pytest.mark.parametrize(
    ("payload", "fds", "reason"),
    [
        (_request(version=99), 3, "protocol 99"),
        (_request(package="/elsewhere/aitui"), 3, "another Python or another aitui"),
        (_request(prefix="/other/venv"), 3, "another Python or another aitui"),
        (_request(), 0, "three descriptors"),
        (_request(), 2, "three descriptors"),
        (_request(argv="ls"), 3, "argv is a list of strings"),
        (_request(env={"A": 1}), 3, "env maps names to strings"),
        (_request(cwd=None), 3, "cwd is a path"),
        (b"not json\n", 3, "bad request"),
        (b"[1, 2]\n", 3, "bad request"),
        (b"", 0, "no request"),
    ],
)
def test_bad_requests_are_refused_with_their_reason(
    payload: bytes | dict[str, Any], fds: int, reason: str
) -> None:
    before = set(os.listdir("/proc/self/fd"))
    verdict, answer = _ask(payload, fds=fds)
    assert verdict == "refused"
    assert answer is not None and reason in answer["refused"]
    assert set(os.listdir("/proc/self/fd")) <= before  # the passed descriptors were closed


def test_a_request_from_another_user_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm_server, "_peer", lambda conn: (1, os.getuid() + 1))
    verdict, answer = _ask(_request())
    assert verdict == "refused"
    assert answer == {"refused": "not this user's"}


def test_a_warm_dashboard_whose_code_changed_refuses_and_ends() -> None:
    """An upgrade or an edited checkout: the process runs the old code, so it must not serve."""
    verdict, answer = _ask(_request(), fingerprint=(("/gone.py", 1, 1),))
    assert verdict == "stale"
    assert answer is not None and "changed" in answer["refused"]


def test_a_ping_is_answered_with_the_pid() -> None:
    verdict, answer = _ask({"ping": True}, fds=0)
    assert verdict == "refused"  # nothing forked
    assert answer == {"pong": os.getpid()}


def test_an_endless_line_is_refused() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        reader = warm.LineReader(theirs)
        ours.sendall(b"x" * 70_000)
        with pytest.raises(ValueError, match="too long"):
            reader.read(limit=65_536)


# The setting and the dashboard's side.


def test_the_warm_dashboard_can_be_turned_off(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("warm_dashboard = false\n")
    settings, problems = load_settings(config)
    assert problems == []
    assert settings.warm_dashboard is False
    config.write_text("warm_dashboard = 'no'\n")
    settings, problems = load_settings(config)
    assert settings.warm_dashboard is True
    assert "'warm_dashboard' must be true or false" in problems[0]


@pytest.mark.parametrize("on", [True, False])
async def test_a_dashboard_starts_the_warm_one_once_attached_unless_turned_off(
    on: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started: list[Path] = []
    host = object()

    async def fake_attach(sock: Path, **kwargs: object) -> object:
        return host

    monkeypatch.setattr("aitui.client.attach", fake_attach)
    monkeypatch.setattr(dashboard_cli, "_warm_later", started.append)
    sock = tmp_path / "s"
    connect = dashboard_cli.attacher(
        sock, Settings(warm_dashboard=on), only_attach=False, extra=[], pending=[]
    )
    assert await connect() is host
    assert started == ([sock] if on else [])


def _listener(path: Path) -> socket.socket:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(4)
    return listener


def test_an_edited_or_added_theme_file_makes_the_warm_process_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child forked from the warm process used the themes its rehearsal read: an edited or
    added theme file went unseen until the server restarted."""
    from aitui.dashboard import theming

    themes = tmp_path / "themes"
    themes.mkdir()
    theme = themes / "mine.toml"
    theme.write_text('name = "mine"\nprimary = "#5fafff"\n')
    monkeypatch.setattr(theming, "theme_dirs", lambda: [themes])
    before = warm_server._code_fingerprint()
    assert str(theme) in {path for path, _, _ in before}
    theme.write_text('name = "mine"\nprimary = "#ff5f5f"\n')
    os.utime(theme, ns=(1, 1))  # a different time whatever the clock's grain
    edited = warm_server._code_fingerprint()
    assert edited != before
    (themes / "more.toml").write_text('name = "more"\n')
    assert warm_server._code_fingerprint() != edited
