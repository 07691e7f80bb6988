"""The API's error answer, ``{"error": sentence, "code": CODE}`` (``models.ErrorBody``).

A plain Starlette response, so that what answers before FastAPI is loaded (the middleware,
the server's deferred API) answers in the same shape as the routes (``errors.py`` maps
exceptions onto it).
"""

from __future__ import annotations

from starlette.responses import JSONResponse


def error_response(status: int, code: str, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message, "code": code}, status_code=status, headers=headers)
