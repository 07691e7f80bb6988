"""One attached client of the ``/attach`` WebSocket (``attach.py`` has the hub and the design).

A viewer sends what its client needs and nothing more, through one sender task: the session
list and row updates, the coordination panels, answers to its calls, and frames of the
sessions its client shows, each as its budget (``budget.py``) allows. It takes the client's
keys, sizes and what it shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from typing import TYPE_CHECKING, Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from aitui.__about__ import __version__
from aitui.core.hosting import (
    CoordinationChanged,
    HostEvent,
    Notice,
    SessionChanged,
    SessionsChanged,
)
from aitui.core.wire import (
    PROTOCOL_VERSION,
    Call,
    CoordinationState,
    Hello,
    Keys,
    Refused,
    Resize,
    SessionList,
    SessionUpdate,
    Show,
    Welcome,
    WireError,
    decode_client,
    encode,
)
from aitui.core.wire import Notice as NoticeMessage
from aitui.server.budget import FrameBudget
from aitui.server.calls import answer
from aitui.server.frames import FrameBuilder

if TYPE_CHECKING:
    from aitui.server.attach import AttachHub

log = logging.getLogger(__name__)

HELLO_TIMEOUT_S = 10.0
_ids = itertools.count(1)


class Viewer:
    """One attached client."""

    def __init__(self, hub: AttachHub, websocket: WebSocket) -> None:
        self.id = f"client-{next(_ids)}"
        self.hub = hub
        self.host = hub.host
        self.websocket = websocket
        self.frames = FrameBuilder()
        self.shown: set[str] = set()
        self.sizes: dict[str, tuple[int, int]] = {}
        self._dirty: dict[str, set[int]] = {}
        self._updates: set[str] = set()
        self._list = True
        self._coordination = True
        self._notices: list[NoticeMessage] = []
        self._results: list[bytes] = []
        self._wake = asyncio.Event()
        self._wake.set()  # the session list and the panels go out first
        self.budget = FrameBudget()
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- from the hub -----------------------------------------------------------------------
    def host_event(self, event: HostEvent) -> None:
        if isinstance(event, SessionsChanged):
            self._list = True
        elif isinstance(event, SessionChanged):
            self._updates.add(event.key)
        elif isinstance(event, CoordinationChanged):
            self._coordination = True
        elif isinstance(event, Notice):
            self._notices.append(NoticeMessage(event.text, event.severity))
        self._wake.set()

    def screen_changed(self, key: str, rows: set[int]) -> None:
        if key in self.shown:
            self._dirty.setdefault(key, set()).update(rows)
            self.budget.changed(key, time.monotonic())
            self._wake.set()

    def notify(self, text: str, severity: str = "warning") -> None:
        self._notices.append(NoticeMessage(text, severity))
        self._wake.set()

    # -- the connection -----------------------------------------------------------------------
    async def handshake(self) -> bool:
        try:
            data = await asyncio.wait_for(self.websocket.receive_bytes(), HELLO_TIMEOUT_S)
            hello = decode_client(data)
        except (TimeoutError, WireError, KeyError, WebSocketDisconnect):
            hello = None
        if not isinstance(hello, Hello) or hello.version != PROTOCOL_VERSION:
            theirs = (
                f"protocol {hello.version}, aitui {hello.client}"
                if isinstance(hello, Hello)
                else "an unknown protocol"
            )
            await self._refuse(
                f"this aitui server speaks protocol {PROTOCOL_VERSION} (aitui {__version__}), "
                f"the client {theirs}: use the same aitui version for both, or run "
                f"'aitui kill-server' (it ends the server's sessions) and start again"
            )
            return False
        await self.websocket.send_bytes(encode(Welcome(PROTOCOL_VERSION, __version__, _pid())))
        return True

    async def _refuse(self, reason: str) -> None:
        with contextlib.suppress(Exception):
            await self.websocket.send_bytes(encode(Refused(reason)))
            await self.websocket.close(code=1002)

    async def run(self) -> None:
        sender = asyncio.create_task(self._send_loop(), name=f"{self.id}-sender")
        try:
            while True:
                data = await self.websocket.receive_bytes()
                try:
                    message = decode_client(data)
                except WireError as exc:
                    self.notify(f"the server did not understand a message: {exc}", "error")
                    continue
                await self._handle(message)
        except (WebSocketDisconnect, RuntimeError, KeyError):
            pass  # the client went away (KeyError: a text frame where bytes were expected)
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender

    def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    async def _handle(self, message: Any) -> None:
        if isinstance(message, Keys):
            await self._keys(message)
        elif isinstance(message, Resize):
            self.sizes[message.key] = (message.rows, message.cols)
            await self._apply_size(message.key)
        elif isinstance(message, Show):
            self._show(message)
        elif isinstance(message, Call):
            task = asyncio.create_task(self._call(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _keys(self, message: Keys) -> None:
        session = self.host.session(message.key)
        if session is None:
            self.notify("that session is gone")
            return
        self.budget.typed(message.key, time.monotonic())
        session.hold_screen(0)  # the echo is parsed as it comes
        try:
            await self._apply_size(message.key)
            await session.send_input(message.data)
        except Exception as exc:
            self.notify(str(exc))

    async def _apply_size(self, key: str) -> None:
        session = self.host.session(key)
        size = self.sizes.get(key)
        if session is None or size is None or not session.is_running:
            return
        if (session.screen.rows, session.screen.cols) != size:
            try:
                await session.resize(*size)
            except Exception as exc:
                self.notify(f"cannot resize {session.name}: {exc}")

    def _show(self, message: Show) -> None:
        visible = set(message.visible)
        for key in visible - self.shown:
            self.frames.forget(key)
            self._dirty[key] = set()  # a full frame: the builder has not seen this size
        for key in self.shown - visible:
            self._dirty.pop(key, None)
            self.budget.forget(key)
        self.shown = visible
        self.budget.foreground = message.foreground
        self.host.show(list(message.visible), message.foreground, viewer=self.id)
        self._wake.set()

    async def _call(self, call: Call) -> None:
        """Answered through the sender, after the list and rows it changed: a client that
        created a session finds it in its list when the answer comes."""
        result = await answer(self, call)
        self._results.append(encode(result))
        self._wake.set()

    async def _send_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            wait = self._frame_wait()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                pending = self._pending()
            except Exception:  # a bug must not silence this client for good
                log.exception("building updates for %s", self.id)
                continue
            for data in pending:
                await self.websocket.send_bytes(data)
            if self._dirty:
                self._wake.set()  # frames not due yet: their turn comes

    def _frame_wait(self) -> float:
        """Seconds until something may be sent: none for lists, rows, answers and notices;
        for frames, until the first session whose budget allows one."""
        if self._list or self._updates or self._coordination or self._notices or self._results:
            return 0.0
        if not self._dirty:
            return 0.0
        now = time.monotonic()
        return min(self.budget.due(key, now) for key in self._dirty) - now

    def _pending(self) -> list[bytes]:
        out: list[bytes] = []
        host = self.host
        if self._list:
            self._list = False
            self._updates.clear()
            out.append(encode(SessionList(host.sessions())))
        for key in list(self._updates):
            info = host.info(key)
            if info is not None:
                out.append(encode(SessionUpdate(info)))
        self._updates.clear()
        if self._coordination:
            self._coordination = False
            out.append(encode(CoordinationState(host.message_rows(), host.task_rows())))
        out.extend(encode(n) for n in self._notices)
        self._notices.clear()
        out.extend(self._results)
        self._results.clear()
        now = time.monotonic()
        budget = self.budget
        for key in [k for k in self._dirty if budget.due(k, now) <= now]:
            rows = self._dirty.pop(key)
            source = host.source(key)
            if source is not None and key in self.shown:
                out.append(encode(self.frames.frame(key, source.screen, rows)))
                budget.sent(key, now)
                self.hub.frame_sent(key, now)
        return out


def _pid() -> int:
    import os

    return os.getpid()
