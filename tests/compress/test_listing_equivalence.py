"""``compress_ls`` counting the entries it does not show gives the output of keeping them all."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.compress import listing
from aitui.core.compress.hints import Hints
from aitui.core.compress.text import Out
from tests.compress.test_anchored import corpus_lines


def plain_ls(lines: list[str]) -> list[str]:
    """The loop as it was: every entry's name kept, the blank check first."""
    out = Out()
    names: list[str] = []
    plain: list[str] = []

    def flush() -> None:
        if names:
            for k in range(0, min(len(names), listing.MAX_NAMES), listing.NAMES_PER_LINE):
                end = min(k + listing.NAMES_PER_LINE, listing.MAX_NAMES)
                out.keep("  " + "  ".join(names[k:end]))
            out.drop("entry|entries", len(names) - listing.MAX_NAMES)
            names.clear()
        if plain:
            out.extend(plain[: listing.MAX_NAMES])
            out.drop("line", len(plain) - listing.MAX_NAMES)
            plain.clear()

    for line in lines:
        if not line.strip():
            flush()
            continue
        m = listing._LONG_RE.match(line)
        if m:
            names.append(m.group(2) + ("/" if m.group(1) == "d" else ""))
        elif listing._TOTAL_RE.match(line):
            continue
        elif (line.endswith(":") and not line.startswith(" ")) or listing._ERROR_RE.match(line):
            flush()
            out.keep(line)
        else:
            plain.append(line)
    flush()
    return out.result()


KINDS = [
    "drwxr-xr-x  2 root root 4096 Dec  6 23:08 bin",
    "-rw-r--r-- 1 me me 12 2026-01-02 10:00 a.txt",
    "lrwxrwxrwx 1 root root 7 May  9  2025 lib -> usr/lib",
    "crw-rw-rw- 1 root root 1, 3 Dec  7 11:46 null",
    "total 80",
    "/usr/bin:",
    "ls: cannot open directory '/root': Permission denied",
    "",
    "   ",
    "some other line",
    "d:",
]
HINTS = Hints.of("ls -lR", None, None)


def test_same_output_on_every_corpus_line_and_listings() -> None:
    lines = [ln for ln in corpus_lines() if len(ln) < 500]
    assert listing.compress_ls(lines, HINTS) == plain_ls(lines)
    rng = random.Random(5)
    for _ in range(300):
        listed: list[str] = []
        for _ in range(rng.randint(0, 12)):  # directories of up to 100 entries, then others
            listed += [rng.choice(KINDS[:4]) for _ in range(rng.randint(0, 100))]
            listed += [rng.choice(KINDS) for _ in range(rng.randint(0, 6))]
        assert listing.compress_ls(listed, HINTS) == plain_ls(listed)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(KINDS) | st.text(max_size=6), max_size=120))
def test_same_output_on_any_lines(lines: list[str]) -> None:
    assert listing.compress_ls(lines, HINTS) == plain_ls(lines)
