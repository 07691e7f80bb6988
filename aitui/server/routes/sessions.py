"""Health and the session life cycle: create, list, inspect, delete.

Responses follow the reference exactly (``name``, ``status`` strings such as ``"Running"``,
RFC 3339 times). A session that fails to start is removed again, so a bad working directory
leaves no half-made entry behind and the name can be reused at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends

from aitui.__about__ import __version__
from aitui.core.config import SessionConfig
from aitui.core.names import check_name
from aitui.core.session import AISession
from aitui.server.errors import AUTH, BODY, NOT_FOUND, ApiError, doc
from aitui.server.models import (
    CreateSession,
    Deleted,
    Health,
    SessionConfigView,
    SessionCreated,
    SessionDetails,
    SessionList,
    SessionStatusView,
    rfc3339,
)
from aitui.server.state import ServerState, find_session, get_state

router = APIRouter()
State = Annotated[ServerState, Depends(get_state)]
SERVICE = "ai-session-server"


@router.get("/health", response_model=Health, tags=["health"])
async def health(state: State) -> Health:
    return Health(
        status="healthy",
        service=SERVICE,
        version=__version__,
        timestamp=rfc3339(),
        sessions=len(state.manager),
    )


@router.get("/", response_model=Health, tags=["health"], include_in_schema=False)
async def root(state: State) -> Health:
    return await health(state)


def _details(session: AISession) -> SessionDetails:
    return SessionDetails(
        id=str(session.id),
        name=session.name,
        status=session.status().value,
        created_at=rfc3339(session.created_at),
        last_activity=rfc3339(session.last_activity),
    )


@router.get("/sessions", response_model=SessionList, responses=AUTH, tags=["sessions"])
async def list_sessions(state: State) -> SessionList:
    sessions = [_details(s) for s in state.manager.sessions()]
    return SessionList(sessions=sessions, total=len(sessions))


def _config_for(body: CreateSession) -> SessionConfig:
    """Validate the request's values and build the session's configuration (400 with why)."""
    check_name(body.name)
    for label, value in (("working_directory", body.working_directory), ("shell", body.shell)):
        if value is not None and ("\x00" in value or not value.strip()):
            raise ApiError(400, "INVALID_CONFIG", f"{label} must be a non-empty path without NUL")
    config = SessionConfig(
        name=body.name,
        enable_ai_features=body.enable_ai_features,
        pty_size=(body.pty_size[0], body.pty_size[1]),
        agent_role=body.agent_role,
    )
    if body.working_directory is not None:
        config.working_directory = Path(body.working_directory)
    if body.shell is not None:
        config.shell = body.shell
    return config


@router.post(
    "/sessions",
    response_model=SessionCreated,
    responses={
        **AUTH,
        **BODY,
        400: doc("Bad name, working directory or shell (the reason is in `error`)"),
        409: doc("A session with that name already exists"),
        429: doc("The server holds its maximum number of sessions"),
    },
    tags=["sessions"],
)
async def create_session(body: CreateSession, state: State) -> SessionCreated:
    config = _config_for(body)
    if len(state.manager) >= state.limits.max_sessions:
        raise ApiError(
            429, "TOO_MANY_SESSIONS", f"the server holds {len(state.manager)} sessions already"
        )
    session = await state.manager.create_session_with_config(config)
    try:
        await session.start()
    except BaseException:  # ConfigError/SpawnError become 400 once the entry is gone
        if state.manager.get_session(session.id) is not None:
            await state.manager.remove_session(session.id)
        raise
    return SessionCreated(
        id=str(session.id),
        name=session.name,
        status=session.status().value,
        created_at=rfc3339(session.created_at),
    )


@router.get(
    "/sessions/{name}",
    response_model=SessionDetails,
    responses={**AUTH, **NOT_FOUND},
    tags=["sessions"],
)
async def get_session(name: str, state: State) -> SessionDetails:
    return _details(find_session(state, name))


@router.delete(
    "/sessions/{name}", response_model=Deleted, responses={**AUTH, **NOT_FOUND}, tags=["sessions"]
)
async def delete_session(name: str, state: State) -> Deleted:
    session = find_session(state, name)
    # An agent whose session is gone cannot work: unregister it (its messages are kept and
    # its tasks go back to pending, for another agent).
    for info in state.coordinator.agents():
        if state.coordinator.get_session(info.agent_id) is session:
            await state.coordinator.unregister_agent(info.agent_id)
            await state.distributor.unregister_agent(info.agent_id)
    await state.manager.remove_session(session.id)
    return Deleted(message=f"Session '{session.name}' deleted successfully", timestamp=rfc3339())


@router.get(
    "/sessions/{name}/status",
    response_model=SessionStatusView,
    responses={**AUTH, **NOT_FOUND},
    tags=["sessions"],
)
async def session_status(name: str, state: State) -> SessionStatusView:
    session = find_session(state, name)
    config = session.config
    rows, cols = config.pty_size
    return SessionStatusView(
        **_details(session).model_dump(),
        config=SessionConfigView(
            enable_ai_features=config.enable_ai_features,
            working_directory=str(config.working_directory),
            pty_size=[rows, cols],
            shell=session.launch.argv[0] if session.launch else config.shell,
            agent_role=config.agent_role,
        ),
        pid=session.pid if session.is_running else None,
        exit_code=session.exit_code,
    )
