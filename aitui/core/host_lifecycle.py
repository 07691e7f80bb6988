"""What happens to a session after it started: restored from its record, renamed, restarted,
killed, dismissed, recorded (``SessionHost`` mixes this in).

A stopped session (listed from its record after a restart of the server) runs again in place:
same key and name, its AI context and scrollback as they were. A running one restarted is a new
session with the old one's configuration (and its agent's profile and policy).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from aitui.core.autoaccept import AutoAcceptConfig
from aitui.core.config import SessionConfig
from aitui.core.coordination import Coordination
from aitui.core.errors import AituiError, SessionExistsError, SessionNotFoundError
from aitui.core.host_entries import Entry
from aitui.core.hosting import HostEvent, SessionChanged
from aitui.core.keeper import RecordKeeper
from aitui.core.listeners import Listeners
from aitui.core.manager import SessionManager
from aitui.core.names import check_name
from aitui.core.profiles import AgentProfile
from aitui.core.recording import default_recording_path
from aitui.core.session import AISession


class SessionLifecycle:
    """Lifecycle of sessions for ``SessionHost`` (which provides the attributes declared here)."""

    _entries: dict[str, Entry]
    _events: Listeners[HostEvent]
    keeper: RecordKeeper | None
    manager: SessionManager
    coordination: Coordination
    problems: list[str]

    if TYPE_CHECKING:  # provided by ``SessionHost`` and ``AgentHosting``

        async def start_config(
            self,
            config: SessionConfig,
            *,
            autostart: bool = False,
            persist_scrollback: bool | None = None,
            agent: AgentProfile | None = None,
            agent_command: list[str] | None = None,
            auto_accept: AutoAcceptConfig | None = None,
        ) -> str: ...

        async def _register(self, entry: Entry) -> None: ...

        def _drop(self, key: str) -> None: ...

        def notify(self, text: str, severity: str = "information") -> None: ...

        def rewire_agent(self, session: AISession, *, resume: bool) -> None: ...

    async def restore(self) -> list[str]:
        """List the sessions of the records that are not here as stopped (their screens show
        their saved scrollback, if kept), then run those marked ``autostart``; the keys
        listed. A record that cannot be listed (its name is taken) is reported and left."""
        if self.keeper is None:
            return []
        keys: list[str] = []
        records = self.keeper.records
        for record in await records.load():
            if record.id in self._entries:  # here already (running, or listed before)
                continue
            try:
                session = await self.manager.restore_session(record)
            except (AituiError, ValueError, KeyError, TypeError) as exc:  # a damaged one too
                why = f"its record has no {exc}" if type(exc) is KeyError else str(exc)
                self.problems.append(f"session {record.name!r} is not restored: {why}")
                self.notify(self.problems[-1], "warning")
                continue
            key = str(session.id)
            self.keeper.track(
                session,
                autostart=record.autostart,
                persist_scrollback=record.persist_scrollback,
                saved=True,
            )
            self._entries[key].stopped = True
            keys.append(key)
            self._events.emit(SessionChanged(key))
        for damaged in records.unreadable:
            self.problems.append(
                f"{records.path}: {damaged} cannot be read: it is not listed, and is left in "
                "the file as it is"
            )
        for key in keys:
            if self.keeper.options(key)[0]:
                try:
                    await self.restart(key)
                except AituiError as exc:
                    self.notify(f"autostart of {self._entries[key].item.name}: {exc}", "error")
        return keys

    async def rename(self, key: str, name: str) -> None:
        entry = self._require(key)
        name = name.strip()
        if not name:
            raise SessionExistsError("a session needs a name")
        check_name(name)
        if any(e.item.name == name and e is not entry for e in self._entries.values()):
            raise SessionExistsError(f"a session named {name!r} already exists")
        session = self._require_live(entry, "renamed")
        session.config.name = name
        if self.keeper is not None:
            await self.keeper.save(session)
        self._events.emit(SessionChanged(key))

    async def restart(self, key: str) -> str:
        """Stop the session and start its command again (a new session, a new key). A stopped
        one (restored from its record) runs in place instead: same key, name, command,
        directory and role, its AI context and scrollback as they were."""
        entry = self._require(key)
        old = self._require_live(entry, "restarted")
        if entry.stopped:
            entry.stopped = False
            self._events.emit(SessionChanged(key))
            self.rewire_agent(old, resume=True)  # an agent resumes its conversation
            await old.start()
            await self._register(entry)
            if self.keeper is not None:
                await self.keeper.save(old)
            return key
        autostart, persist = self.keeper.options(key) if self.keeper else (False, None)
        agent = entry.agent
        command = old.get_metadata("agent_command")
        await self.coordination.remove_session(old)
        await self.manager.remove_session(old.id)
        if self.keeper is not None:
            await self.keeper.forget(key)
        return await self.start_config(
            copy.deepcopy(old.config),
            autostart=autostart,
            persist_scrollback=persist,
            agent=agent.profile if agent is not None else None,
            agent_command=[str(w) for w in command] if isinstance(command, list) else None,
            auto_accept=agent.auto_accept if agent is not None else None,
        )

    async def kill(self, key: str) -> None:
        """End the session's program (it stays listed, exited, until dismissed)."""
        entry = self._require(key)
        session = self._require_live(entry, "killed")
        entry.stopped = False
        await session.stop()
        await self.coordination.remove_session(session)
        if self.keeper is not None:
            await self.keeper.forget(key)

    async def dismiss(self, key: str) -> None:
        """Forget a session whose program has exited (or a recording)."""
        entry = self._require(key)
        session = entry.session
        if session is not None and session.is_running:
            raise AituiError(f"{session.name} is still running: only an exited one is dismissed")
        if session is not None:
            await self.coordination.remove_session(session)
            await self.manager.remove_session(session.id)
            if self.keeper is not None:
                await self.keeper.forget(key)
        else:
            self._drop(key)

    async def toggle_recording(self, key: str) -> str:
        """Start recording to the data dir, or stop; what to tell the user."""
        entry = self._require(key)
        session = self._require_live(entry, "recorded")
        recording = session.recording
        if recording is not None and recording.active:
            await session.stop_recording()
            self._events.emit(SessionChanged(key))
            if recording.error is not None:
                raise AituiError(f"recording failed: {recording.error}")
            return f"recording saved: {recording.path}"
        if not session.is_running:
            raise AituiError("the session has exited: nothing left to record")
        recording = session.start_recording(default_recording_path(session.name))
        self._events.emit(SessionChanged(key))
        return f"recording to {recording.path} (prefix w stops)"

    # -- internals ----------------------------------------------------------------------------
    def _require(self, key: str) -> Entry:
        entry = self._entries.get(key)
        if entry is None:
            raise SessionNotFoundError(f"no session with key {key!r}")
        return entry

    @staticmethod
    def _require_live(entry: Entry, what: str) -> AISession:
        if entry.session is None:
            raise AituiError(f"{entry.item.name} is a replayed recording: it cannot be {what}")
        return entry.session
