"""Agents and their messages, over the coordination layer (``aitui.core.agents``).

An agent is a session registered with the coordinator; the API names it by its session's name
(or its agent id). Messages follow the bus's contract: a message taken with
``POST /agents/{agent}/messages/receive`` is delivered, and stays owed until it is acknowledged,
so an orchestrator that crashes before ``ack`` gets it again rather than losing it. Taking is a
``POST``, never a ``GET``: a web page can make a browser send a ``GET`` anywhere (an image's
address), and ``GET /agents/{agent}/messages`` only shows what is held, taking nothing.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from aitui.core.agents import (
    AgentId,
    BroadcastMessage,
    Message,
    MessagePriority,
    MessageType,
    UnknownAgentError,
)
from aitui.core.agents.history import MessageRecord
from aitui.server.errors import AUTH, BODY, NOT_FOUND, ApiError, Responses, doc
from aitui.server.models import EmptyBody, MessageLimit, Timestamp, rfc3339
from aitui.server.state import ServerState, find_session, get_state

router = APIRouter(tags=["agents"])
State = Annotated[ServerState, Depends(get_state)]
AGENT_404: Responses = {404: doc("No agent (or session) has that name or id")}
CONFLICT: Responses = {409: doc("The operation conflicts with the agent's state")}


class RegisterAgent(BaseModel):
    model_config = ConfigDict(extra="ignore")
    session: StrictStr = Field(description="Name of the session that is the agent.")
    capabilities: list[StrictStr] = Field(default_factory=list, max_length=100)


class AgentView(BaseModel):
    agent_id: str
    name: str
    role: str | None
    pending: int = Field(description="Messages queued or delivered and not acknowledged.")
    capabilities: list[str]


class AgentList(BaseModel):
    agents: list[AgentView]
    total: int


class SendMessage(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    from_: StrictStr = Field(alias="from", description="Sender: an agent, or 'system'.")
    to: StrictStr
    message_type: MessageType = MessageType.DATA_SHARE
    payload: Any = None
    priority: MessagePriority = MessagePriority.NORMAL


class Broadcast(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    from_: StrictStr = Field(alias="from", description="Sender: an agent, or 'system'.")
    content: StrictStr = Field(max_length=65_536)
    metadata: Any = None
    priority: MessagePriority = MessagePriority.NORMAL


class MessageView(BaseModel):
    id: str
    from_: str = Field(alias="from")
    message_type: str
    payload: Any
    priority: str
    timestamp: Timestamp


class Sent(BaseModel):
    id: str
    recipients: list[str]


class RecordView(MessageView):
    to: str
    state: str = Field(description="sent, delivered or acknowledged.")
    updated_at: Timestamp


class MessageList(BaseModel):
    messages: list[RecordView]


class Receive(BaseModel):
    model_config = ConfigDict(extra="ignore")
    limit: MessageLimit = Field(10, description="At most this many messages.")


class Inbox(BaseModel):
    messages: list[MessageView] = Field(description="Delivered now; acknowledge each one.")


class Acknowledged(BaseModel):
    acknowledged: str


class Unregistered(BaseModel):
    message: str
    kept_messages: int = Field(description="Unacknowledged messages kept for a re-register.")
    returned_tasks: int = Field(description="Tasks it held, back to pending.")


def resolve_agent(state: ServerState, handle: str) -> AgentId:
    """The agent called ``handle`` (its session's name), or with that id; else 404."""
    if handle == "system":
        return AgentId.system()
    for info in state.coordinator.agents():
        if info.name == handle or str(info.agent_id) == handle:
            return info.agent_id
    raise UnknownAgentError(f"no agent named {handle!r}")


def _name(state: ServerState, agent_id: AgentId) -> str:
    for info in state.coordinator.agents():
        if info.agent_id == agent_id:
            return info.name
    return state.coordinator.known_names.get(agent_id, str(agent_id))


def _view(state: ServerState, agent_id: AgentId) -> AgentView:
    info = next(i for i in state.coordinator.agents() if i.agent_id == agent_id)
    return AgentView(
        agent_id=str(agent_id),
        name=info.name,
        role=info.role,
        pending=info.pending,
        capabilities=sorted(state.distributor.capabilities(agent_id)),
    )


def _message(message: Message) -> MessageView:
    return MessageView.model_validate(message.to_json() | {"timestamp": rfc3339(message.timestamp)})


def _record(state: ServerState, record: MessageRecord) -> RecordView:
    return RecordView.model_validate(
        record.message.to_json()
        | {
            "timestamp": rfc3339(record.message.timestamp),
            "to": _name(state, record.to),
            "state": record.state,
            "updated_at": rfc3339(record.updated_at),
        }
    )


@router.get("/agents", response_model=AgentList, responses=AUTH)
async def list_agents(state: State) -> AgentList:
    agents = [_view(state, info.agent_id) for info in state.coordinator.agents()]
    return AgentList(agents=agents, total=len(agents))


@router.post(
    "/agents",
    response_model=AgentView,
    responses={**AUTH, **BODY, **NOT_FOUND, 409: doc("That session is already an agent")},
)
async def register_agent(body: RegisterAgent, state: State) -> AgentView:
    """Make a session an agent; its capabilities decide which tasks it is given."""
    session = find_session(state, body.session)
    agent_id = AgentId.for_name(session.name)  # stable: persisted messages find it again
    # A server makes every session an agent of its own accord (with its role as capability);
    # the first registration over HTTP declares what it can do, a second one is a conflict.
    automatic = str(session.id) not in state.declared_agents and any(
        info.agent_id == agent_id for info in state.coordinator.agents()
    )
    if not automatic and any(info.name == session.name for info in state.coordinator.agents()):
        raise ApiError(409, "AGENT_EXISTS", f"session {session.name!r} is already an agent")
    state.declared_agents.add(str(session.id))
    if not automatic:
        state.coordinator.register_agent(agent_id, session)
    await state.coordinator.remember_name(agent_id, session.name)
    state.distributor.register_capabilities(agent_id, body.capabilities)
    await state.distributor.distribute_tasks()
    return _view(state, agent_id)


@router.delete("/agents/{agent}", response_model=Unregistered, responses={**AUTH, **AGENT_404})
async def unregister_agent(agent: str, state: State) -> Unregistered:
    agent_id = resolve_agent(state, agent)
    if agent_id.is_system:
        raise UnknownAgentError("'system' is not a registered agent")
    name = _name(state, agent_id)
    kept = await state.coordinator.unregister_agent(agent_id)
    returned = await state.distributor.unregister_agent(agent_id)
    return Unregistered(
        message=f"Agent '{name}' unregistered",
        kept_messages=len(kept),
        returned_tasks=len(returned),
    )


@router.post(
    "/messages",
    response_model=Sent,
    responses={
        **AUTH,
        **BODY,
        **AGENT_404,
        400: doc("The payload is not JSON"),
        429: doc("The recipient's inbox is full"),
    },
)
async def send_message(body: SendMessage, state: State) -> Sent:
    sender = resolve_agent(state, body.from_)
    recipient = resolve_agent(state, body.to)
    message = Message(
        from_=sender,
        message_type=body.message_type,
        payload=body.payload,
        priority=body.priority,
    )
    await state.coordinator.send_message(sender, recipient, message)
    return Sent(id=str(message.id), recipients=[_name(state, recipient)])


@router.post(
    "/messages/broadcast",
    response_model=Sent,
    responses={
        **AUTH,
        **BODY,
        **AGENT_404,
        400: doc("The metadata is not JSON"),
        429: doc("A recipient's inbox is full (nobody received it)"),
    },
)
async def broadcast(body: Broadcast, state: State) -> Sent:
    sender = resolve_agent(state, body.from_)
    message = BroadcastMessage(
        from_=sender, content=body.content, metadata=body.metadata, priority=body.priority
    )
    recipients = await state.coordinator.broadcast(sender, message)
    return Sent(id=str(message.id), recipients=[_name(state, r) for r in recipients])


@router.get("/messages", response_model=MessageList, responses=AUTH)
async def recent_messages(
    state: State, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> MessageList:
    """The latest messages and where each stands (sent, delivered, acknowledged)."""
    records = state.coordinator.recent_messages(limit)
    return MessageList(messages=[_record(state, r) for r in records])


@router.get(
    "/agents/{agent}/messages",
    response_model=MessageList,
    responses={**AUTH, **AGENT_404},
)
async def held_messages(agent: str, state: State) -> MessageList:
    """What the agent holds and has not acknowledged, delivered ones first, then in the order
    ``receive`` will take them; nothing is taken."""
    agent_id = resolve_agent(state, agent)
    return MessageList(messages=[_record(state, r) for r in state.coordinator.held(agent_id)])


@router.post(
    "/agents/{agent}/messages/receive",
    response_model=Inbox,
    responses={**AUTH, **BODY, **AGENT_404, **CONFLICT},
)
async def receive(agent: str, body: Receive, state: State) -> Inbox:
    """Take up to ``limit`` queued messages (highest priority first); never waits."""
    agent_id = resolve_agent(state, agent)
    taken: list[MessageView] = []
    while len(taken) < body.limit:
        message = state.coordinator.try_receive(agent_id)
        if message is None:
            break
        taken.append(_message(message))
    return Inbox(messages=taken)


@router.post(
    "/agents/{agent}/messages/{message_id}/ack",
    response_model=Acknowledged,
    responses={**AUTH, **BODY, **AGENT_404, 409: doc("No such delivered, unacknowledged message")},
)
async def ack(agent: str, message_id: str, body: EmptyBody, state: State) -> Acknowledged:
    """The agent has handled the message (the body is ``{}``): it is not delivered again."""
    agent_id = resolve_agent(state, agent)
    try:
        key = uuid.UUID(message_id)
    except ValueError:
        raise ApiError(409, "NOT_DELIVERED", f"no delivered message {message_id!r}") from None
    await state.coordinator.ack(agent_id, key)
    return Acknowledged(acknowledged=str(key))
