"""``AISession``: one program (usually a shell) on a real PTY, run from an asyncio loop.

Output is read continuously by the loop's reader callback, whether or not anyone calls
``read_output``: every chunk goes to one bounded output log (which ``read_output``,
``expect`` and ``recent_output`` read through their own cursors), the OSC 133 mark scanner (for
``execute``) and the virtual screen's backlog. The screen catches up behind the reader, a
bounded slice per loop turn (a short one per frame while the program floods), so emulation
barely delays draining the PTY.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import signal
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aitui.core.buffers import Cursor, ExpectBuffer, OutputLog
from aitui.core.capture import Capture
from aitui.core.command_observer import CommandCompleted, CommandObserver
from aitui.core.config import DEFAULT_PTY_SIZE, SessionConfig
from aitui.core.errors import (
    AlreadyRecordingError,
    ConfigError,
    ExpectTimeoutError,
    RecordingUnwritableError,
    SessionNotRunningError,
    SpawnError,
)
from aitui.core.events import (
    BellRang,
    EventHub,
    OutputReceived,
    ScreenUpdated,
    SessionEvent,
    SessionExited,
    StatusChanged,
    TitleChanged,
    shell_event,
)
from aitui.core.executor import CommandRunner
from aitui.core.listeners import Listeners
from aitui.core.marks import MarkScanner
from aitui.core.pty import PtyChild
from aitui.core.recording import SessionRecording, open_recording
from aitui.core.screen_feed import (
    BACKGROUND_BREATHER_SECONDS,
    BREATHER_SECONDS,
    ScreenFeeder,
    backlog_limit,
)
from aitui.core.shell import IntegrationMode, ShellLaunch, plan_launch
from aitui.core.terminal import TerminalScreen
from aitui.core.terminal import events as screen_events
from aitui.core.terminal.size import check_size
from aitui.core.types import ExecResult, SessionId, SessionStatus

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from pathlib import Path

    from aitui.core.context import SessionContext

log = logging.getLogger(__name__)

#: How long ``start`` waits for an integrated shell's first prompt.
READY_TIMEOUT = 10.0
#: Unparsed output a stopped session still parses for its final screen (the rest is skipped).
STOP_BACKLOG = 1024 * 1024


def _now() -> datetime:
    return datetime.now(UTC)


def _valid_size(rows: object, cols: object) -> bool:
    if not (isinstance(rows, int) and isinstance(cols, int)):
        return False
    try:
        check_size(rows, cols)
    except ConfigError:
        return False
    return True


class AISession:
    """A terminal session. Create it (or let ``SessionManager`` do it), then ``await start()``."""

    def __init__(
        self,
        config: SessionConfig | None = None,
        *,
        session_id: SessionId | None = None,
        created_at: datetime | None = None,
        context: SessionContext | None = None,
    ) -> None:
        """``context``: an AI context to go on with (a restored session's), else one is made
        on first use."""
        self.config = config if config is not None else SessionConfig()
        self.id = session_id or SessionId.new()
        self.created_at = created_at or _now()
        self._last_activity = self.created_at.timestamp()
        self.exit_code: int | None = None
        self.error: str | None = None
        #: ``time.perf_counter()`` when the program's output ended (its terminal closed).
        self.output_ended_at: float | None = None
        #: ``time.monotonic()`` of the last output read, ``None`` before any.
        self.last_output_at: float | None = None
        #: time.monotonic() of the last input sent (``aitui wait --until idle`` compares).
        self.last_input_at: float | None = None
        self.launch: ShellLaunch | None = None
        self._status = SessionStatus.INITIALIZING
        self._metadata: dict[str, Any] = {}
        #: Called with the key after each ``set_metadata`` (its record keeps it).
        self.metadata_changed: Listeners[str] = Listeners()
        self._events = EventHub()
        self._log = OutputLog(self.config.output_buffer_size)
        self._unread = Cursor(self._log)
        self._expect = ExpectBuffer(self._log)
        #: Signs this session's shell-integration marks; output cannot know it.
        self._mark_key = secrets.token_hex(16)
        self._scanner = MarkScanner(key=self._mark_key)
        self._child: PtyChild | None = None
        self._reaper: asyncio.Task[None] | None = None  # the task waiting for the child
        self._data_arrived = asyncio.Event()
        self._ready = asyncio.Event()
        #: Set when the prompt is fully drawn (B mark): the line editor is reading keys.
        self.prompt_ready = asyncio.Event()
        #: Whether this shell's prompt emits B marks at all (a user's PS1 may drop ours).
        self.prompt_marks = False
        self._exited = asyncio.Event()
        self._context: SessionContext | None = context
        self.capture: Capture | None = None
        self._recording: SessionRecording | None = None
        self.commands = CommandObserver(self._command_completed)
        self.runner = CommandRunner(self)
        rows, cols = self.config.pty_size
        if not _valid_size(rows, cols):
            rows, cols = DEFAULT_PTY_SIZE  # start() refuses the configured size, naming it
        self.screen = TerminalScreen(
            rows,
            cols,
            scrollback=self.config.scrollback_lines,
            on_reply=self._reply,
            on_event=self._on_screen_event,
        )
        self._feeder = ScreenFeeder(
            self.screen,
            lambda: self._events.emit(ScreenUpdated(self.id)),
            drain=lambda: self._child.drain() if self._child is not None else None,
            limit=backlog_limit(rows, cols, self.config.scrollback_lines),
        )

    # -- identity and state -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.config.name or str(self.id)[:8]

    def status(self) -> SessionStatus:
        return self._status

    @property
    def is_running(self) -> bool:
        return self._status in (SessionStatus.RUNNING, SessionStatus.PAUSED)

    @property
    def ended(self) -> bool:
        """The program is gone for good: it exited (its code read, its final screen parsed)
        or never started."""
        return self._exited.is_set() or self._status is SessionStatus.ERROR

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child else None

    @property
    def output_position(self) -> int:
        """Total bytes of output read so far."""
        return self._scanner.position

    def _set_status(self, new: SessionStatus) -> None:
        old, self._status = self._status, new
        if old is not new:
            self._events.emit(StatusChanged(self.id, old, new))

    def set_metadata(self, key: str, value: Any) -> None:
        self._metadata[key] = value
        self.metadata_changed.emit(key)

    @property
    def metadata(self) -> dict[str, Any]:
        """A copy of everything set with ``set_metadata``."""
        return dict(self._metadata)

    @property
    def last_activity(self) -> datetime:
        """When the program last wrote output or was sent input."""
        return datetime.fromtimestamp(self._last_activity, UTC)

    def get_metadata(self, key: str) -> Any | None:
        return self._metadata.get(key)

    def get_ai_context(self) -> SessionContext:
        """The session's AI context (messages and token accounting), created on first use."""
        if self._context is None:
            from aitui.core.context import SessionContext

            self._context = SessionContext(self.config.context_config, session_id=str(self.id))
        return self._context

    # -- events -------------------------------------------------------------------------------
    def subscribe(
        self, callback: Callable[[SessionEvent], None], *, output: bool = True
    ) -> Callable[[], None]:
        """Events as they happen; ``output=False`` leaves out ``OutputReceived`` (one per PTY
        read: see ``EventHub.subscribe``; ``last_output_at`` says when output last came)."""
        return self._events.subscribe(callback, output=output)

    def events(self, maxsize: int = 10_000) -> AsyncIterator[SessionEvent]:
        return self._events.stream(maxsize)

    # -- life cycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Spawn the program; for integrated shells, return once the first prompt is drawn."""
        if self._status is not SessionStatus.INITIALIZING:
            raise SessionNotRunningError(f"session {self.name} was already started")
        try:
            self.config.validate()
            launch = plan_launch(self.config, self._mark_key)
            rows, cols = self.config.pty_size
            env = self.config.build_environment() | launch.env
            self._child = PtyChild(
                launch.argv, cwd=self.config.working_directory, env=env, rows=rows, cols=cols
            )
        except (ConfigError, SpawnError) as exc:
            self.error = str(exc)
            self._set_status(SessionStatus.ERROR)
            raise
        self.launch = launch
        self._child.attach(asyncio.get_running_loop(), self._on_data, self._on_eof)
        self._set_status(SessionStatus.RUNNING)
        if self.config.enable_ai_features:  # its first finished command is counted
            from aitui.core.tokens import warm_encoding

            with contextlib.suppress(ConfigError):  # an unknown one: the context says so
                warm_encoding(self.config.context_config.encoding)
        if launch.mode is IntegrationMode.HOOKS:
            await self._await_first_prompt(launch)
        log.info("session %s started: %s (%s)", self.name, launch.argv[0], launch.mode.value)

    async def _await_first_prompt(self, launch: ShellLaunch) -> None:
        ready = asyncio.ensure_future(self._ready.wait())
        exited = asyncio.ensure_future(self._exited.wait())
        await asyncio.wait({ready, exited}, timeout=READY_TIMEOUT, return_when="FIRST_COMPLETED")
        ready.cancel()
        exited.cancel()
        if self._ready.is_set():
            return
        if self._exited.is_set() or not self.is_running:
            tail = self._log.since(self._log.end - 500).decode("utf-8", "replace").strip()
            raise SpawnError(
                f"{launch.argv[0]} exited at once with code {self.exit_code}"
                + (f"; it printed: {tail}" if tail else "")
            )
        # The user's rc file replaced our hooks or the shell is very slow: stay usable.
        log.warning("session %s: no shell-integration prompt seen; using sentinels", self.name)
        launch.mode = IntegrationMode.SENTINEL

    async def stop(self) -> None:
        """End the program and everything it started; idempotent."""
        child = self._child
        if child is not None:
            code = await child.terminate()
            if self.exit_code is None:
                self.exit_code = code
        if self.capture is not None:
            self.capture.end_of_stream(self.exit_code)
        # The final screen needs only the end of a flood's backlog: stopping (closing the
        # dashboard, say) must not wait for megabytes nobody will scroll through.
        self._feeder.trim(STOP_BACKLOG)
        await self._feeder.catch_up()
        await self.stop_recording()
        if self._status is not SessionStatus.ERROR:
            self._set_status(SessionStatus.TERMINATED)
        self._mark_exited()

    # -- recording ----------------------------------------------------------------------------
    def start_recording(self, path: Path | str) -> SessionRecording:
        """Record this session's output (and resizes) from now on as an asciicast v2 file,
        written behind the reader (``aitui.core.recording``); ``aitui replay`` plays it. Started
        mid-session, it begins with the screen as it is (its modes excepted: a full-screen
        program's screen is drawn on the main one). Ends with the program or at
        :meth:`stop_recording`. ``AlreadyRecordingError`` if one is running,
        ``RecordingUnwritableError`` if the file cannot be created."""
        if self._recording is not None and self._recording.active:
            raise AlreadyRecordingError(
                f"session {self.name!r} is already recording to {self._recording.path}"
            )
        rows, cols = self.screen.rows, self.screen.cols
        try:
            self._recording = open_recording(
                path, cols, rows, title=self.name, command=self.config.shell_command
            )
        except OSError as exc:
            raise RecordingUnwritableError(f"cannot record to {path}: {exc}") from None
        if self._child is not None:
            # Mid-session: begin with the screen as it is, then what it has not parsed yet,
            # so the recording replays to exactly what the session shows.
            now = time.monotonic()
            self._recording.feed(self.screen.ansi().encode(), now)
            unparsed = self._feeder.unparsed()
            if unparsed:
                self._recording.feed(unparsed, now)
        return self._recording

    @property
    def recording(self) -> SessionRecording | None:
        """The current or last recording (its ``active``, ``path`` and ``error``)."""
        return self._recording

    async def stop_recording(self) -> SessionRecording | None:
        """Write what waits and close the file; the recording, or ``None`` if none ran."""
        recording = self._recording
        if recording is not None:
            await recording.finish()
        return recording

    async def pause(self) -> None:
        """Stop the program (SIGSTOP to its process group); output stops until ``resume``."""
        self._require_running()
        assert self._child is not None
        self._child.signal_group(signal.SIGSTOP)
        self._set_status(SessionStatus.PAUSED)

    async def resume(self) -> None:
        if self._status is SessionStatus.PAUSED and self._child is not None:
            self._child.signal_group(signal.SIGCONT)
            self._set_status(SessionStatus.RUNNING)

    def _require_running(self) -> None:
        if self.is_running:
            return
        if self._status is SessionStatus.INITIALIZING:
            raise SessionNotRunningError(f"session {self.name} is not started (call start())")
        if self.exit_code is not None:
            raise SessionNotRunningError(
                f"session {self.name} is not running: its program exited with code {self.exit_code}"
            )
        raise SessionNotRunningError(f"session {self.name} is not running ({self._status})")

    # -- input and output ---------------------------------------------------------------------
    async def send_input(self, data: str | bytes) -> None:
        """Type ``data`` into the terminal (text is UTF-8 encoded)."""
        self._require_running()
        assert self._child is not None
        payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        self._last_activity = time.time()
        self.last_input_at = time.monotonic()
        try:
            await self._child.write(payload)
        except BrokenPipeError as exc:
            raise SessionNotRunningError(f"session {self.name}: {exc}") from None

    async def read_output(self, timeout: float = 0.05) -> bytes:
        """Bytes produced since the previous call; waits at most ``timeout`` s when none are."""
        if not len(self._unread) and self.is_running:
            self._data_arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._data_arrived.wait(), timeout)
        return self._unread.take()

    def set_foreground(self, foreground: bool) -> None:
        """Whether someone is looking at and typing into this session. A background session's
        screen parses in the same slices with longer pauses between them, so its flood yields
        the loop to the session in front; nothing is dropped for it (until the backlog cap)."""
        self._feeder.breather = BREATHER_SECONDS if foreground else BACKGROUND_BREATHER_SECONDS

    def set_visible(self, visible: bool) -> None:
        """Whether this session's screen is on display (a dashboard pane). A screen nobody
        sees parses new output after a breather rather than at once, and a flood once the
        program slows down (or when someone waits in :meth:`screen_caught_up`) rather than in
        slices while it writes: no parsing of frames nobody sees while the reader must keep
        up with the program. Sessions start unseen."""
        self._feeder.watched = visible

    @property
    def visible(self) -> bool:
        return self._feeder.watched

    def hold_screen(self, seconds: float) -> None:
        """Nobody needs this screen parsed for ``seconds`` (0: someone may now): the attach
        server's frame budget says when the next frame can go (``ScreenFeeder.hold``). The
        screen's readers wait in :meth:`screen_caught_up`, which parses what waits at once."""
        self._feeder.hold(seconds)

    async def screen_caught_up(self) -> None:
        """Return once the screen has parsed all output read so far (without blocking the
        loop): for readers of the whole screen, such as the HTTP API."""
        await self._feeder.catch_up()

    @property
    def screen_pending(self) -> int:
        """Output read but not yet parsed into the screen (it catches up behind the reader)."""
        return self._feeder.pending

    @property
    def screen_skipped_bytes(self) -> int:
        """Output the screen skipped because it arrived faster than it could be parsed."""
        return self._feeder.skipped_bytes

    def recent_output(self) -> bytes:
        """The raw output kept in the output log (the last ``output_buffer_size`` bytes)."""
        return self._log.getvalue()

    async def resize(self, rows: int, cols: int) -> None:
        """Resize the terminal; the program gets SIGWINCH and sees the new size. A size past
        the bound of ``check_size`` raises ``ConfigError`` and changes nothing."""
        if not (isinstance(rows, int) and isinstance(cols, int)):
            raise ConfigError(f"terminal size must be positive integers, got {rows}x{cols}")
        check_size(rows, cols)
        if (rows, cols) == (self.screen.rows, self.screen.cols):
            return  # no SIGWINCH: a pane reports its size at every attach, mostly unchanged
        await self._feeder.catch_up()  # output written for the old size is parsed at it
        self.screen.resize(rows, cols)
        self._feeder.limit = backlog_limit(rows, cols, self.config.scrollback_lines)
        self.config.pty_size = (rows, cols)
        if self._recording is not None:
            self._recording.resize(cols, rows, time.monotonic())
        if self._child is not None and self.is_running:
            self._child.set_size(rows, cols)

    async def execute(self, command: str, timeout_ms: int | None = None) -> ExecResult:
        """Run ``command`` in the shell and return its output and exit code when it ends."""
        return await self.runner.execute(command, timeout_ms)

    async def expect(self, pattern: str | re.Pattern[str], timeout: float = 10.0) -> re.Match[str]:
        """Wait until the output (ANSI stripped) matches ``pattern``; consume up to the match."""
        if self._status is SessionStatus.INITIALIZING:
            self._require_running()  # it said "not seen within 30s (the program exited: None)"
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            match = self._expect.search(regex)
            if match is not None:
                return match
            remaining = deadline - loop.time()
            if remaining <= 0 or (not self.is_running and not len(self._unread)):
                self._flush_screen()
                lines = [line for line in self.screen.text().splitlines() if line.strip()]
                state = "" if self.is_running else f" (the program exited: {self.exit_code})"
                raise ExpectTimeoutError(
                    f"{regex.pattern!r} not seen within {timeout:g}s{state}; last screen lines:\n"
                    + "\n".join(lines[-10:])
                )
            self._data_arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._data_arrived.wait(), remaining)

    # -- the reader's side --------------------------------------------------------------------
    def _on_data(self, data: bytes) -> None:
        offset = self._scanner.position
        marks = self._scanner.feed(data)
        self._log.append(data)
        if self.capture is not None:
            self.capture.feed(data, offset, marks)
        self.commands.feed(data, offset, marks)
        self._last_activity = time.time()
        for mark in marks:
            if mark.kind == "A":
                self._ready.set()
            elif mark.kind == "B":
                self.prompt_marks = True
                self.prompt_ready.set()
            elif mark.kind == "C":
                self.prompt_ready.clear()
            event = shell_event(self.id, mark)
            if event is not None:
                self._events.emit(event)
        self._feeder.push(data)
        self._data_arrived.set()
        self.last_output_at = now = time.monotonic()
        if self._recording is not None:
            self._recording.feed(data, now)
        if self._events.wants_output:
            self._events.emit(OutputReceived(self.id, data))

    def _flush_screen(self) -> None:
        """Bring the screen fully up to date now, blocking (``expect``'s timeout report needs
        it at once; elsewhere ``self._feeder.catch_up()`` waits without blocking the loop)."""
        self._feeder.flush()

    def _on_eof(self) -> None:
        self.output_ended_at = time.perf_counter()
        # Kept referenced: the loop holds tasks weakly, and a reaper collected mid-wait would
        # leave the child a zombie and the session "running" for ever.
        self._reaper = asyncio.get_running_loop().create_task(
            self._reap(), name=f"reap-{self.name}"
        )

    async def _reap(self) -> None:
        assert self._child is not None
        code = await self._child.wait(5.0)
        self._child.close()
        if self.exit_code is None:
            self.exit_code = code
        # Not running any more before ``execute`` (woken by the end of the stream) looks, and
        # before the screen catches up, which may take a while after a flood.
        if self._status is not SessionStatus.ERROR:
            self._set_status(SessionStatus.TERMINATED)
        if self.capture is not None:
            self.capture.end_of_stream(code)
        await self._feeder.catch_up()  # the final screen, parsed in slices
        await self.stop_recording()
        self._mark_exited()

    def _mark_exited(self) -> None:
        if self._exited.is_set():
            return
        self._exited.set()
        self._data_arrived.set()
        self._events.emit(SessionExited(self.id, self.exit_code))

    async def wait_exit(self, timeout: float | None = None) -> int | None:
        """Wait for the program to exit on its own; returns its exit code."""
        await asyncio.wait_for(self._exited.wait(), timeout)
        return self.exit_code

    def _command_completed(
        self, command: str, output: str, exit_code: int | None, duration_ms: float, cut: bool
    ) -> None:
        """A command ended (any command, seen through shell integration)."""
        event = CommandCompleted(self.id, command, output, exit_code, duration_ms, cut)
        self.record_command(command, output, exit_code, duration_ms)
        self._events.emit(event)

    def record_command(
        self, command: str, output: str, exit_code: int | None, duration_ms: float
    ) -> None:
        """With AI features on, the command and its compressed output join the AI context."""
        if self.config.enable_ai_features and command:
            self.get_ai_context().record_command(
                command, output, exit_code, execution_time_ms=duration_ms
            )

    def _reply(self, data: bytes) -> None:
        if self._child is not None:
            self._child.write_nowait(data)

    def _on_screen_event(self, event: object) -> None:
        if isinstance(event, screen_events.TitleChanged):
            self._events.emit(TitleChanged(self.id, event.title))
        elif isinstance(event, screen_events.Bell):
            self._events.emit(BellRang(self.id))

    def __repr__(self) -> str:
        return f"<AISession {self.name} {self._status.value} pid={self.pid}>"
