"""Tasks, their priorities and states, and the record the distributor keeps of each.

States move pending → assigned → running → done | failed, and anything not finished may be
cancelled. Nothing becomes ``done`` by itself (an agent going quiet is not success): only
``complete_task`` does that.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from aitui.core.agents.ids import AgentId, TaskId
from aitui.core.agents.messages import check_json, member


class TaskPriority(StrEnum):
    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"
    CRITICAL = "Critical"

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"Low": 0, "Medium": 1, "High": 2, "Critical": 3}


class TaskState(StrEnum):
    PENDING = "pending"
    ASSIGNED = "assigned"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (TaskState.DONE, TaskState.FAILED, TaskState.CANCELLED)

    @property
    def in_hand(self) -> bool:
        """Counts toward the agent's load."""
        return self in (TaskState.ASSIGNED, TaskState.RUNNING)


@dataclass(frozen=True)
class Task:
    """A unit of work. ``requirements`` are capabilities the agent must *all* have;
    ``dependencies`` are tasks that must be done first."""

    description: str
    requirements: Sequence[str] = ()
    priority: TaskPriority = TaskPriority.MEDIUM
    estimated_effort: timedelta = timedelta(0)
    metadata: Any = None
    dependencies: Sequence[TaskId] = ()
    id: TaskId = field(default_factory=TaskId.new)

    def __post_init__(self) -> None:
        object.__setattr__(self, "priority", member(TaskPriority, self.priority, "priority"))
        object.__setattr__(self, "requirements", tuple(self.requirements))
        object.__setattr__(self, "dependencies", tuple(self.dependencies))
        if self.estimated_effort < timedelta(0):
            raise ValueError(f"task {self.id}: estimated_effort must be >= 0")
        check_json(self.metadata, "metadata of task ", self.id)

    def to_json(self) -> dict[str, Any]:
        """The TaskAssignment message payload (and the persisted form)."""
        return {
            "id": str(self.id),
            "description": self.description,
            "requirements": list(self.requirements),
            "priority": self.priority.value,
            "estimated_effort_s": self.estimated_effort.total_seconds(),
            "metadata": self.metadata,
            "dependencies": [str(d) for d in self.dependencies],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Task:
        return cls(
            id=TaskId.parse_str(data["id"]),
            description=data["description"],
            requirements=data["requirements"],
            priority=TaskPriority(data["priority"]),
            estimated_effort=timedelta(seconds=data["estimated_effort_s"]),
            metadata=data["metadata"],
            dependencies=[TaskId.parse_str(d) for d in data["dependencies"]],
        )


@dataclass(frozen=True)
class Assignment:
    task: Task
    agent_id: AgentId


@dataclass(frozen=True)
class TaskInfo:
    """A snapshot of one task for observers: its state, agent, and why it waits or failed."""

    task: Task
    state: TaskState
    agent_id: AgentId | None = None
    #: Why a pending task is not assigned (None once assigned).
    reason: str | None = None
    result: Any = None
    error: str | None = None

    def to_row(self, seq: int) -> dict[str, Any]:
        return {
            "id": str(self.task.id),
            "seq": seq,
            "body": json.dumps(self.task.to_json()),
            "state": self.state.value,
            "agent": None if self.agent_id is None else str(self.agent_id),
            "reason": self.reason,
            "result": json.dumps(self.result),
            "error": self.error,
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TaskInfo:
        return cls(
            task=Task.from_json(json.loads(row["body"])),
            state=TaskState(row["state"]),
            agent_id=None if row["agent"] is None else AgentId.parse_str(row["agent"]),
            reason=row["reason"],
            result=json.loads(row["result"]) if row["result"] is not None else None,
            error=row["error"],
        )
