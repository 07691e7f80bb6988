"""Identities of agents and tasks: UUIDs with a readable text form.

``AgentId.system()`` is the nil UUID: a fixed, well-known sender for messages the coordinator
itself emits (task assignments), so it survives restarts and never collides with a real agent.

Agent ids are dictionary keys on every send, and ``uuid.UUID`` hashes and compares in Python
code; so ids keep the UUID's integer and compare and hash on that (a C-level int operation).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

_NIL = uuid.UUID(int=0)
#: Namespace of :meth:`AgentId.for_name` ids (a fixed random UUID: never change it, or agents
#: lose the messages and tasks persisted under their old ids).
_NAMES = uuid.UUID("6f1d2c3a-9b0e-4e57-8a5d-2f4c1b7e9a10")


@dataclass(frozen=True, slots=True, eq=False)
class _UuidKey:
    value: uuid.UUID = field(default_factory=uuid.uuid4)
    _int: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_int", self.value.int)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._int == self._int

    def __hash__(self) -> int:
        return hash(self._int)

    def __lt__(self, other: Any) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._int < other._int)

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True, slots=True, eq=False)
class AgentId(_UuidKey):
    """An agent's identity. Persisted as text, so keep it to re-attach an agent after restart."""

    @classmethod
    def new(cls) -> AgentId:
        return cls(uuid.uuid4())

    @classmethod
    def system(cls) -> AgentId:
        return cls(_NIL)

    @classmethod
    def for_name(cls, name: str) -> AgentId:
        """The same id for the same session name, in every run (a name-based UUID): the
        dashboard and the HTTP server make their sessions agents by name, and a persisted
        message or task can only find its agent again after a restart if the id is stable."""
        return cls(uuid.uuid5(_NAMES, f"session:{name}"))

    @property
    def is_system(self) -> bool:
        return self._int == 0

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
        return "system" if self._int == 0 else str(self.value)


@dataclass(frozen=True, slots=True, eq=False)
class TaskId(_UuidKey):
    """A task's identity (a UUID)."""

    @classmethod
    def new(cls) -> TaskId:
        return cls(uuid.uuid4())

    @classmethod
    def parse_str(cls, text: str) -> TaskId:
        try:
            return cls(uuid.UUID(str(text)))
        except ValueError:
            raise ValueError(f"not a task id (expected a UUID): {text!r}") from None
