"""The narrow interface a terminal pane draws and drives.

A live ``AISession`` satisfies it, and so can a replayed recording or a remote session: the pane
never touches anything else of the engine.
"""

from __future__ import annotations

from typing import Protocol

from aitui.core.terminal import CellStyle, TerminalModes


class ScrollbackView(Protocol):
    def __len__(self) -> int: ...
    def runs(self, index: int) -> list[tuple[str, CellStyle]]: ...
    def search(
        self, pattern: str, regex: bool = False, ignore_case: bool = False
    ) -> list[tuple[int, int]]: ...


class ScreenView(Protocol):
    """What the pane reads from a screen."""

    @property
    def rows(self) -> int: ...
    @property
    def cols(self) -> int: ...
    @property
    def cursor(self) -> tuple[int, int]: ...

    @property
    def cursor_visible(self) -> bool: ...
    @property
    def title(self) -> str: ...
    @property
    def modes(self) -> TerminalModes: ...
    @property
    def scrollback(self) -> ScrollbackView: ...

    def row_runs(self, y: int) -> list[tuple[str, CellStyle]]: ...
    def take_dirty(self) -> set[int]: ...


class PaneSource(Protocol):
    """A screen to draw plus a way to type into it and resize it."""

    @property
    def screen(self) -> ScreenView: ...
    @property
    def name(self) -> str: ...

    async def send_input(self, data: str | bytes) -> None: ...
    async def resize(self, rows: int, cols: int) -> None: ...
