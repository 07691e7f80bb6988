"""Delivery into an agent's terminal: a prompt queue that types messages when the session idles.

A real agent CLI reads its prompts from the terminal, not from ``receive()``. For an agent
registered with ``terminal=TerminalDelivery(...)``, a background task takes its messages (highest
priority first), waits until the session is idle, types the formatted message followed by Enter,
then marks it delivered (``via="terminal"``) and acknowledges it. A message is never typed over a
running command: if the session turns busy between taking a message and typing it, the message
goes back to its place in the inbox. A session that ends leaves the message unacknowledged, so it
is kept (and redelivered after a restart when persistent).

Idle means, per ``mode``:

* ``"prompt"``: the shell drew its prompt (``PromptShown``) and no command started since. Needs
  shell integration (bash, zsh, fish); this is how you reach a program started *by* each message.
* ``"quiet"``: no output for ``quiet_for`` seconds — for an agent CLI that is already running in
  the terminal (the shell is busy running it) and reads lines from its own input.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from aitui.core.agents.errors import InboxClosedError
from aitui.core.agents.messages import Message, MessageType
from aitui.core.errors import SessionNotRunningError
from aitui.core.events import (
    CommandStarted,
    OutputReceived,
    PromptShown,
    SessionEvent,
    SessionExited,
)

if TYPE_CHECKING:
    from aitui.core.agents.bus import MessageBus
    from aitui.core.agents.ids import AgentId
    from aitui.core.session import AISession

log = logging.getLogger(__name__)


def format_prompt(message: Message) -> str:
    """One line: ``[DataShare from <sender>] {json payload}`` (broadcasts: just the content)."""
    if message.message_type is MessageType.BROADCAST and isinstance(message.payload, dict):
        body = str(message.payload.get("content", ""))
    elif isinstance(message.payload, str):
        body = message.payload
    else:
        body = json.dumps(message.payload, ensure_ascii=False)
    text = f"[{message.message_type.value} from {message.from_}] {body}"
    return " ".join(text.split())  # a newline would press Enter early


@dataclass(frozen=True)
class TerminalDelivery:
    mode: Literal["prompt", "quiet"] = "prompt"
    quiet_for: float = 0.5
    formatter: Callable[[Message], str] = format_prompt
    #: Typed after the text; ``"\r"`` is what the Enter key sends.
    enter: str = "\r"


class IdleWatcher:
    """Follows a session's events to tell whether typing into it now is safe."""

    def __init__(self, session: AISession, config: TerminalDelivery) -> None:
        from aitui.core.shell import IntegrationMode

        self._session = session
        self._config = config
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        self.exited = False
        self.last_output = self._loop.time()
        launch = session.launch
        # start() returns after the first prompt, so a shell already started is at its prompt.
        self.at_prompt = (
            session.is_running and launch is not None and launch.mode is IntegrationMode.HOOKS
        )
        self._unsubscribe = session.subscribe(self._on_event)

    def close(self) -> None:
        self._unsubscribe()

    def _on_event(self, event: SessionEvent) -> None:
        if isinstance(event, PromptShown):
            self.at_prompt = True
        elif isinstance(event, CommandStarted):
            self.at_prompt = False
        elif isinstance(event, OutputReceived):
            self.last_output = self._loop.time()
        elif isinstance(event, SessionExited):
            self.exited = True
        else:
            return
        self._changed.set()

    def is_idle(self) -> bool:
        if self.exited:
            return False
        if self._config.mode == "prompt":
            return self.at_prompt
        return self._loop.time() - self.last_output >= self._config.quiet_for

    def typed(self) -> None:
        """We pressed Enter: busy until the next prompt (or the next quiet spell)."""
        self.at_prompt = False
        self.last_output = self._loop.time()

    async def wait_idle(self) -> None:
        while not self.is_idle():
            if self.exited:
                raise SessionNotRunningError(f"session {self._session.name} exited")
            self._changed.clear()
            wait = None
            if self._config.mode == "quiet":
                wait = self.last_output + self._config.quiet_for - self._loop.time()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._changed.wait()


class PromptQueue:
    """The consumer of one agent's inbox when its messages go into its terminal."""

    def __init__(
        self,
        bus: MessageBus,
        agent_id: AgentId,
        session: AISession,
        config: TerminalDelivery,
    ) -> None:
        self.bus = bus
        self.agent_id = agent_id
        self.session = session
        self.config = config
        self.typed = 0
        #: What the queue does now, for observers: ``waiting for message``, ``waiting for idle``
        #: (messages are held until the session idles), ``typing``, or ``stopped``.
        self.state = "starting"
        self._task: asyncio.Task[None] | None = None
        self.start()  # before the session starts, too: the watcher then sees its first prompt

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name=f"prompt-queue-{self.agent_id}"
            )

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        watcher = IdleWatcher(self.session, self.config)
        inbox = self.bus.inbox(self.agent_id)
        try:
            while True:
                self.state = "waiting for idle"
                await watcher.wait_idle()
                self.state = "waiting for message"
                envelope = await inbox.take()
                if not watcher.is_idle():  # turned busy while we waited for a message
                    inbox.requeue(envelope)
                    continue
                message = envelope[2]
                assert message is not None
                self.state = "typing"
                try:
                    text = self.config.formatter(message)
                    await self.session.send_input(text + self.config.enter)
                except BaseException:
                    inbox.requeue(envelope)  # not typed: keep its place
                    raise
                watcher.typed()
                self.typed += 1
                self.bus.mark_delivered(self.agent_id, envelope, "terminal")
                await self.bus.ack(self.agent_id, message.id)
        except (InboxClosedError, SessionNotRunningError):
            return
        except Exception:
            log.exception("terminal delivery to agent %s stopped", self.agent_id)
        finally:
            self.state = "stopped"
            watcher.close()
