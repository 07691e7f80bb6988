"""A session's AI context and its token/compression figures (``aitui.core.context``).

The figures come straight from ``SessionContext.stats()``: with ``enable_ai_features`` off, or
before any command ran, they are honest zeros. ``GET /stats`` sums them over all sessions.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from aitui.core.session import AISession
from aitui.core.stats import ContextStats, sum_stats
from aitui.server.errors import AUTH, NOT_FOUND, ApiError
from aitui.server.models import Timestamp, rfc3339
from aitui.server.state import ServerState, find_session, get_state

router = APIRouter(tags=["context"])
State = Annotated[ServerState, Depends(get_state)]


class Stats(BaseModel):
    """``ContextStats`` as JSON: tokens counted with ``encoding`` (tiktoken)."""

    messages: int
    archived_messages: int
    tokens_in_context: int
    max_tokens: int
    usage_percent: float
    commands_seen: int
    raw_output_tokens: int = Field(description="Tokens the commands printed.")
    compressed_output_tokens: int = Field(description="Tokens of that output in the context.")
    output_savings_percent: float
    raw_tokens_total: int
    context_savings_percent: float
    compressions: int
    streamed_output_tokens: int
    over_limit: bool
    encoding: str


class SessionStats(Stats):
    session_name: str
    enable_ai_features: bool


class OverallStats(BaseModel):
    sessions: int
    messages: int
    tokens_in_context: int
    commands_seen: int
    raw_output_tokens: int
    compressed_output_tokens: int
    output_savings_percent: float
    timestamp: Timestamp


class ContextMessage(BaseModel):
    id: str
    role: str
    content: str
    tokens: int
    timestamp: Timestamp
    metadata: dict[str, Any]


class ContextSummary(BaseModel):
    total_messages: int
    total_tokens: int
    compression_ratio: float
    archived_messages: int
    max_tokens: int
    over_limit: bool
    strategy: str


class ContextView(BaseModel):
    session_name: str
    enable_ai_features: bool
    summary: ContextSummary
    messages: list[ContextMessage] = Field(description="The most recent, oldest first.")


def _stats(stats: ContextStats) -> dict[str, Any]:
    """``ContextStats.to_dict`` without the id (the route names the session); ``Stats`` lists
    the same fields for the schema, which a test keeps in step."""
    figures = stats.to_dict()
    figures.pop("session_id", None)
    return figures


def _plain(metadata: dict[str, Any]) -> dict[str, Any]:
    """The JSON-safe, public part of a message's metadata (``_``-keys are internal)."""
    kept: dict[str, Any] = {}
    for key, value in metadata.items():
        if key.startswith("_"):
            continue
        kept[key] = (
            value if value is None or isinstance(value, str | int | float | bool) else str(value)
        )
    return kept


@router.get("/sessions/{name}/stats", response_model=SessionStats, responses={**AUTH, **NOT_FOUND})
async def session_stats(name: str, state: State) -> SessionStats:
    session = find_session(state, name)
    return SessionStats(
        session_name=session.name,
        enable_ai_features=session.config.enable_ai_features,
        **_stats(session.get_ai_context().stats()),
    )


@router.get("/stats", response_model=OverallStats, responses=AUTH)
async def overall_stats(state: State) -> OverallStats:
    sessions: list[AISession] = state.manager.sessions()
    total = sum_stats([s.get_ai_context().stats() for s in sessions])
    return OverallStats(
        sessions=total.sessions,
        messages=total.messages,
        tokens_in_context=total.tokens_in_context,
        commands_seen=total.commands_seen,
        raw_output_tokens=total.raw_output_tokens,
        compressed_output_tokens=total.compressed_output_tokens,
        output_savings_percent=round(total.output_savings_percent, 2),
        timestamp=rfc3339(),
    )


@router.get("/sessions/{name}/context", response_model=ContextView, responses={**AUTH, **NOT_FOUND})
async def context(
    name: str,
    state: State,
    limit: Annotated[int, Query(ge=0, le=1000, description="How many recent messages.")] = 50,
) -> ContextView:
    """The messages an AI agent would be given for this session, and the context's summary."""
    session = find_session(state, name)
    ctx = session.get_ai_context()
    summary = ctx.get_summary()
    recent = ctx.get_recent_messages(limit) if limit else []
    return ContextView(
        session_name=session.name,
        enable_ai_features=session.config.enable_ai_features,
        summary=ContextSummary(
            total_messages=summary.total_messages,
            total_tokens=summary.total_tokens,
            compression_ratio=summary.compression_ratio,
            archived_messages=summary.archived_messages,
            max_tokens=summary.max_tokens,
            over_limit=summary.over_limit,
            strategy=str(summary.strategy.value),
        ),
        messages=[
            ContextMessage(
                id=m.id,
                role=m.role.value,
                content=m.content,
                tokens=m.tokens,
                timestamp=rfc3339(m.timestamp),
                metadata=_plain(m.metadata),
            )
            for m in recent
        ],
    )


class ArchivedOutput(BaseModel):
    """Lines of an archived message: a command's raw output, or a message taken out of the
    context. Compressed outputs name it (``[raw output: archive ID, ...]``) and number the lines
    they left out (``L120-3531``): ``start`` and ``end`` are those numbers."""

    id: str
    role: str
    command: str | None = None
    exit_code: int | None = None
    raw: bool = Field(description="A command's raw output (the lines are its lines).")
    start: int
    end: int
    total_lines: int
    text: str


@router.get(
    "/sessions/{name}/context/archive/{archive_id}",
    response_model=ArchivedOutput,
    responses={**AUTH, **NOT_FOUND},
)
async def archived(
    name: str,
    archive_id: str,
    state: State,
    start: Annotated[int, Query(ge=1, description="First line (1-based).")] = 1,
    end: Annotated[int | None, Query(ge=1, description="Last line (inclusive).")] = None,
) -> ArchivedOutput:
    """An archived message's lines ``start``-``end``, by the id a compressed block names."""
    session = find_session(state, name)
    message = session.get_ai_context().get_archived(archive_id)
    if message is None:
        raise ApiError(
            404, "ARCHIVE_NOT_FOUND", f"no archived message {archive_id!r} in session {name!r}"
        )
    meta = message.metadata
    raw = bool(meta.get("raw"))
    body = message.content.partition("\n")[2] if raw else message.content
    lines = body.split("\n")
    last = min(end or len(lines), len(lines))
    exit_code = meta.get("exit_code")
    command = meta.get("command")
    return ArchivedOutput(
        id=message.id,
        role=message.role.value,
        command=command if isinstance(command, str) else None,
        exit_code=exit_code if isinstance(exit_code, int) else None,
        raw=raw,
        start=start,
        end=max(start - 1, last),
        total_lines=len(lines),
        text="\n".join(lines[start - 1 : last]),
    )
