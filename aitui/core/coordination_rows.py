"""The rows the agent-messages and task-queue panels show: plain values, nothing live.

They live apart from ``aitui.core.coordination``, which builds them, because whoever only shows
them (an attached dashboard, the wire protocol, ``aitui.core.hosting``) must not load the bus
and the SQLite store behind it: about 3 MB and 20 ms of the dashboard's start-up
(docs/benchmarks.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MessageRow:
    key: str
    time: str
    sender: str
    recipient: str  # a name, or "3 agents" for a broadcast (``recipients`` names them)
    kind: str
    priority: str
    state: str
    payload: object
    recipients: tuple[str, ...] = ()
    text: str = ""  # what it says, on one line


@dataclass(frozen=True)
class TaskRow:
    description: str
    state: str
    agent: str | None  # who holds it, or held it when it finished
    priority: str
    reason: str | None  # why it waits (pending, orphaned) or was cancelled
    #: The agent's session that submitted it (None: from the dashboard or the HTTP API).
    submitted_by: str | None = None
    #: How it ended, on one line: a done task's summary, a failed task's error.
    outcome: str | None = None
