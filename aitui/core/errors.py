"""Errors raised by the core engine.

Every error carries a message a user can act on (it names the path, the shell, the session...).
``AituiError`` is the common base so callers (CLI, HTTP API, dashboard) can catch one type.
"""

from __future__ import annotations


class AituiError(Exception):
    """Base class of every error the core raises on purpose."""


class ConfigError(AituiError, ValueError):
    """A configuration value is invalid (bad size, missing directory, unknown shell...)."""


class SessionError(AituiError):
    """An operation on a session failed."""


class SessionNotFoundError(SessionError, KeyError):
    """No session has that id or name."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else "session not found"


class SessionExistsError(SessionError):
    """A session with that name already exists."""


class InvalidNameError(SessionError, ValueError):
    """A session name that breaks the rule in ``aitui.core.names``."""


class SessionNotRunningError(SessionError):
    """The session is not running (never started, stopped, or its program exited)."""


class AlreadyRecordingError(SessionError):
    """The session is being recorded already (one recording at a time)."""


class RecordingUnwritableError(SessionError):
    """The recording's file cannot be created or written."""


class SpawnError(SessionError):
    """The session's program could not be started."""


class ExecuteError(SessionError):
    """``execute`` cannot run a command in this session (e.g. it does not run a shell)."""


class ExpectTimeoutError(SessionError, TimeoutError):
    """``expect`` did not see its pattern in time; the message shows the last screen lines."""
