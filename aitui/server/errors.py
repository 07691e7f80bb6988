"""Errors as JSON ``{error, code}`` with the right HTTP status, never a traceback.

Route code raises :class:`ApiError` or lets a core error escape; the handlers installed by
:func:`install_handlers` turn both into the reference's error body. Anything unexpected becomes a
plain 500 whose body says nothing about the internals; the traceback goes to the log only.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from aitui.core.agent_desk import NotYourTaskError
from aitui.core.agents import (
    AckError,
    AgentExistsError,
    CoordinationError,
    InboxFullError,
    MessageError,
    TaskNotFoundError,
    TaskStateError,
    UnknownAgentError,
)
from aitui.core.autoaccept import AutoAcceptConfigError
from aitui.core.errors import (
    AlreadyRecordingError,
    ConfigError,
    ExecuteError,
    InvalidNameError,
    RecordingUnwritableError,
    SessionExistsError,
    SessionNotFoundError,
    SessionNotRunningError,
    SpawnError,
)
from aitui.core.host_agents import HookRefused, NotAnAgentError, NotAskingError
from aitui.server.models import ErrorBody
from aitui.server.responses import error_response

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the client caused or must know about, with its status and stable code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


#: Core errors and the (status, code) each maps to; the first matching class wins.
_CORE_ERRORS: tuple[tuple[type[Exception], int, str], ...] = (
    (UnknownAgentError, 404, "AGENT_NOT_FOUND"),
    (TaskNotFoundError, 404, "TASK_NOT_FOUND"),
    (AgentExistsError, 409, "AGENT_EXISTS"),
    (InboxFullError, 429, "INBOX_FULL"),
    (MessageError, 400, "INVALID_MESSAGE"),
    (AckError, 409, "NOT_DELIVERED"),
    (TaskStateError, 409, "TASK_STATE"),
    (CoordinationError, 409, "COORDINATION_ERROR"),
    (HookRefused, 403, "HOOK_REFUSED"),
    (NotYourTaskError, 409, "NOT_YOUR_TASK"),
    (NotAnAgentError, 409, "NOT_AN_AGENT"),
    (NotAskingError, 409, "NOT_ASKING"),
    (AutoAcceptConfigError, 400, "INVALID_AUTO_ACCEPT"),
    (SessionNotFoundError, 404, "SESSION_NOT_FOUND"),
    (SessionExistsError, 409, "SESSION_EXISTS"),
    (InvalidNameError, 400, "INVALID_NAME"),
    (SessionNotRunningError, 409, "SESSION_NOT_RUNNING"),
    (AlreadyRecordingError, 409, "ALREADY_RECORDING"),
    (RecordingUnwritableError, 507, "RECORDING_UNWRITABLE"),
    (ExecuteError, 409, "EXECUTE_UNAVAILABLE"),
    (ConfigError, 400, "INVALID_CONFIG"),
    (SpawnError, 400, "SPAWN_FAILED"),
)

_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "TOO_MANY_REQUESTS",
}


#: pydantic's error types said in a few words (its own messages, "List should have at most
#: 256 items after validation, not 2000", reached ``aitui keys`` users as they were); a type
#: not listed keeps pydantic's message.
_PLAIN: dict[str, str] = {
    "missing": "missing",
    "extra_forbidden": "not a field of this request",
    "string_too_long": "at most {max_length} characters",
    "string_too_short": "at least {min_length} characters",
    "too_long": "at most {max_length} items",
    "too_short": "at least {min_length} items",
    "less_than_equal": "at most {le}",
    "less_than": "less than {lt}",
    "greater_than_equal": "at least {ge}",
    "greater_than": "more than {gt}",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "string_type": "a string",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
}


def _plain(problem: Any) -> str:
    words = _PLAIN.get(problem.get("type", ""))
    try:
        return words.format(**problem.get("ctx", {})) if words else str(problem["msg"])
    except (KeyError, IndexError):
        return str(problem.get("msg", "invalid"))


def _describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for problem in exc.errors()[:5]:
        where = ".".join(str(p) for p in problem.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {_plain(problem)}")
    return "invalid request: " + "; ".join(parts)


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, "INVALID_REQUEST", _describe_validation(exc))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
    headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() != "allow"}
    if exc.status_code == 405:
        headers["allow"] = _allowed_methods(request)
    if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
        # FastAPI's answer to a body that is not UTF-8: as for any other non-JSON body, 422.
        return error_response(422, "INVALID_REQUEST", "invalid request: the body is not JSON")
    return error_response(exc.status_code, code, str(exc.detail), **headers)


def _allowed_methods(request: Request) -> str:
    """The methods the schema documents for this path (Starlette names only one route's)."""
    table: list[tuple[re.Pattern[str], str]] | None = getattr(request.app.state, "allow", None)
    if table is None:
        table = []
        for path, operations in request.app.openapi().get("paths", {}).items():
            parts = re.split(r"\{[^/}]+\}", path)
            regex = re.compile("^" + "[^/]+".join(re.escape(p) for p in parts) + "$")
            table.append((regex, ", ".join(sorted(m.upper() for m in operations))))
        request.app.state.allow = table
    for regex, methods in table:
        if regex.match(request.url.path):
            return methods
    # Not in the schema (the MCP endpoints): the methods of the routes on this exact path.
    routes = [r for r in request.app.router.routes if getattr(r, "path", None) == request.url.path]
    return ", ".join(sorted({m for r in routes for m in getattr(r, "methods", None) or ()}))


async def _core_error(_: Request, exc: Exception) -> JSONResponse:
    for kind, status, code in _CORE_ERRORS:
        if isinstance(exc, kind):
            return error_response(status, code, str(exc))
    return await _unexpected(_, exc)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(500, "INTERNAL_ERROR", "internal server error (see the server log)")


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    for kind, _status, _code in _CORE_ERRORS:
        app.add_exception_handler(kind, _core_error)
    app.add_exception_handler(Exception, _unexpected)


#: The type FastAPI expects for a route's extra ``responses``.
Responses = dict[int | str, dict[str, Any]]


def doc(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


#: OpenAPI ``responses`` entries shared by the routes, so the schema lists every error body.
AUTH: Responses = {401: doc("Missing or wrong bearer token (when the server has one)")}
#: Every route (the app declares it): what ``origin.OriginGuard`` refuses.
GUARDED: Responses = {
    403: doc("A Host other than loopback without a token, or an Origin of another site")
}
#: Every POST: it takes a JSON body, ``{}`` when it has nothing to say.
BODY: Responses = {
    408: doc("The body did not arrive in time"),
    413: doc("Request body too large"),
    415: doc("The request does not say Content-Type: application/json"),
    422: doc("Body is not valid JSON or a field is missing or out of range"),
}
NOT_FOUND: Responses = {404: doc("No session has that name (or id)")}
NOT_RUNNING: Responses = {409: doc("The session's shell is not running")}
