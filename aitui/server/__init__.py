"""The HTTP API of aitui (the ai-session reference's endpoints), on FastAPI and uvicorn.

``create_app(manager, token)`` builds the app over a ``SessionManager``; ``serve(app, host,
port)`` runs it, standalone or inside a running event loop (the dashboard's).
"""

from aitui.server.app import create_app
from aitui.server.auth import TokenError, check_bind
from aitui.server.limits import Limits
from aitui.server.runner import serve

__all__ = ["Limits", "TokenError", "check_bind", "create_app", "serve"]
