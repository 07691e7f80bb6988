"""Clients of the aitui server: the connection, and its sessions as a ``Host``.

``attach(socket)`` connects (starting the server when none answers) and returns a
``RemoteHost``, which the dashboard uses exactly as it uses sessions held in its own process.
The client speaks only the wire protocol (``aitui.core.wire``) and never imports the server.

Names are imported on first use (PEP 562): an agent's hook (``aitui.client.hook``) runs once
per event and must not pay for the websocket stack it never uses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aitui.client.connection import Connection, ServerGoneError, VersionMismatchError
    from aitui.client.remote import RemoteHost, RemoteSource
    from aitui.client.spawn import ServerLaunch, ServerStartError, attach, start_server

_WHERE = {
    "Connection": "aitui.client.connection",
    "ServerGoneError": "aitui.client.connection",
    "VersionMismatchError": "aitui.client.connection",
    "RemoteHost": "aitui.client.remote",
    "RemoteSource": "aitui.client.remote",
    "ServerLaunch": "aitui.client.spawn",
    "ServerStartError": "aitui.client.spawn",
    "attach": "aitui.client.spawn",
    "start_server": "aitui.client.spawn",
}

__all__ = [
    "Connection",
    "RemoteHost",
    "RemoteSource",
    "ServerGoneError",
    "ServerLaunch",
    "ServerStartError",
    "VersionMismatchError",
    "attach",
    "start_server",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'aitui.client' has no attribute {name!r}")
