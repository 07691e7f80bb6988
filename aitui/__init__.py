"""aitui: run and watch many AI coding agents at once.

The public API is the headless core's; see ``aitui.core``. Its names load on first use, as
``aitui.core``'s do, so that importing any part of aitui does not load the whole engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aitui.__about__ import __version__

if TYPE_CHECKING:
    from aitui.core.config import CompressionStrategy, ContextConfig, HistoryMode, SessionConfig
    from aitui.core.errors import (
        AituiError,
        ConfigError,
        ExecuteError,
        ExpectTimeoutError,
        SessionError,
        SessionExistsError,
        SessionNotFoundError,
        SessionNotRunningError,
        SpawnError,
    )
    from aitui.core.manager import SessionManager
    from aitui.core.session import AISession
    from aitui.core.types import ExecResult, SessionId, SessionStatus

__all__ = [
    "AISession",
    "AituiError",
    "CompressionStrategy",
    "ConfigError",
    "ContextConfig",
    "ExecResult",
    "ExecuteError",
    "ExpectTimeoutError",
    "HistoryMode",
    "SessionConfig",
    "SessionError",
    "SessionExistsError",
    "SessionId",
    "SessionManager",
    "SessionNotFoundError",
    "SessionNotRunningError",
    "SessionStatus",
    "SpawnError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import aitui.core

        return getattr(aitui.core, name)
    raise AttributeError(f"module 'aitui' has no attribute {name!r}")
