"""A session's AI context: messages counted in real tokens, compressed before they overflow.

The API follows the ai-session reference's "Context Management": ``Message``, ``MessageRole``,
``SessionContext.add_message`` / ``get_message_count`` / ``get_total_tokens`` /
``get_recent_messages`` / ``get_messages_within_limit`` / ``compress_context`` /
``get_summary`` / ``get_compression_ratio``, configured by ``ContextConfig``.

Guarantees of ``compress_context`` (every strategy):

* system messages (when ``preserve_system_messages``) and the ``preserve_recent_count`` most
  recent other messages stay in the context, unchanged;
* afterwards the context holds at most ``max_tokens`` tokens whenever those preserved messages
  fit in it (plus the one summary message a summarising strategy adds). When the preserved
  messages alone exceed ``max_tokens``, everything else is archived, the preserved messages
  stay, and the context reports itself over the limit (``is_over_limit()``,
  ``ContextSummary.over_limit``, ``ContextStats.over_limit``): nothing is cut silently;
* nothing is lost: every message taken out of the context, and every original of a message
  whose content was shortened, is archived and can be read (``get_archived``, ``expand``) or
  put back (``restore``).

Strategies: ``SLIDING_WINDOW`` archives the oldest messages; ``SUMMARIZE_OUTPUT`` first
re-compresses old tool output, then replaces the oldest messages by one summary message;
``AGGRESSIVE`` summarises every message that is not preserved, down to half the limit;
``INTELLIGENT`` re-compresses old tool outputs from their raw form within a token budget
(signal-first: the lines that carry a failure win, dropped runs are summarised), then
summarises the oldest messages. Summaries come from ``summarization_model`` (a callable, or a
model name served by an OpenAI-compatible endpoint: ``aitui.core.summarize``), else from a
built-in extractive summary; the summary's header says which. On an event loop (a session's
context), an endpoint is asked in a worker thread: the built-in summary goes in at once and the
model's replaces it when it answers (``aitui.core.summarize.loop_to_spare``).

``record_command`` is the hook of the session engine: a command's output, compressed by
``aitui.core.compress``, becomes a Tool message, raw and compressed token counts are kept for
the statistics (``stats()``, ``subscribe``).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from aitui.core.compress import compress
from aitui.core.compress.limits import MIN_BUDGET
from aitui.core.config import CompressionStrategy, ContextConfig
from aitui.core.listeners import Listeners
from aitui.core.stats import ContextStats, ContextStatsChanged, StatsCallback
from aitui.core.summarize import Summarizer, ask_later, loop_to_spare, resolve
from aitui.core.tokens import (
    DEFAULT_ENCODING,
    StreamTokenCounter,
    check_encoding,
    count_tokens,
)

log = logging.getLogger(__name__)

#: Compression aims below this fraction of the threshold, so it does not run on every message.
HYSTERESIS = 0.75
#: Share of ``max_tokens`` a summary message may take (SUMMARIZE_OUTPUT / AGGRESSIVE).
SUMMARY_SHARE = 0.10
AGGRESSIVE_SHARE = 0.05
#: Tool outputs re-compressed by SUMMARIZE_OUTPUT keep at most this many lines.
TOOL_SUMMARY_LINES = 12
STREAM_EVENT_INTERVAL = 0.1  # seconds between "output" events of feed_output


class MessageRole(StrEnum):
    """Who wrote a message (the reference's ``System``, ``User``, ``Assistant``, ``Tool``)."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"

    @classmethod
    def _missing_(cls, value: object) -> MessageRole | None:
        if isinstance(value, str):
            for member in cls:
                if member.value == value.lower():
                    return member
        return None

    def __str__(self) -> str:
        return self.value.capitalize()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Message:
    """One message of the context. ``token_count`` is counted when not given."""

    role: MessageRole
    content: str
    timestamp: datetime = field(default_factory=_now)
    token_count: int | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.role, MessageRole):
            self.role = MessageRole(self.role)
        if self.token_count is None:
            self.token_count = count_tokens(self.content, DEFAULT_ENCODING)
            self.metadata.setdefault("_counted_with", DEFAULT_ENCODING)

    @property
    def tokens(self) -> int:
        return self.token_count or 0


@dataclass(frozen=True)
class ContextSummary:
    """What ``get_summary`` reports (the reference's ``total_messages``, ``total_tokens``,
    ``compression_ratio``), plus the archive and the limit."""

    total_messages: int
    total_tokens: int
    #: Share of tokens saved: ``1 - tokens in context / tokens ever added (raw)``.
    compression_ratio: float
    archived_messages: int
    max_tokens: int
    over_limit: bool
    strategy: CompressionStrategy


@dataclass
class _ArchiveEntry:
    message: Message
    #: id of the message that stands for it in the context (a summary), if any
    replaced_by: str | None
    #: index hint: position of the message when it was archived
    reason: str


class SessionContext:
    """Messages of one session, kept under ``config.max_tokens`` (see the module docstring)."""

    def __init__(self, config: ContextConfig | None = None, session_id: str | None = None) -> None:
        self.config = config or ContextConfig()
        self.config.validate()
        # An unknown encoding fails now; the encoding itself is built on the first count (a
        # session's context is made when it starts, and its shell's prompt must not wait).
        check_encoding(self.config.encoding)
        self.session_id = session_id
        self._messages: list[Message] = []
        self._archive: dict[str, _ArchiveEntry] = {}
        #: Raw outputs in the archive, oldest first, with their sizes (see ``_bound_raw``).
        self._raw_kept: deque[tuple[str, int]] = deque()
        self._raw_chars = 0
        #: Raw outputs dropped from the archive to stay under ``config.raw_archive_chars``.
        self.raw_outputs_dropped = 0
        self._total = 0
        self._raw_total = 0
        self._commands = 0
        self._raw_output = 0
        self._compressed_output = 0
        self._compressions = 0
        self._lock = threading.RLock()
        self._subscribers: Listeners[ContextStatsChanged] = Listeners()
        self._stream: StreamTokenCounter | None = None
        self._last_stream_event = 0.0

    # ------------------------------------------------------------------ reference API
    def add_message(
        self,
        message: Message | None = None,
        *,
        role: MessageRole | str | None = None,
        content: str | None = None,
        **metadata: Any,
    ) -> Message:
        """Add a message (or build one from ``role`` and ``content``); compresses the context
        automatically once it holds more than ``compression_threshold * max_tokens`` tokens."""
        if message is None:
            if role is None or content is None:
                raise TypeError("add_message needs a Message or role= and content=")
            message = Message(MessageRole(role), content, metadata=dict(metadata))
        with self._lock:
            self._count(message)
            self._messages.append(message)
            self._total += message.tokens
            self._raw_total += int(message.metadata.get("raw_tokens", message.tokens))
        self._emit("message")
        if self._total > self.threshold_tokens:
            self.compress_context()
        return message

    def get_message_count(self) -> int:
        return len(self._messages)

    def get_total_tokens(self) -> int:
        return self._total

    def get_recent_messages(self, n: int) -> list[Message]:
        """The ``n`` most recent messages, oldest first."""
        with self._lock:
            return list(self._messages[-n:]) if n > 0 else []

    def get_messages_within_limit(self, tokens: int) -> list[Message]:
        """The most recent messages whose tokens add up to at most ``tokens``, oldest first."""
        picked: list[Message] = []
        used = 0
        with self._lock:
            for message in reversed(self._messages):
                if used + message.tokens > tokens:
                    break
                picked.append(message)
                used += message.tokens
        picked.reverse()
        return picked

    def compress_context(self) -> bool:
        """Make room with the configured strategy; returns whether anything changed."""
        with self._lock:
            before = [(m.id, m.tokens) for m in self._messages]
            strategy = self.config.compression_strategy
            if strategy is CompressionStrategy.SLIDING_WINDOW:
                self._slide(self._target(HYSTERESIS))
            elif strategy is CompressionStrategy.SUMMARIZE_OUTPUT:
                self._summarize_outputs()
                if self._total > self._target(HYSTERESIS):
                    self._summarize(self._target(HYSTERESIS), SUMMARY_SHARE)
            elif strategy is CompressionStrategy.INTELLIGENT:
                self._recompress_outputs()
                if self._total > self._target(HYSTERESIS):
                    self._summarize(self._target(HYSTERESIS), SUMMARY_SHARE)
            else:
                self._summarize_outputs()
                self._summarize(self._target(0.5), AGGRESSIVE_SHARE, everything=True)
            self._enforce_limit()
            changed = before != [(m.id, m.tokens) for m in self._messages]
            if changed:
                self._compressions += 1
        if changed:
            self._emit("compression")
        return changed

    def get_summary(self) -> ContextSummary:
        with self._lock:
            return ContextSummary(
                total_messages=len(self._messages),
                total_tokens=self._total,
                compression_ratio=self.get_compression_ratio(),
                archived_messages=len(self._archive),
                max_tokens=self.config.max_tokens,
                over_limit=self.is_over_limit(),
                strategy=self.config.compression_strategy,
            )

    def get_compression_ratio(self) -> float:
        """Share of tokens saved, 0..1: ``1 - tokens in context / tokens ever added (raw)``."""
        if self._raw_total <= 0:
            return 0.0
        return max(0.0, 1.0 - self._total / self._raw_total)

    # ------------------------------------------------------------------ aitui additions
    @property
    def messages(self) -> list[Message]:
        """A copy of the messages in the context, oldest first."""
        with self._lock:
            return list(self._messages)

    @property
    def threshold_tokens(self) -> int:
        return int(self.config.max_tokens * self.config.compression_threshold)

    def is_over_limit(self) -> bool:
        return self._total > self.config.max_tokens

    def record_command(
        self,
        command: str,
        output: str | bytes,
        exit_code: int | None,
        *,
        execution_time_ms: float | None = None,
    ) -> Message:
        """Add a command's output as a Tool message, compressed for the context.

        The raw output is archived (``get_archived(message.metadata["raw_id"])``); the message
        metadata holds the command, exit code, detected kind and the raw and compressed token
        counts.
        """
        enc = self.config.encoding
        raw_id = uuid.uuid4().hex
        result = compress(
            output, command=command, exit_code=exit_code, source=self.raw_source(raw_id)
        )
        raw_text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
        # Raw and compressed are counted with the same "$ command" framing, so the savings
        # compare like with like; and compression never makes a message bigger: when the
        # compressed form is not smaller (tiny outputs), the raw text goes in unchanged.
        raw_content = f"$ {command}\n{raw_text}" if raw_text else f"$ {command}"
        raw_tokens = count_tokens(raw_content, enc)
        content = f"$ {command}\n{result.text}" if result.text else f"$ {command}"
        content_tokens = count_tokens(content, enc)
        if content_tokens >= raw_tokens:
            content, content_tokens = raw_content, raw_tokens
        raw_message = Message(
            MessageRole.TOOL,
            raw_content,
            token_count=raw_tokens,
            id=raw_id,
            metadata={"command": command, "exit_code": exit_code, "raw": True},
        )
        message = Message(
            MessageRole.TOOL,
            content,
            token_count=content_tokens,
            metadata={
                "command": command,
                "exit_code": exit_code,
                "kind": result.kind,
                "raw_tokens": raw_tokens,
                "compressed_tokens": 0,
                "execution_time_ms": execution_time_ms,
                "raw_id": raw_message.id,
                "output_compressed": True,
            },
        )
        message.metadata["compressed_tokens"] = message.tokens
        with self._lock:
            self._archive[raw_message.id] = _ArchiveEntry(raw_message, message.id, "raw output")
            self._raw_kept.append((raw_message.id, len(raw_content)))
            self._raw_chars += len(raw_content)
            self._bound_raw()
            self._commands += 1
            self._raw_output += raw_tokens
            self._compressed_output += message.tokens
        return self.add_message(message)

    def raw_source(self, raw_id: str) -> str:
        """How to read an archived raw output, named in every compressed block that left
        something out (the ``L`` numbers of its summaries are lines of that output)."""
        if self.session_id:
            return (
                f"archive {raw_id}, GET /sessions/{self.session_id}/context/archive/{raw_id}"
                "?start=N&end=M for lines N-M"
            )
        return f"archive {raw_id}, SessionContext.get_archived({raw_id!r})"

    def _recompress_outputs(self) -> None:
        """INTELLIGENT: re-compress unpreserved Tool messages from their archived raw output
        within a budget (signal-first: the failure's lines win); originals are archived."""
        preserved = self._preserved()
        budget = max(MIN_BUDGET, int(self.config.max_tokens * SUMMARY_SHARE))
        for index, message in enumerate(self._messages):
            if message.id in preserved or message.role is not MessageRole.TOOL:
                continue
            meta = message.metadata
            if meta.get("output_budget", budget + 1) <= budget or message.tokens <= budget:
                continue
            raw = self._archive.get(str(meta.get("raw_id", "")))
            command = str(meta.get("command", ""))
            text = (
                raw.message.content.split("\n", 1)[1] if raw and "\n" in raw.message.content else ""
            )
            if not text:
                continue
            exit_code = meta.get("exit_code")
            result = compress(
                text,
                command=command,
                exit_code=exit_code if isinstance(exit_code, int) else None,
                budget=budget,
                encoding=self.config.encoding,
                source=self.raw_source(str(meta["raw_id"])),
            )
            content = f"$ {command}\n{result.text}"
            tokens = count_tokens(content, self.config.encoding)
            if tokens >= message.tokens:
                continue
            replacement = Message(
                MessageRole.TOOL,
                content,
                timestamp=message.timestamp,
                token_count=tokens,
                metadata={**meta, "output_budget": budget, "compressed_tokens": tokens},
            )
            self._messages[index] = replacement
            self._total += tokens - message.tokens
            self._archive_message(message, replacement.id, "output recompressed")

    def _bound_raw(self) -> None:
        """Drop the oldest raw outputs beyond ``config.raw_archive_chars`` (lock held). Their
        Tool messages stay; ``get_archived`` of a dropped ``raw_id`` returns ``None``."""
        while self._raw_chars > self.config.raw_archive_chars and self._raw_kept:
            raw_id, size = self._raw_kept.popleft()
            self._raw_chars -= size
            if self._archive.pop(raw_id, None) is not None:
                self.raw_outputs_dropped += 1

    def feed_output(self, chunk: str | bytes) -> int:
        """Count streamed terminal output incrementally; returns the running token total."""
        with self._lock:
            if self._stream is None:
                self._stream = StreamTokenCounter(self.config.encoding)
            total = self._stream.feed(chunk)
        now = time.monotonic()
        if now - self._last_stream_event >= STREAM_EVENT_INTERVAL:
            self._last_stream_event = now
            self._emit("output")
        return total

    def get_archived(self, message_id: str) -> Message | None:
        """An archived message (taken out of the context, or the original of one shortened);
        ``None`` if unknown or, for a raw output, dropped under ``raw_archive_chars``."""
        with self._lock:
            entry = self._archive.get(message_id)
            return entry.message if entry else None

    def archived_messages(self) -> list[Message]:
        with self._lock:
            return [entry.message for entry in self._archive.values()]

    def expand(self, message_id: str, *, recursive: bool = False) -> list[Message]:
        """The archived originals a message stands for (oldest first). A summary may stand for
        an earlier summary: ``recursive`` expands those too, down to the original messages."""
        with self._lock:
            found = [
                e.message
                for e in self._archive.values()
                if e.replaced_by == message_id and e.reason != "raw output"
            ]
        if not recursive:
            return found
        result: list[Message] = []
        for message in found:
            inner = self.expand(message.id, recursive=True)
            result.extend(inner if inner else [message])
        return result

    def restore(self, message_id: str) -> bool:
        """Put the originals of a summary or shortened message back in its place.

        The context may then exceed its threshold; it is not compressed again automatically.
        """
        with self._lock:
            originals = [
                e
                for e in self._archive.values()
                if e.replaced_by == message_id and e.reason != "raw output"
            ]
            index = next((i for i, m in enumerate(self._messages) if m.id == message_id), None)
            if not originals or index is None:
                return False
            removed = self._messages[index]
            restored = sorted((e.message for e in originals), key=lambda m: m.timestamp)
            self._messages[index : index + 1] = restored
            for entry in originals:
                del self._archive[entry.message.id]
            self._total += sum(m.tokens for m in restored) - removed.tokens
        self._emit("restore")
        return True

    def clear(self) -> None:
        """Empty the context and the archive (statistics of commands seen are kept)."""
        with self._lock:
            self._messages.clear()
            self._archive.clear()
            self._raw_kept.clear()
            self._raw_chars = 0
            self._total = 0
        self._emit("clear")

    def stats(self) -> ContextStats:
        with self._lock:
            return ContextStats(
                session_id=self.session_id,
                messages=len(self._messages),
                archived_messages=sum(
                    1 for e in self._archive.values() if e.reason != "raw output"
                ),
                tokens_in_context=self._total,
                max_tokens=self.config.max_tokens,
                commands_seen=self._commands,
                raw_output_tokens=self._raw_output,
                compressed_output_tokens=self._compressed_output,
                raw_tokens_total=self._raw_total,
                compressions=self._compressions,
                streamed_output_tokens=self._stream.total if self._stream else 0,
                over_limit=self.is_over_limit(),
                encoding=self.config.encoding,
            )

    def subscribe(self, callback: StatsCallback) -> Callable[[], None]:
        """Call ``callback(ContextStatsChanged)`` after every change; returns the unsubscriber."""

        def relay(event: object) -> None:
            if isinstance(event, ContextStatsChanged):
                callback(event)

        return self._subscribers.subscribe(relay)

    # ------------------------------------------------------------------ internals
    def _emit(self, reason: str) -> None:
        if len(self._subscribers):
            self._subscribers.emit(ContextStatsChanged(self.session_id, self.stats(), reason))

    def _count(self, message: Message) -> None:
        """Recount a message counted with another encoding than the context's."""
        counted_with = message.metadata.pop("_counted_with", None)
        if counted_with is not None and counted_with != self.config.encoding:
            message.token_count = count_tokens(message.content, self.config.encoding)

    def _target(self, factor: float) -> int:
        return min(self.config.max_tokens, int(self.threshold_tokens * factor))

    def _preserved(self) -> set[str]:
        """Ids of the messages no strategy may touch."""
        keep: set[str] = set()
        if self.config.preserve_system_messages:
            keep.update(m.id for m in self._messages if m.role is MessageRole.SYSTEM)
        recent = [m for m in self._messages if m.id not in keep]
        n = self.config.preserve_recent_count
        if n > 0:
            keep.update(m.id for m in recent[-n:])
        return keep

    def _archive_message(self, message: Message, replaced_by: str | None, reason: str) -> None:
        self._archive[message.id] = _ArchiveEntry(message, replaced_by, reason)

    def _slide(self, target: int) -> None:
        """Archive the oldest unpreserved messages until the context is within ``target``."""
        preserved = self._preserved()
        for message in list(self._messages):
            if self._total <= target:
                break
            if message.id in preserved:
                continue
            self._messages.remove(message)
            self._total -= message.tokens
            self._archive_message(message, None, "sliding window")

    def _summarize_outputs(self) -> None:
        """Shorten unpreserved Tool messages to their first lines (originals archived)."""
        preserved = self._preserved()
        for index, message in enumerate(self._messages):
            if message.id in preserved or message.role is not MessageRole.TOOL:
                continue
            if message.metadata.get("output_summarized"):
                continue
            short = _short_tool_text(message)
            if short is None:
                continue
            tokens = count_tokens(short, self.config.encoding)
            if tokens >= message.tokens:
                continue
            replacement = Message(
                MessageRole.TOOL,
                short,
                timestamp=message.timestamp,
                token_count=tokens,
                metadata={**message.metadata, "output_summarized": True},
            )
            self._messages[index] = replacement
            self._total += tokens - message.tokens
            self._archive_message(message, replacement.id, "output summarized")

    def _summarize(self, target: int, share: float, *, everything: bool = False) -> None:
        """Replace the oldest unpreserved messages by one summary message."""
        preserved = self._preserved()
        candidates = [m for m in self._messages if m.id not in preserved]
        if not candidates:
            return
        chosen: list[Message] = []
        excess = self._total - target
        for message in candidates:
            if not everything and excess <= 0:
                break
            chosen.append(message)
            excess -= message.tokens
        if not chosen:
            return
        budget = max(16, int(self.config.max_tokens * share))
        cfg = self.config
        model, source = resolve(
            cfg.summarization_model,
            cfg.summarization_base_url,
            cfg.summarization_api_key_env,
            cfg.summarization_timeout,
            budget,
        )
        loop = loop_to_spare(model)  # on a loop, the endpoint answers later, off the loop
        if loop is None:
            text = self._summary_text(chosen, budget, model, source)
        else:
            interim = f"built-in extractive summary until {cfg.summarization_model} answers"
            text = self._summary_text(chosen, budget, None, interim)
        tokens = count_tokens(text, self.config.encoding)
        if tokens >= sum(m.tokens for m in chosen):
            # a summary would not save anything: fall back to archiving them outright
            self._slide(target)
            return
        # An Assistant message, not a System one: a later compression may summarise it again.
        summary = Message(
            MessageRole.ASSISTANT,
            text,
            timestamp=chosen[-1].timestamp,
            token_count=tokens,
            metadata={"summary_of": [m.id for m in chosen]},
        )
        first = self._messages.index(chosen[0])
        chosen_ids = {m.id for m in chosen}
        self._messages = [m for m in self._messages if m.id not in chosen_ids]
        self._messages.insert(min(first, len(self._messages)), summary)
        self._total += tokens - sum(m.tokens for m in chosen)
        for message in chosen:
            self._archive_message(message, summary.id, "summarized")
        if loop is not None and model is not None:
            answered = self._answered(summary.id, chosen, budget, source)
            ask_later(loop, model, _model_input(chosen), answered)

    def _summary_text(
        self, messages: list[Message], budget: int, model: Summarizer | None, source: str
    ) -> str:
        if model is not None:
            try:
                return self._model_text(messages, budget, model(_model_input(messages)), source)
            except Exception as exc:
                log.warning("summarization model failed (%s); using the built-in summary", exc)
                source = MODEL_FAILED
        lines = [f"{_header(messages)}; {source}]", *(_summary_line(m) for m in messages)]
        return _fit("\n".join(lines), budget, self.config.encoding)

    def _model_text(self, messages: list[Message], budget: int, produced: str, source: str) -> str:
        text = f"{_header(messages)}; {source}]\n{produced.strip()}"
        return _fit(text, budget, self.config.encoding)

    def _answered(
        self, summary_id: str, messages: list[Message], budget: int, source: str
    ) -> Callable[[str | None], None]:
        """What to do, on the loop, with the model's answer (``None``: it failed) to a summary
        put in meanwhile: put its text in place of the built-in one, unless that summary has
        left the context since (summarised again, restored, cleared; its originals are in the
        archive either way)."""

        def answered(produced: str | None) -> None:
            if produced is None:
                text = self._summary_text(messages, budget, None, MODEL_FAILED)
            else:
                text = self._model_text(messages, budget, produced, source)
            tokens = count_tokens(text, self.config.encoding)
            with self._lock:
                index = next((i for i, m in enumerate(self._messages) if m.id == summary_id), -1)
                if index < 0:
                    return
                old = self._messages[index]
                self._messages[index] = replace(old, content=text, token_count=tokens)
                self._total += tokens - old.tokens
                self._enforce_limit()
            self._emit("summary")

        return answered

    def _enforce_limit(self) -> None:
        """The hard guarantee: within max_tokens unless the preserved messages alone exceed it."""
        if self._total > self.config.max_tokens:
            self._slide(self.config.max_tokens)


MODEL_FAILED = "built-in extractive summary: the model failed (see the log)"


def _header(messages: list[Message]) -> str:
    """A summary's first line, less its closing bracket (the source goes there)."""
    tokens = sum(m.tokens for m in messages)
    return f"[Summary of {len(messages)} earlier messages ({tokens:,} tokens, archived)"


def _model_input(messages: list[Message]) -> str:
    return "\n\n".join(f"{m.role}: {m.content}" for m in messages)


def _first_line(text: str, width: int = 100) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def _summary_line(message: Message) -> str:
    if message.role is MessageRole.TOOL and "command" in message.metadata:
        status = message.metadata.get("exit_code")
        status_text = f" -> exit {status}" if status is not None else ""
        body = [ln for ln in message.content.splitlines()[1:] if ln.strip()]
        detail = _first_line("\n".join(body[-1:])) if body else ""
        return f"- tool: `{message.metadata['command']}`{status_text}" + (
            f": {detail}" if detail else ""
        )
    return f"- {str(message.role).lower()}: {_first_line(message.content)}"


def _short_tool_text(message: Message) -> str | None:
    lines = message.content.splitlines()
    if len(lines) <= TOOL_SUMMARY_LINES:
        return None
    head = lines[: TOOL_SUMMARY_LINES // 2]
    tail = lines[-(TOOL_SUMMARY_LINES // 2) :]
    omitted = len(lines) - len(head) - len(tail)
    return "\n".join([*head, f"[... {omitted:,} lines archived ...]", *tail])


def _fit(text: str, budget: int, encoding: str) -> str:
    """``text`` cut (at line ends) to about ``budget`` tokens; the first line always stays."""
    if count_tokens(text, encoding) <= budget:
        return text
    lines = text.splitlines()
    kept: list[str] = lines[:1]
    used = count_tokens(lines[0], encoding) if lines else 0
    for line in lines[1:]:
        cost = count_tokens(line + "\n", encoding)
        if used + cost > budget - 12:
            break
        kept.append(line)
        used += cost
    if len(kept) < len(lines):
        kept.append(f"[... {len(lines) - len(kept):,} more summary lines archived ...]")
    return "\n".join(kept)


def total_tokens(messages: Iterable[Message]) -> int:
    return sum(m.tokens for m in messages)
