"""Errors of the coordination layer; all derive from ``AituiError`` so callers catch one type.

Each message names the agent, message or task involved, because the person reading it (in the
dashboard, an HTTP response, a log) has to know *which* of many agents is concerned.
"""

from __future__ import annotations

from aitui.core.errors import AituiError


class CoordinationError(AituiError):
    """Base class of every error raised by ``aitui.core.agents``."""


class UnknownAgentError(CoordinationError, KeyError):
    """No agent with that id is registered."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else "unknown agent"


class AgentExistsError(CoordinationError):
    """An agent with that id is already registered."""


class InboxFullError(CoordinationError):
    """The recipient's inbox is at capacity; the message was *not* accepted (nothing is lost:
    the caller still holds it and may retry once the recipient has drained its inbox)."""


class MessageError(CoordinationError, ValueError):
    """A message is malformed (payload not JSON, sender mismatch, duplicate id...)."""


class AckError(CoordinationError):
    """An acknowledgement names a message the agent has not received (or already acked)."""


class ReceiveTimeoutError(CoordinationError, TimeoutError):
    """``receive`` saw no message within its timeout."""


class InboxClosedError(CoordinationError):
    """The agent was unregistered (or the coordinator closed) while someone waited on it."""


class TaskNotFoundError(CoordinationError, KeyError):
    """No task has that id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "task not found"


class TaskStateError(CoordinationError):
    """The task is not in a state that allows the requested transition."""


class StoreError(CoordinationError):
    """The SQLite store could not be opened or written."""
