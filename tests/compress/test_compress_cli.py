"""``aitui compress`` as a subprocess, including the scorer's contract (env vars, stdin)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from aitui.core.tokens import count_tokens

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = Path(__file__).resolve().parent / "samples"


def run(
    args: list[str],
    data: bytes = b"",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("AITUI_EVAL_")}
    full_env["PYTHONPATH"] = str(ROOT)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "aitui.cli", "compress", *args],
        input=data,
        env=full_env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_stdin_with_eval_environment() -> None:
    data = (SAMPLES / "pytest_failures.log").read_bytes()
    proc = run(
        [], data, {"AITUI_EVAL_COMMAND": "python -m pytest tests", "AITUI_EVAL_EXIT_CODE": "1"}
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "FAILED tests/test_calc.py::test_ratio" in out
    assert out.rstrip().endswith("[exit status 1]")
    assert len(out) < len(data) / 5


def test_file_argument_and_json_format() -> None:
    proc = run(
        [
            str(SAMPLES / "cargo_build_errors.log"),
            "--command",
            "cargo build",
            "--exit-code",
            "101",
            "--format",
            "json",
        ]
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["kind"] == "cargo"
    assert doc["raw_tokens"] > doc["compressed_tokens"] > 0
    assert "error[E0308]: mismatched types" in doc["text"]
    assert doc["exit_code"] == 101


def test_options_override_environment() -> None:
    proc = run(
        ["-", "--command", "git log"], b"abc1234 First commit\n", {"AITUI_EVAL_COMMAND": "pytest"}
    )
    assert proc.returncode == 0
    assert proc.stdout.decode().strip() == "abc1234 First commit"


def test_invalid_utf8_and_empty_input() -> None:
    assert run([], b"\xff\xfe\x00broken \x1b[31m").returncode == 0
    empty = run([], b"")
    assert empty.returncode == 0 and empty.stdout == b""


def test_missing_file_is_an_error() -> None:
    proc = run(["/nonexistent/log.txt"])
    assert proc.returncode == 2
    assert b"cannot read" in proc.stderr


def test_unknown_kind_is_an_error() -> None:
    proc = run(["--kind", "nope"], b"x\n")
    assert proc.returncode == 2


def test_text_format_prints_the_token_figures_on_stderr() -> None:
    data = (SAMPLES / "pytest_failures.log").read_bytes()
    proc = run(["--command", "pytest", "--exit-code", "1"], data)
    assert proc.returncode == 0, proc.stderr
    line = proc.stderr.decode().strip()
    assert line.startswith("aitui compress: pytest, "), line
    raw, compressed = (
        int(figure.replace(",", ""))
        for figure in line.split(", ", 1)[1].split(" tokens")[0].split(" -> ")
    )
    assert raw > compressed > 0
    assert "o200k_base" in line
    assert b"aitui compress" not in proc.stdout


def test_quiet_leaves_the_summary_out() -> None:
    data = (SAMPLES / "pytest_failures.log").read_bytes()
    proc = run(["--quiet"], data)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert proc.stdout


def run_redirected(redirect: str, data: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """``aitui compress`` with a shell redirection of its own (``<&-``, ``>/dev/full``...)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AITUI_EVAL_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        ["sh", "-c", f'exec "$0" -m aitui.cli compress {redirect}', sys.executable],
        input=data,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_closed_stdin_is_an_error_in_a_line() -> None:
    proc = run_redirected("<&-")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.decode().strip() == (
        "aitui compress: cannot read stdin: standard input is closed"
    )


def test_stdout_closed_or_full_is_an_error_in_a_line() -> None:
    for redirect, reason in (
        (">&-", "standard output is closed"),
        (">/dev/full", "No space left on device"),
    ):
        proc = run_redirected(redirect, b"error: it failed\n")
        assert proc.returncode == 1, (redirect, proc.stderr)
        assert proc.stderr.decode().strip() == f"aitui compress: cannot write the output: {reason}"


def test_the_output_has_no_more_tokens_than_the_input_without_a_final_newline() -> None:
    """The printed text ends with a newline only when the input did: ``abc`` is one token,
    ``abc\\n`` two, and the result must never have more tokens than it was given."""
    for data in (b"abc", b"error: failed", b"x\ny"):
        proc = run(["--quiet"], data)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == data
        assert count_tokens(proc.stdout) <= count_tokens(data)
    assert run(["--quiet"], b"abc\n").stdout == b"abc\n"
    proc = run(["--quiet", "--budget", "64"], b"abc")
    assert proc.stdout == b"abc"
