"""Interactive shell sessions: each prompt line kept, each command's output compressed by the
compressor of its own kind (a pytest run, a traceback, a grep...)."""

from __future__ import annotations

from aitui.core.compress.detect import PROMPT_RE
from aitui.core.compress.hints import Hints

SMALL_OUTPUT = 8  # lines of output kept as they are


def split_session(lines: list[str]) -> list[tuple[str | None, str | None, list[str]]]:
    """``(prompt line, command, output lines)`` per command; the first may have no prompt."""
    blocks: list[tuple[str | None, str | None, list[str]]] = []
    prompt: str | None = None
    command: str | None = None
    output: list[str] = []
    for line in lines:
        m = PROMPT_RE.match(line)
        if m:
            if prompt is not None or output:
                blocks.append((prompt, command, output))
            prompt, command, output = line, m.group(1), []
        else:
            output.append(line)
    if prompt is not None or output:
        blocks.append((prompt, command, output))
    return blocks


def compress_session(lines: list[str], hints: Hints) -> list[str]:
    from aitui.core.compress.api import compress_lines

    result: list[str] = []
    for prompt, command, output in split_session(lines):
        if prompt is not None:
            result.append(prompt)
        if len(output) <= SMALL_OUTPUT:
            result.extend(output)
            continue
        sub_hints = Hints.of(command)
        kind, compressed = compress_lines(output, sub_hints)
        if kind == "shell":  # a nested prompt-like line: do not recurse forever
            kind, compressed = compress_lines(output, sub_hints, "generic")
        result.extend(compressed)
    return result
