"""What a web page in a browser may make this server do: nothing. One ASGI middleware.

A server on 127.0.0.1 is still reachable from every web page the user opens. Two ways in, and
the three checks that close them, in this order, for every HTTP (and WebSocket) request:

1. **DNS rebinding.** A page at ``http://attacker.example:3000`` re-points its own name at
   127.0.0.1; the browser then treats this server as that page's origin and reads every answer.
   The request still says ``Host: attacker.example:3000``, so without a token only loopback
   ``Host`` values are answered (``localhost``, 127.0.0.0/8, ``[::1]``, any port, plus the names
   given with ``--allowed-host``). With a token the ``Host`` is not checked: a browser never adds
   a bearer token by itself (it is not a cookie), so a rebinding page gets 401 anyway, and a
   server on 0.0.0.0 must answer to whatever name or address its users reach it by.
2. **Cross-origin requests.** A page on any site can *send* requests to 127.0.0.1 even though
   it cannot read the answers, and a browser names the page in ``Origin``. An ``Origin`` other
   than this server's own (the request's ``Host``, default ports filled in) gets 403, ``null``
   included. Clients that are not browsers send no ``Origin`` and are not affected.
3. **Simple requests.** Where a browser sends no ``Origin`` (older ones do not on every
   request) it still cannot, without asking first (a CORS preflight, which is never approved
   here), send a request that is not "simple", such as a ``POST`` saying ``Content-Type:
   application/json``. So every ``POST`` must say so (415 otherwise, before anything is read):
   FastAPI reads a body with no ``Content-Type`` as JSON, so ``execute`` was one such request
   away. Every ``POST`` route also requires a JSON body (``{}`` when there is nothing to say),
   because a schema cannot require the header of a body-less request: clients built from the
   schema then send it. ``DELETE`` is never simple; ``GET`` routes change nothing (taking an
   inbox's messages is a ``POST``). A ``POST`` to a path without one gets its 404 or 405.

On a Unix socket (the ASGI scope's ``server`` is ``[path, None]``) ``Host`` is whatever the
client wrote and the socket's file permissions are the protection, so check 1 is skipped there;
an unknown transport (``server`` is ``None``) is checked like TCP.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from aitui.server.auth import is_loopback
from aitui.server.responses import error_response

DEFAULT_PORTS = {"http": 80, "https": 443}
#: A WebSocket's scope says ``ws``/``wss``; its page's ``Origin`` says ``http``/``https``.
PAGE_SCHEMES = {"ws": "http", "wss": "https"}
#: How much of a refused header the error repeats.
SHOWN = 100


def split_host(value: str, default_port: int) -> tuple[str, int] | None:
    """``("example.com", 3000)`` from ``example.com:3000``, ``("::1", 80)`` from ``[::1]``;
    lower-cased; ``None`` if ``value`` is not a host with an optional port."""
    value = value.strip().lower()
    if value.startswith("["):
        host, bracket, after = value[1:].partition("]")
        if not bracket or ":" not in host or (after and not after.startswith(":")):
            return None
        has_port, port = bool(after), after[1:]
    elif value.count(":") > 1:
        return None  # an IPv6 address without brackets
    else:
        host, colon, port = value.partition(":")
        has_port = bool(colon)
    if not host or (has_port and not (port.isascii() and port.isdigit())):
        return None
    return host, int(port) if has_port else default_port


class OriginGuard:
    """Refuse rebinding ``Host`` values, foreign ``Origin`` values and simple ``POST``s."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        check_host: bool,
        routes: Sequence[BaseRoute],
        allowed_hosts: Iterable[str] = (),
    ) -> None:
        """``routes`` are the app's: a POST to a path that takes none gets its 404 or 405."""
        self.app = app
        self.check_host = check_host
        self.routes = routes
        self.allowed_hosts = frozenset(h.strip().lower().strip("[]") for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope)
        if refusal is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # before accept: HTTP 403
        else:
            await error_response(*refusal)(scope, receive, send)

    def refusal(self, scope: Scope) -> tuple[int, str, str] | None:
        """``(status, code, message)`` of the refusal, or ``None`` to let the request in."""
        headers: dict[bytes, bytes] = {}
        for key, value in scope["headers"]:
            headers.setdefault(key, value)
        scheme = str(scope.get("scheme", "http"))
        scheme = PAGE_SCHEMES.get(scheme, scheme)
        raw_host = headers.get(b"host", b"").decode("latin-1")
        host = split_host(raw_host, DEFAULT_PORTS.get(scheme, 80))
        if self.check_host and _is_tcp(scope) and not self._allowed(host):
            return (
                403,
                "HOST_NOT_ALLOWED",
                f"Host {raw_host[:SHOWN]!r} is not allowed: without a token this server answers "
                "only to localhost, 127.0.0.0/8 and [::1], so that a web page cannot reach it by "
                "DNS rebinding (start it with --allowed-host NAME to add a name, or --token)",
            )
        origin = headers.get(b"origin")
        if origin is not None and not _same_origin(origin.decode("latin-1"), scheme, host):
            shown = origin.decode("latin-1")[:SHOWN]
            return (
                403,
                "ORIGIN_NOT_ALLOWED",
                f"cross-origin request refused (Origin {shown!r}): web pages of other sites "
                "may not use this API",
            )
        if scope["type"] == "http" and scope["method"] == "POST":
            media_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            if media_type != b"application/json" and self._is_route(scope):
                return (
                    415,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "a POST needs 'Content-Type: application/json' and a JSON body ({} when "
                    "there is nothing to send), so that no web page can send it unasked",
                )
        return None

    def _is_route(self, scope: Scope) -> bool:
        return any(route.matches(scope)[0] is Match.FULL for route in self.routes)

    def _allowed(self, host: tuple[str, int] | None) -> bool:
        return host is not None and (is_loopback(host[0]) or host[0] in self.allowed_hosts)


def _is_tcp(scope: Scope) -> bool:
    """False on a Unix socket, whose ASGI ``server`` is ``[path, None]``."""
    server = scope.get("server")
    return server is None or server[1] is not None


def _same_origin(origin: str, scheme: str, host: tuple[str, int] | None) -> bool:
    """Whether ``Origin`` names the site the request was sent to: its scheme and ``Host``."""
    origin_scheme, sep, rest = origin.strip().lower().partition("://")
    if not sep or origin_scheme != scheme or host is None or "/" in rest:
        return False  # "null", another scheme, or not a URL origin
    return split_host(rest, DEFAULT_PORTS.get(scheme, 80)) == host
