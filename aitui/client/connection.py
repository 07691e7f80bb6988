"""One connection to an aitui server's ``/attach`` WebSocket over its Unix socket.

``Connection.open(path)`` connects and shakes hands (``Hello`` / ``Welcome``); a server of
another protocol version answers ``Refused`` and ``VersionMismatchError`` carries its words.
Then one reader task takes every message: ``Result`` settles the ``call`` waiting for it, the
rest go to ``on_message``. When the connection drops, every pending call fails with
``ServerGoneError`` and ``on_lost`` is called once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, unix_connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from aitui.__about__ import __version__
from aitui.core import errors
from aitui.core.errors import AituiError
from aitui.core.sockets import check_socket_owner
from aitui.core.wire import (
    ATTACH_PATH,
    PROTOCOL_VERSION,
    Call,
    Hello,
    Message,
    Refused,
    Result,
    ServerMessage,
    Welcome,
    WireError,
    decode_server,
    encode,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
#: The biggest message accepted: a full frame of the largest screen is a few MB.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


class ServerGoneError(AituiError):
    """No server answers on the socket (it is not running, or it just stopped)."""


class VersionMismatchError(AituiError):
    """The server speaks another protocol version."""


def error_from(result: Result) -> AituiError:
    """The ``AituiError`` subclass the server raised, by name (``AituiError`` if unknown)."""
    kind = getattr(errors, result.error_type or "", None)
    if not (isinstance(kind, type) and issubclass(kind, AituiError)):
        kind = AituiError
    return kind(result.error or "the server failed")


class Connection:
    def __init__(self, websocket: ClientConnection, welcome: Welcome) -> None:
        self.websocket = websocket
        self.welcome = welcome
        self.on_message: Callable[[ServerMessage], None] = lambda _: None
        self.on_lost: Callable[[str], None] = lambda _: None
        self._calls: dict[int, asyncio.Future[Any]] = {}
        self._ids = itertools.count(1)
        self._reader: asyncio.Task[None] | None = None
        self.closed = False

    @classmethod
    async def open(cls, path: Path) -> Connection:
        """Connect to the server at ``path``; ``ServerGoneError`` if none answers."""
        try:
            check_socket_owner(path)
        except FileNotFoundError:
            raise ServerGoneError(f"no aitui server is running on {path}") from None
        try:
            websocket = await asyncio.wait_for(
                unix_connect(
                    str(path),
                    uri=f"ws://localhost{ATTACH_PATH}",
                    max_size=MAX_MESSAGE_BYTES,
                    compression=None,
                    ping_interval=None,
                ),
                CONNECT_TIMEOUT_S,
            )
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as exc:
            raise ServerGoneError(f"no aitui server answers on {path} ({exc})") from None
        try:
            await websocket.send(encode(Hello(PROTOCOL_VERSION, __version__)))
            first: str | bytes = await asyncio.wait_for(websocket.recv(), CONNECT_TIMEOUT_S)
            if isinstance(first, str):
                raise WireError("a text message where the protocol sends bytes")
            answer = decode_server(first)
        except (ConnectionClosed, TimeoutError, WireError) as exc:
            await websocket.close()
            raise VersionMismatchError(
                f"the server on {path} did not answer as aitui {__version__} expects ({exc}): "
                f"it may be another version; 'aitui kill-server' ends it"
            ) from None
        if isinstance(answer, Refused):
            await websocket.close()
            raise VersionMismatchError(answer.reason)
        if not isinstance(answer, Welcome):
            await websocket.close()
            raise VersionMismatchError(f"unexpected answer from the server: {type(answer)}")
        return cls(websocket, answer)

    def start(self) -> None:
        """Begin reading (after ``on_message`` / ``on_lost`` are set)."""
        if self._reader is None:
            self._reader = asyncio.create_task(self._read(), name="aitui-client-reader")

    async def _read(self) -> None:
        reason = "the server closed the connection"
        try:
            async for data in self.websocket:
                if isinstance(data, str):
                    continue
                try:
                    message = decode_server(data)
                except WireError as exc:
                    log.warning("undecodable message from the server: %s", exc)
                    continue
                if isinstance(message, Result):
                    future = self._calls.pop(message.id, None)
                    if future is not None and not future.done():
                        future.set_result(message)
                else:
                    try:
                        self.on_message(message)
                    except Exception:
                        log.exception("handling %s", type(message).__name__)
        except ConnectionClosed as exc:
            reason = lost_reason(exc)
        finally:
            self.closed = True
            for future in self._calls.values():
                if not future.done():
                    future.set_exception(ServerGoneError(reason))
            self._calls.clear()
            self.on_lost(reason)

    async def send(self, message: Message) -> None:
        if self.closed:
            raise ServerGoneError("the server is gone")
        try:
            await self.websocket.send(encode(message))
        except ConnectionClosed:
            raise ServerGoneError("the server is gone") from None

    async def call(self, method: str, *args: Any) -> Any:
        """Ask the server; its answer's value, or the error it raised."""
        number = next(self._ids)
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._calls[number] = future
        await self.send(Call(number, method, list(args)))
        result = await future
        if result.error is not None:
            raise error_from(result)
        return result.value

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.websocket.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader


def lost_reason(exc: ConnectionClosed) -> str:
    """What the user is told when the connection ends, in words: the raw close frame
    (``1012 (service restart)``, the code uvicorn sends as the server stops) was shown as
    it was after an ``aitui kill-server``."""
    code = exc.rcvd.code if exc.rcvd is not None else None
    if code is None:  # no close frame: the process ended without a word (kill -9, a crash)
        return "the server ended without closing the connection (killed, or it crashed)"
    if code in (1000, 1001, 1012):  # normal, going away, service restart
        return "the server stopped (aitui kill-server, or it was asked to end)"
    why = f": {exc.rcvd.reason}" if exc.rcvd is not None and exc.rcvd.reason else ""
    return f"the server closed the connection (WebSocket code {code}{why})"
