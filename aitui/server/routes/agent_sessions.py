"""Agent sessions over HTTP: their hooks' reports, the auto-accept policy and its decisions,
answering an agent with its profile's keys, and the profiles themselves.

``POST /sessions/{key}/hook`` is what ``python -m aitui.client.hook`` calls from inside an
agent's own hook; it carries the session's token, so a process of one session cannot report,
or get approvals, for another (403 ``HOOK_REFUSED``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from aitui.core.autoaccept import AutoAcceptConfig
from aitui.core.profiles import load_profiles
from aitui.server.agent_models import (
    Answer,
    AutoAcceptBody,
    DecisionRow,
    Decisions,
    HookBody,
    HookReply,
    ProfileRow,
    Profiles,
)
from aitui.server.errors import AUTH, BODY, NOT_FOUND, Responses, doc
from aitui.server.routes.scripting import NO_HOST, host_of
from aitui.server.scripting_models import KeysSent
from aitui.server.state import ServerState, find_session, get_state, running_session

router = APIRouter(tags=["agents"])
State = Annotated[ServerState, Depends(get_state)]
NOT_AGENT: Responses = {
    409: doc("Not started from an agent profile, or this server tracks no activity")
}


@router.post(
    "/sessions/{name}/hook",
    response_model=HookReply,
    responses={**AUTH, **BODY, **NOT_FOUND, **NO_HOST, 403: doc("Not this session's token")},
)
async def hook(name: str, body: HookBody, state: State) -> HookReply:
    """An agent's hook fired: its state moves; a permission request gets the policy's
    decision (``decision: "allow"`` approves it; none leaves it to the person)."""
    host = host_of(state)
    session = find_session(state, name)
    outcome = host.agent_hook(str(session.id), body.token, body.event, body.payload)
    decision = outcome.decision
    return HookReply(
        accepted=True,
        decision="allow" if outcome.approve else None,
        reason=decision.reason if decision is not None else None,
    )


@router.get(
    "/sessions/{name}/auto-accept",
    response_model=AutoAcceptBody,
    responses={**AUTH, **NOT_FOUND, **NOT_AGENT},
)
async def get_auto_accept(name: str, state: State) -> AutoAcceptBody:
    """The session's auto-accept policy."""
    host = host_of(state)
    config = host.auto_accept(str(find_session(state, name).id))
    return AutoAcceptBody.of(config)


@router.post(
    "/sessions/{name}/auto-accept",
    response_model=AutoAcceptBody,
    responses={**AUTH, **BODY, **NOT_FOUND, **NOT_AGENT},
)
async def set_auto_accept(name: str, body: AutoAcceptBody, state: State) -> AutoAcceptBody:
    """Set the session's policy (``configure_auto_accept``): approve a permission request when
    its risk is at most ``risk_threshold`` and it touches no protected pattern. Fields left out
    keep their current values, so ``{"risk_threshold": 5}`` does not turn the policy off."""
    host = host_of(state)
    key = str(find_session(state, name).id)
    current = AutoAcceptBody.of(host.auto_accept(key)).model_dump()
    config = AutoAcceptConfig.from_mapping(
        {**current, **body.model_dump(include=body.model_fields_set)}
    )
    host.set_auto_accept(key, config)
    return AutoAcceptBody.of(config)


@router.get(
    "/sessions/{name}/decisions",
    response_model=Decisions,
    responses={**AUTH, **NOT_FOUND, **NOT_AGENT},
)
async def decisions(name: str, state: State) -> Decisions:
    """Every permission request the policy saw (the last 200), oldest first, with its reason."""
    host = host_of(state)
    rows = host.decisions(str(find_session(state, name).id))
    return Decisions(
        decisions=[
            DecisionRow(
                at=d.at,
                tool=d.tool,
                subject=d.subject,
                approved=d.approved,
                risk=d.risk,
                reason=d.reason,
            )
            for d in rows
        ]
    )


@router.post(
    "/sessions/{name}/answer",
    response_model=KeysSent,
    responses={
        **AUTH,
        **BODY,
        **NOT_FOUND,
        409: doc(
            "Not running (SESSION_NOT_RUNNING), not an agent (NOT_AN_AGENT), or approve/deny "
            "while it asks for no approval (NOT_ASKING: nothing is typed)"
        ),
    },
)
async def answer(name: str, body: Answer, state: State) -> KeysSent:
    """Press the agent's own keys to approve, deny or interrupt (its profile's ``[keys]``);
    approve and deny only while it asks for an approval, lest its keys land in its prompt."""
    host = host_of(state)
    session = running_session(state, name)
    sent = await host.answer(str(session.id), body.action)
    return KeysSent(session_name=session.name, bytes_sent=sent)


@router.get("/profiles", response_model=Profiles, responses={**AUTH})
async def profiles(state: State) -> Profiles:
    """The agent profiles ``aitui new --agent`` takes: shipped, and the user's over them."""
    found = load_profiles(state.host.profiles_dir if state.host is not None else None)
    return Profiles(
        profiles=[
            ProfileRow(
                name=p.name, title=p.title, command=list(p.command), hooks=p.hooks, path=p.path
            )
            for p in found.values()
        ]
    )
