"""``SessionManagerAdapter``: ccswarm's agents as aitui sessions, coordinated by the core.

The port of the reference's ``ai_session::ccswarm`` section. The adapter owns a
``SessionManager`` (the sessions), a ``MultiAgentSession`` (the message bus) and a
``TaskDistributor`` (tasks by capability): nothing here schedules on its own. An agent
registers when started, with its role's capabilities; ``submit_task`` goes through the
distributor, whose assignment message lands in the capable agent's inbox
(``AgentSession.next_task``). ``async with SessionManagerAdapter(root) as adapter:`` stops
every agent at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from aitui.ccswarm.agent import ASSIGNMENT, AgentSession, assignment_task_id
from aitui.ccswarm.roles import AgentRole
from aitui.core.agents import (
    MultiAgentSession,
    Task,
    TaskDistributor,
    TaskId,
    TaskInfo,
    TaskPriority,
)
from aitui.core.autoaccept import AutoAcceptConfig
from aitui.core.config import SessionConfig
from aitui.core.context import MessageRole
from aitui.core.errors import AituiError
from aitui.core.manager import SessionManager


class CcswarmError(AituiError):
    """A ccswarm operation was refused (too many agents, a missing directory...)."""


@dataclass(frozen=True)
class CcswarmConfig:
    workspace_root: Path
    #: The policy each new agent starts with (``AgentSession.configure_auto_accept`` changes it).
    auto_accept: AutoAcceptConfig = field(default_factory=AutoAcceptConfig)
    #: ``execute_command`` results also carry the output compressed for an AI
    #: (``ExecResult.compressed_output``). The AI context compresses output either way.
    compression: bool = True
    max_agents: int = 16
    #: The agents' shell; None: ``$SHELL``, then bash, then sh (as the core does).
    shell: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "workspace_root", Path(self.workspace_root))
        if not isinstance(self.max_agents, int) or self.max_agents < 1:
            raise CcswarmError(f"max_agents must be a positive integer, got {self.max_agents!r}")


class SessionManagerAdapter:
    def __init__(self, workspace_root: Path | str | CcswarmConfig) -> None:
        if isinstance(workspace_root, CcswarmConfig):
            self.config = workspace_root
        else:
            self.config = CcswarmConfig(Path(workspace_root))
        self.manager = SessionManager()
        self.coordinator = MultiAgentSession()
        self.distributor = TaskDistributor(self.coordinator)
        self._agents: dict[str, AgentSession] = {}

    @property
    def workspace_root(self) -> Path:
        return self.config.workspace_root

    async def create_agent_session(
        self,
        name: str,
        role: AgentRole,
        working_dir: Path | str,
        description: str | None = None,
        enable_ai: bool = True,
    ) -> AgentSession:
        """A new agent (not started: ``await agent.start()``). A relative ``working_dir`` is
        under the workspace root; the description becomes its context's system message."""
        if not isinstance(role, AgentRole) or type(role) is AgentRole:
            raise CcswarmError(f"role must be Frontend, Backend, DevOps, QA or Master: {role!r}")
        if len(self._agents) >= self.config.max_agents:
            raise CcswarmError(f"already {len(self._agents)} agents (max_agents)")
        directory = Path(working_dir)
        if not directory.is_absolute():
            directory = self.workspace_root / directory
        if not directory.is_dir():
            raise CcswarmError(f"agent {name}: no such directory {directory}")
        config = SessionConfig(
            name=name,
            working_directory=directory,
            shell=self.config.shell,
            enable_ai_features=enable_ai,
            agent_role=role.title,
            compress_output=self.config.compression,
        )
        session = await self.manager.create_session_with_config(config)
        agent = AgentSession(self, session, role, description, self.config.auto_accept)
        if description and enable_ai:
            session.get_ai_context().add_message(role=MessageRole.SYSTEM, content=description)
        if description:
            session.set_metadata("description", description)
        self._agents[name] = agent
        return agent

    def list_agents(self) -> list[AgentSession]:
        return list(self._agents.values())

    def get_agent(self, name: str) -> AgentSession | None:
        return self._agents.get(name)

    async def submit_task(
        self,
        description: str,
        requirements: Sequence[str] = (),
        priority: TaskPriority = TaskPriority.MEDIUM,
    ) -> TaskInfo:
        """Queue a task and distribute: it goes to a started agent with every required
        capability, else waits (``TaskInfo.reason`` says why) for one to start."""
        task = Task(description, [r.lower() for r in requirements], priority)
        await self.distributor.submit_task(task)
        await self.distributor.distribute_tasks()
        return self.distributor.get_task(task.id)

    def task(self, task_id: TaskId) -> TaskInfo:
        return self.distributor.get_task(task_id)

    def agent_for(self, task_id: TaskId) -> AgentSession | None:
        """The agent holding the task, if any."""
        agent_id = self.distributor.get_task(task_id).agent_id
        return next((a for a in self._agents.values() if a.agent_id == agent_id), None)

    async def close(self) -> None:
        """Stop every agent and forget it."""
        for agent in list(self._agents.values()):
            await agent.stop()
            await self.manager.remove_session(agent.session.id)
        self._agents.clear()
        await self.coordinator.close()

    async def __aenter__(self) -> SessionManagerAdapter:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # -- membership (called by AgentSession) --------------------------------------------------
    async def join(self, agent: AgentSession) -> None:
        if agent.joined:
            return
        self.coordinator.register_agent(agent.agent_id, agent.session)
        self.distributor.register_capabilities(agent.agent_id, agent.capabilities)
        agent.joined = True
        await self.coordinator.remember_name(agent.agent_id, agent.name)
        await self.distributor.distribute_tasks()

    async def leave(self, agent: AgentSession) -> None:
        if not agent.joined:
            return
        agent.joined = False
        await self.distributor.unregister_agent(agent.agent_id)
        await self.coordinator.unregister_agent(agent.agent_id)
        await self.distributor.distribute_tasks()

    async def next_task(self, agent: AgentSession, timeout: float | None) -> TaskInfo:
        if not agent.joined:
            raise CcswarmError(f"agent {agent.name} is not started")
        while True:
            message = await self.coordinator.receive(agent.agent_id, timeout)
            await self.coordinator.ack(agent.agent_id, message.id)
            task_id = assignment_task_id(message.payload)
            if message.message_type is ASSIGNMENT and task_id is not None:
                return self.distributor.get_task(task_id)
