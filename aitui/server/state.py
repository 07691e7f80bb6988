"""What every route needs: the session manager and the server's limits, on ``app.state``."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from aitui.core.agents import MultiAgentSession, TaskDistributor
from aitui.core.errors import SessionNotFoundError, SessionNotRunningError
from aitui.core.host import SessionHost
from aitui.core.manager import SessionManager
from aitui.core.session import AISession
from aitui.core.types import SessionStatus
from aitui.server.limits import ExecuteQueue, Limits


@dataclass
class ServerState:
    manager: SessionManager
    limits: Limits
    #: Whether the app created the manager and so stops its sessions at shutdown. A manager
    #: passed in (the dashboard's) belongs to its owner and outlives the server.
    owns_manager: bool
    #: The coordination layer (messages, tasks); the dashboard may pass its own.
    coordinator: MultiAgentSession
    distributor: TaskDistributor
    owns_coordinator: bool
    #: The server's ``SessionHost`` (what dashboards see: activity, attention, rows), when the
    #: app is served by an aitui server; ``None`` for an app over a bare manager.
    host: SessionHost | None = None
    executes: ExecuteQueue = field(init=False)
    #: Agents registered over ``POST /agents`` (not only by the server, as every session is).
    declared_agents: set[str] = field(default_factory=set)  # their sessions' ids

    def __post_init__(self) -> None:
        self.executes = ExecuteQueue(self.limits.max_queued_executes)


async def get_state(request: Request) -> ServerState:
    """The dependency every route takes. ``async`` on purpose: FastAPI runs a plain ``def``
    dependency in a worker thread, a thread hand-off per request that cut throughput by 10x."""
    state: ServerState = request.app.state.aitui
    return state


def find_session(state: ServerState, name: str) -> AISession:
    """The session called ``name`` (or with that id); 404 ``SESSION_NOT_FOUND`` otherwise."""
    session = state.manager.get_session_by_name(name)
    if session is None:
        try:
            session = state.manager.require(name)
        except SessionNotFoundError:
            raise SessionNotFoundError(f"Session '{name}' not found") from None
    return session


def started_session(state: ServerState, name: str) -> AISession:
    """``find_session`` for what needs a program that was started: a session kept from an
    earlier server and not run again yet (listed as stopped) is refused with 409
    ``SESSION_NOT_RUNNING`` saying how to run it. A wait on one lasted until its timeout,
    forever without one; typing into one said ``is not started (call start())``."""
    session = find_session(state, name)
    if session.status() is SessionStatus.INITIALIZING and state.host is not None:
        raise SessionNotRunningError(
            f"session {session.name} is stopped: `aitui restart {session.name}` runs it again"
        )
    return session
