"""The generic fallback, cleaning, placeholders and detection."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aitui.core.compress import Hints, clean_lines, compress, detect_kind, kind_from_command
from aitui.core.compress.text import even_spread
from aitui.core.tokens import count_tokens

GROWTH_TOKENS = 5  # "a few tokens": the exit-status line is not added without an exit code


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise_nor_grow(data: bytes) -> None:
    result = compress(data)
    raw = data.decode("utf-8", "replace")
    assert count_tokens(result.text) <= count_tokens(raw) + GROWTH_TOKENS


line_strategy = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "error: something broke",
            "Traceback (most recent call last):",
            '  File "x.py", line 3, in f',
            "ValueError: bad",
            "    at f (file.js:1:2)",
            "\x1b[31mred\x1b[0m",
            "progress 10%\rprogress 100%",
            "",
            "same line",
            "$ ls",
            "user@host:~$ make",
            "diff --git a/x b/x",
            "[ 10%] Building C object x",
        ]
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(line_strategy, max_size=300),
    st.sampled_from([None, "make", "pytest", "git log", "npm install", "bash -i"]),
)
def test_line_soup_never_raises_nor_grows(lines: list[str], command: str | None) -> None:
    raw = "\n".join(lines)
    result = compress(raw, command=command)
    assert count_tokens(result.text) <= count_tokens(raw) + GROWTH_TOKENS


def test_clean_lines_strips_ansi_progress_and_spinners() -> None:
    raw = "\x1b[1;31mred\x1b[0m\r\nDownloading 10%\rDownloading 100%\n⠙⠹npm http fetch\n  \n"
    assert clean_lines(raw) == ["red", "Downloading 100%", "npm http fetch"]


def test_repeats_are_folded_with_a_count() -> None:
    raw = "start\n" + "waiting for lock\n" * 50 + "done\n"
    text = compress(raw).text
    assert text.splitlines() == [
        "start",
        "waiting for lock",
        "[... 49 identical lines omitted ...]",
        "done",
    ]


def test_same_template_lines_are_folded() -> None:
    raw = "\n".join(f"fetched chunk {i} of 500 ({i * 3} kB)" for i in range(500))
    lines = compress(raw).text.splitlines()
    assert lines[0] == "fetched chunk 0 of 500 (0 kB)"
    assert lines[-1] == "fetched chunk 499 of 500 (1497 kB)"
    assert "[... 498 similar lines omitted ...]" in lines


def test_long_unknown_output_keeps_head_tail_and_errors() -> None:
    body = [
        f"step {i}: {'ok' if i % 7 else 'fine'} value={i * 13 % 101} {chr(97 + i % 26) * 5}"
        for i in range(400)
    ]
    body[200] = "ERROR: disk quota exceeded while writing /var/tmp/x"
    result = compress("\n".join(body), command="./deploy.sh", exit_code=3)
    text = result.text
    assert result.kind == "generic"
    assert body[0] in text and body[-1] in text
    assert "ERROR: disk quota exceeded" in text
    # what was left out is summarised with its line numbers in the input
    assert re.search(r"\[\.\.\. [\d,]+ lines \(L\d+-\d+\) of output, 0 errors \.\.\.\]", text)
    assert text.endswith("[exit status 3]")
    assert count_tokens(text) < count_tokens("\n".join(body)) / 3


def test_tracebacks_inside_unknown_output_keep_innermost_frame() -> None:
    frames = "".join(
        f'  File "/usr/lib/python3.11/site-packages/lib{i}.py", line {i}, in f{i}\n    call()\n'
        for i in range(30)
    )
    raw = (
        "starting\nTraceback (most recent call last):\n"
        '  File "/home/me/app.py", line 3, in <module>\n    main()\n'
        + frames
        + '  File "/home/me/app.py", line 9, in handler\n    raise KeyError(k)\n'
        "KeyError: 'user'\n"
    )
    text = compress(raw).text
    assert 'File "/home/me/app.py", line 9, in handler' in text
    assert "KeyError: 'user'" in text
    assert "[... 29 frames omitted ...]" in text or "frames omitted" in text


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        ("python -m pytest tests -x", "pytest"),
        ("cd app && uv run pytest", "pytest"),
        ("cargo test --release", "cargo-test"),
        ("cargo build", "cargo"),
        ("RUSTFLAGS=-Dwarnings cargo clippy", "cargo"),
        ("gcc -O2 -c x.c", "gcc"),
        ("x86_64-linux-gnu-gcc-12 x.c", "gcc"),
        ("make -j8", "make"),
        ("cmake --build build", "cmake"),
        ("npm ci", "npm"),
        ("yarn", "npm"),
        ("pip install -r requirements.txt", "pip"),
        ("python3 -m pip install flask", "pip"),
        ("sudo apt-get install -y curl", "apt"),
        ("npx tsc --noEmit", "tsc"),
        ("npx eslint src", "eslint"),
        ("mypy --strict src", "mypy"),
        ("ruff check .", "ruff"),
        ("go test ./...", "gotest"),
        ("git log --oneline -n 50", "git-log"),
        ("git -C repo diff HEAD~1", "git-diff"),
        ("git status && git diff --stat", "git-status"),
        ("ls -la", "ls"),
        ("find . -name '*.py'", "find"),
        ("pip inspect", "json"),
        ("bash -i", "shell"),
        ("./run.sh", None),
    ],
)
def test_kind_from_command(command: str, kind: str | None) -> None:
    assert kind_from_command(Hints.of(command)) == kind


def test_content_overrides_a_generic_build_command() -> None:
    lines = [
        "============================= test session starts ==============================",
        "collected 3 items",
        "",
        "t.py ...",
        "============================== 3 passed in 0.01s =",
    ]
    assert detect_kind(Hints.of("make test"), lines) == "pytest"


def test_even_spread() -> None:
    assert even_spread(5, 25) == [0, 1, 2, 3, 4]
    spread = even_spread(75, 25)
    assert len(spread) == 25 and spread[0] == 0 and spread[-1] == 74
