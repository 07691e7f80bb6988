"""The HTTP API over the server's Unix socket, for the scripting CLI: stdlib only.

``http.client`` with a Unix-socket ``connect`` is all it takes (the socket needs no token: only
its owner can open it), so a one-shot command such as ``aitui send`` starts no event loop and
loads no HTTP library. A server is started when none answers and the caller asked for that (as
``aitui`` does); the socket is checked as the dashboard's connection checks
it, so a socket another user planted is never spoken to.
"""

from __future__ import annotations

import http.client
import json
import socket
from pathlib import Path
from typing import Any

from aitui.core.errors import AituiError
from aitui.core.sockets import check_socket_owner

#: How long a plain request may take (a wait asks for its own, longer, timeout).
REQUEST_TIMEOUT_S = 60.0


class ServerDownError(AituiError):
    """No server answers on the socket (and none was to be started, or it could not be)."""


class ApiRequestError(AituiError):
    """The server answered with an error: its HTTP status, stable code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)  # a loopback Host, as the guard wants
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect(str(self._path))
        except BaseException:
            sock.close()
            raise
        self.sock = sock


class ApiClient:
    """Requests to the server on ``sock``; ``start``: start one first if none answers."""

    def __init__(self, sock: Path, *, start: bool = True) -> None:
        self.sock = sock
        self.start = start
        self.started = False  # whether this client started the server

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        timeout: float = REQUEST_TIMEOUT_S,
    ) -> dict[str, Any]:
        """The JSON reply; ``ApiRequestError`` for an error reply, ``ServerDownError`` when
        no server answers (``SocketDirError`` for an unsafe socket)."""
        connection = self._connect(timeout)
        try:
            payload = json.dumps(body).encode() if body is not None else None
            headers = {"Content-Type": "application/json"} if payload is not None else {}
            try:
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (ConnectionError, http.client.HTTPException) as exc:
                raise ServerDownError(f"the server on {self.sock} went away: {exc}") from None
        finally:
            connection.close()
        try:
            reply = json.loads(data) if data else {}
        except ValueError:
            raise ApiRequestError(response.status, "BAD_REPLY", data[:200].decode()) from None
        if response.status >= 400:
            message = reply.get("error") if isinstance(reply, dict) else None
            code = reply.get("code") if isinstance(reply, dict) else None
            raise ApiRequestError(
                response.status, str(code or response.status), str(message or response.reason)
            )
        if not isinstance(reply, dict):
            raise ApiRequestError(response.status, "BAD_REPLY", "the reply is not an object")
        return reply

    def _connect(self, timeout: float) -> _UnixConnection:
        try:
            return self._open(timeout)
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            if not self.start:
                raise ServerDownError(f"no server running on {self.sock}") from exc
        from aitui.client.spawn import ServerStartError, start_server

        try:
            start_server(self.sock)
            self.started = True
        except ServerStartError as failed:
            # Another client may have started one at the same moment: its server will do.
            try:
                return self._open(timeout)
            except (FileNotFoundError, ConnectionRefusedError):
                raise failed from None
        except OSError as exc:  # its log cannot be written, say
            raise ServerStartError(f"the aitui server could not be started: {exc}") from None
        try:
            return self._open(timeout)
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            raise ServerDownError(f"the server started on {self.sock} does not answer") from exc

    def _open(self, timeout: float) -> _UnixConnection:
        if self.sock.exists() or self.sock.is_symlink():
            check_socket_owner(self.sock)
        connection = _UnixConnection(self.sock, timeout)
        connection.connect()
        return connection
