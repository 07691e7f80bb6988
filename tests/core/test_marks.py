"""The OSC 133 scanner finds the same marks, at the same offsets, however output is split."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core.marks import Mark, MarkScanner

MARKS = [b"\x1b]133;A\x07", b"\x1b]133;B\x1b\\", b"\x1b]133;C\x07", b"\x1b]133;D;0\x07"]
NOISE = [b"text ", b"]", b"\x1b[1;31m", b"\x1b]0;title\x07", b"\x1b", b"\x1b]", b"\r\n", b"x" * 300]
pieces = st.lists(st.sampled_from(MARKS + NOISE), max_size=40)


def scan(chunks: list[bytes]) -> list[Mark]:
    scanner = MarkScanner()
    found: list[Mark] = []
    for chunk in chunks:
        found += scanner.feed(chunk)
    assert scanner.position == sum(map(len, chunks))
    return found


@settings(max_examples=300, deadline=None)
@given(pieces, st.lists(st.integers(0, 4000), max_size=12))
def test_splitting_the_output_anywhere_finds_the_same_marks(
    parts: list[bytes], cuts: list[int]
) -> None:
    data = b"".join(parts)
    bounds = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    chunks = [data[a:b] for a, b in itertools.pairwise(bounds)]
    assert scan(chunks) == scan([data])


def test_marks_carry_their_kind_parameters_and_offsets() -> None:
    data = b"ab\x1b]133;D;7\x07cd\x1b]133;A\x1b\\"
    marks = scan([data[:4], data[4:11], data[11:]])  # cut inside the prefix and the body
    assert [(m.kind, m.params, m.start, m.end) for m in marks] == [
        ("D", ("7",), 2, 12),
        ("A", (), 14, 23),
    ]
    assert marks[0].exit_code == 7


def test_a_keyed_scanner_keeps_only_marks_signed_with_its_key_and_strips_the_key() -> None:
    """Output can imitate a mark but cannot know the session's key: only signed marks count."""
    scanner = MarkScanner(key="k3y")
    data = (
        b"\x1b]133;D;0\x07"  # forged, unsigned
        b"\x1b]133;D;0;0123abcd\x07"  # forged, a guessed key
        b"\x1b]133;C;k3y\x07"
        b"\x1b]133;D;1;k3y\x07"
        b"\x1b]133;D;0;aitui-5eed\x07"  # an execute nonce: passed on, the capture checks it
    )
    marks = scanner.feed(data)
    assert [(m.kind, m.params) for m in marks] == [
        ("C", ()),
        ("D", ("1",)),
        ("D", ("0", "aitui-5eed")),
    ]
    assert marks[1].exit_code == 1
    assert scanner.unsigned == 2
