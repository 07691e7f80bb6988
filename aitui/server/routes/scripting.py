"""What the scripting CLI needs beyond the reference's routes (additions, in its style).

The sessions as the server's dashboards see them (``/host/sessions``: activity, exit codes,
attention), a session made as the dashboard makes one, keys by name, the screen with its
history (``capture``, as tmux's ``capture-pane``), a wait that blocks here until a condition
holds (one request, answered the moment it does, rather than a client polling), and a restart.
What needs the server's ``SessionHost`` (the activity) answers 409 ``NO_HOST`` from an app
without one (``ai-session-server``, which tracks no activity).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from aitui.core.autoaccept import AutoAcceptConfig
from aitui.core.host import SessionHost
from aitui.core.hosting import NewSession, SessionInfo
from aitui.core.keys import KeyNameError, named_key
from aitui.core.names import check_name
from aitui.core.terminal.lines import screen_lines
from aitui.core.waiting import HOST_WAITS, Reason, Until, WaitOutcome, wait_session
from aitui.server.errors import AUTH, BODY, NOT_FOUND, NOT_RUNNING, ApiError, Responses, doc
from aitui.server.models import EmptyBody
from aitui.server.scripting_models import (
    Capture,
    Keys,
    KeysSent,
    NewHostSession,
    SessionRow,
    SessionRows,
    Wait,
    WaitPattern,
    WaitResult,
)
from aitui.server.state import ServerState, find_session, get_state, running_session

router = APIRouter(tags=["scripting"])
State = Annotated[ServerState, Depends(get_state)]
NO_HOST: Responses = {
    409: doc("This server tracks no activity (ai-session-server): ask an aitui server")
}
#: Most lines ``capture`` returns (the history's default limit is 10,000).
MAX_CAPTURE_LINES = 1_000_000


def host_of(state: ServerState) -> SessionHost:
    if state.host is None:
        raise ApiError(
            409, "NO_HOST", "this server tracks no activity (ai-session-server): use aitui server"
        )
    return state.host


def _row(info: SessionInfo) -> SessionRow:
    return SessionRow(
        key=info.key,
        name=info.name,
        role=info.role,
        activity=info.activity.value,
        detail=info.detail,
        exit_code=info.exit_code,
        attention=info.attention,
        running=info.running,
        command=info.command,
        directory=info.directory,
        error=info.error,
        recording=info.recording,
        source=info.source,
        asked=info.asked,
        since=info.since,
        agent=info.agent,
    )


def _info(host: SessionHost, key: str) -> SessionRow:
    info = host.info(key)
    if info is None:
        raise ApiError(404, "SESSION_NOT_FOUND", "the session is gone")
    return _row(info)


@router.get("/host/sessions", response_model=SessionRows, responses={**AUTH, **NO_HOST})
async def host_sessions(state: State) -> SessionRows:
    """Every session the server holds, exited ones too until dismissed, oldest first."""
    host = host_of(state)
    return SessionRows(sessions=[_row(info) for info in host.sessions()], problems=host.problems)


@router.post(
    "/host/sessions",
    response_model=SessionRow,
    responses={
        **AUTH,
        **BODY,
        400: doc("Bad name, directory or command, or auto-accept on for no agent (`error` says)"),
        409: doc("A session with that name exists, or this server tracks no activity"),
        429: doc("The server holds its maximum number of sessions"),
    },
)
async def new_host_session(body: NewHostSession, state: State) -> SessionRow:
    """Start a session as the dashboard does (the user's shell and settings, or ``command``);
    one that cannot start is removed again, with the reason in the 400."""
    host = host_of(state)
    check_name(body.name)
    for label, value in (
        ("directory", body.directory),
        ("command", body.command),
        ("search_path", body.search_path),  # blank: the program is found nowhere
    ):
        if value is not None and ("\x00" in value or not value.strip()):
            raise ApiError(400, "INVALID_CONFIG", f"{label} must not be blank or hold a NUL")
    if state.manager.get_session_by_name(body.name) is not None:
        raise ApiError(409, "SESSION_EXISTS", f"a session named {body.name!r} already exists")
    if len(state.manager) >= state.limits.max_sessions:
        raise ApiError(
            429, "TOO_MANY_SESSIONS", f"the server holds {len(state.manager)} sessions already"
        )
    request = NewSession(
        name=body.name,
        directory=Path(body.directory) if body.directory is not None else Path.cwd(),
        command=body.command,
        role=body.role,
        agent=body.agent,
        search_path=body.search_path,
        auto_accept=(
            AutoAcceptConfig.from_mapping(body.auto_accept.model_dump())
            if body.auto_accept is not None
            else None
        ),
    )
    try:
        key = await host.create(request)
    except BaseException:  # ConfigError/SpawnError become 400 once the entry is gone
        failed = state.manager.get_session_by_name(body.name)
        if failed is not None:
            await state.manager.remove_session(failed.id)
        raise
    return _info(host, key)


@router.get(
    "/sessions/{name}/info",
    response_model=SessionRow,
    responses={**AUTH, **NOT_FOUND, **NO_HOST},
)
async def session_info(name: str, state: State) -> SessionRow:
    """One session's row (``/host/sessions``)."""
    session = find_session(state, name)
    return _info(host_of(state), str(session.id))


@router.post(
    "/sessions/{name}/keys",
    response_model=KeysSent,
    responses={**AUTH, **BODY, **NOT_FOUND, **NOT_RUNNING, 400: doc("An unknown key name")},
)
async def send_keys(name: str, body: Keys, state: State) -> KeysSent:
    """Press keys by name, as a terminal would send them (the cursor keys follow the
    program's cursor-key mode, as in a real xterm, and kitty's keyboard protocol when the
    program asked for it: ``shift+enter`` is then a key of its own)."""
    session = running_session(state, name)
    await session.screen_caught_up()  # the mode the program last set, not an older one
    modes = session.screen.modes
    application, kitty = modes.application_cursor_keys, modes.kitty_keyboard
    try:
        data = b"".join(
            named_key(key, application_cursor=application, kitty=kitty) for key in body.keys
        )
    except KeyNameError as exc:
        raise ApiError(400, "INVALID_KEY", str(exc)) from None
    await session.send_input(data)
    return KeysSent(session_name=session.name, bytes_sent=len(data))


@router.get("/sessions/{name}/capture", response_model=Capture, responses={**AUTH, **NOT_FOUND})
async def capture(
    name: str,
    state: State,
    lines: Annotated[
        int | None,
        Query(ge=1, le=MAX_CAPTURE_LINES, description="The last N lines of history and screen."),
    ] = None,
    ansi: Annotated[bool, Query(description="Keep colours and attributes (SGR).")] = False,
) -> Capture:
    """The screen as text (``tmux capture-pane -p``), every byte read before the request on it."""
    session = find_session(state, name)
    await session.screen_caught_up()
    screen = session.screen
    return Capture(
        session_name=session.name,
        lines=screen_lines(screen, lines, ansi),
        ansi=ansi,
        rows=screen.rows,
        cols=screen.cols,
        cursor=list(screen.cursor),
    )


@router.post(
    "/sessions/{name}/wait",
    response_model=WaitResult,
    responses={
        **AUTH,
        **BODY,
        **NOT_FOUND,
        **NO_HOST,
        400: doc("The pattern is not a valid regular expression"),
        409: doc("No activity here (NO_HOST), or `done` for a session that is no agent"),
    },
)
async def wait(name: str, body: Wait, state: State) -> WaitResult:
    """Block until the session is idle, has exited or shows the pattern, or ``timeout_ms``
    passed (``reason`` says which; an exit ends every wait). Waiting for idle needs the
    server's activity (409 ``NO_HOST`` without it)."""
    session = find_session(state, name)
    key = str(session.id)
    until = Until(body.until)
    pattern = None
    if isinstance(body, WaitPattern):
        try:
            pattern = re.compile(body.pattern, re.MULTILINE)
        except (re.error, OverflowError, RecursionError) as exc:
            raise ApiError(
                400, "INVALID_PATTERN", f"invalid regular expression {body.pattern!r}: {exc}"
            ) from None
    host = host_of(state) if until in HOST_WAITS else state.host
    reached = (lambda: host.reached(key, until)) if host is not None else None
    info = host.info(key) if host is not None else None
    if until is Until.DONE and info is not None and info.agent is None:
        # Only an agent's hooks say a turn ended: the wait would last its whole timeout.
        raise ApiError(409, "NOT_AN_AGENT", f"{session.name} is no agent: it never reports done")
    if info is not None and info.restorable:
        # Stopped (listed from its record): no program to wait on, as for one that exited.
        outcome = WaitOutcome(Reason.EXITED)
    else:
        outcome = await wait_session(
            session, until, body.timeout_ms / 1000, pattern=pattern, reached=reached
        )
        info = host.info(key) if host is not None else None
    exit_code = session.exit_code if session.ended else info.exit_code if info else None
    return WaitResult(
        session_name=session.name,
        until=body.until,
        met=outcome.met(until),
        reason=outcome.reason.value,
        match=outcome.match,
        activity=info.activity.value if info is not None else None,
        running=session.is_running,
        exit_code=exit_code,
    )


@router.post(
    "/sessions/{name}/restart",
    response_model=SessionRow,
    responses={**AUTH, **BODY, **NOT_FOUND, **NO_HOST},
)
async def restart(name: str, body: EmptyBody, state: State) -> SessionRow:
    """End the session's program if it runs and start its command again, in a new session of
    the same name (a new key); the body is ``{}``."""
    host = host_of(state)
    session = find_session(state, name)
    return _info(host, await host.restart(str(session.id)))
