"""A line on stdin that is not JSON-RPC gets JSON-RPC's error back (-32700, -32600).

The SDK's stdio transport hands such a line to the server as an exception, which the server
logs at debug level and drops: a person or a client that sent one waited for an answer that
never came. JSON-RPC 2.0 says a message that cannot be parsed is answered with a parse error
(or, for JSON that is no request, an invalid-request error) whose id is null; this read stream
does that and goes on with the next line.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage
from pydantic import ValidationError

#: How much of the SDK's complaint the answer quotes (a 1 MB line makes a long one).
REASON_CHARS = 300


def parse_error(exc: Exception) -> SessionMessage:
    """JSON-RPC's answer to a line the transport could not read: -32700 with the parser's
    words when it is not JSON, -32600 when it is JSON but no JSON-RPC 2.0 message."""
    problems = exc.errors() if isinstance(exc, ValidationError) else []
    if problems and problems[0]["type"] == "json_invalid":
        code, message = types.PARSE_ERROR, str(problems[0]["msg"])
    elif problems:
        code, message = types.INVALID_REQUEST, "not a JSON-RPC 2.0 request, notification or reply"
    else:
        code, message = types.PARSE_ERROR, str(exc) or type(exc).__name__
    return SessionMessage(
        types.JSONRPCError(
            jsonrpc="2.0",
            id=None,
            error=types.ErrorData(code=code, message=message[:REASON_CHARS]),
        )
    )


class AnsweringParseErrors:
    """The transport's read stream, with the lines that were not messages answered on
    ``write`` instead of handed on."""

    def __init__(self, inner: Any, write: Any) -> None:
        self._inner = inner
        self._write = write

    @property
    def last_context(self) -> Any:
        """The sender's context, which the SDK reads from its own streams when they have it."""
        return getattr(self._inner, "last_context", None)

    async def receive(self) -> SessionMessage | Exception:
        while True:
            item = await self._inner.receive()
            if not isinstance(item, Exception):
                return item  # type: ignore[no-any-return]
            await self._write.send(parse_error(item))

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> SessionMessage | Exception:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> bool | None:
        await self.aclose()
        return None
