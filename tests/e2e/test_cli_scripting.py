"""The scripting CLI as a script meets it: ``aitui`` processes against a real server process.

Each command runs as ``python -m aitui.cli -S SOCKET ...`` (a fresh process, as from a shell),
on a socket and data dir of this module's own; the first ``aitui new`` starts the server, as it
would for a user. Exit statuses are checked for every error case: unknown session (3), bad
argument (2), timeout (124), no server (4), a server that cannot start (4), and ``wait --until
exit`` passing the program's own status on.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aitui.cli.scripting import MAX_READ_LINES
from aitui.server.daemon import running_pid
from aitui.server.routes.scripting import MAX_CAPTURE_LINES
from tests.e2e.server_helpers import (
    FOUND_FIRST,
    pid_alive,
    short_socket,
    stop_server,
    tool_on_a_path_of_its_own,
)

pytestmark = pytest.mark.timeout(300)
LONG = "60"  # a wait's --timeout that only ends a test that would hang


class Cli:
    def __init__(self, sock: Path, env: dict[str, str]) -> None:
        self.sock = sock
        self.env = env

    def run(
        self, *args: str, cwd: Path | None = None, stdin: bytes = b""
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "aitui.cli", "-S", str(self.sock), *args],
            env=self.env,
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=180,
        )
        return subprocess.CompletedProcess(
            done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
        )

    def ok(self, *args: str, cwd: Path | None = None) -> str:
        done = self.run(*args, cwd=cwd)
        assert done.returncode == 0, (args, done.returncode, done.stdout, done.stderr)
        return done.stdout

    def json(self, *args: str, stdin: bytes = b"") -> dict[str, Any]:
        done = self.run(*args, "--json", stdin=stdin)
        body: dict[str, Any] = json.loads(done.stdout)
        body["_status"] = done.returncode
        return body

    def rows(self) -> dict[str, dict[str, Any]]:
        return {row["name"]: row for row in self.json("ls")["sessions"]}


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ, PS1="$ ", AITUI_DATA_DIR=str(tmp / "data"))
    env.pop("AITUI_SOCKET", None)
    return env


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """A server of this module's own, started by the first ``aitui new``."""
    tmp = tmp_path_factory.mktemp("cli")
    sock = short_socket()
    runner = Cli(sock, _env(tmp))
    runner.workdir = tmp  # type: ignore[attr-defined]
    yield runner
    stop_server(sock, signal.SIGKILL if running_pid(sock) else signal.SIGTERM)


@pytest.fixture
def no_server(tmp_path: Path) -> Cli:
    return Cli(short_socket(), _env(tmp_path))


def test_new_starts_the_server_and_ls_lists_what_each_session_does(
    no_server: Cli, tmp_path: Path
) -> None:
    # (A server of its own: with two workers, this module's tests may run in any order and
    # on either, so none may count on another having started the module's server or not.)
    cli = no_server
    try:
        assert running_pid(cli.sock) is None
        cli.ok("new", "dev", "--role", "reviewer", cwd=tmp_path)
        assert running_pid(cli.sock) is not None
        row = cli.rows()["dev"]
        assert row["running"] is True
        assert row["role"] == "reviewer"
        assert row["directory"] == str(tmp_path)  # the caller's directory, not the server's
        assert row["activity"] == "idle"  # bash, with shell integration, at its prompt
        text = cli.ok("ls").splitlines()
        assert text[0].split() == ["NAME", "ACTIVITY", "FOR", "FROM", "DETAIL", "ROLE", "COMMAND"]
        assert any(line.split()[:2] == ["dev", "idle"] for line in text[1:])
        assert any(line.split()[3] == "shell" for line in text[1:])  # where "idle" came from
    finally:
        stop_server(cli.sock, signal.SIGKILL)


def test_send_then_wait_idle_ends_after_the_command_not_on_the_old_prompt(cli: Cli) -> None:
    cli.ok("new", "idle")
    cli.ok("send", "idle", "sleep 1; echo DONE-$((6*7))", "--enter")
    waited = cli.json("wait", "idle", "--until", "idle", "--timeout", LONG)
    assert waited["_status"] == 0
    assert waited["met"] is True and waited["reason"] == "idle"
    assert waited["exit_code"] == 0  # the command's, seen through shell integration
    assert "DONE-42" in cli.ok("read", "idle")


def test_send_reads_stdin_for_text_longer_than_a_command_line(cli: Cli) -> None:
    """200 KB is more than one argument may hold (Linux: 128 KB); ``-`` reads stdin."""
    cli.ok("new", "stdin", "--", "sh", "-c", "wc -c; sleep 60")
    text = ("é" * 99 + "\n") * 1000  # 200 KB of two-byte characters, newlines between
    assert len(text.encode()) > 128 * 1024
    sent = cli.json("send", "stdin", "-", stdin=text.encode())
    assert sent["_status"] == 0 and sent["bytes_sent"] == len(text.encode())
    cli.ok("keys", "stdin", "C-d")  # end of input: wc says what it read
    waited = cli.json("wait", "stdin", "--until", str(len(text.encode())), "--timeout", LONG)
    assert waited["met"] is True


#: Prints each read of its raw terminal as ``[repr]``: what arrived together.
CHUNKS = (
    "import os, tty; tty.setraw(0); os.write(1, b'raw\\r\\n')\n"
    "while True:\n"
    "    data = os.read(0, 4096)\n"
    "    os.write(1, b'[' + repr(data).encode() + b']\\r\\n')\n"
)


def test_send_enter_presses_enter_apart_from_the_text(cli: Cli) -> None:
    """In one burst with the text, an agent's input box takes the Enter for part of a paste
    (Codex: a new line in its prompt, never submitted); ``--enter`` is a key of its own."""
    cli.ok("new", "burst", "--", sys.executable, "-c", CHUNKS)
    cli.ok("wait", "burst", "--until", "^raw$", "--timeout", LONG)  # reading, raw
    cli.ok("send", "burst", "hello", "--enter")
    waited = cli.json("wait", "burst", "--until", r"\[b'\\r'\]", "--timeout", LONG)
    assert waited["met"] is True, cli.ok("read", "burst")
    assert "[b'hello']" in cli.ok("read", "burst")


def test_send_refuses_stdin_that_is_not_utf8_and_sends_nothing(cli: Cli) -> None:
    cli.ok("new", "binary", "--", "cat")
    refused = cli.run("send", "binary", "-", stdin=b"ok \xff\xfe")
    assert refused.returncode == 2 and "stdin is not UTF-8" in refused.stderr
    assert "ok" not in cli.ok("read", "binary")


def test_read_the_screen_history_and_colours(cli: Cli) -> None:
    cli.ok("new", "reader")
    cli.ok("send", "reader", "seq 1 300; printf '\\033[31mRED\\033[0m\\n'", "--enter")
    cli.ok("wait", "reader", "--until", "idle", "--timeout", LONG)
    screen = cli.ok("read", "reader").splitlines()
    assert "RED" in screen and "1" not in screen  # the screen only: line 1 scrolled away
    last = cli.ok("read", "reader", "--lines", "3").splitlines()
    assert last[:2] == ["300", "RED"] and len(last) == 3  # and the prompt
    everything = cli.ok("read", "reader", "--lines", "1000").splitlines()
    assert everything[everything.index("1") : everything.index("1") + 3] == ["1", "2", "3"]
    coloured = cli.ok("read", "reader", "--lines", "2", "--ansi")
    assert "\x1b[0;31mRED" in coloured and "\x1b" not in "".join(last)
    body = cli.json("read", "reader", "-n", "2")
    assert body["lines"] == last[1:] and body["ansi"] is False
    assert body["rows"] == 24 and body["cursor"][1] == len(last[2]) + 1  # after "PROMPT "


def test_a_reader_that_leaves_early_ends_the_command_quietly(cli: Cli) -> None:
    """``aitui ls | head -1``, ``aitui read NAME --lines N | grep -q x``: the reader closes
    the pipe before aitui has written everything. aitui ends with the shell's SIGPIPE status
    and says nothing (it printed ``[Errno 32] Broken pipe``, or a traceback with --json)."""
    cli.ok("new", "piped")
    cli.ok("send", "piped", "seq 1 20000", "--enter")
    cli.ok("wait", "piped", "--until", "^20000$", "--timeout", LONG)
    for args in (["ls"], ["ls", "--json"], ["read", "piped", "--lines", "20000"]):
        reader, writer = os.pipe()
        os.close(reader)  # gone before aitui writes: ``| true``
        try:
            done = subprocess.run(
                [sys.executable, "-m", "aitui.cli", "-S", str(cli.sock), *args],
                env=cli.env,
                stdout=writer,
                stderr=subprocess.PIPE,
                timeout=180,
            )
        finally:
            os.close(writer)
        assert (done.returncode, done.stderr.decode()) == (141, ""), args


def test_read_lines_beyond_any_history_reads_all_of_it(cli: Cli) -> None:
    """A count no history reaches (the most lines a server returns is 1,000,000) reads the
    whole history, as ``tmux capture-pane -S -100000000`` does; it was refused with the
    validator's own words (``query.lines: Input should be less than or equal to 1000000``)."""
    cli.ok("new", "far")
    cli.ok("send", "far", "seq 1 30", "--enter")
    cli.ok("wait", "far", "--until", "^30$", "--timeout", LONG)
    done = cli.run("read", "far", "--lines", "100000000")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-31:-1] == [str(n) for n in range(1, 31)]
    assert MAX_READ_LINES == MAX_CAPTURE_LINES  # the CLI asks for no more than is served


def test_keys_by_name_a_timeout_and_a_bad_key_that_sends_nothing(cli: Cli) -> None:
    cli.ok("new", "keys")
    cli.ok("send", "keys", "sleep 120", "--enter")
    timed_out = cli.run("wait", "keys", "--until", "idle", "--timeout", "1")
    assert timed_out.returncode == 124  # a running command is never idle
    assert "timed out" in timed_out.stderr
    as_json = cli.json("wait", "keys", "--until", "idle", "--timeout", "0.2")
    assert (as_json["_status"], as_json["reason"], as_json["met"]) == (124, "timeout", False)

    bad = cli.run("keys", "keys", "ctrl+c", "no-such-key")
    assert bad.returncode == 2
    assert "'no-such-key'" in bad.stderr and "f1-f12" in bad.stderr
    assert cli.json("keys", "keys", "C-c", "nope")["code"] == "INVALID_KEY"
    # Nothing of a refused list was sent: the sleep still runs.
    assert cli.run("wait", "keys", "--until", "idle", "--timeout", "0.5").returncode == 124

    sent = cli.json("keys", "keys", "C-c")
    assert (sent["_status"], sent["bytes_sent"]) == (0, 1)
    cli.ok("wait", "keys", "--until", "idle", "--timeout", LONG)
    cli.ok("keys", "keys", "e", "c", "h", "o", "space", "K", "E", "Y", "S", "enter")
    found = cli.json("wait", "keys", "--until", "^KEYS$", "--timeout", LONG)
    assert (found["_status"], found["match"]) == (0, "KEYS")


def test_wait_for_exit_passes_the_programs_status_on(cli: Cli) -> None:
    cli.ok("new", "seven", "--", "sh", "-c", "sleep 0.3; exit 7")
    assert cli.run("wait", "seven", "--until", "exit", "--timeout", LONG).returncode == 7
    body = cli.json("wait", "seven", "--until", "exit")
    assert (body["_status"], body["reason"], body["exit_code"]) == (7, "exited", 7)
    assert cli.rows()["seven"]["activity"] == "exited"
    # What it left on screen can still be read; nothing can be typed into it.
    assert cli.run("read", "seven").returncode == 0
    for command in (["send", "seven", "x"], ["keys", "seven", "enter"]):
        refused = cli.json(*command)
        assert (refused["_status"], refused["code"]) == (1, "SESSION_NOT_RUNNING")

    cli.ok("new", "killed", "--", "sh", "-c", "kill -TERM $$")
    assert cli.run("wait", "killed", "--until", "exit", "--timeout", LONG).returncode == 143
    # A wait for anything else that meets an exit fails, saying so.
    other = cli.run("wait", "killed", "--until", "never-printed", "--timeout", LONG)
    assert other.returncode == 1 and "exited" in other.stderr


def test_a_bad_regex_and_the_words_idle_and_exit_as_patterns(cli: Cli) -> None:
    cli.ok("new", "regex")
    bad = cli.run("wait", "regex", "--until", "(unclosed")
    assert bad.returncode == 2 and "invalid regular expression" in bad.stderr
    assert cli.json("wait", "regex", "--until", "[")["code"] == "INVALID_PATTERN"
    cli.ok("send", "regex", "echo id''le", "--enter")
    assert cli.json("wait", "regex", "--until", "re:idle$", "--timeout", LONG)["match"] == "idle"


def test_a_word_close_to_a_state_is_refused_as_a_typo(cli: Cli) -> None:
    """``--until exited`` waited, for good without ``--timeout``, for the text "exited"."""
    cli.ok("new", "typo")
    for word, meant in (("exited", "exit"), ("idel", "idle"), ("Done", "done")):
        done = cli.run("wait", "typo", "--until", word)
        assert done.returncode == 2, done
        assert f"did you mean '{meant}'? (re:{word} waits for the text)" in done.stderr
    cli.ok("send", "typo", "echo ex''ited", "--enter")
    assert cli.json("wait", "typo", "--until", "re:exited", "--timeout", LONG)["match"] == "exited"
    assert cli.json("wait", "typo", "--until", "ready", "--timeout", "0.2")["_status"] == 124


@pytest.mark.parametrize(
    "command",
    [
        ["send", "ghost", "x"],
        ["keys", "ghost", "enter"],
        ["read", "ghost"],
        ["wait", "ghost", "--until", "idle"],
        ["kill", "ghost"],
        ["restart", "ghost"],
    ],
)
def test_an_unknown_session(cli: Cli, command: list[str]) -> None:
    cli.run("new", "present")  # (started here or by another test before: either will do)
    done = cli.run(*command)
    assert done.returncode == 3
    assert "'ghost' not found" in done.stderr
    body = cli.json(*command)
    assert (body["_status"], body["code"]) == (3, "SESSION_NOT_FOUND")


def test_new_refuses_a_taken_name_a_bad_name_and_a_missing_directory(cli: Cli) -> None:
    cli.ok("new", "taken")
    again = cli.json("new", "taken")
    assert (again["_status"], again["code"]) == (1, "SESSION_EXISTS")
    assert cli.run("new", "bad name").returncode == 2
    missing = cli.run("new", "nowhere", "--cwd", "/no/such/directory")
    assert missing.returncode == 2 and "/no/such/directory" in missing.stderr
    assert "nowhere" not in cli.rows()  # nothing half-made is left behind


def test_new_help_after_the_name_is_help_and_an_unknown_option_is_refused(cli: Cli) -> None:
    """``aitui new s1 --help`` started a session running ``--help``; ``--cdw`` (a typo of
    ``--cwd``) was taken for the program too. A command starting with ``-`` goes after --."""
    helped = cli.run("new", "helped", "--help")
    assert helped.returncode == 0 and "usage: aitui new" in helped.stdout
    misspelt = cli.run("new", "misspelt", "--cdw", "/tmp")
    assert misspelt.returncode == 2 and "no option --cdw" in misspelt.stderr
    assert not {"helped", "misspelt"} & set(cli.rows())  # neither started
    cli.ok("new", "dashed", "--", "sh", "-c", "echo ran")
    assert cli.json("wait", "dashed", "--until", "exit", "--timeout", LONG)["exit_code"] == 0


def test_new_finds_the_program_on_the_callers_path_and_restart_keeps_it(
    cli: Cli, tmp_path: Path
) -> None:
    """A program the caller's shell finds (a new venv, ``nvm use``) starts in a server that
    was started before it was on any PATH; the server's own PATH is only the default."""
    cli.ok("new", "path-first")  # the server runs, with this module's PATH
    tools = tool_on_a_path_of_its_own(tmp_path)
    mine = Cli(cli.sock, dict(cli.env, PATH=f"{tools}:{cli.env['PATH']}"))
    mine.ok("new", "path-mine", "--", "only-on-my-path")
    first = f"re:{FOUND_FIRST}"
    mine.ok("wait", "path-mine", "--until", first, "--timeout", LONG)
    cli.ok("restart", "path-mine")  # runs again with the PATH it was made with
    cli.ok("wait", "path-mine", "--until", first, "--timeout", LONG)
    for name in ("path-first", "path-mine"):
        cli.ok("kill", name)


def test_a_path_too_long_to_send_leaves_the_servers_own(cli: Cli) -> None:
    """A PATH past what the API takes is not sent (the server's is used): the session starts,
    rather than the request being refused for a PATH the user never chose to send."""
    from aitui.core.limits import SEARCH_PATH_MAX

    long_path = cli.env["PATH"] + ":" + ":".join(["/nowhere"] * (SEARCH_PATH_MAX // 8))
    assert len(long_path) > SEARCH_PATH_MAX
    Cli(cli.sock, dict(cli.env, PATH=long_path)).ok("new", "long-path", "--", "sleep", "60")
    assert cli.rows()["long-path"]["running"]
    cli.ok("kill", "long-path")


def test_kill_ends_the_process_group_and_restart_runs_the_command_again(cli: Cli) -> None:
    cli.ok("new", "job", "--", "sh", "-c", "sleep 120 & echo CHILD=$!; wait")
    found = cli.json("wait", "job", "--until", r"CHILD=\d+", "--timeout", LONG)
    child = int(found["match"].split("=")[1])
    assert pid_alive(child)
    old = cli.rows()["job"]["key"]
    restarted = cli.json("restart", "job")
    assert restarted["_status"] == 0 and restarted["key"] != old and restarted["running"]
    assert not pid_alive(child)  # the old program's whole group ended
    found = cli.json("wait", "job", "--until", r"CHILD=\d+", "--timeout", LONG)
    child = int(found["match"].split("=")[1])
    cli.ok("kill", "job")
    assert "job" not in cli.rows()
    assert not pid_alive(child)
    assert cli.run("kill", "job").returncode == 3


@pytest.mark.parametrize(
    "command",
    [
        ["ls"],
        ["send", "dev", "x"],
        ["keys", "dev", "enter"],
        ["read", "dev"],
        ["wait", "dev", "--until", "exit"],
        ["kill", "dev"],
    ],
)
def test_no_server_says_so_and_starts_none(no_server: Cli, command: list[str]) -> None:
    done = no_server.run(*command)
    assert done.returncode == 4
    assert f"no server running on {no_server.sock}" in done.stderr
    body = no_server.json(*command)
    assert (body["_status"], body["code"]) == (4, "NO_SERVER")
    assert running_pid(no_server.sock) is None


def test_a_server_that_cannot_start_says_why(tmp_path: Path) -> None:
    sock = short_socket()
    (sock.parent / "s.lock").mkdir()  # the server's lock cannot be taken
    runner = Cli(sock, _env(tmp_path))
    done = runner.run("new", "dev")
    assert done.returncode == 4
    assert "the aitui server did not start" in done.stderr and "log:" in done.stderr
    assert runner.json("new", "dev")["code"] == "SERVER_START_FAILED"


def test_an_unsafe_socket_directory_is_refused(tmp_path: Path) -> None:
    """A socket directory others may enter: someone could plant a socket there."""
    sock = short_socket()
    os.chmod(sock.parent, 0o777)
    try:
        runner = Cli(sock, _env(tmp_path))
        done = runner.run("new", "dev")
        assert done.returncode == 4
        assert "open to other users" in done.stderr
        assert runner.json("new", "dev")["code"] == "UNSAFE_SOCKET"
        assert running_pid(sock) is None
    finally:
        os.chmod(sock.parent, 0o700)


def test_after_the_server_died_ls_lists_its_sessions_stopped_and_restart_runs_one(
    tmp_path: Path,
) -> None:
    runner = Cli(short_socket(), _env(tmp_path))
    try:
        runner.ok("new", "keeper", "--cwd", str(tmp_path))
        stop_server(runner.sock, signal.SIGKILL)
        assert running_pid(runner.sock) is None
        rows = runner.rows()  # starts a server: this one kept sessions
        assert rows["keeper"]["running"] is False
        assert "stopped" in rows["keeper"]["detail"]
        # Nothing runs it until it is restarted: a wait ends at once (it lasted until its
        # timeout), and typing says how to run it (it said "is not started (call start())").
        for args in (
            ["wait", "keeper", "--until", "idle", "--timeout", LONG],
            ["wait", "keeper", "--until", "x", "--timeout", LONG],
            ["send", "keeper", "pwd", "--enter"],
            ["keys", "keeper", "enter"],
        ):
            refused = runner.run(*args)
            assert refused.returncode == 1, (args, refused.returncode, refused.stderr)
            said = {
                "wait": "aitui: keeper is not running: the wait cannot be met\n",
                "send": "aitui: keeper is stopped (the server restarted): Enter, prefix R or"
                " `aitui restart keeper` runs it again\n",
            }
            assert refused.stderr == said.get(args[0], said["send"]), args
        runner.ok("restart", "keeper")
        runner.ok("wait", "keeper", "--until", "idle", "--timeout", LONG)
        runner.ok("send", "keeper", "pwd", "--enter")
        runner.ok("wait", "keeper", "--until", re.escape(str(tmp_path)), "--timeout", LONG)
    finally:
        stop_server(runner.sock, signal.SIGKILL)
