"""Small value types of the public API: ids, statuses, execution results."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aitui.core.compress.parse import ParsedOutput


@dataclass(frozen=True, order=True)
class SessionId:
    """A session's identity: a UUID, printed and parsed in its canonical text form."""

    value: uuid.UUID = field(default_factory=uuid.uuid4)

    @classmethod
    def new(cls) -> SessionId:
        return cls(uuid.uuid4())

    @classmethod
    def parse_str(cls, text: str) -> SessionId:
        """Parse ``550e8400-e29b-41d4-a716-446655440000``; ``ValueError`` names the bad text."""
        try:
            return cls(uuid.UUID(str(text)))
        except ValueError:
            raise ValueError(f"not a session id (expected a UUID): {text!r}") from None

    def __str__(self) -> str:
        return str(self.value)


class SessionStatus(StrEnum):
    """Life cycle of a session; the values are the reference's status strings."""

    INITIALIZING = "Initializing"
    RUNNING = "Running"
    PAUSED = "Paused"
    TERMINATED = "Terminated"
    ERROR = "Error"

    def __str__(self) -> str:
        return self.value


@dataclass
class ExecResult:
    """What ``AISession.execute`` learned about one command.

    ``output`` is the text the command printed (no echo, no prompt, ``\\n`` line endings, ANSI
    removed); ``raw_output`` the bytes exactly as the terminal received them.
    """

    command: str
    success: bool
    output: str
    exit_code: int | None
    execution_time_ms: float
    timed_out: bool = False
    truncated: bool = False
    raw_output: bytes = b""
    #: Why the command could not complete normally (timeout, shell exited...), else ``None``.
    error: str | None = None
    #: The output compressed for an AI's context (``SessionConfig.compress_output``).
    compressed_output: str | None = None
    #: The output parsed (``SessionConfig.parse_output``): kind, errors, summary, locations.
    parsed: ParsedOutput | None = None
