"""Pasted text delivered whole, escape sequences included, as tmux delivers it.

A terminal sends a paste bracketed, ``ESC[200~`` text ``ESC[201~``, once the program asked
for it (Textual asks). Textual's key parser (``XTermParser``, checked against Textual 8.2.8)
reads the text one character at a time, and an ESC inside it starts an escape sequence that it
never finishes while pasting: coloured text copied from a terminal (``ESC[31mred ESC[0m``)
came out as keys (the ESC shown as ``^``, then ``[31mred...``) typed into the pane before
the rest of the paste. tmux 3.3a passes the same paste to its pane intact.

:class:`PasteParser` is Textual's parser with the pastes taken out of what it reads. Outside a
paste every character goes to Textual's parser at once, as before, so keys, a lone Esc (sent
after Textual's ``ESCDELAY``, 100 ms unless set) and Alt combinations come out exactly as they
did. The text of a paste is collected here instead; Textual's parser is fed only the two
markers, so it sees an empty paste, and the ``Paste`` it reports for it (in order with the
keys around it) carries the collected text. Its NUL characters are dropped, as Textual drops
them (Textual issue 1661).

Reads split anywhere, markers included:

* A start marker cut at the end of a read (``ESC``, ``ESC[``, ... ``ESC[200``) has gone to
  Textual's parser already, which holds it as the start of a sequence: nothing is held back
  here, so an Esc press still arrives on Textual's timeout. If the next read completes the
  marker, the rest of it is fed and the paste begins; if Textual's timeout came first, the
  characters were keys (as they always were) and what follows is no paste.
* An end marker cut at the end of a read is held here (it is inside the paste) until the next
  read says whether it was the marker or pasted text.

A paste whose end marker never comes (a terminal that dropped it) must not take every later
key: after :data:`PASTE_IDLE_SECONDS` with no input, what was pasted so far is delivered as the
paste and reading goes on as usual. A terminal writes a paste in one go, so its reads arrive
back to back (Textual's input thread ticks the parser after every read and at least every
0.1 s); a second of silence is ten of those ticks and far above a paste's own gaps, yet a key
typed after it is read as a key. End of input delivers an open paste too.

:func:`install` makes Textual's Linux driver (the one the dashboard runs on) build this parser:
its input thread looks ``XTermParser`` up in its own module when it starts reading.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator

import textual.drivers.linux_driver as linux_driver
from textual import events
from textual._xterm_parser import (
    BRACKETED_PASTE_END,
    BRACKETED_PASTE_START,
    XTermParser,
)
from textual.message import Message

#: How long an open paste waits for more input before it is taken as ended.
PASTE_IDLE_SECONDS = 1.0


def marker_prefix(text: str, marker: str) -> str:
    """The longest end of ``text`` that begins ``marker`` without being all of it."""
    for size in range(min(len(marker) - 1, len(text)), 0, -1):
        if text.endswith(marker[:size]):
            return marker[:size]
    return ""


class PasteParser(XTermParser):
    """Textual's key parser, with each bracketed paste delivered as one exact ``Paste``."""

    def __init__(self, debug: bool = False, *, clock: Callable[[], float] = time.monotonic):
        #: The end of what Textual's parser was fed that may be the start of a start marker.
        self._start_seen = ""
        #: The text of the open paste, or None outside one.
        self._paste: list[str] | None = None
        #: The end of the open paste that may be the start of the end marker (not in _paste).
        self._end_seen = ""
        self._clock = clock
        self._last_input = 0.0
        super().__init__(debug)

    def feed(self, data: str) -> Iterator[Message]:
        if not data:  # end of input
            if self._paste is not None:
                yield from self._end_paste()
            yield from super().feed(data)
            return
        self._last_input = self._clock()
        while data:
            if self._paste is None:
                data = yield from self._outside(data)
            else:
                data = yield from self._inside(data)

    def tick(self) -> Iterator[Message]:
        if self._paste is not None:
            if self._clock() - self._last_input >= PASTE_IDLE_SECONDS:
                yield from self._end_paste()
            return
        timed_out = False
        for message in super().tick():
            timed_out = True
            yield message
        if timed_out:  # Textual's parser gave up on the sequence it held: it was keys
            self._start_seen = ""

    def _outside(self, data: str) -> Generator[Message, None, str]:
        """Feed ``data`` up to a paste's start to Textual's parser; what is left after it."""
        seen = self._start_seen + data
        at = seen.find(BRACKETED_PASTE_START)
        if at < 0:
            yield from super().feed(data)
            self._start_seen = marker_prefix(seen, BRACKETED_PASTE_START)
            return ""
        # The marker has one ESC, its first character, so it begins in what was seen before
        # only if that was all of the marker's start (at == 0): its rest is fed now.
        after = at + len(BRACKETED_PASTE_START)
        yield from super().feed(seen[len(self._start_seen) : after])
        self._start_seen = ""
        self._paste = []
        return seen[after:]

    def _inside(self, data: str) -> Generator[Message, None, str]:
        """Collect ``data`` up to the paste's end; what is left after the end marker."""
        assert self._paste is not None
        seen = self._end_seen + data
        at = seen.find(BRACKETED_PASTE_END)
        if at < 0:
            self._end_seen = marker_prefix(seen, BRACKETED_PASTE_END)
            self._paste.append(seen[: len(seen) - len(self._end_seen)])
            return ""
        self._paste.append(seen[:at])
        self._end_seen = ""
        yield from self._end_paste()
        return seen[at + len(BRACKETED_PASTE_END) :]

    def _end_paste(self) -> Iterator[Message]:
        """Close the open paste: Textual's parser reads the end marker, its empty ``Paste``
        comes out with the text (and a ``Paste`` still, were it ever to report none)."""
        assert self._paste is not None
        text = ("".join(self._paste) + self._end_seen).replace("\x00", "")
        self._paste = None
        self._end_seen = ""
        delivered = False
        for message in super().feed(BRACKETED_PASTE_END):
            if isinstance(message, events.Paste) and not delivered:
                message, delivered = events.Paste(text), True
            yield message
        if not delivered:
            yield events.Paste(text)


def install() -> None:
    """Make Textual's Linux driver read input with :class:`PasteParser` (idempotent)."""
    vars(linux_driver)["XTermParser"] = PasteParser
