"""The headless engine of aitui: PTY sessions, terminal emulation, context and coordination.

Nothing here imports Textual (an import-linter contract and a test enforce it), so the HTTP
server, the CLI and scripts can use the engine without the dashboard.

The names below load on first use (PEP 562): a module of the engine (the wire protocol a
dashboard speaks, say) can be imported without loading sessions, the tokenizer and the
compressors, which made every client start 0.3 s slower.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not ``typing``'s: importing ``aitui`` loads as little as it can

if TYPE_CHECKING:
    from typing import Any

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

_WHERE = {
    "AISession": "aitui.core.session",
    "AituiError": "aitui.core.errors",
    "CompressionStrategy": "aitui.core.config",
    "ConfigError": "aitui.core.errors",
    "ContextConfig": "aitui.core.config",
    "ExecResult": "aitui.core.types",
    "ExecuteError": "aitui.core.errors",
    "ExpectTimeoutError": "aitui.core.errors",
    "HistoryMode": "aitui.core.config",
    "SessionConfig": "aitui.core.config",
    "SessionError": "aitui.core.errors",
    "SessionExistsError": "aitui.core.errors",
    "SessionId": "aitui.core.types",
    "SessionManager": "aitui.core.manager",
    "SessionNotFoundError": "aitui.core.errors",
    "SessionNotRunningError": "aitui.core.errors",
    "SessionStatus": "aitui.core.types",
    "SpawnError": "aitui.core.errors",
}

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


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'aitui.core' has no attribute {name!r}")
