"""Frames for one attached client: only rows whose content changed, styles sent once,
history by absolute line number (``aitui.server.frames``)."""

from __future__ import annotations

from aitui.core.terminal import TerminalScreen
from aitui.server.frames import FrameBuilder


def screen_with(text: bytes, rows: int = 5, cols: int = 20) -> TerminalScreen:
    screen = TerminalScreen(rows, cols, scrollback=100)
    screen.feed(text)
    screen.take_dirty()
    return screen


def test_the_first_frame_is_full_and_later_ones_carry_changed_rows_only() -> None:
    screen = screen_with(b"\x1b[31mred\x1b[0m\r\nplain")
    frames = FrameBuilder()
    first = frames.frame("k", screen, set())
    assert first.full and sorted(first.lines) == [0, 1, 2, 3, 4]
    assert first.modes is not None
    red = first.lines[0][0]
    assert red[0] == "red" and first.styles[red[1]].fg == 1
    # An Ink-like repaint: home, the same rows again, one character different.
    screen.feed(b"\x1b[H\x1b[31mred\x1b[0m\r\nplaiN")
    again = frames.frame("k", screen, screen.take_dirty())
    assert not again.full and list(again.lines) == [1]
    assert again.modes is None and again.styles == {}  # nothing new to say about them
    assert "".join(t for t, _ in again.lines[1]).startswith("plaiN")


def test_a_rewrite_with_the_same_content_sends_no_rows() -> None:
    screen = screen_with(b"spinner |\r\ncounter 1")
    frames = FrameBuilder()
    frames.frame("k", screen, set())
    screen.feed(b"\x1b[Hspinner |\r\ncounter 1")
    assert screen.take_dirty() == set()  # the screen saw writes, but no change...
    assert frames.frame("k", screen, {0, 1}).lines == {}  # ...and rows asked for are not sent


def test_a_resize_or_a_client_that_stopped_showing_gets_a_full_frame() -> None:
    screen = screen_with(b"hello")
    frames = FrameBuilder()
    frames.frame("k", screen, set())
    screen.resize(6, 30)
    assert frames.frame("k", screen, set()).full
    frames.forget("k")
    assert frames.frame("k", screen, set()).full


def test_history_is_numbered_absolutely_and_a_rewrite_is_reported() -> None:
    screen = TerminalScreen(3, 20, scrollback=5)
    screen.feed(b"\r\n".join(f"line {i}".encode() for i in range(10)))
    frames = FrameBuilder()
    frame = frames.frame("k", screen, set())
    assert frame.history_length == 5 and frame.history_dropped == 2
    history = frames.history(screen, frame.history_dropped, 100)
    assert history.first == 2
    texts = ["".join(t for t, _ in line).rstrip() for line in history.lines]
    assert texts == [f"line {i}" for i in range(2, 7)]
    assert frames.history(screen, 0, 2).first == 2  # what is gone is not invented
    screen.feed(b"\x1b[3J")  # the history is cleared
    assert frames.frame("k", screen, set()).history_reset


def test_the_style_numbering_starts_again_past_its_bound(monkeypatch: object) -> None:
    """A program cycling through truecolor colours: the connection's table stays bounded,
    the client is told to forget its numbers, and the frame carries every row again."""
    import aitui.server.frames as frames_module
    from aitui.client.remote_screen import RemoteScreen, RemoteScrollback, Styles

    monkeypatch.setattr(frames_module, "MAX_STYLES", 8)  # type: ignore[attr-defined]
    screen = TerminalScreen(3, 40, scrollback=10)
    frames = FrameBuilder()
    client = RemoteScreen(Styles(), RemoteScrollback(None, lambda: None, None))  # type: ignore[arg-type]
    resets = 0
    for shade in range(40):
        screen.feed(b"\x1b[H\x1b[38;2;%d;0;0mcolour %d\x1b[0m" % (shade, shade))
        frame = frames.frame("k", screen, screen.take_dirty())
        resets += frame.styles_reset
        client.apply(frame)
        row = client.row_runs(0)
        assert row[0][0].startswith(f"colour {shade}")
        assert row[0][1].fg == f"#{shade:02x}0000"
        assert len(frames._styles) <= 9
    assert resets >= 3
