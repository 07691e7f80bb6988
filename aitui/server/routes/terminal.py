"""Driving a session's terminal: execute a command, read output and screen, type, resize.

``execute`` waits for the shell's own end-of-command mark (no sleeping, unlike the reference's
server) and returns the exit code. ``output`` returns the session's recent output, or with
``?since=`` only what came after an earlier read, so a poller never misses or repeats a byte and
is told when the buffer overflowed (``lost_bytes``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Query

from aitui.core.ansi import terminal_text
from aitui.core.session import AISession
from aitui.server.errors import AUTH, BODY, NOT_FOUND, NOT_RUNNING, ApiError, doc
from aitui.server.models import (
    Execute,
    ExecuteResult,
    Input,
    InputSent,
    Output,
    Resize,
    Screen,
    rfc3339,
)
from aitui.server.state import ServerState, find_session, get_state, started_session

if TYPE_CHECKING:  # the context (tokenizer, compressors) loads with the first AI session
    from aitui.core.context import Message, SessionContext

router = APIRouter(tags=["terminal"])
State = Annotated[ServerState, Depends(get_state)]


@router.post(
    "/sessions/{name}/execute",
    response_model=ExecuteResult,
    responses={
        **AUTH,
        **BODY,
        **NOT_FOUND,
        400: doc("The command is empty or contains a NUL byte"),
        409: doc("The shell is not running, or cannot run commands now"),
        429: doc("Too many commands already queued for this session"),
    },
)
async def execute(name: str, body: Execute, state: State) -> ExecuteResult:
    """Run one command; concurrent calls on a session queue and run one after another.

    A command that outlives ``timeout_ms`` is interrupted and reported with ``timed_out``; a
    shell that dies meanwhile gives ``success: false`` and the reason in ``error``.
    """
    session = started_session(state, name)
    context = session.get_ai_context() if session.config.enable_ai_features else None
    seen = {m.id for m in context.get_recent_messages(RECENT)} if context is not None else set()
    with state.executes.slot(str(session.id)):
        try:
            result = await session.execute(body.command, timeout_ms=body.timeout_ms)
        except ValueError as exc:
            raise ApiError(400, "INVALID_COMMAND", str(exc)) from None
    recorded = _recorded(context, seen, body.command)
    compressed = result.compressed_output
    if compressed is None and recorded is not None:
        compressed = recorded.content.partition("\n")[2]
    return ExecuteResult(
        success=result.success,
        output=result.output,
        error=result.error,
        execution_time_ms=round(result.execution_time_ms),
        exit_code=result.exit_code,
        timed_out=result.timed_out,
        truncated=result.truncated,
        compressed_output=compressed,
        raw_output_id=str(recorded.metadata["raw_id"]) if recorded is not None else None,
        parsed=result.parsed.to_dict() if result.parsed is not None else None,
    )


#: How many of the context's latest messages are looked at for the command just run.
RECENT = 20


def _recorded(context: SessionContext | None, seen: set[str], command: str) -> Message | None:
    """The Tool message the AI context made of ``command`` during the call, if it made one
    (AI features on): its text is the compressed output, its ``raw_id`` the raw one's."""
    if context is None:
        return None
    for message in reversed(context.get_recent_messages(RECENT)):
        meta = message.metadata
        if message.id not in seen and meta.get("command") == command and meta.get("raw_id"):
            return message
    return None


def _complete_utf8(data: bytes) -> bytes:
    """``data`` without a trailing, incomplete UTF-8 sequence (the next read returns it)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # a lead byte (or ASCII): is its sequence complete?
            need = 1 if byte < 0x80 else 2 if byte >> 5 == 6 else 3 if byte >> 4 == 14 else 4
            return data if back >= need or byte >> 3 == 0x1F else data[:-back]
    return data


@router.get("/sessions/{name}/output", response_model=Output, responses={**AUTH, **NOT_FOUND})
async def output(
    name: str,
    state: State,
    since: Annotated[
        int | None, Query(ge=0, description="Addition: return only output after this offset.")
    ] = None,
) -> Output:
    session = find_session(state, name)
    buffered = session.recent_output()
    end = session.output_position
    start = end - len(buffered)
    lost = 0
    if since is not None:
        since = min(since, end)
        lost = max(0, start - since)
        buffered = buffered[max(0, since - start) :]
    data = _complete_utf8(buffered)
    return Output(
        session_name=session.name,
        output=terminal_text(data),
        raw_output=data.decode("utf-8", "replace"),
        timestamp=rfc3339(),
        size_bytes=len(data),
        position=end - (len(buffered) - len(data)),
        lost_bytes=lost,
    )


@router.post(
    "/sessions/{name}/input",
    response_model=InputSent,
    responses={**AUTH, **BODY, **NOT_FOUND, **NOT_RUNNING},
)
async def send_input(name: str, body: Input, state: State) -> InputSent:
    """Type raw keys (``\\r`` is Enter, ``\\u0003`` Ctrl-C); no waiting for any output."""
    session = started_session(state, name)
    await session.send_input(body.text)
    return InputSent(session_name=session.name, bytes_sent=len(body.text.encode("utf-8")))


def _screen(session: AISession) -> Screen:
    screen = session.screen
    lines = screen.text().split("\n")
    return Screen(
        session_name=session.name,
        rows=len(lines),
        cols=session.config.pty_size[1],
        cursor=list(screen.cursor),
        lines=lines,
        title=screen.title,
        timestamp=rfc3339(),
    )


@router.get("/sessions/{name}/screen", response_model=Screen, responses={**AUTH, **NOT_FOUND})
async def screen(name: str, state: State) -> Screen:
    """The terminal as a person sees it now: one string per row, trailing spaces stripped.
    Every byte of output read before the request is on it (the screen catches up first)."""
    session = find_session(state, name)
    await session.screen_caught_up()
    return _screen(session)


@router.post(
    "/sessions/{name}/resize",
    response_model=Screen,
    responses={**AUTH, **BODY, **NOT_FOUND},
)
async def resize(name: str, body: Resize, state: State) -> Screen:
    """Resize the terminal (the program gets SIGWINCH); returns the resized screen."""
    session = find_session(state, name)
    await session.resize(body.rows, body.cols)
    return _screen(session)
