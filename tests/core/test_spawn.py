"""Starting programs on a PTY: what they see at start-up, and clear errors when they cannot run."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from aitui.core.errors import SpawnError
from aitui.core.spawn import spawn


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[str, int]:
    """Start ``argv`` at 30x100, return (everything it printed, exit status)."""
    process = spawn(argv, cwd=cwd, env=env or dict(os.environ), rows=30, cols=100)
    chunks = []
    while True:
        try:
            chunk = os.read(process.fd, 65536)
        except OSError:  # EIO: the program ended and the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, status = os.waitpid(process.pid, 0)
    process.fileobj.close()
    return b"".join(chunks).decode(), os.waitstatus_to_exitcode(status)


def test_the_program_starts_in_its_directory_with_its_size_terminal_and_environment(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "AITUI_SPAWN_TEST": "here"}
    script = 'stty size; pwd; tty; echo "$AITUI_SPAWN_TEST"; ps -o sid= -p $$; echo $$'
    out, code = run(["sh", "-c", script], tmp_path, env)
    rows, cols, cwd, tty, value, sid, pid = out.split()
    assert code == 0
    assert (rows, cols, cwd, value) == ("30", "100", str(tmp_path), "here")
    assert tty.startswith("/dev/pts/")  # a controlling terminal: `tty` would say "not a tty"
    assert sid == pid  # the leader of its own session (job control works)


def test_ignored_signals_are_reset_and_none_is_blocked(tmp_path: Path) -> None:
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as under nohup / in a bg job
    try:
        out, _ = run(["sh", "-c", "grep -E '^Sig(Ign|Blk)' /proc/self/status"], tmp_path)
    finally:
        signal.signal(signal.SIGINT, previous)
    masks = dict(line.split(":") for line in out.split("\r\n") if line)
    ignored, blocked = int(masks["SigIgn"], 16), int(masks["SigBlk"], 16)
    low = (1 << 31) - 1  # signals 1-31 (glibc reserves 32 and 33 and may leave them ignored)
    assert ignored & low == 0 and blocked & low == 0


def test_a_missing_program_is_named(tmp_path: Path) -> None:
    with pytest.raises(SpawnError, match="could not start 'no-such-program-zz': not found"):
        spawn(["no-such-program-zz"], cwd=tmp_path, env=dict(os.environ), rows=24, cols=80)


def test_a_file_that_is_not_executable_is_named(tmp_path: Path) -> None:
    script = tmp_path / "script.sh"
    script.write_text("echo hi\n")
    with pytest.raises(SpawnError, match=r"script\.sh'.*not executable"):
        spawn([str(script)], cwd=tmp_path, env=dict(os.environ), rows=24, cols=80)


def test_an_exec_that_fails_in_the_child_is_reported_with_its_reason(tmp_path: Path) -> None:
    """Executable, but its interpreter does not exist: only ``exec`` itself can tell."""
    script = tmp_path / "broken"
    script.write_text("#!/no/such/interpreter\n")
    script.chmod(0o755)
    with pytest.raises(SpawnError, match=r"'.*broken': No such file or directory"):
        spawn([str(script)], cwd=tmp_path, env=dict(os.environ), rows=24, cols=80)


def test_a_missing_working_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SpawnError, match="No such file or directory"):
        spawn(["true"], cwd=tmp_path / "gone", env=dict(os.environ), rows=24, cols=80)


def test_a_relative_path_is_taken_from_the_programs_own_directory(tmp_path: Path) -> None:
    script = tmp_path / "hello.sh"
    script.write_text("#!/bin/sh\necho hello from $(pwd)\n")
    script.chmod(0o755)
    out, code = run(["./hello.sh"], tmp_path)
    assert (out.strip(), code) == (f"hello from {tmp_path}", 0)
