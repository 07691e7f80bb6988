"""Clients of the aitui server: the connection, and its sessions as a ``Host``.

``attach(socket)`` connects (starting the server when none answers) and returns a
``RemoteHost``, which the dashboard uses exactly as it uses sessions held in its own process.
The client speaks only the wire protocol (``aitui.core.wire``) and never imports the server.
"""

from aitui.client.connection import Connection, ServerGoneError, VersionMismatchError
from aitui.client.remote import RemoteHost, RemoteSource
from aitui.client.spawn import ServerStartError, attach, start_server

__all__ = [
    "Connection",
    "RemoteHost",
    "RemoteSource",
    "ServerGoneError",
    "ServerStartError",
    "VersionMismatchError",
    "attach",
    "start_server",
]
