"""``AgentSession``: one ccswarm agent, a real terminal session with a role and a policy.

Made by ``SessionManagerAdapter.create_agent_session``. ``start()`` spawns its shell and makes
it an agent of the adapter's coordinator (capabilities from its role, pending tasks it can take
handed over); ``execute_command`` runs through the core's ``execute``, which records the output
compressed in the session's AI context; ``get_performance_stats`` reads that context's real
token counts. ``assess`` applies the agent's auto-accept policy to a hook's tool call.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from aitui.core.agents import AgentId, MessageType, TaskId, TaskInfo
from aitui.core.autoaccept import AutoAcceptConfig, Decision, assess
from aitui.core.stats import savings_percent

if TYPE_CHECKING:
    from aitui.ccswarm.roles import AgentRole
    from aitui.core.session import AISession
    from aitui.core.types import ExecResult


@dataclass(frozen=True)
class PerformanceStats:
    """Figures of one agent session, from real counts (docs/ccswarm.md says how)."""

    #: ``execute_command`` calls that returned, and those among them that failed.
    commands_executed: int
    commands_failed: int
    #: Commands the session's AI context recorded (any command the shell ran, typed or not).
    commands_recorded: int
    #: Tokens of the recorded commands' output as printed, and as it went into the context.
    raw_output_tokens: int
    compressed_output_tokens: int
    #: ``1 - compressed / raw`` in percent (0 when nothing was recorded).
    token_savings_percentage: float
    #: ``raw / compressed``: how many times smaller the output became (1.0 when nothing).
    compression_ratio: float
    tokens_in_context: int
    context_messages: int
    total_execution_time_ms: float


class Membership(Protocol):
    """What an agent needs from its adapter (``SessionManagerAdapter`` implements it)."""

    async def join(self, agent: AgentSession) -> None: ...

    async def leave(self, agent: AgentSession) -> None: ...

    async def next_task(self, agent: AgentSession, timeout: float | None) -> TaskInfo: ...


class AgentSession:
    def __init__(
        self,
        adapter: Membership,
        session: AISession,
        role: AgentRole,
        description: str | None,
        auto_accept: AutoAcceptConfig,
    ) -> None:
        self.session = session
        self.role = role
        self.description = description
        self.agent_id = AgentId.for_name(session.name)
        self._adapter = adapter
        self._auto_accept = auto_accept
        self._executed = 0
        self._failed = 0
        self._elapsed_ms = 0.0
        self.joined = False

    @property
    def name(self) -> str:
        return self.session.name

    @property
    def working_directory(self) -> Path:
        return Path(self.session.config.working_directory)

    @property
    def capabilities(self) -> tuple[str, ...]:
        return self.role.capabilities

    @property
    def auto_accept(self) -> AutoAcceptConfig:
        return self._auto_accept

    def configure_auto_accept(self, config: AutoAcceptConfig) -> None:
        if not isinstance(config, AutoAcceptConfig):
            raise TypeError(f"expected an AutoAcceptConfig, got {type(config).__name__}")
        self._auto_accept = config

    def assess(self, tool_name: object, tool_input: object) -> Decision:
        """Whether this agent's tool call may go ahead unasked, under its policy."""
        return assess(tool_name, tool_input, self.working_directory, self._auto_accept)

    async def start(self) -> None:
        await self.session.start()
        await self._adapter.join(self)

    async def stop(self) -> None:
        """Leave the coordination (tasks it held go back to pending), end the shell."""
        await self._adapter.leave(self)
        await self.session.stop()

    async def execute_command(self, command: str, timeout_ms: int | None = None) -> ExecResult:
        """Run ``command`` in the agent's shell; its output joins the AI context compressed."""
        result = await self.session.execute(command, timeout_ms)
        self._executed += 1
        self._failed += 0 if result.success else 1
        self._elapsed_ms += result.execution_time_ms
        return result

    async def next_task(self, timeout: float | None = None) -> TaskInfo:
        """The next task assigned to this agent (its assignment message acknowledged)."""
        return await self._adapter.next_task(self, timeout)

    async def get_performance_stats(self) -> PerformanceStats:
        stats = self.session.get_ai_context().stats()
        raw, compressed = stats.raw_output_tokens, stats.compressed_output_tokens
        return PerformanceStats(
            commands_executed=self._executed,
            commands_failed=self._failed,
            commands_recorded=stats.commands_seen,
            raw_output_tokens=raw,
            compressed_output_tokens=compressed,
            token_savings_percentage=savings_percent(raw, compressed),
            compression_ratio=raw / compressed if compressed else 1.0,
            tokens_in_context=stats.tokens_in_context,
            context_messages=stats.messages,
            total_execution_time_ms=self._elapsed_ms,
        )

    def __repr__(self) -> str:
        return f"AgentSession({self.name!r}, {self.role!r}, {self.session.status()})"


def assignment_task_id(payload: object) -> TaskId | None:
    """The task id of a TaskAssignment message's payload (``Task.to_json``)."""
    if isinstance(payload, dict) and isinstance(payload.get("id"), str):
        return TaskId.parse_str(payload["id"])
    return None


ASSIGNMENT = MessageType.TASK_ASSIGNMENT
