"""The ``/attach`` WebSocket: dashboards attached to the server's ``SessionHost``.

One ``AttachHub`` per server follows the host's events and fans them out to the ``Viewer`` of
each connection. A viewer sends what its client needs and nothing more: the session list and
row updates, the coordination panels, and frames of the sessions its client shows. Everything
is marked pending and sent by one sender task per viewer, so a burst of events is one message,
a slow client gets coalesced state instead of a queue, and a client that stops reading holds
only its pending sets (bounded by the screens' sizes), never the server's loop.

Frames follow a budget per session (``budget.py``): the first change after a quiet spell is
sent at once (a keystroke's echo is not delayed), later ones at most 60 times a second for the
session the client types into (30 while it redraws continuously, unless keys were just typed
into it) and 15 for the others it shows (the pane's own rate for them). While a session's
rate is cut, its screen is not parsed between two frames (``AttachHub.frame_sent`` holds it
until the earliest client may take the next one): its readers catch up first, and keys typed
into it lift the hold.

PTY size: each client reports the size of its pane per session; the session takes the size of
the client that most recently resized or typed into it (tmux's ``window-size latest``), so the
person at the keyboard always sees a screen that fits.
"""

from __future__ import annotations

from starlette.websockets import WebSocket

from aitui.core.host import SessionHost
from aitui.core.hosting import HostEvent, ScreenChanged
from aitui.server.viewer import Viewer


class AttachHub:
    """The server's attached clients (see the module's docstring)."""

    def __init__(self, host: SessionHost) -> None:
        self.host = host
        self.viewers: set[Viewer] = set()
        self._unsubscribe = host.subscribe(self._on_event)

    def close(self) -> None:
        self._unsubscribe()

    def _on_event(self, event: HostEvent) -> None:
        if isinstance(event, ScreenChanged):
            source = self.host.source(event.key)
            if source is None:
                return
            rows = source.screen.take_dirty()
            for viewer in self.viewers:
                viewer.screen_changed(event.key, rows)
            return
        for viewer in self.viewers:
            viewer.host_event(event)

    def frame_sent(self, key: str, now: float) -> None:
        """A frame of ``key`` went to a client: until the earliest moment any client showing
        it may take the next one, its screen need not parse new output (a pane redrawing
        continuously parses 30 of its program's 60 frames a second, not all 60)."""
        session = self.host.session(key)
        if session is None:
            return
        until = [v.budget.needed(key, now) for v in self.viewers if key in v.shown]
        if until and None not in until:
            session.hold_screen(min(u for u in until if u is not None) - now)

    async def serve(self, websocket: WebSocket) -> None:
        await websocket.accept()
        viewer = Viewer(self, websocket)
        try:
            if not await viewer.handshake():
                return
            self.viewers.add(viewer)
            for problem in self.host.problems:
                viewer.notify(problem, "error")
            await viewer.run()
        finally:
            self.viewers.discard(viewer)
            self.host.forget_viewer(viewer.id)
            viewer.stop()
