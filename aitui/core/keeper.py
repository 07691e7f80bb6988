"""``RecordKeeper``: keeps each session's record current as the session changes.

A ``SessionHost`` given ``SessionRecords`` has one. What is asked by the user (create, rename,
restart, kill, dismiss) is written at once and awaited, so once the host answers it is in the
file. What changes on its own is written behind, coalesced: an AI context changes with every
command an agent runs, so its writes wait ``context_delay`` after the first change and take
everything that came meanwhile (a flood of commands costs one write a second, not one each);
a kept scrollback changes with every output and is written every ``scrollback_delay`` at most.
When the program exits, and when the host closes (a clean stop), everything pending is written
before the host says it is done: nothing acknowledged is lost. Only a kill -9 of the process
loses what waited (at most the last ``context_delay`` of context).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aitui.core.context_state import snapshot
from aitui.core.events import ScreenUpdated, SessionEvent, SessionExited, StatusChanged
from aitui.core.records import SessionRecords
from aitui.core.restore import record_of, scrollback_text
from aitui.core.session import AISession
from aitui.core.types import SessionStatus

log = logging.getLogger(__name__)

CONTEXT_DELAY = 1.0
SCROLLBACK_DELAY = 10.0


@dataclass
class _Kept:
    session: AISession
    autostart: bool
    persist_scrollback: bool
    saved: bool = False  # its record is in the file
    context_dirty: bool = False
    record_dirty: bool = False
    scrollback_dirty: bool = False
    timers: dict[str, asyncio.TimerHandle] = field(default_factory=dict)
    unsubscribe: list[Callable[[], None]] = field(default_factory=list)


class RecordKeeper:
    """See the module's docstring. ``report`` is told of a write that failed."""

    def __init__(
        self,
        records: SessionRecords,
        *,
        persist_scrollback: bool = False,
        context_delay: float = CONTEXT_DELAY,
        scrollback_delay: float = SCROLLBACK_DELAY,
        report: Callable[[str], None] | None = None,
    ) -> None:
        self.records = records
        self.persist_scrollback = persist_scrollback
        self.context_delay = context_delay
        self.scrollback_delay = scrollback_delay
        self._report = report
        self._kept: dict[str, _Kept] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    def options(self, session_id: str) -> tuple[bool, bool]:
        """``(autostart, persist_scrollback)`` of a tracked session (the defaults otherwise)."""
        kept = self._kept.get(session_id)
        return (
            (kept.autostart, kept.persist_scrollback) if kept else (False, self.persist_scrollback)
        )

    def track(
        self,
        session: AISession,
        *,
        autostart: bool | None = None,
        persist_scrollback: bool | None = None,
        saved: bool = False,
    ) -> None:
        """Follow ``session``'s changes (``saved``: its record is already in the file); the
        options given replace those it had."""
        key = str(session.id)
        kept = self._kept.get(key)
        if kept is None:
            kept = _Kept(session, False, self.persist_scrollback, saved=saved)
            self._kept[key] = kept
            self._follow(kept)
        kept.saved |= saved
        if autostart is not None:
            kept.autostart = autostart
        if persist_scrollback is not None:
            kept.persist_scrollback = persist_scrollback

    def _follow(self, kept: _Kept) -> None:
        session = kept.session
        kept.unsubscribe.append(session.subscribe(lambda e: self._on_event(kept, e), output=False))
        kept.unsubscribe.append(
            session.metadata_changed.subscribe(lambda _: self._dirty(kept, "record"))
        )
        if session.config.enable_ai_features:
            context = session.get_ai_context()
            kept.unsubscribe.append(context.subscribe(lambda _: self._dirty(kept, "context")))

    async def save(
        self,
        session: AISession,
        *,
        autostart: bool | None = None,
        persist_scrollback: bool | None = None,
    ) -> None:
        """Write ``session``'s record now (and its context), with these options if given."""
        self.track(session, autostart=autostart, persist_scrollback=persist_scrollback)
        kept = self._kept[str(session.id)]
        kept.record_dirty = kept.context_dirty = True
        await self._write(kept)

    async def forget(self, session_id: str) -> None:
        """The session is gone for good (killed, dismissed, removed): delete its record."""
        kept = self._kept.pop(session_id, None)
        if kept is not None:
            self._release(kept)
        await self.records.delete(session_id)

    async def flush(self) -> None:
        """Write everything pending, of every session, and wait for writes under way."""
        for kept in list(self._kept.values()):
            if kept.saved:
                await self._write(kept)
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self) -> None:
        """A clean stop: flush, stop following, close the file."""
        await self.flush()
        for kept in self._kept.values():
            self._release(kept)
        self._kept.clear()
        await self.records.close()

    # -- internals ----------------------------------------------------------------------------
    def _on_event(self, kept: _Kept, event: SessionEvent) -> None:
        if isinstance(event, ScreenUpdated) and kept.persist_scrollback:
            self._dirty(kept, "scrollback")
        elif isinstance(event, SessionExited) and kept.saved:
            self._spawn(self._write(kept))  # its last context and screen, now
        elif (
            isinstance(event, StatusChanged)
            and event.new is SessionStatus.RUNNING
            and not kept.saved  # started by someone else than the host (the HTTP API)
        ):
            self._spawn(self._write(kept))

    def _dirty(self, kept: _Kept, what: str) -> None:
        setattr(kept, f"{what}_dirty", True)
        timer = "scrollback" if what == "scrollback" else "context"
        if timer in kept.timers or not kept.saved:
            return
        delay = self.scrollback_delay if timer == "scrollback" else self.context_delay
        with contextlib.suppress(RuntimeError):  # no loop: written at the next save or flush
            kept.timers[timer] = asyncio.get_running_loop().call_later(
                delay, lambda: self._spawn(self._write(kept))
            )

    async def _write(self, kept: _Kept) -> None:
        """Write what is dirty of ``kept`` (taken now, on the loop: a consistent state)."""
        for timer in kept.timers.values():
            timer.cancel()
        kept.timers.clear()
        session, key = kept.session, str(kept.session.id)
        if self._kept.get(key) is not kept:
            return  # forgotten meanwhile
        if kept.record_dirty or not kept.saved:
            kept.record_dirty = False
            record = record_of(
                session, autostart=kept.autostart, persist_scrollback=kept.persist_scrollback
            )
            await self.records.save(record)
            kept.saved = True
        if kept.context_dirty and session.config.enable_ai_features:
            kept.context_dirty = False
            await self.records.save_context(key, snapshot(session.get_ai_context()))
        if kept.scrollback_dirty and kept.persist_scrollback:
            kept.scrollback_dirty = False
            await self.records.save_scrollback(key, scrollback_text(session.screen))

    def _spawn(self, job: Any) -> None:
        task = asyncio.get_running_loop().create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("session records: %s", task.exception())
            if self._report is not None:
                self._report(f"could not save a session's record: {task.exception()}")

    @staticmethod
    def _release(kept: _Kept) -> None:
        for timer in kept.timers.values():
            timer.cancel()
        kept.timers.clear()
        for unsubscribe in kept.unsubscribe:
            unsubscribe()
        kept.unsubscribe.clear()
