"""Running the app with uvicorn, standalone or inside an already running event loop.

``serve`` binds the socket itself so it can report the real port (``--port 0`` picks a free
one, which the tests use) before accepting connections, and refuses unsafe binds before
anything listens. Embedded in the dashboard it must not take over the process's signals, so
uvicorn's signal capture is skipped there; the caller stops it with ``server.should_exit``.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import threading
from collections.abc import Callable, Generator

import uvicorn
from fastapi import FastAPI

from aitui.server.auth import check_bind

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


def make_server(app: FastAPI, *, embedded: bool, log_level: str = "warning") -> uvicorn.Server:
    config = uvicorn.Config(
        app,
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
