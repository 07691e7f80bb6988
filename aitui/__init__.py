"""aitui: run and watch many AI coding agents at once.

The public API is the headless core's; see ``aitui.core``.
"""

from aitui.__about__ import __version__
from aitui.core import (
    AISession,
    AituiError,
    CompressionStrategy,
    ConfigError,
    ContextConfig,
    ExecResult,
    ExecuteError,
    ExpectTimeoutError,
    HistoryMode,
    SessionConfig,
    SessionError,
    SessionExistsError,
    SessionId,
    SessionManager,
    SessionNotFoundError,
    SessionNotRunningError,
    SessionStatus,
    SpawnError,
)

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
