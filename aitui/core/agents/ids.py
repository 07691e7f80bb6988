"""Identities of agents and tasks: UUIDs with a readable text form.

``AgentId.system()`` is the nil UUID: a fixed, well-known sender for messages the coordinator
itself emits (task assignments), so it survives restarts and never collides with a real agent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

_NIL = uuid.UUID(int=0)


@dataclass(frozen=True, order=True, slots=True)
class AgentId:
    """An agent's identity. Persisted as text, so keep it to re-attach an agent after restart."""

    value: uuid.UUID = field(default_factory=uuid.uuid4)

    @classmethod
    def new(cls) -> AgentId:
        return cls(uuid.uuid4())

    @classmethod
    def system(cls) -> AgentId:
        return cls(_NIL)

    @property
    def is_system(self) -> bool:
        return self.value == _NIL

    @classmethod
    def parse_str(cls, text: str) -> AgentId:
        """Parse the canonical UUID text (or ``system``); ``ValueError`` names the bad text."""
        if text == "system":
            return cls.system()
        try:
            return cls(uuid.UUID(str(text)))
        except ValueError:
            raise ValueError(f"not an agent id (expected a UUID): {text!r}") from None

    def __str__(self) -> str:
        return "system" if self.value == _NIL else str(self.value)


@dataclass(frozen=True, order=True, slots=True)
class TaskId:
    """A task's identity (a UUID)."""

    value: uuid.UUID = field(default_factory=uuid.uuid4)

    @classmethod
    def new(cls) -> TaskId:
        return cls(uuid.uuid4())

    @classmethod
    def parse_str(cls, text: str) -> TaskId:
        try:
            return cls(uuid.UUID(str(text)))
        except ValueError:
            raise ValueError(f"not a task id (expected a UUID): {text!r}") from None

    def __str__(self) -> str:
        return str(self.value)
