"""Semantic compression of terminal output for AI context.

``compress(data, command=None, exit_code=None)`` cleans raw terminal output (ANSI codes,
carriage-return progress bars, spinners), recognises what produced it (the command line first,
the text itself otherwise) and keeps what an agent needs: errors with their file:line, failing
test ids and assertion messages, summary lines, the exit status. Everything else is folded into
counted placeholders such as ``[... 1,204 passing tests omitted ...]``.

One module per family of tools; ``generic`` is the fallback for everything else.
"""

from aitui.core.compress.api import CompressionResult, compress, compress_lines, compressors
from aitui.core.compress.detect import detect_kind, kind_from_command, kind_from_content
from aitui.core.compress.hints import Hints
from aitui.core.compress.text import clean_lines

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
