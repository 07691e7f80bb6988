"""``SessionHost``: the sessions of one process, with what is known of each, as a ``Host``.

The server holds its sessions in one, and so does a dashboard for what only it shows (replayed
recordings, headless scenarios). It owns the session manager and the coordination (every live
session is an agent), folds each session's events into its activity (``ActivityTracker``) and
says what changed through one ``Listeners``. Sessions that others create on the manager (the
HTTP API's ``POST /sessions``) are taken in the same way as those created here.

Several viewers may show sessions at once (the dashboards attached to a server): a session is
on display while any of them shows it, and in front while any of them types into it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shlex
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from aitui.core.activity import NEEDS_YOU, Activity
from aitui.core.autoaccept import AutoAcceptConfig
from aitui.core.config import SessionConfig
from aitui.core.coordination import Coordination
from aitui.core.coordination_rows import MessageRow, TaskRow
from aitui.core.errors import ConfigError, SessionNotFoundError
from aitui.core.events import ScreenUpdated, SessionEvent, SessionExited, StatusChanged
from aitui.core.host_agents import AgentHosting
from aitui.core.host_entries import Entry, describe, info_of, require_not_stopped
from aitui.core.host_lifecycle import SessionLifecycle
from aitui.core.hosting import (
    CoordinationChanged,
    HostEvent,
    NewSession,
    Notice,
    PaneSource,
    ScreenChanged,
    SessionChanged,
    SessionInfo,
    SessionsChanged,
)
from aitui.core.keeper import RecordKeeper
from aitui.core.listeners import Listeners
from aitui.core.manager import ManagerEvent, SessionAdded, SessionManager, SessionRemoved
from aitui.core.names import check_name
from aitui.core.profiles import AgentProfile, ProfileError, profile_for_command
from aitui.core.records import SessionRecords
from aitui.core.replay import ReplaySession
from aitui.core.session import AISession
from aitui.core.stats import ContextStatsChanged
from aitui.core.types import SessionStatus

log = logging.getLogger(__name__)

#: How often time passing is looked at (quiet sessions, "no output for 2m").
TICK_SECONDS = 1.0
LOCAL_VIEWER = "local"
#: Commands whose savings a session's info carries (the compression panel's sparkline).
SAVINGS_KEPT = 60


class SessionHost(SessionLifecycle, AgentHosting):
    """Sessions held in this process; see the module's docstring."""

    def __init__(
        self,
        manager: SessionManager | None = None,
        coordination: Coordination | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        shell: str | None = None,
        scrollback_lines: int | None = None,
        records: SessionRecords | None = None,
        persist_scrollback: bool = False,
        hook_socket: Path | None = None,
        profiles_dir: Path | None = None,
    ) -> None:
        """``shell``, ``scrollback_lines`` and ``persist_scrollback`` are the defaults of
        sessions made by ``create`` (the user's configuration); ``clock`` is what "no output
        for 2m" is measured with. With ``records`` (the host owns them from then on, and closes
        them), every session is kept there as it changes and ``restore`` lists the sessions of
        the previous run; without, nothing outlives the host. ``hook_socket`` is where agents'
        hooks report (the server's socket; without, agents' states come from their screens);
        ``profiles_dir`` holds the user's agent profiles (default: the config dir's)."""
        self.manager = manager if manager is not None else SessionManager()
        self.coordination = coordination if coordination is not None else Coordination()
        self.shell = shell
        self.scrollback_lines = scrollback_lines
        self._clock = clock
        self.hook_socket = hook_socket
        self.profiles_dir = profiles_dir
        self._screen_checks: set[str] = set()
        self._entries: dict[str, Entry] = {}
        self._events: Listeners[HostEvent] = Listeners()
        self._viewers: dict[str, tuple[frozenset[str], str | None]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._ticker: asyncio.TimerHandle | None = None
        self.closing = False
        #: What went wrong at start-up that the user must hear of (a store that could not be
        #: opened, a session not restored): each dashboard that attaches and each ``aitui ls``
        #: is told, since a notice sent before anyone attached reaches nobody.
        self.problems: list[str] = []
        self.keeper = (
            RecordKeeper(records, persist_scrollback=persist_scrollback, report=self.notify)
            if records is not None
            else None
        )
        self._unsubscribe = [
            self._start_nudging(),
            self.manager.subscribe(self._on_manager_event),
            self.coordination.coordinator.subscribe(
                lambda _: self._events.emit(CoordinationChanged())
            ),
        ]
        for session in self.manager.sessions():
            self._adopt(session)

    # -- reading ------------------------------------------------------------------------------
    def sessions(self) -> list[SessionInfo]:
        return [self._info(entry) for entry in self._entries.values()]

    def info(self, key: str) -> SessionInfo | None:
        entry = self._entries.get(key)
        return self._info(entry) if entry is not None else None

    def require_not_stopped(self, key: str) -> None:
        """``SessionNotRunningError`` saying how to run it again, if ``key`` is stopped."""
        entry = self._entries.get(key)
        if entry is not None:
            require_not_stopped(entry)

    def source(self, key: str) -> PaneSource | None:
        entry = self._entries.get(key)
        return entry.item if entry is not None else None

    def session(self, key: str) -> AISession | None:
        """The live session behind ``key`` (for the server's own routes), else ``None``."""
        entry = self._entries.get(key)
        return entry.session if entry is not None else None

    def idle(self, key: str) -> bool:
        """Whether the session is done with its last input (``ActivityTracker.idle``)."""
        entry = self._require(key)
        session = entry.session
        if session is None or not session.is_running:
            return False
        return entry.tracker.idle(session.last_output_at, session.last_input_at, self._clock())

    def reached(self, key: str, until: str) -> bool:
        """Whether the session is ``until``: "idle" (``idle``), "waiting" (an agent waits for
        the user: asks for input or an approval, or finished its turn: ``NEEDS_YOU``, what the
        dashboard's "needs you" lists) or "done" (an agent finished its turn), since the last
        input. A turn that ends without a question counts as waiting: Codex never says more
        after it, so a script's ``wait --until waiting`` waited until its timeout."""
        if until == "idle":
            return self.idle(key)
        entry = self._require(key)
        session = entry.session
        if session is None or not session.is_running:
            return False
        wanted = NEEDS_YOU if until == "waiting" else frozenset({Activity.DONE})
        return entry.tracker.reached(wanted, session.last_input_at)

    def key_of(self, name_or_key: str) -> str:
        """The key of the session called ``name_or_key`` (or with that key)."""
        if name_or_key in self._entries:
            return name_or_key
        for key, entry in self._entries.items():
            if entry.item.name == name_or_key:
                return key
        raise SessionNotFoundError(f"no session named {name_or_key!r}")

    def subscribe(self, callback: Callable[[HostEvent], None]) -> Callable[[], None]:
        self._start_ticking()
        return self._events.subscribe(callback)

    def message_rows(self) -> list[MessageRow]:
        return self.coordination.message_rows()

    def task_rows(self) -> list[TaskRow]:
        return self.coordination.task_rows()

    # -- viewing ------------------------------------------------------------------------------
    def show(self, visible: list[str], foreground: str | None, viewer: str = LOCAL_VIEWER) -> None:
        """``viewer`` (a dashboard) shows ``visible`` and types into ``foreground``."""
        self._viewers[viewer] = (frozenset(visible), foreground)
        self._apply_views()

    def forget_viewer(self, viewer: str) -> None:
        """A dashboard detached: what only it showed is no longer on display."""
        if self._viewers.pop(viewer, None) is not None:
            self._apply_views()

    def _apply_views(self) -> None:
        shown = set().union(*(v for v, _ in self._viewers.values())) if self._viewers else set()
        fronts = {f for _, f in self._viewers.values() if f is not None}
        for entry in self._entries.values():
            before = entry.tracker.state.attention
            entry.tracker.see(entry.key in shown)
            session = entry.session
            if session is not None:
                session.set_foreground(entry.key in fronts)
                session.set_visible(entry.key in shown)
            if before != entry.tracker.state.attention:
                self._events.emit(SessionChanged(entry.key))

    # -- changing -----------------------------------------------------------------------------
    async def create(self, request: NewSession) -> str:
        """Start a session for ``request``; its key. A session that cannot start stays, in
        error, with the reason (and the error is raised)."""
        if request.name:
            check_name(request.name)
        config = SessionConfig(
            name=request.name or None,
            working_directory=request.directory,
            shell_command=request.command or None,
            shell=request.shell or None,
            agent_role=request.role or None,
            enable_ai_features=request.ai,
            history=request.history,
            environment={"PATH": request.search_path} if request.search_path else {},
        )
        agent = request.agent
        if agent is None and request.command:
            try:  # an agent's own command gets its profile
                agent = profile_for_command(request.command, self.profiles())
            except ProfileError as exc:
                self.notify(f"agent profiles not read: {exc}", "warning")
        profile = self.profile(agent) if agent else None
        if profile is None and request.auto_accept is not None and request.auto_accept.enabled:
            # Only an agent's hooks ask: the policy would be dropped while the caller
            # believes it on.
            raise ConfigError("auto-accept needs an agent: name its profile or run its program")
        if profile is not None:
            config.shell_command = None  # wired below, once the session has its key
        return await self.start_config(
            config,
            autostart=request.autostart,
            persist_scrollback=request.persist_scrollback,
            agent=profile,
            agent_command=shlex.split(request.command) if request.command else None,
            auto_accept=request.auto_accept,
        )

    async def start_config(
        self,
        config: SessionConfig,
        *,
        autostart: bool = False,
        persist_scrollback: bool | None = None,
        agent: AgentProfile | None = None,
        agent_command: list[str] | None = None,
        auto_accept: AutoAcceptConfig | None = None,
    ) -> str:
        """Start a session for ``config`` (the host's defaults filled in); its key. With
        records, its record is written before this returns (``autostart``: the next host runs
        it at once; ``persist_scrollback``: its scrollback is kept too, default the host's).
        With ``agent``, it runs that profile's agent (``agent_command`` instead of the
        profile's command) with its hooks wired (``AgentHosting.prepare_agent``)."""
        if config.shell is None and self.shell:
            config.shell = self.shell
        if self.scrollback_lines is not None:
            config.scrollback_lines = self.scrollback_lines
        session = await self.manager.create_session_with_config(config)
        key = str(session.id)
        if agent is not None:
            self.prepare_agent(session, agent, command=agent_command, auto_accept=auto_accept)
        if self.keeper is not None:
            self.keeper.track(session, autostart=autostart, persist_scrollback=persist_scrollback)
        await session.start()
        try:
            await self._register(self._entries[key])
            if self.keeper is not None:
                await self.keeper.save(session)  # StoreError with the disk full
        except BaseException:
            # Refused: no agent may stay behind for tasks and messages to go to.
            await self.coordination.remove_session(session)
            raise
        return key

    async def submit_task(self, description: str, needs: list[str], priority: str) -> None:
        await self.coordination.submit(description, needs, priority)

    async def broadcast(self, text: str, priority: str) -> int:
        return await self.coordination.broadcast(text, priority)

    def add_replay(self, replay: ReplaySession) -> str:
        """Show a recording as a session (an agent too, with a new identity each run)."""
        key = str(replay.id)
        entry = Entry(key, replay)
        self._watch(entry)
        self.coordination.add_agent(key, replay.name, replay.role, None)
        entry.registered = True
        self._events.emit(SessionsChanged())
        return key

    def notify(self, text: str, severity: str = "information") -> None:
        self._events.emit(Notice(text, severity))

    async def close(self) -> None:
        """Stop every session and the store (the dashboard quits, the server stops)."""
        self.closing = True
        if self._ticker is not None:
            self._ticker.cancel()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        await self.manager.stop_all()
        if self.keeper is not None:
            await self.keeper.close()  # what waited is written: a clean stop loses nothing
        for task in list(self._tasks):
            task.cancel()
        await self.coordination.close()

    # -- internals ----------------------------------------------------------------------------
    def _on_manager_event(self, event: ManagerEvent) -> None:
        if isinstance(event, SessionAdded):
            self._adopt(event.session)
        elif isinstance(event, SessionRemoved):
            self._drop(str(event.session_id))
            if self.keeper is not None and not self.closing:  # e.g. DELETE /sessions/{id}
                self._spawn(self.keeper.forget(str(event.session_id)))

    def _adopt(self, session: AISession) -> None:
        entry = Entry(str(session.id), session)
        self._watch(entry)
        if self.keeper is not None:
            self.keeper.track(session)
        if session.is_running:
            self._spawn(self._register(entry))
        self._events.emit(SessionsChanged())

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            entry.unsubscribe()
            self.forget_agent(entry)
            self.nudger.forget(key)
            self._events.emit(SessionsChanged())

    def _watch(self, entry: Entry) -> None:
        key = entry.key
        self._entries[key] = entry
        entry.tracker.see(any(key in v for v, _ in self._viewers.values()))
        stop_events = entry.item.subscribe(lambda e: self._on_session_event(entry, e), output=False)
        context = (
            entry.session.get_ai_context()
            if entry.session is not None and entry.session.config.enable_ai_features
            else entry.item.ai_context
            if isinstance(entry.item, ReplaySession)
            else None
        )
        if context is None:
            entry.unsubscribe = stop_events
            return
        entry.context = context.stats()
        stop_stats = context.subscribe(lambda e: self._on_context(entry, e))
        entry.unsubscribe = lambda: (stop_events(), stop_stats())[0]

    def _on_session_event(self, entry: Entry, event: SessionEvent) -> None:
        if isinstance(event, ScreenUpdated):
            if entry.tracker.output_seen_at(entry.item.last_output_at):
                self._events.emit(SessionChanged(entry.key))
            self._events.emit(ScreenChanged(entry.key))
            self.check_screen_soon(entry)
            return
        changed = entry.tracker.apply(event)
        session = entry.session
        if isinstance(event, StatusChanged) and session is not None:
            changed = True
            if event.new is SessionStatus.RUNNING and not entry.registered:
                self._spawn(self._register(entry))
        if isinstance(event, SessionExited) and session is not None and not self.closing:
            # Its tasks go back to pending, to whoever can take them.
            self._spawn(self.coordination.session_exited(session))
        if changed:
            self._events.emit(SessionChanged(entry.key))

    def _on_context(self, entry: Entry, event: ContextStatsChanged) -> None:
        previous, new = entry.context, event.stats
        if previous is not None and new.commands_seen > previous.commands_seen:
            raw = new.raw_output_tokens - previous.raw_output_tokens
            kept = new.compressed_output_tokens - previous.compressed_output_tokens
            if raw > 0:
                entry.savings = [*entry.savings[-(SAVINGS_KEPT - 1) :], 100.0 * (1 - kept / raw)]
        entry.context = new
        self._events.emit(SessionChanged(entry.key))

    async def _register(self, entry: Entry) -> None:
        session = entry.session
        if entry.registered or session is None or self.closing:
            return
        entry.registered = True
        await self.coordination.add_session(session)

    def _spawn(self, job: Coroutine[Any, Any, None]) -> None:
        """Run ``job`` on the loop, kept referenced until it ends; its failure is logged."""
        task = asyncio.get_running_loop().create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("session host: %s", task.exception())
            self._events.emit(Notice(str(task.exception()), "error"))

    def _start_ticking(self) -> None:
        if self._ticker is None and not self.closing:
            with contextlib.suppress(RuntimeError):  # no loop yet: the first subscriber's
                self._ticker = asyncio.get_running_loop().call_later(TICK_SECONDS, self._tick)

    def _tick(self) -> None:
        """Once a second: output that came without a screen update (a flood nobody watches
        is parsed only once it slows down), sessions gone quiet, durations that grew."""
        now = self._clock()
        for entry in self._entries.values():
            changed = entry.tracker.output_seen_at(entry.item.last_output_at)
            changed |= entry.tracker.tick(now)
            self.check_screen_soon(entry)  # a screen nobody watches is not parsed alone
            if changed or describe(entry, now) != entry.detail:
                self._events.emit(SessionChanged(entry.key))
        if not self.closing:
            self._ticker = asyncio.get_running_loop().call_later(TICK_SECONDS, self._tick)

    def _info(self, entry: Entry) -> SessionInfo:
        return info_of(entry, self._clock())
