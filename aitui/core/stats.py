"""Context and compression statistics, per session and overall, as plain events.

``SessionContext.stats()`` returns a ``ContextStats`` snapshot and ``subscribe`` delivers a
``ContextStatsChanged`` whenever the figures change. ``StatsAggregator`` follows any number of
contexts and sums them into ``OverallStats`` (the dashboard's context and compression panels,
the HTTP API). No UI type appears here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from aitui.core.listeners import Listeners

log = logging.getLogger(__name__)


def savings_percent(raw: int, compressed: int) -> float:
    """``1 - compressed/raw`` in percent (0 when nothing was seen)."""
    return (1.0 - compressed / raw) * 100.0 if raw > 0 else 0.0


@dataclass(frozen=True)
class ContextStats:
    """A snapshot of one session's context.

    Output figures are about command output recorded as Tool messages (raw = what the command
    printed, compressed = what went into the context). Context figures are about the messages.
    """

    session_id: str | None
    messages: int
    archived_messages: int
    tokens_in_context: int
    max_tokens: int
    commands_seen: int
    raw_output_tokens: int
    compressed_output_tokens: int
    #: Tokens of everything ever added (tool output counted raw) vs what the context holds now.
    raw_tokens_total: int
    compressions: int
    #: Tokens of the output streamed through ``SessionContext.feed_output`` (live figure).
    streamed_output_tokens: int = 0
    over_limit: bool = False
    encoding: str = "o200k_base"

    @property
    def output_savings_percent(self) -> float:
        return savings_percent(self.raw_output_tokens, self.compressed_output_tokens)

    @property
    def context_savings_percent(self) -> float:
        return savings_percent(self.raw_tokens_total, self.tokens_in_context)

    @property
    def usage_percent(self) -> float:
        return self.tokens_in_context / self.max_tokens * 100.0 if self.max_tokens else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "session_id": self.session_id,
            "messages": self.messages,
            "archived_messages": self.archived_messages,
            "tokens_in_context": self.tokens_in_context,
            "max_tokens": self.max_tokens,
            "usage_percent": round(self.usage_percent, 2),
            "commands_seen": self.commands_seen,
            "raw_output_tokens": self.raw_output_tokens,
            "compressed_output_tokens": self.compressed_output_tokens,
            "output_savings_percent": round(self.output_savings_percent, 2),
            "raw_tokens_total": self.raw_tokens_total,
            "context_savings_percent": round(self.context_savings_percent, 2),
            "compressions": self.compressions,
            "streamed_output_tokens": self.streamed_output_tokens,
            "over_limit": self.over_limit,
            "encoding": self.encoding,
        }


@dataclass(frozen=True)
class ContextStatsChanged:
    """Emitted by a ``SessionContext`` after any change of its figures."""

    session_id: str | None
    stats: ContextStats
    #: "message", "command", "compression", "restore", "clear" or "output"
    reason: str


@dataclass(frozen=True)
class OverallStats:
    """Sums over every followed session."""

    sessions: int
    messages: int
    tokens_in_context: int
    commands_seen: int
    raw_output_tokens: int
    compressed_output_tokens: int
    raw_tokens_total: int
    compressions: int
    streamed_output_tokens: int = 0

    @property
    def output_savings_percent(self) -> float:
        return savings_percent(self.raw_output_tokens, self.compressed_output_tokens)

    @property
    def context_savings_percent(self) -> float:
        return savings_percent(self.raw_tokens_total, self.tokens_in_context)


def sum_stats(items: list[ContextStats]) -> OverallStats:
    """The figures of several sessions summed (the dashboard's panels, ``GET /stats``)."""
    return OverallStats(
        sessions=len(items),
        messages=sum(s.messages for s in items),
        tokens_in_context=sum(s.tokens_in_context for s in items),
        commands_seen=sum(s.commands_seen for s in items),
        raw_output_tokens=sum(s.raw_output_tokens for s in items),
        compressed_output_tokens=sum(s.compressed_output_tokens for s in items),
        raw_tokens_total=sum(s.raw_tokens_total for s in items),
        compressions=sum(s.compressions for s in items),
        streamed_output_tokens=sum(s.streamed_output_tokens for s in items),
    )


@dataclass(frozen=True)
class OverallStatsChanged:
    overall: OverallStats
    #: The session whose change caused this event, with its new figures.
    session: ContextStats | None = None


StatsCallback = Callable[[ContextStatsChanged], None]
OverallCallback = Callable[[OverallStatsChanged], None]


class StatsSource(Protocol):
    """What the aggregator needs from a context (``SessionContext`` satisfies it)."""

    def stats(self) -> ContextStats: ...

    def subscribe(self, callback: StatsCallback) -> Callable[[], None]: ...


@dataclass
class StatsAggregator:
    """Follows contexts and keeps their latest figures; emits ``OverallStatsChanged``."""

    _latest: dict[str, ContextStats] = field(default_factory=dict)
    _detach: dict[str, Callable[[], None]] = field(default_factory=dict)
    _subscribers: Listeners[object] = field(default_factory=Listeners)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def attach(self, context: StatsSource, key: str | None = None) -> Callable[[], None]:
        """Follow ``context`` (keyed by its session id, or ``key``); returns a detacher."""
        snapshot = context.stats()
        name = key or snapshot.session_id or f"context-{id(context):x}"

        def on_change(event: ContextStatsChanged) -> None:
            self.update(event.stats, name)

        unsubscribe = context.subscribe(on_change)
        with self._lock:
            old = self._detach.pop(name, None)
            self._detach[name] = unsubscribe
        if old is not None:
            old()
        self.update(snapshot, name)

        def detach() -> None:
            self.remove(name)

        return detach

    def update(self, stats: ContextStats, key: str | None = None) -> None:
        name = key or stats.session_id or "?"
        with self._lock:
            self._latest[name] = stats
        self._subscribers.emit(OverallStatsChanged(self.overall(), stats))

    def remove(self, key: str) -> None:
        with self._lock:
            self._latest.pop(key, None)
            unsubscribe = self._detach.pop(key, None)
        if unsubscribe is not None:
            unsubscribe()
        self._subscribers.emit(OverallStatsChanged(self.overall(), None))

    def session(self, key: str) -> ContextStats | None:
        with self._lock:
            return self._latest.get(key)

    def sessions(self) -> dict[str, ContextStats]:
        with self._lock:
            return dict(self._latest)

    def overall(self) -> OverallStats:
        with self._lock:
            items = list(self._latest.values())
        return sum_stats(items)

    def subscribe(self, callback: OverallCallback) -> Callable[[], None]:
        def relay(event: object) -> None:
            if isinstance(event, OverallStatsChanged):
                callback(event)

        return self._subscribers.subscribe(relay)
