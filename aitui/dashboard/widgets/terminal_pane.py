"""``TerminalPane``: a session's terminal: its screen drawn, keys and the mouse sent to it.

Only rows the engine reports dirty (rows whose content changed) are redrawn, at most a frame
budget's worth for a pane without focus; the drawing itself is ``PaneView``'s (``pane_view.py``).
The pane reads a :class:`PaneSource`
(see ``source.py``), so a live session, a replayed recording or a remote session can stand
behind it. Keys become the bytes a real xterm sends (``keys.py``) and go out through one
ordered input queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import weakref
from collections.abc import Iterator

from textual import events
from textual.message import Message
from textual.selection import Selection
from textual.timer import Timer

from aitui.core.errors import AituiError
from aitui.core.hosting import PaneSource
from aitui.dashboard.widgets.keys import key_to_bytes, paste_bytes
from aitui.dashboard.widgets.mouse import mouse_report
from aitui.dashboard.widgets.pane_view import PaneView

#: Redraws per second of a pane that does not have the focus (the focused one: every frame).
UNFOCUSED_FPS = 15


class TerminalPane(PaneView, can_focus=True):
    """A terminal. ``source`` may be ``None`` (an empty pane)."""

    ALLOW_SELECT = True

    class Scrolled(Message):
        """The user scrolled into history (or back to the live screen)."""

        def __init__(self, pane: TerminalPane, lines: int) -> None:
            super().__init__()
            self.pane = pane
            self.lines = lines

    class InputRefused(Message):
        """Keys could not reach the program (it exited, the session is gone): ``reason``
        says why, ``data`` is what was refused. Posted for the first key of a refusal streak
        (``first``: the one to report) and for every refused Enter, which a stopped session
        offers to run it again."""

        def __init__(
            self, pane: TerminalPane, source: PaneSource, reason: str, data: bytes, first: bool
        ) -> None:
            super().__init__()
            self.pane = pane
            self.source = source
            self.reason = reason
            self.data = data
            self.first = first

    def __init__(
        self,
        source: PaneSource | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        direct_draw: bool = True,
    ) -> None:
        super().__init__(source, name=name, id=id, classes=classes, direct_draw=direct_draw)
        self._cursor_seen: tuple[tuple[int, int], bool] | None = None
        self._input: asyncio.Queue[bytes] = asyncio.Queue()
        self._last_redraw = 0.0
        self._redraw_timer: Timer | None = None
        self._fetched = 0  # the history's ``fetched`` when last drawn
        #: The size last reported to the source shown (None: not yet, for this one).
        self._reported: tuple[int, int] | None = None

    # -- wiring -------------------------------------------------------------------------------
    @staticmethod
    def showing(source: PaneSource) -> Iterator[TerminalPane]:
        """The mounted panes that show ``source``. Asked at every frame of every session on
        display: a DOM query walked the whole app each time (a tenth of the dashboard's time
        while a spinner turned, profiled)."""
        return (pane for pane in list(_MOUNTED) if pane.source is source)

    def on_mount(self) -> None:
        _MOUNTED.add(self)
        self.run_worker(self._pump_input(), name="pane-input", group="pane-input", exclusive=True)

    def on_unmount(self) -> None:
        _MOUNTED.discard(self)

    def attach(self, source: PaneSource | None) -> None:
        """Show another source (switching sessions); resizes it to this pane."""
        self.source = source
        self.scroll_back = 0
        self._reported = None
        self._invalidate()
        self._resize_source()

    def screen_changed(self) -> None:
        """The source's screen changed: redraw its dirty rows and the cursor's old/new rows.

        Coalesced to a frame budget: the focused pane redraws at every change (Textual still
        composites at most once a frame); a pane without focus at most ``UNFOCUSED_FPS`` times
        a second, so a flooding neighbour cannot crowd out the pane being typed in.
        """
        if self.source is None:
            return
        if not self.has_focus:
            now = time.monotonic()
            wait = self._last_redraw + 1 / UNFOCUSED_FPS - now
            if wait > 0:
                if self._redraw_timer is None:
                    self._redraw_timer = self.set_timer(wait, self._deferred_redraw)
                return
            self._last_redraw = now
        screen = self.source.screen
        dirty = screen.take_dirty()
        if self.scroll_back:
            fetched = screen.scrollback.fetched
            if fetched != self._fetched:  # history lines from a server arrived: draw them
                self._fetched = fetched
                self._invalidate()
            return  # history view is frozen; the live rows are re-read on return
        cursor = (screen.cursor, screen.cursor_visible)
        if cursor != self._cursor_seen:  # the cursor moved, showed or hid: its rows change
            self._cursor_seen = cursor
            if self._cursor_row is not None:
                dirty.add(self._cursor_row)
            dirty.add(cursor[0][0])
        for y in dirty:
            self._strips.pop(y, None)
        self._refresh_rows(dirty)

    def _deferred_redraw(self) -> None:
        self._redraw_timer = None
        self._last_redraw = 0.0
        self.screen_changed()

    # -- selection and copy -------------------------------------------------------------------
    def _visible_text(self) -> list[str]:
        if self.source is None:
            return []
        lines = []
        for y in range(self.size.height):
            runs = self._line_at(y)[1] or []
            lines.append("".join(text for text, _ in runs).rstrip())
        return lines

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, as shown (scrolled-back history included)."""
        return selection.extract("\n".join(self._visible_text())), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._invalidate()

    def on_focus(self) -> None:
        self._invalidate()

    def on_blur(self) -> None:
        self._invalidate()

    # -- size ---------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._invalidate()
        self._resize_source()

    def _resize_source(self) -> None:
        if self.source is None or not self.size.height or not self.size.width:
            return
        rows, cols = self.size.height, self.size.width
        # Reported once per source and size even when the screen has that size already: a
        # server sizes a session to the client that last typed into it, from the size that
        # client reported, and a dashboard attached while the session had its size (another
        # of the same size, or this one before) reported none, so its typing never took the
        # session back from a larger dashboard (its pane showed a crop).
        if (rows, cols) != self._reported:
            self._reported = (rows, cols)
            source = self.source

            async def resize() -> None:
                await self._resize(source, rows, cols)

            # A function, not a coroutine: an exclusive worker replaced before it starts would
            # leave its coroutine never awaited (Python warns), resizing twice in a frame.
            # (mypy cannot choose between WorkType's two callable forms: both fit.)
            self.run_worker(
                resize,  # type: ignore[arg-type]
                name="pty-resize",
                group="pty-resize",
                exclusive=True,
            )

    @staticmethod
    async def _resize(source: PaneSource, rows: int, cols: int) -> None:
        """A source whose program has exited keeps its last size: nothing to report."""
        with contextlib.suppress(AituiError):
            await source.resize(rows, cols)

    # -- input --------------------------------------------------------------------------------
    async def _pump_input(self) -> None:
        """Send queued keys in order, for the pane's whole life. A source that refuses them
        (its program exited) is reported once, and the pump goes on: an engine error must
        never end the worker, which took the whole dashboard down with it."""
        refused: PaneSource | None = None
        while True:
            data = await self._input.get()
            source = self.source
            if source is None:
                continue
            try:
                await source.send_input(data)
            except AituiError as exc:
                first = refused is not source
                if first or b"\r" in data:
                    refused = source
                    self.post_message(self.InputRefused(self, source, str(exc), data, first))
            else:
                refused = None

    def send(self, data: bytes) -> None:
        """Queue bytes for the program (in order)."""
        self._input.put_nowait(data)

    async def on_key(self, event: events.Key) -> None:
        if self.source is None:
            return
        if event.key == "ctrl+c" and self.text_selection is not None:
            # With text selected, Ctrl+C copies it (as in most terminals); otherwise it is ^C.
            event.stop()
            text = self.screen.get_selected_text()
            if text:
                self.app.copy_to_clipboard(text)
                self.notify("copied", timeout=1.5)
            self.screen.clear_selection()
            return
        if self.scroll_back and event.key in ("escape", "shift+pagedown"):
            event.stop()
            self.scroll_history(-self.scroll_back if event.key == "escape" else -self.size.height)
            return
        if event.key == "shift+pageup":
            event.stop()
            self.scroll_history(self.size.height)
            return
        modes = self.source.screen.modes
        data = key_to_bytes(
            event.key,
            event.character,
            application_cursor=modes.application_cursor_keys,
            kitty=modes.kitty_keyboard,
        )
        if data is None:
            return
        event.stop()
        event.prevent_default()
        if self.scroll_back:
            self.scroll_history(-self.scroll_back)
        self.send(data)

    def on_paste(self, event: events.Paste) -> None:
        if self.source is None:
            return
        event.stop()
        self.send(paste_bytes(event.text, bracketed=self.source.screen.modes.bracketed_paste))

    # -- history ------------------------------------------------------------------------------
    def scroll_history(self, lines: int) -> None:
        """Scroll ``lines`` further back (negative: forward); clamps to the history's size."""
        if self.source is None:
            return
        limit = len(self.source.screen.scrollback)
        new = max(0, min(limit, self.scroll_back + lines))
        if new == 0:
            self._match = None
        if new != self.scroll_back:
            self.scroll_back = new
            self._invalidate()
            self.post_message(self.Scrolled(self, new))

    async def search_history(self, query: str, *, regex: bool = False) -> bool:
        """Show the newest match of ``query`` above the current view (wrapping to the newest);
        ``re.error`` (or ``AituiError`` from a server) for a bad regex. Whether it matched."""
        if self.source is None:
            return False
        history = self.source.screen.scrollback
        matches = await history.find(query, regex=regex)
        if not matches:
            return False
        top = len(history) - self.scroll_back if self.scroll_back else len(history)
        older = [m for m in matches if m[0] < top]
        line, col, length = older[-1] if older else matches[-1]
        self._match = (line, col, length)
        self.scroll_back = max(1, len(history) - line + 1)
        self._invalidate()
        self.post_message(self.Scrolled(self, self.scroll_back))
        return True

    def screen_shows(self, query: str, *, regex: bool = False) -> bool:
        """Whether the screen itself (below the history) holds ``query``: a search of the
        history that finds nothing then says so, rather than "not found" about text in view."""
        if self.source is None:
            return False
        screen = self.source.screen
        rows = ("".join(text for text, _ in screen.row_runs(y)) for y in range(screen.rows))
        if regex:
            compiled = re.compile(query)
            return any(compiled.search(row) for row in rows)
        return any(query in row for row in rows)

    def _mouse_to_program(self, event: events.MouseEvent, kind: str) -> bool:
        if self.source is None or self.scroll_back:
            return False
        report = mouse_report(self.source.screen.modes, kind, event)
        if report is None:
            return False
        self.send(report)
        return True

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if not self._mouse_to_program(event, "scroll_up"):
            self.scroll_history(3)
        event.stop()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if not self._mouse_to_program(event, "scroll_down"):
            self.scroll_history(-3)
        event.stop()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self._mouse_to_program(event, "down"):
            event.stop()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._mouse_to_program(event, "up"):
            event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._mouse_to_program(event, "move"):
            event.stop()


_MOUNTED: weakref.WeakSet[TerminalPane] = weakref.WeakSet()
