"""A dashboard scrolled back on a server's session draws every history line it asks for.

A line in the first half of a block (200-299, 400-499...) asked the server for the block
before its own, so a pane scrolled back to the end of a 474-line history (lines 446-473)
stayed blank.
"""

from __future__ import annotations

import asyncio

import pytest

from aitui.client.remote_screen import BLOCK, RemoteScrollback, Styles
from aitui.core.wire import History


async def _window(lines: int, top: int, rows: int, dropped: int = 0) -> list[str]:
    """The ``rows`` history lines from index ``top`` as a pane scrolled back draws them: it
    asks, and draws again when what it asked for has come (``fetched`` went up)."""
    asked: list[int] = []

    async def fetch(first: int, count: int) -> History:
        asked.append(first)
        end = min(first + count, dropped + lines)
        return History(first, [[(f"line {n}", 0)] for n in range(first, end)])

    history = RemoteScrollback(fetch, lambda: None, None)  # type: ignore[arg-type]
    history.styles = Styles()
    history.dropped, history.length = dropped, lines
    indexes = range(top, min(top + rows, lines))
    for index in indexes:
        history.runs(index)
    for _ in range(20):
        await asyncio.sleep(0)
    assert history.fetched == len(asked) <= rows // BLOCK + 2  # one request a block
    return [history[index] for index in indexes]


@pytest.mark.parametrize("top", [0, 150, 190, 200, 250, 446, 780, 972])
async def test_a_pane_scrolled_back_anywhere_draws_its_lines(top: int) -> None:
    want = [f"line {n}" for n in range(top, min(top + 28, 1_000))]
    assert await _window(1_000, top, 28) == want


async def test_lines_after_some_were_dropped_are_fetched_by_their_own_number() -> None:
    want = [f"line {n}" for n in range(130 + 300, 130 + 328)]
    assert await _window(450, 300, 28, dropped=130) == want


async def test_lines_dropped_from_the_cache_are_fetched_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past ``CACHE_LINES`` the cache starts again; its blocks were still marked as asked
    for, so scrolling back to them drew blank rows for good."""
    import aitui.client.remote_screen as remote_screen

    monkeypatch.setattr(remote_screen, "CACHE_LINES", 2 * BLOCK)

    async def fetch(first: int, count: int) -> History:
        return History(first, [[(f"line {n}", 0)] for n in range(first, first + count)])

    history = RemoteScrollback(fetch, lambda: None, None)  # type: ignore[arg-type]
    history.styles = Styles()
    history.length = 10 * BLOCK

    async def drawn(top: int) -> list[str]:
        for _ in range(3):  # ask, let it come, draw again (as the pane does on ``fetched``)
            rows = [history[i] for i in range(top, top + 5)]
            for _ in range(10):
                await asyncio.sleep(0)
        return rows

    for top in (0, 3 * BLOCK, 6 * BLOCK, 9 * BLOCK, 0, 3 * BLOCK):
        assert await drawn(top) == [f"line {n}" for n in range(top, top + 5)]
