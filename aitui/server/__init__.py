"""The HTTP API of aitui (the ai-session reference's endpoints), on FastAPI and uvicorn.

``create_app(manager, token)`` builds the app over a ``SessionManager``; ``serve(app, host,
port)`` runs it, standalone or inside a running event loop (the dashboard's). The full schema is
at ``/openapi.json``. No web page can use the API (``origin.py``): every POST takes a JSON body.

The reference's endpoints, with its shapes: ``GET /health``, ``POST /sessions``,
``GET /sessions``, ``GET|DELETE /sessions/{name}``, ``POST /sessions/{name}/execute`` (plus
``exit_code``, ``timed_out``, ``truncated``), ``GET /sessions/{name}/status`` (plus ``pid``,
``exit_code``), ``GET /sessions/{name}/output`` (plus ``?since=``, ``position``, ``lost_bytes``).

Additions: ``POST /sessions/{name}/input`` (raw keys), ``GET /sessions/{name}/screen``,
``POST /sessions/{name}/resize``, ``GET /sessions/{name}/stream`` (server-sent events),
``POST|GET|DELETE /sessions/{name}/recording``,
``GET /sessions/{name}/context``, ``GET /sessions/{name}/stats``, ``GET /stats``,
``GET|POST /agents``, ``DELETE /agents/{agent}``, ``GET /agents/{agent}/messages`` (what it
holds), ``POST /agents/{agent}/messages/receive`` (take them),
``POST /agents/{agent}/messages/{id}/ack``, ``GET|POST /messages``,
``POST /messages/broadcast``, ``GET|POST /tasks``, ``GET /tasks/{id}``,
``POST /tasks/{id}/{start|complete|fail|cancel|retry}``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aitui.server.app import create_app
    from aitui.server.auth import TokenError, check_bind
    from aitui.server.limits import Limits
    from aitui.server.runner import serve

__all__ = ["Limits", "TokenError", "check_bind", "create_app", "serve"]

#: Loaded on first use (PEP 562): importing the package must not pull in FastAPI, so that
#: ``aitui --help`` and ``aitui compress`` start fast.
_WHERE = {
    "create_app": "aitui.server.app",
    "TokenError": "aitui.server.auth",
    "check_bind": "aitui.server.auth",
    "Limits": "aitui.server.limits",
    "serve": "aitui.server.runner",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'aitui.server' has no attribute {name!r}")
