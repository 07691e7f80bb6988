"""The host's side of agent sessions: starting them from profiles, their hooks' reports, the
screen fallback, auto-accept and answering them (``SessionHost`` mixes this in).

What a session was started as is kept in its metadata (its record keeps that): ``agent``
(the profile's name), ``agent_command`` (the command before any wiring, as argv) and
``auto_accept`` (the policy, as a mapping), so the next server resumes the agent's
conversation, with its hooks wired afresh, rather than running a bare command.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shlex
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aitui.core.activity import Activity
from aitui.core.agent_nudge import IDLE, Nudger
from aitui.core.agent_watch import AgentWatch, DecisionRecord, HookOutcome
from aitui.core.agent_wiring import wire
from aitui.core.autoaccept import AutoAcceptConfig
from aitui.core.coordination import Coordination
from aitui.core.errors import AituiError, SessionNotFoundError
from aitui.core.host_entries import Entry, require_not_stopped
from aitui.core.hosting import CoordinationChanged, HostEvent, SessionChanged, SessionInfo
from aitui.core.listeners import Listeners
from aitui.core.profiles import AgentProfile, ProfileError, get_profile, load_profiles
from aitui.core.session import AISession

log = logging.getLogger(__name__)
#: A changed screen is looked at this long after (screens change many times a second).
SCREEN_CHECK_DELAY_S = 0.3


class HookRefused(AituiError):
    """A hook's report is not accepted: no such agent session, or not its token."""


class NotAnAgentError(AituiError):
    """The session was not started from an agent profile (it has no policy, no keys)."""


class NotAskingError(AituiError):
    """``approve`` or ``deny`` for an agent that asks for no approval: its keys would be
    typed into its prompt (Claude Code's ``1`` lands in its input box)."""


#: The answers that make sense only while the agent asks (``interrupt`` stops a turn too).
ANSWERS_TO_A_REQUEST = frozenset({"approve", "deny"})


class AgentHosting:
    """Agent support for ``SessionHost`` (which provides the attributes declared here)."""

    _entries: dict[str, Entry]
    _events: Listeners[HostEvent]
    hook_socket: Path | None
    profiles_dir: Path | None
    _screen_checks: set[str]
    coordination: Coordination
    closing: bool

    if TYPE_CHECKING:  # provided by ``SessionHost``

        def _spawn(self, job: Coroutine[Any, Any, None]) -> None: ...

        def _info(self, entry: Entry) -> SessionInfo: ...

        def key_of(self, name_or_key: str) -> str: ...

    def profile(self, name: str) -> AgentProfile:
        return get_profile(name, self.profiles_dir)

    def profiles(self) -> dict[str, AgentProfile]:
        return load_profiles(self.profiles_dir)

    def prepare_agent(
        self,
        session: AISession,
        profile: AgentProfile,
        *,
        command: list[str] | None = None,
        auto_accept: AutoAcceptConfig | None = None,
        resume: bool = False,
    ) -> None:
        """Before ``session`` starts: its command line and environment with ``profile``'s
        hooks wired, and what to restore it as in its metadata."""
        key = str(session.id)
        base = list(command) if command else list(profile.command)
        hooks_dir = (self.hook_socket.parent if self.hook_socket else Path()) / "hooks"
        wiring = wire(
            profile, base, key=key, socket=self.hook_socket, hooks_dir=hooks_dir, resume=resume
        )
        session.config.shell_command = shlex.join(wiring.command) if wiring.command else None
        session.config.environment.update(wiring.environment)
        session.set_metadata("agent", profile.name)
        session.set_metadata("agent_command", base)
        policy = auto_accept or AutoAcceptConfig()
        session.set_metadata("auto_accept", policy.to_mapping())
        entry = self._entries[key]
        if entry.agent is not None:
            entry.agent.wiring.remove_files()
        entry.agent = AgentWatch(profile, wiring, session.config.working_directory, policy)

    def rewire_agent(self, session: AISession, *, resume: bool) -> None:
        """Wire a session from its metadata again (a restart; the next server's restore)."""
        name = session.get_metadata("agent")
        if not isinstance(name, str):
            return
        try:
            profile = self.profile(name)
            policy = AutoAcceptConfig.from_mapping(session.get_metadata("auto_accept") or {})
        except (ProfileError, AituiError) as exc:
            raise AituiError(f"{session.name}: its agent profile cannot be used: {exc}") from None
        command = session.get_metadata("agent_command")
        argv = [str(word) for word in command] if isinstance(command, list) else None
        self.prepare_agent(session, profile, command=argv, auto_accept=policy, resume=resume)

    def agent_hook(self, key: str, token: str, event: str, payload: object) -> HookOutcome:
        """An agent's hook reported ``event``; ``HookRefused`` unless ``token`` is the one
        its session was started with."""
        entry, watch = self._checked_agent(self._entries.get(key), token)
        outcome = watch.hook(entry.tracker, event, payload)
        decision = outcome.decision
        if decision is not None:
            # Logged without its subject: a command line may hold a secret, and logs are files.
            log.info(
                "%s: %s a %s call (risk %d)",
                entry.item.name,
                "approved" if decision.approved else "left to the user",
                decision.tool or "malformed",
                decision.risk,
            )
        if outcome.changed or decision is not None:
            self._events.emit(SessionChanged(key))
        return outcome

    def _start_nudging(self) -> Callable[[], None]:
        """Tell idle agents of their news (``agent_nudge``); returns the unsubscriber."""
        self.nudger = Nudger(self.coordination, self._mcp_agents, self._spawn)
        self._nudge_due = False
        return self._events.subscribe(self._nudge_soon)

    def _nudge_soon(self, event: HostEvent) -> None:
        """After a change of state or of the bus, once per loop turn: an idle agent may have
        news to be told."""
        if self._nudge_due or not isinstance(event, SessionChanged | CoordinationChanged):
            return
        with contextlib.suppress(RuntimeError):  # no running loop: nothing can be typed
            asyncio.get_running_loop().call_soon(self._nudge)
            self._nudge_due = True

    def _nudge(self) -> None:
        self._nudge_due = False
        if not self.closing:
            self.nudger.check()

    def _mcp_agents(self) -> list[tuple[SessionInfo, AISession, bool]]:
        """Each live agent session, its row, and whether a line may be typed into it: it has
        aitui's MCP tools, and nothing was typed into it since it went idle (a person's
        half-written prompt is never mixed with ours; our own line counts too)."""
        found = []
        for entry in self._entries.values():
            watch, session = entry.agent, entry.session
            if watch is None or session is None or not session.is_running:
                continue
            wired = self.hook_socket is not None and watch.profile.mcp != "none"
            fresh = entry.tracker.reached(IDLE, session.last_input_at)
            found.append((self._info(entry), session, wired and fresh))
        return found

    def agent_caller(self, key: str, token: str) -> str:
        """The name of the live agent session ``key`` (its key or name) if ``token`` is its
        token: who an MCP tool call comes from. ``HookRefused`` otherwise."""
        try:
            entry: Entry | None = self._entries[self.key_of(key)]
        except SessionNotFoundError:
            entry = None
        return self._checked_agent(entry, token)[0].item.name

    @staticmethod
    def _checked_agent(entry: Entry | None, token: str) -> tuple[Entry, AgentWatch]:
        """``entry`` and its agent if ``token`` is the one it was started with; else
        ``HookRefused``, the same for a wrong token as for no such agent."""
        watch = entry.agent if entry is not None else None
        if entry is None or watch is None or not watch.token_matches(token):
            raise HookRefused("no agent session with that key and token")
        return entry, watch

    def set_auto_accept(self, key: str, config: AutoAcceptConfig) -> None:
        watch = self._agent(key)
        watch.auto_accept = config
        session = self._entries[key].session
        if session is not None:
            session.set_metadata("auto_accept", config.to_mapping())
        self._events.emit(SessionChanged(key))

    def auto_accept(self, key: str) -> AutoAcceptConfig:
        return self._agent(key).auto_accept

    def decisions(self, key: str) -> list[DecisionRecord]:
        return list(self._agent(key).decisions)

    async def answer(self, key: str, action: str) -> int:
        """Press the agent's keys for ``action`` (``approve``, ``deny``, ``interrupt``: its
        profile's); an approval so answered is not asked twice. The bytes sent."""
        profile = self._agent(key).profile
        entry = self._entries[key]
        session = entry.session
        if session is None:
            raise NotAnAgentError("a replayed recording cannot be answered")
        await session.screen_caught_up()  # the keyboard protocol the agent last asked for
        activity = entry.tracker.state.activity
        if action in ANSWERS_TO_A_REQUEST and activity is not Activity.APPROVAL:
            raise NotAskingError(
                f"{entry.item.name} asks for no approval ({activity.value}): nothing was sent"
            )
        data = profile.key_bytes(action, kitty=session.screen.modes.kitty_keyboard)
        await session.send_input(data)
        entry.tracker.acknowledge_input()  # answered: not asked twice
        self._events.emit(SessionChanged(key))
        return len(data)

    def _agent(self, key: str) -> AgentWatch:
        entry = self._entries.get(key)
        if entry is None:
            raise AituiError(f"no session with key {key!r}")
        if entry.agent is None:
            if entry.session is not None and entry.session.get_metadata("agent") is not None:
                require_not_stopped(entry)  # its watch comes back when it runs again
            raise NotAnAgentError(f"{entry.item.name} was not started from an agent profile")
        return entry.agent

    # -- the screen fallback ------------------------------------------------------------------
    def check_screen_soon(self, entry: Entry) -> None:
        """Look at the agent's screen shortly (once, however many changes come meanwhile)."""
        watch = entry.agent
        if watch is None or entry.key in self._screen_checks:
            return
        if not watch.wants_look(entry.item.last_output_at):
            return
        self._screen_checks.add(entry.key)
        with contextlib.suppress(RuntimeError):  # no loop: nothing runs anyway
            loop = asyncio.get_running_loop()
            loop.call_later(SCREEN_CHECK_DELAY_S, lambda: self._spawn(self._check_screen(entry)))

    async def _check_screen(self, entry: Entry) -> None:
        self._screen_checks.discard(entry.key)
        session, watch = entry.session, entry.agent
        if session is None or watch is None or not session.is_running:
            return
        last_output = session.last_output_at
        await session.screen_caught_up()
        if watch.screen(entry.tracker, session.screen.text(), last_output):
            self._events.emit(SessionChanged(entry.key))

    def forget_agent(self, entry: Entry) -> None:
        if entry.agent is not None:
            entry.agent.wiring.remove_files()
