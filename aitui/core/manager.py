"""``SessionManager``: the registry of a process's sessions, by id and by unique name."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aitui.core.config import SessionConfig
from aitui.core.errors import SessionExistsError, SessionNotFoundError
from aitui.core.listeners import Listeners
from aitui.core.records import SessionRecord
from aitui.core.restore import rebuild_session
from aitui.core.session import AISession
from aitui.core.types import SessionId, SessionStatus


@dataclass(frozen=True)
class SessionAdded:
    session: AISession


@dataclass(frozen=True)
class SessionRemoved:
    session_id: SessionId


ManagerEvent = SessionAdded | SessionRemoved


class SessionManager:
    """Creates, finds and removes sessions. Names, when given, are unique.

    Observers (the dashboard, when the HTTP API runs in it) learn of sessions added and removed
    by anyone through ``subscribe``.
    """

    def __init__(self) -> None:
        self._sessions: dict[SessionId, AISession] = {}
        self._listeners: Listeners[ManagerEvent] = Listeners()

    def subscribe(self, callback: Callable[[ManagerEvent], None]) -> Callable[[], None]:
        return self._listeners.subscribe(callback)

    def _emit(self, event: ManagerEvent) -> None:
        self._listeners.emit(event)

    def __len__(self) -> int:
        return len(self._sessions)

    async def create_session(self) -> AISession:
        """A session with the default configuration (not started: call ``start()``)."""
        return await self.create_session_with_config(SessionConfig())

    async def create_session_with_config(self, config: SessionConfig) -> AISession:
        """A session for ``config``; ``SessionExistsError`` if its name is taken."""
        return self._add(AISession(config))

    async def restore_session(
        self,
        record: SessionRecord | SessionId,
        config: SessionConfig | None = None,
        created_at: datetime | None = None,
    ) -> AISession:
        """Re-create a recorded session (``aitui.core.records``) under its old id and creation
        time, with its configuration, metadata, AI context and (when it was kept) scrollback;
        not started: ``await session.start()`` runs its command again.

        The reference's ``restore_session(session_id, config, created_at)`` works too: a session
        under that id and time with ``config`` (nothing else is known of it); it was a
        ``TypeError`` (2 positional arguments but 4 were given)."""
        if isinstance(record, SessionId):
            if config is None:
                raise TypeError("restore_session(session_id, config, created_at) needs a config")
            self._check_free(record, config.name)
            return self._add(AISession(config, session_id=record, created_at=created_at))
        session_id = SessionId.parse_str(record.id)
        self._check_free(session_id, record.name)
        return self._add(rebuild_session(record))

    def _check_free(self, session_id: SessionId, name: str | None) -> None:
        if session_id in self._sessions:
            raise SessionExistsError(f"session {session_id} already exists")
        if name is not None and self.get_session_by_name(name) is not None:
            raise SessionExistsError(f"a session named {name!r} already exists")

    def _add(self, session: AISession) -> AISession:
        name = session.config.name
        if name is not None and self.get_session_by_name(name) is not None:
            raise SessionExistsError(f"a session named {name!r} already exists")
        self._sessions[session.id] = session
        self._emit(SessionAdded(session))
        return session

    def get_session(self, session_id: SessionId) -> AISession | None:
        return self._sessions.get(session_id)

    def get_session_by_name(self, name: str) -> AISession | None:
        for session in self._sessions.values():
            if session.config.name == name:
                return session
        return None

    def require(self, key: SessionId | str) -> AISession:
        """The session with that id or name; ``SessionNotFoundError`` naming it otherwise."""
        if isinstance(key, SessionId):
            session = self.get_session(key)
        else:
            session = self.get_session_by_name(key)
            if session is None:
                try:
                    session = self.get_session(SessionId.parse_str(key))
                except ValueError:
                    session = None
        if session is None:
            raise SessionNotFoundError(f"no session named {str(key)!r}")
        return session

    def list_sessions(self) -> list[SessionId]:
        return list(self._sessions)

    def sessions(self) -> list[AISession]:
        return list(self._sessions.values())

    async def remove_session(self, session_id: SessionId) -> None:
        """Stop the session (ending its processes) and forget it."""
        session = self._sessions.pop(session_id, None)
        if session is None:
            raise SessionNotFoundError(f"no session with id {session_id}")
        self._emit(SessionRemoved(session_id))
        await session.stop()

    async def cleanup_terminated(self) -> int:
        """Forget sessions whose program has ended; returns how many were removed."""
        dead = [
            sid
            for sid, session in self._sessions.items()
            if session.status() in (SessionStatus.TERMINATED, SessionStatus.ERROR)
        ]
        for sid in dead:
            self._emit(SessionRemoved(sid))
            await self._sessions.pop(sid).stop()
        return len(dead)

    async def stop_all(self) -> None:
        """Stop every session concurrently (used at shutdown)."""
        await asyncio.gather(*(s.stop() for s in self._sessions.values()))
