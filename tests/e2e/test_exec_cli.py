"""``aitui exec`` as a script uses it: output on stdout, the command's own exit status, errors
on stderr with a status of 2, and an interrupted command's 124 (as ``timeout(1)``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from aitui.cli.run_command import EXEC_TIMEOUT_MS
from aitui.core.executor import DEFAULT_TIMEOUT_S


def aitui_exec(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aitui.cli", "exec", "--shell", "bash", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_output_and_the_commands_exit_status(tmp_path: Path) -> None:
    done = aitui_exec("echo hi; false", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "hi\n")
    done = aitui_exec("--json", "printf 'a\\nb\\n'", cwd=tmp_path)
    result = json.loads(done.stdout)
    assert done.returncode == 0
    assert (result["output"], result["exit_code"], result["timed_out"]) == ("a\nb\n", 0, False)


def test_a_command_given_as_words_runs_as_those_words(tmp_path: Path) -> None:
    """``aitui exec -- printf ...`` as ``aitui new NAME -- CMD...`` takes it: the words are
    quoted as such (only one was taken, and the rest refused as unrecognized arguments)."""
    done = aitui_exec("--", "printf", "%s|", "two words", "$HOME;", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "two words|$HOME;|", "")
    done = aitui_exec("echo one | tr o 0", cwd=tmp_path)  # one argument: a command line
    assert done.stdout == "0ne\n"


def test_it_runs_in_the_directory_given(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    done = aitui_exec("--cwd", str(tmp_path / "here"), "pwd", cwd=tmp_path)
    assert done.stdout.strip() == str(tmp_path / "here")


def test_an_interrupted_command_exits_124_and_says_so(tmp_path: Path) -> None:
    done = aitui_exec("--timeout-ms", "300", "sleep 30", cwd=tmp_path)
    assert done.returncode == 124
    assert "timed out after 0.3s and was interrupted" in done.stderr


def test_bad_input_is_named_with_status_2(tmp_path: Path) -> None:
    for args, said in (
        (("--cwd", str(tmp_path / "none"), "pwd"), "working directory does not exist"),
        (("--timeout-ms", "0", "true"), "timeout_ms must be positive"),
        (("",), "command is empty"),
    ):
        done = aitui_exec(*args, cwd=tmp_path)
        assert done.returncode == 2 and said in done.stderr, (args, done.stderr)


def test_the_help_gives_the_default_timeout_execute_uses() -> None:
    assert round(DEFAULT_TIMEOUT_S * 1000) == EXEC_TIMEOUT_MS
    done = subprocess.run(
        [sys.executable, "-m", "aitui.cli", "exec", "--help"], capture_output=True, text=True
    )
    assert f"default {EXEC_TIMEOUT_MS}" in " ".join(done.stdout.split())
