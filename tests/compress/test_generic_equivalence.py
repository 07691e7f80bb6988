"""The generic folding's fast paths give what its line-by-line loop gave."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.compress import generic
from aitui.core.compress.text import Out, template, templates
from aitui.core.compress.traceback import (
    JS_FRAME_RE,
    compress_js_frames,
    compress_traceback,
    is_traceback_start,
    traceback_end,
)

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent.parent / "shared" / "data"


def ref_structured(lines: list[str]) -> list[str]:
    """``_structured`` as it was: every line tested for a stack's start."""
    out, plain, i = Out(), [], 0
    while i < len(lines):
        line = lines[i]
        if is_traceback_start(line):
            generic.fold_repeats(plain, out)
            plain = []
            end = traceback_end(lines, i)
            compress_traceback(lines[i:end], out)
            i = end
        elif JS_FRAME_RE.match(line) and i > 0:
            generic.fold_repeats(plain, out)
            plain = []
            i = compress_js_frames(lines, i, out)
        else:
            plain.append(line)
            i += 1
    generic.fold_repeats(plain, out)
    return out.result()


def inputs() -> list[list[str]]:
    paths = list(HERE.glob("**/*.log"))
    for sub in ("compression-dev/corpus", "logdx-dev/cases"):
        paths += (SHARED / sub).glob("**/*.log")
    texts = [p.read_text("utf-8", "replace").split("\n") for p in sorted(paths)]
    rng = random.Random(18)
    pieces = [
        "Traceback (most recent call last):",
        '  File "a.py", line 3, in f',
        "    x()",
        "ValueError: bad",
        "    at f (a.js:1:2)",
        "\tat g (node:internal/x:1)",
        "\xa0at h",
        "at x",
        "",
        "line 12 ok",
        "line 13 ok",
        "same",
        "same",
        "'q'\n'r'",
        "a\nb",
        "  ",
    ]
    made = [[rng.choice(pieces) for _ in range(rng.randint(0, 30))] for _ in range(3000)]
    return texts + made


def test_structured_looks_at_every_line_that_may_open_a_stack() -> None:
    for lines in inputs():
        assert generic._structured(lines).result() == ref_structured(lines), lines[:40]


def test_templates_are_each_lines_template() -> None:
    for lines in inputs():
        assert templates(lines) == [template(line) for line in lines]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789abcdefx'\"` \u0663\u00e9", max_size=20), max_size=8))
def test_templates_on_any_lines(lines: list[str]) -> None:
    # ASCII lines take the ``[0-9]`` pattern, the others ``\d`` (which matches ``\u0663``)
    assert templates(lines) == [template(line) for line in lines]
