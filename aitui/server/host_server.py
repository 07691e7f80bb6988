"""The server's event loop: a ``SessionHost``, the HTTP API and ``/attach`` over it.

The Unix socket serves the whole API without a token (only its owner can open it, 0600 in a
0700 directory); without TCP its API is built once the server is up, so ``/attach`` does not
wait for FastAPI's imports (``aitui.server.deferred``). TCP, when asked, serves the same
sessions through a second app that carries the token and Host rules of ``aitui serve``. Both
share the host's manager and coordination, so a session made over HTTP appears in every
dashboard at once.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aitui.__about__ import __version__
from aitui.core.agents import StoreError, db_path_for, default_db_path
from aitui.core.coordination import Coordination
from aitui.core.host import SessionHost
from aitui.core.records import SessionRecords, records_path_for
from aitui.core.settings import load_settings
from aitui.core.wire import ATTACH_PATH
from aitui.server.attach import AttachHub
from aitui.server.auth import check_bind
from aitui.server.daemon import bind_unix
from aitui.server.deferred import DeferredApi
from aitui.server.limits import Limits
from aitui.server.runner import bind_socket, make_server

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger("aitui.server")


def api(host: SessionHost, hub: AttachHub, **options: Any) -> FastAPI:
    """The HTTP API over ``host``'s sessions, ``/attach`` included (``create_app``'s
    ``options``: its limits, a token, allowed hosts)."""
    from fastapi import WebSocket

    from aitui.server.app import create_app

    app = create_app(
        host.manager,
        coordinator=host.coordination.coordinator,
        distributor=host.coordination.distributor,
        host=host,
        **options,
    )

    @app.websocket(ATTACH_PATH)
    async def attach(websocket: WebSocket) -> None:
        await hub.serve(websocket)

    return app


async def open_host(sock: Path, persist: bool, *, shared_store: bool = False) -> SessionHost:
    """The server's sessions, and (unless ``--no-persist``) its messages and tasks and the
    sessions of an earlier run of this server, listed as stopped; both in files of its own.
    ``shared_store``: the messages and tasks in the data dir's own ``agents.sqlite3``, which
    ``aitui serve`` (the reference's ``ai-session-server``, named after its port) keeps
    across restarts on any port, as the reference's server did."""
    settings, problems = load_settings()
    for problem in problems:
        log.warning("configuration: %s", problem)
    coordination = None
    records = None
    unkept: list[str] = []
    if persist:
        try:
            path = default_db_path() if shared_store else db_path_for(sock.name)
            coordination = await Coordination.open(path)
        except StoreError as exc:
            unkept.append(
                f"{exc}: agents' messages and tasks are kept in memory only, and lost when "
                "this server stops"
            )
        try:
            records = await SessionRecords.open(records_path_for(sock.name))
        except StoreError as exc:
            unkept.append(
                f"{exc}: the sessions of earlier runs are not listed, and this run's are not "
                "kept (the file is left as it is)"
            )
    for problem in unkept:
        log.warning("%s", problem)
    host = SessionHost(
        coordination=coordination,
        shell=settings.shell,
        scrollback_lines=settings.scrollback_lines,
        records=records,
        persist_scrollback=settings.persist_scrollback,
        hook_socket=sock,
    )
    host.problems += unkept
    restored = await host.restore()
    if restored:
        log.info("listed %d sessions of the previous run as stopped", len(restored))
    return host


async def run(sock: Path, args: argparse.Namespace, tell: Callable[[str], None]) -> int:
    """Serve until SIGTERM/SIGINT; ``TokenError`` or ``OSError`` if it cannot listen."""
    token = args.token if args.token is not None else (os.environ.get("AITUI_TOKEN") or None)
    if args.tcp:
        check_bind(args.host, token)  # TokenError: the caller says why
    listener = bind_unix(sock)
    try:
        tcp = bind_socket(args.host, args.port) if args.tcp else None
    except OSError as exc:
        listener.close()
        raise OSError(
            exc.errno, f"cannot listen on {args.host}:{args.port}: {exc.strerror}"
        ) from None
    host = await open_host(
        sock, persist=not args.no_persist, shared_store=getattr(args, "shared_store", False)
    )
    hub = AttachHub(host)
    limits = Limits()  # the apps' bounds and uvicorn's header timeout, one set for all
    local: DeferredApi | FastAPI
    if tcp is None:  # the API is built once the server is up (see ``aitui.server.deferred``)
        local = DeferredApi(lambda: api(host, hub, limits=limits), hub.serve)
    else:
        local = api(host, hub, limits=limits)
    servers = [make_server(local, embedded=True, log_level=args.log_level, limits=limits)]
    sockets = [[listener]]
    if tcp is not None:
        tcp_app = api(host, hub, limits=limits, token=token, allowed_hosts=args.allowed_host)
        servers.append(make_server(tcp_app, embedded=True, log_level=args.log_level, limits=limits))
        sockets.append([tcp])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks = [
        asyncio.create_task(server.serve(sockets=s), name="uvicorn")
        for server, s in zip(servers, sockets, strict=True)
    ]
    shown = ""
    if tcp is not None:
        bound = args.host if ":" not in args.host else f"[{args.host}]"
        shown = f" http://{bound}:{tcp.getsockname()[1]}"
    log.info("aitui server %s (pid %d) on %s%s", __version__, os.getpid(), sock, shown)
    tell(f"ok {os.getpid()}{shown}\n")
    waiter = asyncio.create_task(stop.wait())
    await asyncio.wait([waiter, *tasks], return_when=asyncio.FIRST_COMPLETED)
    log.info("stopping: ending %d sessions", len(host.sessions()))
    for server in servers:
        server.should_exit = True
    hub.close()
    await host.close()
    await asyncio.gather(*tasks, return_exceptions=True)
    waiter.cancel()
    listener.close()
    if tcp is not None:
        tcp.close()
    return 0
