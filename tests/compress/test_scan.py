"""The candidate scans find exactly what one ``find`` pass per keyword and ``finditer`` find."""

from __future__ import annotations

import random
import re
from pathlib import Path

from aitui.core.compress import generic
from aitui.core.compress import signal_patterns as signals
from aitui.core.compress.scan import AlternationScan, KeywordScan, matching_lines

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent.parent / "shared" / "data"
SCANS = [signals._SCAN, generic._ERROR_SCAN, generic._IMPORTANT_SCAN]


def texts() -> list[str]:
    paths = list(HERE.glob("**/*.log"))
    for sub in ("compression-dev/corpus", "logdx-dev/cases"):
        paths += (SHARED / sub).glob("**/*.log")
    return [p.read_text("utf-8", "replace") for p in sorted(paths)]


def reference(scan: KeywordScan, lines: list[str]) -> list[int]:
    """The plain way: every word found with ``bytes.find``, the extra pattern by ``finditer``."""
    data = "\n".join(lines).encode("utf-8", "replace").lower()
    positions = []
    for word in scan.words:
        pos = data.find(word)
        while pos != -1:
            positions.append(pos)
            pos = data.find(word, pos + len(word))
    if scan.extra is not None:
        positions += [m.start() for m in scan.extra.combined.finditer(data)]
    return sorted({data.count(b"\n", 0, pos) for pos in positions})


def generated(rng: random.Random) -> str:
    pieces = [
        "\n",
        "\n\n",
        " ",
        "  ",
        "\t",
        "e",
        "E ",
        "at x",
        "  at f (a.js:1:2)",
        "tests: 3",
        "Tests:  4",
        "#12 [stage 1/2]",
        "a/b/c.py",
        "src/x.ts",
        ".py:12",
        "-->",
        "line 3",
        "(index 2)",
        "found 3",
        "step 2",
        "error",
        "FAIL",
        "x",
        "/",
        ".",
        ":",
        "1",
    ]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))


def test_candidates_equal_one_find_pass_per_word_on_the_corpora() -> None:
    for text in texts():
        lines = text.split("\n")
        for scan in SCANS:
            assert scan.candidates(lines) == reference(scan, lines)


def test_candidates_equal_on_generated_text() -> None:
    rng = random.Random(18)
    for _ in range(3000):
        lines = generated(rng).split("\n")
        for scan in SCANS:
            assert scan.candidates(lines) == reference(scan, lines)


def test_alternation_scan_starts_are_finditers() -> None:
    rng = random.Random(7)
    alternatives = [rb"^\s*e\s", rb"ab", rb"^a+", rb"b\s+a", rb"^$"]
    scan = AlternationScan(alternatives)
    combined = re.compile(b"|".join(alternatives), re.M)
    for _ in range(5000):
        data = "".join(rng.choice(["a", "b", " ", "\n", "e", "ab"]) for _ in range(30)).encode()
        assert scan.starts(data) == [m.start() for m in combined.finditer(data)], data


def test_matching_lines_is_one_match_per_line() -> None:
    pattern = re.compile(r"^#(\d+) ERROR\b|^##\[error\]", re.M)
    rng = random.Random(3)
    pieces = ["#12 ERROR", "#3 ERRORS", "##[error]x", " #4 ERROR", "\n", "a", "#", "ERROR"]
    for _ in range(3000):
        lines = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))).split("\n")
        if rng.random() < 0.1:
            lines.append("#5 ERROR\n#6 ERROR")  # a line holding a newline
        expected = [(i, m.group(0)) for i, ln in enumerate(lines) if (m := pattern.match(ln))]
        assert [(i, m.group(0)) for i, m in matching_lines(lines, pattern)] == expected


def test_line_start_finditer_gives_finditers_matches() -> None:
    from aitui.core.compress import ci
    from aitui.core.compress.scan import _finditer, _line_start_of

    patterns = [ci._RUN_LINE_RE, ci._ERROR_LINE_RE, ci._BUILDKIT_ERROR_RE]
    patterns.append(re.compile(r"^#(\d+) ERROR\b|^##\[error\]", re.M))
    assert all(_line_start_of(p) is not None for p in patterns)
    rng = random.Random(9)
    pieces = ["#12 ERROR", "##[error]x", "##[group]Run make", " #4 ERROR", "\n", "\n\n", "a"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        for pattern in patterns:
            expected = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            assert [(m.span(), m.groups()) for m in _finditer(pattern, text)] == expected
