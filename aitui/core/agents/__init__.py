"""Multi-agent coordination: a message bus between agent sessions, task distribution by
capability, persistence in SQLite, and delivery of messages into agents' terminals.

Headless like the rest of ``aitui.core``. For observers (the dashboard's panels, the HTTP API):

* ``coordinator.subscribe(callback) -> unsubscribe``: plain frozen events (``events.py``):
  AgentRegistered/Unregistered, MessageSent, BroadcastSent, MessageDelivered,
  MessageAcknowledged, TaskSubmitted/Blocked/Assigned/Started/Completed/Failed/Cancelled. A
  ``TaskDistributor(coordinator)`` emits on the coordinator's hub, so one subscription sees all.
  Callbacks run on the event loop and must be quick.
* State on mount: ``coordinator.agents()``, ``coordinator.recent_messages(limit)``,
  ``distributor.list_tasks(state)``, ``distributor.get_task(task_id)`` (with ``reason``).
"""

from aitui.core.agents.bus import DEFAULT_INBOX_CAPACITY, MessageBus
from aitui.core.agents.coordinator import AgentInfo, MultiAgentSession
from aitui.core.agents.delivery import TerminalDelivery, format_prompt
from aitui.core.agents.distributor import TaskDistributor
from aitui.core.agents.errors import (
    AckError,
    AgentExistsError,
    CoordinationError,
    InboxClosedError,
    InboxFullError,
    MessageError,
    ReceiveTimeoutError,
    StoreError,
    TaskNotFoundError,
    TaskStateError,
    UnknownAgentError,
)
from aitui.core.agents.events import (
    AgentRegistered,
    AgentUnregistered,
    BroadcastSent,
    CoordinationEvent,
    MessageAcknowledged,
    MessageDelivered,
    MessageSent,
    TaskAssigned,
    TaskBlocked,
    TaskCancelled,
    TaskCompleted,
    TaskFailed,
    TaskStarted,
    TaskSubmitted,
)
from aitui.core.agents.history import MessageRecord
from aitui.core.agents.ids import AgentId, TaskId
from aitui.core.agents.messages import BroadcastMessage, Message, MessagePriority, MessageType
from aitui.core.agents.persistent import open_persistent
from aitui.core.agents.store import Store, db_path_for, default_db_path
from aitui.core.agents.tasks import Assignment, Task, TaskInfo, TaskPriority, TaskState

__all__ = [
    "DEFAULT_INBOX_CAPACITY",
    "AckError",
    "AgentExistsError",
    "AgentId",
    "AgentInfo",
    "AgentRegistered",
    "AgentUnregistered",
    "Assignment",
    "BroadcastMessage",
    "BroadcastSent",
    "CoordinationError",
    "CoordinationEvent",
    "InboxClosedError",
    "InboxFullError",
    "Message",
    "MessageAcknowledged",
    "MessageBus",
    "MessageDelivered",
    "MessageError",
    "MessagePriority",
    "MessageRecord",
    "MessageSent",
    "MessageType",
    "MultiAgentSession",
    "ReceiveTimeoutError",
    "Store",
    "StoreError",
    "Task",
    "TaskAssigned",
    "TaskBlocked",
    "TaskCancelled",
    "TaskCompleted",
    "TaskDistributor",
    "TaskFailed",
    "TaskId",
    "TaskInfo",
    "TaskNotFoundError",
    "TaskPriority",
    "TaskStarted",
    "TaskState",
    "TaskStateError",
    "TaskSubmitted",
    "TerminalDelivery",
    "UnknownAgentError",
    "db_path_for",
    "default_db_path",
    "format_prompt",
    "open_persistent",
]
