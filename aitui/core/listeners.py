"""``Listeners``: the one way anything in aitui is told that something happened.

Sessions, the coordinator, the manager and the host each keep callbacks to call with their
events. One small type does it everywhere, with the same guarantees: callbacks run in the order
they subscribed, a callback may unsubscribe (itself or another) while being called, and one that
raises is logged and does not stop the others (an observer's bug must not break the engine that
emits, nor the observers after it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

E = TypeVar("E")


class Listeners(Generic[E]):
    """Callbacks of one kind of event ``E``."""

    __slots__ = ("_callbacks",)

    def __init__(self) -> None:
        self._callbacks: list[Callable[[E], None]] = []

    def subscribe(self, callback: Callable[[E], None]) -> Callable[[], None]:
        """Call ``callback`` with every event from now on; returns what unsubscribes it."""
        self._callbacks.append(callback)

        def unsubscribe() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return unsubscribe

    def __len__(self) -> int:
        return len(self._callbacks)

    def __bool__(self) -> bool:
        return bool(self._callbacks)

    def emit(self, event: E) -> None:
        for callback in tuple(self._callbacks):
            try:
                callback(event)
            except Exception:
                log.exception("a listener failed on %r", event)
