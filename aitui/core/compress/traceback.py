"""Python tracebacks and JavaScript (node) stack traces.

Kept: the ``Traceback`` header, the outermost frame, the frames in the user's own code nearest
the error, the innermost frame with its source line, and the exception lines; library frames
and caret lines are folded. For JavaScript: the error line and the first frames outside
``node:internal``. Used on its own for crashes and by the other compressors for embedded
tracebacks.
"""

from __future__ import annotations

import re

from aitui.core.compress.text import Out

TRACEBACK_HEADER = "Traceback (most recent call last):"
_FRAME_RE = re.compile(r'^\s*File "([^"]*)", line \d+')
_CARET_RE = re.compile(r"^\s*[\^~\-]+\s*$")
_LIBRARY_RE = re.compile(
    r"site-packages|dist-packages|/lib/python\d|\\lib\\|<frozen |importlib|/usr/lib/|runpy\.py"
)
_CHAIN_RE = re.compile(
    r"^(During handling of the above exception|The above exception was the direct cause)"
)
JS_FRAME_RE = re.compile(r"^\s+at \S.*")
_JS_INTERNAL_RE = re.compile(r"\(node:|^\s+at node:|\(internal/|node_modules")

MAX_USER_FRAMES = 3
MAX_EXCEPTION_LINES = 12
MAX_JS_FRAMES = 3


def is_traceback_start(line: str) -> bool:
    return line.lstrip().startswith(TRACEBACK_HEADER)


def traceback_end(lines: list[str], start: int) -> int:
    """Index after the traceback starting at ``start`` (header line), exception included."""
    i = start + 1
    n = len(lines)
    indent = len(lines[start]) - len(lines[start].lstrip())
    while i < n:
        line = lines[i]
        stripped = line.lstrip()
        cur = len(line) - len(stripped)
        if stripped and cur > indent:
            i += 1
            continue
        if not stripped:
            i += 1
            continue
        break
    # back off trailing blanks: the exception line follows the frames
    while i > start + 1 and not lines[i - 1].strip():
        i -= 1
    # exception lines: unindented lines until a blank line
    j = i
    while j < n and lines[j].strip() and j - i < 60:
        if is_traceback_start(lines[j]) or _CHAIN_RE.match(lines[j].lstrip()):
            break
        j += 1
    return j


def compress_traceback(block: list[str], out: Out) -> None:
    """Write the compressed form of one traceback (header .. exception lines) into ``out``."""
    out.keep(block[0])
    frames: list[tuple[int, int]] = []  # (start, end) line ranges of each frame
    i = 1
    n = len(block)
    exc_start = n
    while i < n:
        if _FRAME_RE.match(block[i]):
            j = i + 1
            while j < n and block[j].startswith((" ", "\t")) and not _FRAME_RE.match(block[j]):
                j += 1
            frames.append((i, j))
            i = j
        elif block[i].startswith((" ", "\t")) or not block[i].strip():
            i += 1
        else:
            exc_start = i
            break
    if frames:
        keep = {0, len(frames) - 1}
        users = [k for k, (s, _) in enumerate(frames) if not _LIBRARY_RE.search(block[s])]
        keep.update(users[-MAX_USER_FRAMES:])
        for k, (s, e) in enumerate(frames):
            if k in keep:
                out.keep(block[s])
                code = [ln for ln in block[s + 1 : e] if ln.strip() and not _CARET_RE.match(ln)]
                if code:
                    out.keep(code[0])
            else:
                out.drop("frame")
    exc = [ln for ln in block[exc_start:] if ln.strip()]
    out.extend(exc[:MAX_EXCEPTION_LINES])
    out.drop(
        "line of the exception message|lines of the exception message",
        len(exc) - MAX_EXCEPTION_LINES,
    )


def compress_js_frames(lines: list[str], start: int, out: Out) -> int:
    """Fold a run of ``    at ...`` frames starting at ``start``; returns the index after it."""
    i = start
    kept = 0
    while i < len(lines) and JS_FRAME_RE.match(lines[i]):
        line = lines[i]
        if kept < MAX_JS_FRAMES and (kept == 0 or not _JS_INTERNAL_RE.search(line)):
            out.keep(line)
            kept += 1
        else:
            out.drop("stack frame")
        i += 1
    return i
