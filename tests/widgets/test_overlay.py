"""The cursor, a selection or a search match drawn over a row's strip (``pane_view._overlay``):
the quick cut of a printable ASCII row gives what cutting by cells gives, for any row."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from aitui.dashboard.widgets.pane_view import _overlay

styles = st.sampled_from([None, Style(), Style(color="red"), Style(bold=True, bgcolor="blue")])
texts = st.one_of(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=12),
    st.text(st.sampled_from("ab 中é👍\u0301"), min_size=1, max_size=6),
)
segments = st.lists(st.builds(lambda t, s: Segment(t, s), texts, styles), min_size=1, max_size=6)


def reference(strip: Strip, start: int, end: int, style: Style) -> Strip:
    """What the pane did before: divide the strip, style the middle, join the three."""
    length = strip.cell_length
    start, end = max(0, min(start, length)), max(0, min(end, length))
    if start >= end:
        return strip
    left, mid, right = strip.divide([start, end, length])
    return Strip.join([left, Strip(Segment.apply_style(iter(mid), post_style=style)), right])


@given(segments, st.integers(-2, 40), st.integers(0, 40))
def test_an_overlay_is_the_same_however_the_row_is_cut(
    row: list[Segment], start: int, width: int
) -> None:
    strip = Strip(row)
    cursor = Style(reverse=True)
    ours = _overlay(strip, start, start + width, cursor)
    theirs = reference(strip, start, start + width, cursor)
    assert list(ours) == list(theirs)
    assert ours.cell_length == theirs.cell_length == strip.cell_length
