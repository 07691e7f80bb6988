"""``RemoteHost``: a server's sessions, as the dashboard's ``Host``.

It keeps what the server last said (the session list, each row, the panels) and the screens
of the sessions this dashboard shows, and turns every message into the same ``HostEvent`` a
local host emits, so the dashboard cannot tell the two apart. What it is asked to do goes to
the server as a ``Call`` (answered with the server's own errors) or, for keys, sizes and what
is on display, as a message that needs no answer, in the order it was asked.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable

from aitui.client.connection import Connection, ServerGoneError
from aitui.client.remote_screen import RemoteScreen, RemoteScrollback, Styles
from aitui.core.coordination_rows import MessageRow, TaskRow
from aitui.core.errors import AituiError, SessionNotRunningError
from aitui.core.hosting import (
    CoordinationChanged,
    HostEvent,
    HostLost,
    NewSession,
    Notice,
    ScreenChanged,
    SessionChanged,
    SessionInfo,
    SessionsChanged,
)
from aitui.core.listeners import Listeners
from aitui.core.wire import (
    CoordinationState,
    Frame,
    History,
    Keys,
    Resize,
    ServerMessage,
    SessionList,
    SessionUpdate,
    Show,
    convert,
)
from aitui.core.wire import Notice as NoticeMessage

log = logging.getLogger(__name__)


class RemoteSource:
    """A ``PaneSource`` for one of the server's sessions."""

    def __init__(self, host: RemoteHost, key: str, screen: RemoteScreen) -> None:
        self._host = host
        self.key = key
        self.screen = screen

    @property
    def name(self) -> str:
        info = self._host.info(self.key)
        return info.name if info is not None else self.key

    async def send_input(self, data: str | bytes) -> None:
        info = self._host.info(self.key)
        if info is not None and not info.running:
            code = f" with code {info.exit_code}" if info.exit_code is not None else ""
            raise SessionNotRunningError(f"{info.name} has exited{code}: nothing reads the keys")
        payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        await self._host.post(Keys(self.key, payload))

    async def resize(self, rows: int, cols: int) -> None:
        await self._host.post(Resize(self.key, rows, cols))


class RemoteHost:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._infos: dict[str, SessionInfo] = {}
        self._sources: dict[str, RemoteSource] = {}
        self._messages: list[MessageRow] = []
        self._tasks: list[TaskRow] = []
        self._styles = Styles()
        self._events: Listeners[HostEvent] = Listeners()
        self._outbox: asyncio.Queue[Show | Keys | Resize] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self.lost: str | None = None
        self.ready = asyncio.Event()  # the first session list arrived
        self._unheard: list[Notice] = []
        connection.on_message = self._on_message
        connection.on_lost = self._on_lost
        connection.start()

    # -- reading ------------------------------------------------------------------------------
    def sessions(self) -> list[SessionInfo]:
        return list(self._infos.values())

    def info(self, key: str) -> SessionInfo | None:
        return self._infos.get(key)

    def source(self, key: str) -> RemoteSource | None:
        if key not in self._infos:
            return None
        source = self._sources.get(key)
        if source is None:
            history = RemoteScrollback(
                lambda first, count: self._history(key, first, count),
                lambda: self._events.emit(ScreenChanged(key)),
                lambda pattern, regex, ignore_case: self.find_in_history(
                    key, pattern, regex, ignore_case
                ),
            )
            source = self._sources[key] = RemoteSource(
                self, key, RemoteScreen(self._styles, history)
            )
        return source

    def subscribe(self, callback: Callable[[HostEvent], None]) -> Callable[[], None]:
        """Follow the host's events; the first subscriber also hears the notices that came
        before it (those the server sends as a client attaches: a store it could not open)."""
        unsubscribe = self._events.subscribe(callback)
        unheard, self._unheard = self._unheard, []
        for notice in unheard:
            callback(notice)
        return unsubscribe

    def message_rows(self) -> list[MessageRow]:
        return list(self._messages)

    def task_rows(self) -> list[TaskRow]:
        return list(self._tasks)

    def show(self, visible: list[str], foreground: str | None) -> None:
        self._post_nowait(Show(list(visible), foreground))

    # -- asking -------------------------------------------------------------------------------
    async def create(self, request: NewSession) -> str:
        fields = {
            "name": request.name,
            "directory": str(request.directory),
            "command": request.command,
            "shell": request.shell,
            "role": request.role,
            "history": request.history.value,
            "ai": request.ai,
            "autostart": request.autostart,
            "persist_scrollback": request.persist_scrollback,
            "agent": request.agent,
            # Looked up where this dashboard's shell finds it, not on the server's PATH.
            "search_path": request.search_path or os.environ.get("PATH"),
            "auto_accept": request.auto_accept.to_mapping() if request.auto_accept else None,
        }
        return str(await self._call("create", fields))

    async def answer(self, key: str, action: str) -> int:
        sent = await self._call("answer", key, action)
        return sent if isinstance(sent, int) else 0

    async def rename(self, key: str, name: str) -> None:
        await self._call("rename", key, name)

    async def restart(self, key: str) -> str:
        return str(await self._call("restart", key))

    async def kill(self, key: str) -> None:
        await self._call("kill", key)

    async def dismiss(self, key: str) -> None:
        await self._call("dismiss", key)

    async def toggle_recording(self, key: str) -> str:
        return str(await self._call("toggle_recording", key))

    async def submit_task(self, description: str, needs: list[str], priority: str) -> None:
        await self._call("submit_task", description, needs, priority)

    async def broadcast(self, text: str, priority: str) -> int:
        count = await self._call("broadcast", text, priority)
        return count if isinstance(count, int) else 0

    async def close(self) -> None:
        """Detach: the server and its sessions carry on."""
        if self._writer is not None:
            self._writer.cancel()
        await self.connection.close()

    async def post(self, message: Show | Keys | Resize) -> None:
        if self.lost is not None:
            raise ServerGoneError(self.lost)
        self._post_nowait(message)

    def _post_nowait(self, message: Show | Keys | Resize) -> None:
        if self.lost is not None:
            return
        self._outbox.put_nowait(message)
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        while True:
            message = await self._outbox.get()
            try:
                await self.connection.send(message)
            except AituiError:
                return  # gone: on_lost says so
            finally:
                self._outbox.task_done()

    async def _call(self, method: str, *args: object) -> object:
        if self.lost is not None:
            raise ServerGoneError(self.lost)
        await self._drain()
        return await self.connection.call(method, *args)

    async def _drain(self) -> None:
        """Let keys and sizes posted before a call reach the server before it."""
        if self._writer is not None and not self._writer.done():
            await self._outbox.join()

    async def _history(self, key: str, first: int, count: int) -> History:
        value = await self.connection.call("history", key, first, count)
        history: History = convert(value, History)
        return history

    async def find_in_history(
        self, key: str, pattern: str, regex: bool, ignore_case: bool = False
    ) -> list[tuple[int, int, int]]:
        value = await self._call("search", key, pattern, regex, ignore_case)
        return [(int(a), int(b), int(c)) for a, b, c in value]  # type: ignore[attr-defined]

    # -- from the server ----------------------------------------------------------------------
    def _on_message(self, message: ServerMessage) -> None:
        if isinstance(message, Frame):
            source = self.source(message.key)
            if source is not None:
                source.screen.apply(message)
                self._events.emit(ScreenChanged(message.key))
        elif isinstance(message, SessionUpdate):
            self._infos[message.info.key] = message.info
            self._events.emit(SessionChanged(message.info.key))
        elif isinstance(message, SessionList):
            self._infos = {info.key: info for info in message.sessions}
            for key in set(self._sources) - set(self._infos):
                del self._sources[key]
            self.ready.set()
            self._events.emit(SessionsChanged())
        elif isinstance(message, CoordinationState):
            self._messages, self._tasks = message.messages, message.tasks
            self._events.emit(CoordinationChanged())
        elif isinstance(message, NoticeMessage):
            notice = Notice(message.text, message.severity)
            if self._events:
                self._events.emit(notice)
            else:  # attached, not yet shown: the dashboard subscribes once it is drawn
                self._unheard.append(notice)

    def _on_lost(self, reason: str) -> None:
        self.lost = reason
        self.ready.set()
        self._events.emit(HostLost(reason))
