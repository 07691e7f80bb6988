"""Keys reach what they were typed for, in the order they were typed, across screens.

Textual's app forwards each key to the current screen's focused widget as it takes the key
from its queue, while each screen handles its keys in its own task. Keys typed in one go (a
script, a burst from a fast typist on a loaded machine) after one that opens a screen were
forwarded before that screen existed or had focus: ``prefix n two Enter`` typed ``two`` into
the shell and started a session with a made-up name, and a key that reached a screen with
nothing focused yet was dropped. Here:

- the prefix's second key is taken by the app itself, in its own task
  (``PrefixScreen.choose``), and the keys after it wait until the command it names has run
  (just after that key's message) and whatever that opened is ready;
- while a new screen has not taken focus, keys wait; once it has (a dialog focuses its first
  field when mounted), or it shows nothing to focus, or ``HOLD_LIMIT`` has passed, they are
  handed on one at a time, each as its own message, so a key among them that opens another
  screen holds the rest again, ahead of any key typed later.
"""

from __future__ import annotations

import time
from collections import deque

from textual import events
from textual.dom import NoScreen
from textual.screen import Screen

from aitui.dashboard.base import DashboardBase
from aitui.dashboard.widgets.prefix import PrefixScreen

#: The longest keys wait for a new screen to take focus, in seconds.
HOLD_LIMIT = 1.0
_CHECK_EVERY = 1 / 120  # seconds between looks at a screen that keys wait for


class KeyOrder(DashboardBase):
    _waiting: deque[events.Key] | None = None  # keys not handled yet, oldest first
    _holding = False
    _held_until = 0.0

    async def on_mount(self) -> None:
        # (Textual runs each class's own ``on_mount`` along the MRO: the app's runs too.)
        self._waiting = deque()
        self.screen_change_signal.subscribe(self, self._hold_keys_for, immediate=True)

    def _hold_keys_for(self, screen: Screen[object]) -> None:
        if screen.focused is None:
            self._hold()

    def _hold(self) -> None:
        """Keys wait from now until the current screen is ready (see ``_end_hold``)."""
        if not self._holding:
            self._holding, self._held_until = True, time.monotonic() + HOLD_LIMIT
            self.set_timer(_CHECK_EVERY, self._end_hold)

    def _screen_not_ready(self) -> bool:
        try:
            screen = self.screen
        except NoScreen:  # shutting down
            return False
        return not screen.is_mounted or (screen.focused is None and bool(screen.focus_chain))

    def _end_hold(self) -> None:
        if self._screen_not_ready() and time.monotonic() < self._held_until:
            self.set_timer(_CHECK_EVERY, self._end_hold)
            return
        self._holding = False
        self.call_later(self._hand_on)

    async def _hand_on(self) -> None:
        """Handle the oldest waiting key, then (as a message of its own) the next."""
        if self._holding or not self._waiting:
            return
        await self._route(self._waiting.popleft())
        if self._waiting:
            self.call_later(self._hand_on)

    async def _route(self, key: events.Key) -> None:
        if isinstance(self.screen, PrefixScreen):
            self.screen.choose(key)
            self._hold()  # until its command has run (after this message) and what it opened
        else:
            await super().on_event(key)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._waiting is not None and (self._holding or self._waiting):
                self._waiting.append(events.Key(event.key, event.character))
            else:
                await self._route(event)
            return
        await super().on_event(event)
