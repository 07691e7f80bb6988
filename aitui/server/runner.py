"""Running the app with uvicorn, standalone or inside an already running event loop.

``serve`` binds the socket itself so it can report the real port (``--port 0`` picks a free
one, which the tests use) before accepting connections, and refuses unsafe binds before
anything listens. Embedded in the dashboard it must not take over the process's signals, so
uvicorn's signal capture is skipped there; the caller stops it with ``server.should_exit``.

HTTP is parsed by httptools (uvicorn's fastest parser, a dependency), named explicitly with the
header timeout added (``HeaderTimeout``): uvicorn bounds only the idle time between two requests
(``timeout_keep_alive``), in h11 and httptools alike, and stops that clock at the first byte, so a
client that opened a connection and sent nothing, or a header a byte a second, held it forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import threading
from collections.abc import Callable, Generator

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from aitui.server.auth import check_bind
from aitui.server.limits import Limits

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.types import ASGIApp

log = logging.getLogger(__name__)

#: Seconds open streams get to finish when the server stops.
GRACEFUL_SHUTDOWN_S = 3


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves the host application's signal handlers alone."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class _StandaloneServer(uvicorn.Server):
    """SIGINT/SIGTERM stop the server gracefully and the process exits 0.

    uvicorn re-raises the captured signal after shutting down, so the process would die of it
    (status -15) although it stopped cleanly; a supervisor would report that as a crash.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # signals can only be handled in the main thread
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


class HeaderTimeout(HttpToolsProtocol):
    """httptools' protocol, closing a connection whose request line and headers do not arrive
    within ``header_timeout_s`` of its opening (or of the first byte of a later request).

    Only the headers are timed: a body is bounded by the body limit, and an answer (a long
    ``execute``, an event stream) takes as long as it takes.
    """

    header_timeout_s: float = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    @classmethod
    def with_timeout(cls, seconds: float) -> type[HeaderTimeout]:
        return type(cls.__name__, (cls,), {"header_timeout_s": seconds})

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_header_timer()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:  # a later request on a kept-alive connection
            self._start_header_timer()

    def on_headers_complete(self) -> None:
        self._stop_header_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)

    def _start_header_timer(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout_s, self._headers_too_slow)

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (IPv6 if ``host`` is an IPv6 address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio sets TCP_NODELAY on accepted connections only then, and
    # without it Nagle's algorithm and delayed ACKs add ~40 ms to every keep-alive response.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def make_server(
    app: ASGIApp,
    *,
    embedded: bool,
    log_level: str = "warning",
    limits: Limits | None = None,
) -> uvicorn.Server:
    """A uvicorn server for ``app`` with aitui's bounds (``limits``: by default the app's own,
    which a FastAPI app from ``create_app`` carries)."""
    if limits is None:
        limits = app.state.aitui.limits  # type: ignore[attr-defined]
    config = uvicorn.Config(
        app,
        http=HeaderTimeout.with_timeout(limits.header_timeout_s),
        log_level=log_level,
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        server_header=False,
        lifespan="on",
    )
    return _EmbeddedServer(config) if embedded else _StandaloneServer(config)


async def serve(
    app: FastAPI,
    host: str = "127.0.0.1",
    port: int = 3000,
    *,
    embedded: bool = False,
    on_listening: Callable[[str, int], None] | None = None,
    server_ready: Callable[[uvicorn.Server], None] | None = None,
    log_level: str = "warning",
) -> None:
    """Serve ``app`` until stopped (a signal, or ``should_exit`` set on the server).

    Raises ``TokenError`` for a non-loopback ``host`` when the app has no token, and
    ``OSError`` when the address cannot be bound. ``on_listening(host, port)`` is called once
    the socket is bound; ``server_ready(server)`` hands out the uvicorn server to stop it.
    """
    check_bind(host, app.state.aitui_token)
    sock = bind_socket(host, port)
    bound_port = int(sock.getsockname()[1])
    server = make_server(app, embedded=embedded, log_level=log_level)
    if server_ready is not None:
        server_ready(server)
    if on_listening is not None:
        on_listening(host, bound_port)
    try:
        await server.serve(sockets=[sock])
    finally:
        sock.close()
