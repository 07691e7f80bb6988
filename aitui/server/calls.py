"""What an attached client may ask of the server (``Call`` messages) and the answers.

Each method maps to one ``SessionHost`` method (the ``Host`` protocol the dashboard uses), plus
history and search, which read a screen's scrollback on demand. An ``AituiError`` is answered
with its message and class name, so the client raises the same error; anything else is logged
and answered as an internal error, never dropped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aitui.core.autoaccept import AutoAcceptConfig
from aitui.core.config import HistoryMode
from aitui.core.errors import AituiError, SessionNotFoundError
from aitui.core.hosting import NewSession, ScreenView
from aitui.core.wire import Call, Result

if TYPE_CHECKING:
    from aitui.server.viewer import Viewer

log = logging.getLogger(__name__)

Method = Callable[["Viewer", list[Any]], Awaitable[Any]]


def _screen(viewer: Viewer, key: str) -> ScreenView:
    source = viewer.host.source(str(key))
    if source is None:
        raise SessionNotFoundError(f"no session with key {key!r}")
    return source.screen


async def _create(viewer: Viewer, args: list[Any]) -> Any:
    fields: dict[str, Any] = dict(args[0]) if args else {}
    request = NewSession(
        name=fields.get("name") or None,
        directory=Path(fields.get("directory") or Path.cwd()),
        command=fields.get("command") or None,
        shell=fields.get("shell") or None,
        role=fields.get("role") or None,
        history=HistoryMode(fields.get("history", HistoryMode.SHELL.value)),
        ai=bool(fields.get("ai", True)),
        autostart=bool(fields.get("autostart", False)),
        persist_scrollback=fields.get("persist_scrollback"),
        agent=fields.get("agent") or None,
        search_path=str(fields["search_path"]) if fields.get("search_path") else None,
        auto_accept=(
            AutoAcceptConfig.from_mapping(fields["auto_accept"])
            if fields.get("auto_accept")
            else None
        ),
    )
    return await viewer.host.create(request)


async def _history(viewer: Viewer, args: list[Any]) -> Any:
    key, first, count = args
    return viewer.frames.history(_screen(viewer, key), int(first), int(count))


async def _search(viewer: Viewer, args: list[Any]) -> Any:
    """Matches as (absolute line, column, length), oldest first."""
    key, pattern, regex, ignore_case = args
    history = _screen(viewer, key).scrollback
    try:
        hits = await history.find(str(pattern), bool(regex), bool(ignore_case))
    except re.error as exc:
        raise AituiError(f"not a regular expression: {exc}") from None
    return [(history.dropped + line, column, length) for line, column, length in hits]


async def _stats(viewer: Viewer, args: list[Any]) -> Any:
    """What the server holds: for leak tests and ``aitui server --status``-like checks."""
    import asyncio
    import os
    import threading

    return {
        "pid": os.getpid(),
        "clients": len(viewer.hub.viewers),
        "sessions": len(viewer.host.sessions()),
        "tasks": len(asyncio.all_tasks()),
        "threads": threading.active_count(),
        "fds": _open_fds(),
    }


def _open_fds() -> int:
    import os

    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return -1  # not Linux


async def _simple(viewer: Viewer, method: str, args: list[Any]) -> Any:
    return await getattr(viewer.host, method)(*args)


METHODS: dict[str, Method] = {
    "create": _create,
    "history": _history,
    "search": _search,
    "stats": _stats,
    **{
        name: (lambda n: lambda viewer, args: _simple(viewer, n, args))(name)
        for name in (
            "rename",
            "restart",
            "kill",
            "dismiss",
            "toggle_recording",
            "answer",
            "submit_task",
            "broadcast",
        )
    },
}


async def answer(viewer: Viewer, call: Call) -> Result:
    method = METHODS.get(call.method)
    if method is None:
        return Result(call.id, error=f"unknown method {call.method!r}", error_type="AituiError")
    try:
        return Result(call.id, value=await method(viewer, list(call.args)))
    except AituiError as exc:
        return Result(call.id, error=str(exc), error_type=type(exc).__name__)
    except (TypeError, ValueError) as exc:
        return Result(
            call.id, error=f"bad arguments to {call.method}: {exc}", error_type="AituiError"
        )
    except Exception as exc:
        log.exception("call %s failed", call.method)
        return Result(
            call.id, error=f"internal error in {call.method}: {exc}", error_type="AituiError"
        )
