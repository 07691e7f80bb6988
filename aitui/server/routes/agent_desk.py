"""The calling agent's own inbox and task board (``aitui.core.agent_desk``), for its MCP tools.

Every route here names its caller by two headers, ``X-Aitui-Session`` (the session's key) and
``X-Aitui-Session-Token`` (the secret only that session's processes hold), checked by the host:
403 ``HOOK_REFUSED`` for a wrong pair. No body names a sender: an agent is who its token says,
so it cannot send, read or report as another.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from aitui.core.agent_desk import AgentDesk, InboxMessage, Peer
from aitui.core.agents import MessagePriority, TaskPriority
from aitui.server.errors import AUTH, BODY, Responses, doc
from aitui.server.models import EmptyBody, MessageLimit
from aitui.server.routes.scripting import NO_HOST, host_of
from aitui.server.routes.tasks import TaskView
from aitui.server.routes.tasks import _view as task_view
from aitui.server.state import ServerState, get_state

router = APIRouter(tags=["agent desk"])
State = Annotated[ServerState, Depends(get_state)]
WHO: Responses = {
    **AUTH,
    **NO_HOST,
    403: doc("Not that session's token"),
}
TEXT_LIMIT = 65_536


class Caller:
    """The agent a request comes from, and its desk."""

    def __init__(self, name: str, desk: AgentDesk, state: ServerState) -> None:
        self.name = name
        self.desk = desk
        self.state = state


def caller(
    state: State,
    x_aitui_session: Annotated[
        str, Header(min_length=1, max_length=128, description="The calling session's key.")
    ],
    x_aitui_session_token: Annotated[
        str, Header(min_length=1, max_length=128, description="That session's token.")
    ],
) -> Caller:
    host = host_of(state)
    name = host.agent_caller(x_aitui_session, x_aitui_session_token)
    return Caller(name, AgentDesk(host.coordination, host.sessions()), state)


Me = Annotated[Caller, Depends(caller)]


class PeerView(BaseModel):
    name: str
    role: str | None
    capabilities: list[str]
    activity: str
    agent: str | None


class WhoAmI(BaseModel):
    me: PeerView
    others: list[PeerView]


class SendText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: StrictStr
    text: StrictStr = Field(min_length=1, max_length=TEXT_LIMIT)
    priority: MessagePriority = MessagePriority.NORMAL


class BroadcastText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: StrictStr = Field(min_length=1, max_length=TEXT_LIMIT)
    priority: MessagePriority = MessagePriority.NORMAL


class SentTo(BaseModel):
    id: str | None = None
    recipients: list[str]


class InboxView(BaseModel):
    id: str
    sender: str
    kind: str
    text: str
    priority: str
    sent_at: str
    payload: Any


class InboxList(BaseModel):
    messages: list[InboxView] = Field(description="Unacknowledged: acknowledge each one.")


class ReadInbox(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: MessageLimit = Field(20, description="At most this many.")


class NewTask(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: StrictStr = Field(min_length=1, max_length=TEXT_LIMIT)
    requirements: list[StrictStr] = Field(default_factory=list, max_length=20)
    priority: TaskPriority = TaskPriority.MEDIUM


class Claimed(BaseModel):
    task: TaskView | None = Field(description="The task now running for you; null: none.")


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid")
    summary: StrictStr = Field(min_length=1, max_length=TEXT_LIMIT)


def _peer(peer: Peer) -> PeerView:
    return PeerView.model_validate(peer, from_attributes=True)


def _inbox(message: InboxMessage) -> InboxView:
    return InboxView.model_validate(message, from_attributes=True)


@router.get("/agent/me", response_model=WhoAmI, responses=WHO)
async def who_am_i(me: Me) -> WhoAmI:
    """The caller (role, capabilities, state) and every other agent here."""
    desk = me.desk
    return WhoAmI(me=_peer(desk.peer(me.name)), others=[_peer(p) for p in desk.peers(me.name)])


@router.post("/agent/messages", response_model=SentTo, responses={**WHO, **BODY})
async def send(body: SendText, me: Me) -> SentTo:
    message_id = await me.desk.send(me.name, body.to, body.text, body.priority.value)
    return SentTo(id=message_id, recipients=[body.to])


@router.post("/agent/broadcast", response_model=SentTo, responses={**WHO, **BODY})
async def broadcast(body: BroadcastText, me: Me) -> SentTo:
    return SentTo(recipients=await me.desk.broadcast(me.name, body.text, body.priority.value))


@router.post("/agent/inbox", response_model=InboxList, responses={**WHO, **BODY})
async def read_inbox(body: ReadInbox, me: Me) -> InboxList:
    """Every message you hold and have not acknowledged, again on each read until ``ack``."""
    return InboxList(messages=[_inbox(m) for m in me.desk.read_inbox(me.name, body.limit)])


@router.post(
    "/agent/inbox/{message_id}/ack",
    response_model=InboxList,
    responses={**WHO, **BODY, 409: doc("No such unacknowledged message of yours")},
)
async def ack(message_id: str, body: EmptyBody, me: Me) -> InboxList:
    """Handled: never delivered again. Returns what is still unacknowledged."""
    await me.desk.ack(me.name, message_id)
    return InboxList(messages=[_inbox(m) for m in me.desk.read_inbox(me.name)])


@router.post("/agent/tasks", response_model=TaskView, responses={**WHO, **BODY})
async def submit(body: NewTask, me: Me) -> TaskView:
    """A task for whichever agent has every capability in ``requirements``."""
    info = await me.desk.submit(me.name, body.description, body.requirements, body.priority.value)
    return task_view(me.state, info)


@router.post("/agent/tasks/claim", response_model=Claimed, responses={**WHO, **BODY})
async def claim(body: EmptyBody, me: Me) -> Claimed:
    """Start the next task given to you (the one you already started comes first)."""
    info = await me.desk.claim(me.name)
    return Claimed(task=None if info is None else task_view(me.state, info))


@router.post(
    "/agent/tasks/{task_id}/{outcome}",
    response_model=TaskView,
    responses={**WHO, **BODY, 404: doc("No such task"), 409: doc("Not yours, or finished")},
)
async def report(
    task_id: str, outcome: Literal["done", "failed"], body: Report, me: Me
) -> TaskView:
    """``done`` or ``failed``, with a summary of what was done or what went wrong."""
    info = await me.desk.finish(me.name, task_id, outcome == "done", body.summary)
    return task_view(me.state, info)
