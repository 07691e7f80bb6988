"""Semantic compression of terminal output for AI context.

``compress(data, command=None, exit_code=None)`` cleans raw terminal output (ANSI codes,
carriage-return progress bars, spinners), recognises what produced it (the command line first,
the text itself otherwise) and keeps what an agent needs: errors with their file:line, failing
test ids and assertion messages, summary lines, the exit status. Everything else is folded into
counted placeholders such as ``[... 1,204 passing tests omitted ...]``.

One module per family of tools; ``generic`` is the fallback for everything else.

The names below load on first use (PEP 562), as ``aitui.core``'s do: importing a module of
this package (``limits``, for the HTTP API's models) must not load every compressor.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aitui.core.compress.api import CompressionResult, compress, compress_lines, compressors
    from aitui.core.compress.detect import detect_kind, kind_from_command, kind_from_content
    from aitui.core.compress.hints import Hints
    from aitui.core.compress.text import clean_lines

_WHERE = {
    "CompressionResult": "aitui.core.compress.api",
    "compress": "aitui.core.compress.api",
    "compress_lines": "aitui.core.compress.api",
    "compressors": "aitui.core.compress.api",
    "detect_kind": "aitui.core.compress.detect",
    "kind_from_command": "aitui.core.compress.detect",
    "kind_from_content": "aitui.core.compress.detect",
    "Hints": "aitui.core.compress.hints",
    "clean_lines": "aitui.core.compress.text",
}
__all__ = [
    "CompressionResult",
    "Hints",
    "clean_lines",
    "compress",
    "compress_lines",
    "compressors",
    "detect_kind",
    "kind_from_command",
    "kind_from_content",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'aitui.core.compress' has no attribute {name!r}")
