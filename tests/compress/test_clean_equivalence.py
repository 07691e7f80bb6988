"""The one-pass cleaning gives what the line-by-line cleaning gave (the reference below)."""

from __future__ import annotations

import random
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.compress.text import clean_lines, collapse_blank_runs, strip_ansi

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent.parent / "shared" / "data"

# The cleaning as it was written first: escapes, then control characters, one line at a time.
REF_ANSI = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]|\x1b[ -/]+[0-~]|\x1b[0-~]|\x1b"
)
REF_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]")


def ref_clean(text: str) -> list[str]:
    text = REF_CTRL.sub("", REF_ANSI.sub("", text))
    lines = [ln.rstrip("\r").rsplit("\r", 1)[-1] for ln in text.split("\n")]
    lines = [re.sub("^[\u2800-\u28ff]+", "", ln).rstrip() for ln in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def ref_collapse(lines: list[str]) -> list[str]:
    out, blank = [], True
    for line in lines:
        if line or not blank:
            out.append(line)
        blank = not line
    return out


def samples() -> list[str]:
    paths = list(HERE.glob("**/*.log"))
    for sub in ("compression-dev/corpus", "logdx-dev/cases"):
        paths += (SHARED / sub).glob("**/*.log")
    rng = random.Random(18)
    alphabet = [
        "\x1b",
        "\x9b",
        "[",
        "]",
        "P",
        "X",
        "^",
        "_",
        "\\",
        "\x07",
        " ",
        "-",
        "/",
        "0",
        "?",
        "@",
        "~",
        ";",
        "1m",
        "31",
        "\n",
        "\r",
        "\t",
        "\x00",
        "\x08",
        "\x0b",
        "\x7f",
        "\x85",
        "\xa0",
        "\u2028",
        "\ud800",
        "\U0001f600",
        "\u2801",
        "é",
        "a",
        "",
        "\n\n",
    ]
    made = ["".join(rng.choice(alphabet) for _ in range(40)) for _ in range(5000)]
    return [p.read_text("utf-8", "replace") for p in sorted(paths)] + made


def test_strip_ansi_is_escapes_then_control_characters() -> None:
    for text in samples():
        assert strip_ansi(text) == REF_CTRL.sub("", REF_ANSI.sub("", text)), repr(text)


def test_clean_lines_is_the_line_by_line_cleaning() -> None:
    for text in samples():
        assert clean_lines(text) == ref_clean(text), repr(text)


def test_collapse_blank_runs_keeps_one_blank_and_none_first() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        lines = [rng.choice(["", "", "a", " b"]) for _ in range(rng.randint(0, 12))]
        assert collapse_blank_runs(lines) == ref_collapse(lines)
        assert collapse_blank_runs(iter(lines)) == ref_collapse(lines)


def test_sparse_escape_removal_is_the_pattern_substitution() -> None:
    from aitui.core.compress import escapes as cleaning

    assert cleaning._AFTER_ESC in cleaning.ANSI_RE.pattern  # the same alternatives
    for text in samples():
        text = text.replace("\x9b", "")  # (the piecewise way is for texts without it)
        assert cleaning._strip_sparse(text) == cleaning.ANSI_RE.sub("", text), repr(text)
        if len(text) > 5000:
            continue
        padded = text + "x" * (len(text) * cleaning.SPARSE_ESCAPES)  # takes the sparse way
        assert cleaning.strip_escapes(padded) == cleaning.ANSI_RE.sub("", padded), repr(text)
        sampled = "x" * 70_000 + text + "x" * 70_000  # escapes between the sampled ends
        assert cleaning.strip_escapes(sampled) == cleaning.ANSI_RE.sub("", sampled), repr(text)


ESCAPE_PIECES = ["\x1b", "\x1b]0;t", "\x1bP", "\x1b\\", "\x07", "\\", "[", "31m", "\x1b[", "a"]
ESCAPE_PIECES += ["]", "P", "X", "^", "_", " ", "(", "B", "?25l", "\x1b(", "é", "\n"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(ESCAPE_PIECES) | st.text(max_size=3), max_size=20))
def test_sparse_escape_removal_on_any_text(parts: list[str]) -> None:
    from aitui.core.compress import escapes as cleaning

    text = "".join(parts).replace("\x9b", "")
    assert cleaning._strip_sparse(text) == cleaning.ANSI_RE.sub("", text)
