"""Recording a session as asciicast v2 (an addition to the reference): start, look, stop.

The server chooses the file (``recordings/`` of its data dir) so a client can never make it
write elsewhere; the reply says where it is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from aitui.core.recording import SessionRecording, default_recording_path
from aitui.core.session import AISession
from aitui.server.errors import AUTH, BODY, NOT_FOUND, ApiError, Responses, doc
from aitui.server.models import EmptyBody, Recording
from aitui.server.state import ServerState, find_session, get_state

router = APIRouter(tags=["terminal"])
State = Annotated[ServerState, Depends(get_state)]
NO_RECORDING: Responses = {404: doc("No such session, or it has no recording")}


def _view(session: AISession, recording: SessionRecording) -> Recording:
    return Recording(
        session_name=session.name,
        path=str(recording.path),
        active=recording.active,
        error=recording.error,
    )


@router.post(
    "/sessions/{name}/recording",
    response_model=Recording,
    responses={
        **AUTH,
        **BODY,
        **NOT_FOUND,
        409: doc("The shell is not running, or the session is already being recorded"),
        507: doc("The recording file cannot be created in the data dir"),
    },
)
async def start_recording(name: str, body: EmptyBody, state: State) -> Recording:
    """Record the session from now on (beginning with its screen as it is); the body is ``{}``."""
    session = find_session(state, name)
    if not session.is_running:
        raise ApiError(409, "SESSION_NOT_RUNNING", f"session {session.name!r} is not running")
    # Already recording: 409 ALREADY_RECORDING; file not writable: 507 (the error table).
    recording = session.start_recording(default_recording_path(session.name))
    return _view(session, recording)


@router.get(
    "/sessions/{name}/recording", response_model=Recording, responses={**AUTH, **NO_RECORDING}
)
async def recording_state(name: str, state: State) -> Recording:
    """The session's current or last recording."""
    session = find_session(state, name)
    if session.recording is None:
        raise ApiError(404, "NO_RECORDING", f"session {session.name!r} has not been recorded")
    return _view(session, session.recording)


@router.delete(
    "/sessions/{name}/recording", response_model=Recording, responses={**AUTH, **NO_RECORDING}
)
async def stop_recording(name: str, state: State) -> Recording:
    """Stop recording: the file is complete when this returns."""
    session = find_session(state, name)
    recording = session.recording
    if recording is None or not recording.active:
        raise ApiError(404, "NO_RECORDING", f"session {session.name!r} is not being recorded")
    await session.stop_recording()
    return _view(session, recording)
