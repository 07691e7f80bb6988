"""A ``SessionContext`` as plain data, so a session's AI context outlives its process.

Why not one JSON blob: a long-lived agent's archive (raw outputs kept for ``get_archived``) can
grow to many megabytes, and rewriting it whole on every save would cost a server that much per
command. So the state comes in two parts: the *layout* (which messages are in the context, in
order; what is archived and why; the counters) is small and rewritten on each save, and the
*messages* themselves are immutable once added (a shortened or summarised one is a new message)
and are written once each (``aitui.core.records`` keeps what it has written).

Every field of ``SessionContext`` that holds state is carried, so a restored context is equal
to the one saved: same messages (ids, timestamps, token counts, metadata), same archive, same
statistics. Message metadata must be JSON values to come back equal (tuples return as lists);
anything else is stored as its ``repr``. The stream counter's unfinished UTF-8 byte sequence,
if any, is not carried (at most one character).
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aitui.core.config import CompressionStrategy, ContextConfig

if TYPE_CHECKING:
    from aitui.core.context import Message, SessionContext

LAYOUT_VERSION = 1


@dataclass(frozen=True)
class ContextState:
    """What ``snapshot`` took: ``layout`` (JSON values) and every message it refers to."""

    layout: dict[str, Any]
    messages: dict[str, Message]


def snapshot(context: SessionContext) -> ContextState:
    """The context's state now (references to its messages, which are never changed after
    they are added: cheap to take on the event loop; encoding can happen elsewhere)."""
    c = context
    with c._lock:
        stream = c._stream
        layout: dict[str, Any] = {
            "version": LAYOUT_VERSION,
            "messages": [m.id for m in c._messages],
            # Parallel lists rather than one small list per entry: no allocation per message
            # (a long-lived context has thousands) while the loop waits.
            "archive": list(c._archive),
            "archive_replaced_by": [e.replaced_by for e in c._archive.values()],
            "archive_reason": [e.reason for e in c._archive.values()],
            "raw_kept": [key for key, _ in c._raw_kept],
            "raw_kept_sizes": [size for _, size in c._raw_kept],
            "raw_chars": c._raw_chars,
            "raw_outputs_dropped": c.raw_outputs_dropped,
            "total": c._total,
            "raw_total": c._raw_total,
            "commands": c._commands,
            "raw_output": c._raw_output,
            "compressed_output": c._compressed_output,
            "compressions": c._compressions,
            "stream": (
                None
                if stream is None
                else [stream._committed, stream._pending, stream.chars_seen, stream.encoding]
            ),
        }
        messages = {key: e.message for key, e in c._archive.items()}
        messages.update({m.id: m for m in c._messages})
    return ContextState(layout, messages)


def rebuild(state: ContextState, config: ContextConfig, session_id: str | None) -> SessionContext:
    """A context equal to the one ``state`` was taken from; ``ValueError`` if the state is not
    one this version can read (a message it names is missing, say)."""
    from aitui.core.context import SessionContext, _ArchiveEntry
    from aitui.core.tokens import StreamTokenCounter

    layout = state.layout
    if layout.get("version") != LAYOUT_VERSION:
        raise ValueError(f"context layout version {layout.get('version')!r} is not supported")
    try:
        context = SessionContext(config, session_id=session_id)
        context._messages = [state.messages[key] for key in layout["messages"]]
        archive = zip(
            layout["archive"], layout["archive_replaced_by"], layout["archive_reason"], strict=True
        )
        context._archive = {
            key: _ArchiveEntry(state.messages[key], replaced_by, reason)
            for key, replaced_by, reason in archive
        }
        kept = zip(layout["raw_kept"], layout["raw_kept_sizes"], strict=True)
        context._raw_kept = deque((str(key), int(size)) for key, size in kept)
        context._raw_chars = int(layout["raw_chars"])
        context.raw_outputs_dropped = int(layout["raw_outputs_dropped"])
        context._total = int(layout["total"])
        context._raw_total = int(layout["raw_total"])
        context._commands = int(layout["commands"])
        context._raw_output = int(layout["raw_output"])
        context._compressed_output = int(layout["compressed_output"])
        context._compressions = int(layout["compressions"])
        if layout["stream"] is not None:
            committed, pending, chars_seen, encoding = layout["stream"]
            stream = StreamTokenCounter(encoding)
            stream._committed, stream._pending = int(committed), str(pending)
            stream._pending_count = None
            stream.chars_seen = int(chars_seen)
            context._stream = stream
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"a saved context is incomplete: {exc!r}") from None
    return context


# -- messages ---------------------------------------------------------------------------------
def message_json(message: Message) -> str:
    return json.dumps(
        {
            "id": message.id,
            "role": message.role.value,
            "content": message.content,
            "timestamp": message.timestamp.isoformat(),
            "token_count": message.token_count,
            "metadata": message.metadata,
        },
        ensure_ascii=False,
        default=repr,
    )


def message_from_json(text: str) -> Message:
    from aitui.core.context import Message, MessageRole

    data = json.loads(text)
    return Message(
        MessageRole(data["role"]),
        data["content"],
        timestamp=datetime.fromisoformat(data["timestamp"]),
        token_count=data["token_count"],
        id=data["id"],
        metadata=data["metadata"],
    )


# -- the context's configuration --------------------------------------------------------------
def config_json(config: ContextConfig) -> dict[str, Any]:
    """``config`` as JSON values; a callable summariser is not data and is left out (the
    restored context uses the built-in summary, or the model the caller configures)."""
    model = config.summarization_model
    return {
        "max_tokens": config.max_tokens,
        "compression_threshold": config.compression_threshold,
        "compression_strategy": config.compression_strategy.value,
        "preserve_system_messages": config.preserve_system_messages,
        "preserve_recent_count": config.preserve_recent_count,
        "summarization_model": model if isinstance(model, str) else None,
        # Without them a restored session's model name had no endpoint: the built-in summary,
        # silently. The key's variable is a name, never the key.
        "summarization_base_url": config.summarization_base_url,
        "summarization_api_key_env": config.summarization_api_key_env,
        "summarization_timeout": config.summarization_timeout,
        "encoding": config.encoding,
        "raw_archive_chars": config.raw_archive_chars,
    }


def config_from_json(data: dict[str, Any]) -> ContextConfig:
    return ContextConfig(
        max_tokens=int(data["max_tokens"]),
        compression_threshold=float(data["compression_threshold"]),
        compression_strategy=CompressionStrategy(data["compression_strategy"]),
        preserve_system_messages=bool(data["preserve_system_messages"]),
        preserve_recent_count=int(data["preserve_recent_count"]),
        summarization_model=data.get("summarization_model"),
        summarization_base_url=data.get("summarization_base_url"),
        summarization_api_key_env=data.get("summarization_api_key_env"),
        summarization_timeout=float(data.get("summarization_timeout", 30.0)),
        encoding=str(data["encoding"]),
        raw_archive_chars=int(data["raw_archive_chars"]),
    )
