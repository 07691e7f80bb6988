"""What a dashboard needs of whoever holds the sessions: the ``Host`` protocol and its values.

The dashboard never touches an ``AISession``: it reads ``SessionInfo`` rows, draws a
``PaneSource`` per session and asks for changes (create, rename, restart, kill, record...)
through these methods. Two things stand behind it: ``aitui.core.host.SessionHost``, which holds
sessions in this process (the server's, and the dashboard's own for recordings and headless
scenarios), and ``aitui.client.RemoteHost``, which mirrors a server's over its socket. Both
speak only the plain values below, which is also what crosses the wire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from aitui.core.activity import Activity
from aitui.core.autoaccept import AutoAcceptConfig
from aitui.core.config import HistoryMode
from aitui.core.coordination_rows import MessageRow, TaskRow
from aitui.core.errors import AituiError
from aitui.core.stats import ContextStats
from aitui.core.terminal import CellStyle, TerminalModes


@dataclass(frozen=True)
class SessionInfo:
    """One session as a list row and the details screen show it; nothing live in it."""

    key: str  # the session's id, as text: stable across renames
    name: str
    role: str | None
    activity: Activity
    detail: str  # e.g. "exit 1", "no output for 2m", the full reason of a failure
    exit_code: int | None
    attention: str | None  # why it wants the user, while nobody looks at it
    running: bool
    command: str
    directory: str
    error: str | None = None
    recording: str | None = None  # the file being written, while recording
    recording_error: str | None = None
    context: ContextStats | None = None  # AI-context figures, when enabled
    #: Percent of output tokens each recorded command saved, oldest first (the last 60).
    savings: tuple[float, ...] = ()
    live: bool = True  # False for a replayed recording: nothing can be asked of it
    #: Listed from its record after a restart, not run again yet: ``restart`` runs it.
    restorable: bool = False
    #: Where ``activity`` came from ("hook", "screen", "shell", "output", "input", "process").
    source: str | None = None
    asked: str | None = None  # what an agent waits for approval of
    since: float | None = None  # time.time() when ``activity`` began (how long one waits)
    agent: str | None = None  # the agent profile it was started from
    auto_accept: bool = False  # its permission requests go through the auto-accept policy
    #: The policy's latest decision, as a person reads it ("approved Read: a.py (risk 1)").
    decision: str | None = None


@dataclass(frozen=True)
class NewSession:
    """What the new-session dialog (or ``aitui new``) asks for."""

    name: str | None = None
    directory: Path = field(default_factory=Path.cwd)
    command: str | None = None  # a command line instead of the shell
    shell: str | None = None  # the shell, if not the host's default
    role: str | None = None
    history: HistoryMode = HistoryMode.SHELL  # a person types here
    ai: bool = True  # AI features: its commands feed a context
    autostart: bool = False  # the next server (with records) runs it at once
    persist_scrollback: bool | None = None  # its scrollback is kept too; None: the default
    #: An agent profile's name (``aitui.core.profiles``): its agent, its hooks wired; then
    #: ``command`` (if any) is that agent's command line.
    agent: str | None = None
    auto_accept: AutoAcceptConfig | None = None  # the policy for its permission requests
    #: The ``PATH`` of whoever asks (the dashboard's or ``aitui new``'s shell): the program is
    #: looked up on it and runs with it. A server started before ``nvm use`` or a new venv
    #: would otherwise say "claude: not found" for a program the user's shell finds.
    #: None: the asking process's own (``RemoteHost`` sends it; a host of this process has it).
    search_path: str | None = None


@dataclass(frozen=True)
class SessionsChanged:
    """Sessions came or went (re-read ``sessions()``)."""


@dataclass(frozen=True)
class SessionChanged:
    """What a session's row shows changed (re-read ``info(key)``)."""

    key: str


@dataclass(frozen=True)
class ScreenChanged:
    """A watched session's screen has new content (its source's dirty rows say which)."""

    key: str


@dataclass(frozen=True)
class CoordinationChanged:
    """Messages or tasks changed (re-read ``message_rows()`` / ``task_rows()``)."""


@dataclass(frozen=True)
class Notice:
    """Something to tell the user (a recording's path, a failure that happened elsewhere)."""

    text: str
    severity: str = "information"


@dataclass(frozen=True)
class HostLost:
    """The server holding the sessions went away (killed, crashed, stopped): the host can do
    nothing more; the sessions may be gone with it."""

    reason: str


HostEvent = (
    SessionsChanged | SessionChanged | ScreenChanged | CoordinationChanged | Notice | HostLost
)


class ScrollbackView(Protocol):
    """A screen's history; line ``i`` is absolute line ``dropped + i``."""

    dropped: int  # lines gone off the old end
    generation: int  # bumped when numbered lines change (see ``Scrollback.generation``)
    fetched: int  # bumped when lines fetched from a server arrive (redraw a scrolled view)

    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> str: ...
    def runs(self, index: int) -> list[tuple[str, CellStyle]]: ...
    def search(
        self, pattern: str, regex: bool = False, ignore_case: bool = False
    ) -> list[tuple[int, int]]: ...
    async def find(
        self, pattern: str, regex: bool = False, ignore_case: bool = False
    ) -> list[tuple[int, int, int]]:
        """Every match in the whole history as (line index, column, length), oldest first;
        ``re.error`` (local) or ``AituiError`` (remote) for a bad regular expression."""
        ...


class ScreenView(Protocol):
    """What a pane reads from a screen."""

    @property
    def rows(self) -> int: ...
    @property
    def cols(self) -> int: ...
    @property
    def cursor(self) -> tuple[int, int]: ...
    @property
    def cursor_visible(self) -> bool: ...
    @property
    def title(self) -> str: ...
    @property
    def modes(self) -> TerminalModes: ...
    @property
    def scrollback(self) -> ScrollbackView: ...

    def row_runs(self, y: int) -> list[tuple[str, CellStyle]]: ...
    def take_dirty(self) -> set[int]: ...


class PaneSource(Protocol):
    """A screen to draw plus a way to type into it and resize it."""

    @property
    def screen(self) -> ScreenView: ...
    @property
    def name(self) -> str: ...

    async def send_input(self, data: str | bytes) -> None: ...
    async def resize(self, rows: int, cols: int) -> None: ...


class Host(Protocol):
    """Whoever holds the sessions a dashboard shows (see the module's docstring).

    Every ``async`` method raises ``AituiError`` subclasses with a message for the user."""

    def sessions(self) -> list[SessionInfo]: ...
    def info(self, key: str) -> SessionInfo | None: ...
    def source(self, key: str) -> PaneSource | None: ...
    def subscribe(self, callback: Callable[[HostEvent], None]) -> Callable[[], None]: ...

    def show(self, visible: list[str], foreground: str | None) -> None:
        """These sessions are on display (``foreground`` is typed into): their screens are
        kept current, and they get no attention badges."""

    async def create(self, request: NewSession) -> str: ...
    async def rename(self, key: str, name: str) -> None: ...
    async def restart(self, key: str) -> str: ...
    async def kill(self, key: str) -> None: ...
    async def dismiss(self, key: str) -> None: ...
    async def toggle_recording(self, key: str) -> str: ...
    async def answer(self, key: str, action: str) -> int:
        """Press the agent's own keys to ``approve``, ``deny`` or ``interrupt`` it; the
        bytes sent."""
        ...

    def message_rows(self) -> list[MessageRow]: ...
    def task_rows(self) -> list[TaskRow]: ...
    async def submit_task(self, description: str, needs: list[str], priority: str) -> None: ...
    async def broadcast(self, text: str, priority: str) -> int: ...

    async def close(self) -> None:
        """The dashboard is leaving: a local host stops its sessions, a remote one detaches."""


class NoHost:
    """A ``Host`` with no sessions: what a dashboard shows until it has attached."""

    def sessions(self) -> list[SessionInfo]:
        return []

    def info(self, key: str) -> SessionInfo | None:
        return None

    def source(self, key: str) -> PaneSource | None:
        return None

    def subscribe(self, callback: Callable[[HostEvent], None]) -> Callable[[], None]:
        return lambda: None

    def show(self, visible: list[str], foreground: str | None) -> None:
        pass

    def message_rows(self) -> list[MessageRow]:
        return []

    def task_rows(self) -> list[TaskRow]:
        return []

    async def _refuse(self) -> None:
        raise AituiError("not attached to a server yet")

    async def create(self, request: NewSession) -> str:
        await self._refuse()
        return ""

    async def rename(self, key: str, name: str) -> None:
        await self._refuse()

    async def restart(self, key: str) -> str:
        await self._refuse()
        return ""

    async def kill(self, key: str) -> None:
        await self._refuse()

    async def dismiss(self, key: str) -> None:
        await self._refuse()

    async def toggle_recording(self, key: str) -> str:
        await self._refuse()
        return ""

    async def answer(self, key: str, action: str) -> int:
        await self._refuse()
        return 0

    async def submit_task(self, description: str, needs: list[str], priority: str) -> None:
        await self._refuse()

    async def broadcast(self, text: str, priority: str) -> int:
        await self._refuse()
        return 0

    async def close(self) -> None:
        pass
