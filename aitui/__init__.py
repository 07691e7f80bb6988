"""aitui: run and watch many AI coding agents at once.

The public API is the headless core's; see ``aitui.core``. Its names load on first use, as
``aitui.core``'s do, so that importing any part of aitui does not load the whole engine.
"""

from __future__ import annotations

from aitui import core as _core  # its names are lazy too: this loads nothing more
from aitui.__about__ import __version__

TYPE_CHECKING = False  # not ``typing``'s: ``aitui``'s launcher (``aitui.cli.warm``) skips it
if TYPE_CHECKING:
    from typing import Any

    from aitui.core import *  # noqa: F403 - the same names, for type checkers

__all__ = [*_core.__all__, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _core.__all__:
        return getattr(_core, name)
    raise AttributeError(f"module 'aitui' has no attribute {name!r}")
