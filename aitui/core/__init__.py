"""The headless engine of aitui: PTY sessions, terminal emulation, context and coordination.

Nothing here imports Textual (an import-linter contract and a test enforce it), so the HTTP
server, the CLI and scripts can use the engine without the dashboard.
"""

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
]
