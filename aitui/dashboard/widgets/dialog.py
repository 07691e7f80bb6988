"""The dashboard's modal screens, each dismissed once.

``Screen.dismiss`` pops whatever screen is on top, not the one it is called on. A key queued
to a dialog before it went (Enter pressed twice: the second reaches the field before the
screen is popped) dismissed it again: that popped the dashboard's own screen, and Textual
ended the app with ``ScreenStackError``, or, with another screen on top, closed that one. So a
screen that is no longer the current one dismisses nothing.
"""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.screen import ModalScreen, ScreenResultType


def _done() -> AwaitComplete:
    """What ``dismiss`` returns when it does nothing: already complete."""
    done: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
    return done


def _shown(screen: ModalScreen[Any]) -> bool:
    """Whether ``screen`` is the current one (only then has it anything to dismiss)."""
    return screen is screen.app.screen


class Dialog(ModalScreen[ScreenResultType]):
    """A modal screen whose ``dismiss`` acts only while it is the current screen."""

    def dismiss(self, result: ScreenResultType | None = None) -> AwaitComplete:
        return super().dismiss(result) if _shown(self) else _done()


class Palette(CommandPalette):
    """Textual's command palette, dismissed once as ``Dialog`` is (Enter twice closed it and
    then the dashboard's screen)."""

    def dismiss(self, result: Any = None) -> AwaitComplete:
        return super().dismiss(result) if _shown(self) else _done()
