"""Bearer-token authentication, as a plain ASGI middleware.

A plain middleware rather than a FastAPI dependency so that no route can be added without it
and so an unauthenticated request is refused before its body is read. The token is compared with
``hmac.compare_digest`` on bytes, in constant time, so response timing does not leak how much of
a guess was right. ``GET /health`` (and ``/``) stay open: liveness probes carry no secrets and the
response reveals nothing but the version.
"""

from __future__ import annotations

import hmac
import ipaddress
import json

from starlette.types import ASGIApp, Receive, Scope, Send

#: Paths served without a token.
OPEN_PATHS = frozenset({"/health", "/"})
#: Shorter tokens are refused at start-up: they could be guessed.
MIN_TOKEN_LENGTH = 16


class TokenError(ValueError):
    """The server cannot start with this token / address combination."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` can only mean this machine: to bind, or as a request's ``Host``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def check_bind(host: str, token: str | None) -> None:
    """Refuse a non-loopback bind without a token, and any too-short token."""
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise TokenError(f"the token must be at least {MIN_TOKEN_LENGTH} characters long")
    if token is None and not is_loopback(host):
        raise TokenError(
            f"refusing to listen on {host} without a token: anyone who can reach it could run "
            "commands as you. Pass --token TOKEN (or set AITUI_TOKEN), or bind 127.0.0.1."
        )


class TokenAuth:
    """Require ``Authorization: Bearer <token>`` on every HTTP request but the open paths."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        supplied = b""
        for key, value in scope["headers"]:
            if key == b"authorization":
                supplied = value
                break
        if hmac.compare_digest(supplied, self._expected):
            await self.app(scope, receive, send)
            return
        body = json.dumps(
            {"error": "missing or invalid bearer token", "code": "UNAUTHORIZED"}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b'Bearer realm="aitui"'),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
