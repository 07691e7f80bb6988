"""JSON documents (and JSON lines): a skeleton instead of the whole tree.

Top-level members with small scalar values are shown as ``"key": value``; nested objects show
their small scalars; arrays of objects show one line per element made of its identifying
scalars (``name``, ``id``, ``version``...). Long strings, deep structure and long arrays are
counted, not shown. Output that is not valid JSON goes to the generic compressor.
"""

from __future__ import annotations

import json
from typing import Any

from aitui.core.compress.generic import compress_generic
from aitui.core.compress.hints import Hints
from aitui.core.compress.text import even_spread, fmt_count

PRIORITY_KEYS = (
    "name",
    "id",
    "key",
    "title",
    "version",
    "type",
    "kind",
    "status",
    "state",
    "path",
    "file",
    "filename",
    "url",
    "message",
    "code",
    "level",
    "severity",
    "error",
    "count",
    "value",
    "label",
    "tag",
    "ref",
    "sha",
    "result",
)
MAX_SCALAR = 80  # characters of a scalar shown as is
MAX_MEMBERS = 40  # members of the top-level object
MAX_NESTED = 8  # scalars shown of a nested object
MAX_ITEMS = 40  # array elements shown (an even spread beyond)
ITEM_FIELDS = 4
ITEM_EXTRA_LEN = 24


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _member(key: str, value: Any) -> str:
    text = _dump(value)
    if len(text) > MAX_SCALAR:
        text = f'{text[: MAX_SCALAR - 10]}..." ({fmt_count(len(text))} chars)'
    return f"{_dump(key)}: {text}"


def _flat_scalars(obj: dict[str, Any], depth: int = 0) -> list[tuple[str, Any]]:
    """Scalar members of ``obj`` and of the objects nested in it (document order)."""
    found: list[tuple[str, Any]] = []
    for key, value in obj.items():
        if _scalar(value):
            found.append((key, value))
        elif isinstance(value, dict) and depth < 2:
            found.extend(_flat_scalars(value, depth + 1))
    return found


def _item_line(item: Any) -> str:
    if _scalar(item):
        return _dump(item)[:MAX_SCALAR]
    if isinstance(item, list):
        return f"[{fmt_count(len(item))} items]"
    if not isinstance(item, dict):
        return str(item)[:MAX_SCALAR]
    scalars = _flat_scalars(item)
    chosen: list[tuple[str, Any]] = []
    names: set[str] = set()
    for wanted in PRIORITY_KEYS:
        for key, value in scalars:
            if key == wanted and key not in names and len(_dump(value)) <= MAX_SCALAR:
                chosen.append((key, value))
                names.add(key)
                break
    for key, value in scalars:
        if len(chosen) >= ITEM_FIELDS:
            break
        if key not in names and len(_dump(value)) <= ITEM_EXTRA_LEN:
            chosen.append((key, value))
            names.add(key)
    chosen = chosen[:ITEM_FIELDS] if len(chosen) > ITEM_FIELDS else chosen
    inner = ", ".join(f"{_dump(k)}: {_dump(v)}" for k, v in chosen)
    rest = len(item) - len([k for k in item if k in names])
    return "{" + inner + (f", ... {rest} more" if rest > 0 else "") + "}"


def _array(key: str | None, items: list[Any], indent: str) -> list[str]:
    head = f"{indent}{_dump(key)}: [" if key is not None else f"{indent}["
    if not items:
        return [head + "]"]
    if all(_scalar(x) for x in items):
        shown = ", ".join(_dump(x)[:MAX_SCALAR] for x in items[:5])
        more = f", ... {fmt_count(len(items) - 5)} more" if len(items) > 5 else ""
        return [f"{head}{shown}{more}]"]
    lines = [f"{head}  // {fmt_count(len(items))} items"]
    picks = even_spread(len(items), MAX_ITEMS)
    for k in picks:
        lines.append(f"{indent}  {_item_line(items[k])}")
    if len(picks) < len(items):
        lines.append(f"{indent}  [... {fmt_count(len(items) - len(picks))} more items omitted ...]")
    lines.append(f"{indent}]")
    return lines


def _object(obj: dict[str, Any], indent: str = "") -> list[str]:
    lines = [indent + "{"]
    inner = indent + "  "
    for count, (key, value) in enumerate(obj.items()):
        if count >= MAX_MEMBERS:
            lines.append(f"{inner}[... {fmt_count(len(obj) - MAX_MEMBERS)} more members ...]")
            break
        if _scalar(value):
            lines.append(inner + _member(key, value))
        elif isinstance(value, list):
            lines.extend(_array(key, value, inner))
        elif isinstance(value, dict):
            scalars = [(k, v) for k, v in value.items() if _scalar(v)]
            shown = ", ".join(_member(k, v) for k, v in scalars[:MAX_NESTED])
            rest = len(value) - min(len(scalars), MAX_NESTED)
            more = f", ... {rest} more" if rest else ""
            lines.append(f"{inner}{_dump(key)}: {{{shown}{more}}}")
    lines.append(indent + "}")
    return lines


def compress_json(lines: list[str], hints: Hints) -> list[str]:
    text = "\n".join(lines)
    try:
        data = json.loads(text)
    except ValueError:
        docs = []
        for line in lines:
            if not line.strip():
                continue
            try:
                docs.append(json.loads(line))
            except ValueError:
                return compress_generic(lines)
        data = docs
    if isinstance(data, dict):
        return _object(data)
    if isinstance(data, list):
        return _array(None, data, "")
    return [_dump(data)]
