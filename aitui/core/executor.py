"""``execute``: type a command into a session's shell and know when it ended and how.

The runner serialises commands per session (a lock), installs a :class:`Capture` on the output
stream, types the command line, and waits for the shell's ``D`` mark. On timeout it interrupts
the way a person would (Ctrl-C), then escalates to signalling the terminal's foreground process
group, so the session stays usable; if even that fails the session is marked out of sync and
refuses further commands until its shell shows a prompt again.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import signal
import time
from typing import TYPE_CHECKING

from aitui.core.ansi import terminal_text
from aitui.core.capture import Capture
from aitui.core.errors import ExecuteError
from aitui.core.events import PromptShown, SessionEvent
from aitui.core.marks import NONCE_PREFIX
from aitui.core.shell import FISH_CLEAR_KEY, IntegrationMode, command_line, resync_line
from aitui.core.types import ExecResult, SessionStatus

if TYPE_CHECKING:
    from collections.abc import Callable

    from aitui.core.compress.parse import ParsedOutput
    from aitui.core.config import SessionConfig
    from aitui.core.session import AISession

DEFAULT_TIMEOUT_S = 30.0
#: Upper bound of one ``execute``; longer commands belong in ``send_input`` + ``expect``.
MAX_TIMEOUT_S = 24 * 3600.0
#: How long each interrupt step waits for the shell to report the command's end.
INTERRUPT_STEP_S = 1.0
#: Longest wait for the prompt to be drawn before typing a command anyway.
PROMPT_WAIT_S = 2.0
#: ... and for the first prompt, before it is known whether the prompt carries the B mark.
FIRST_PROMPT_WAIT_S = 0.5


#: What the shell's line editor acts on instead of inserting: C0 controls but tab and line
#: feed, and DEL (a regex character class, written with escapes so the HTTP schema can declare
#: the same rule).
CONTROL_CHARACTERS = "[\\x00-\\x08\\x0b-\\x1f\\x7f]"
_CONTROL = re.compile(CONTROL_CHARACTERS)


def _check_typeable(command: str) -> None:
    """``execute`` types the command into the shell's line editor, which acts on control
    characters instead of inserting them (Ctrl-C drops the line, ``\\r`` runs half of it, ESC
    starts a key sequence): the command would never run as written and ``execute`` would wait
    for its whole timeout. Tabs and line ends are fine (CR LF is taken as a line end)."""
    found = _CONTROL.search(command)
    if found is None:
        return
    if found.group() == "\x00":
        raise ValueError("command contains a NUL byte")
    raise ValueError(
        f"command contains the control character U+{ord(found.group()):04X} (at "
        f"{found.start()}), which the shell's line editor would act on instead of typing it: "
        "write it as the shell spells it (printf '\\NNN'), or type keys with send_input"
    )


class CommandRunner:
    def __init__(self, session: AISession) -> None:
        self._session = session
        self._lock = asyncio.Lock()
        self.out_of_sync = False
        self._typed = False  # whether a command was typed yet (the first waits for its prompt)
        self._unsubscribe: Callable[[], None] = _nothing

    async def execute(self, command: str, timeout_ms: int | None = None) -> ExecResult:
        session = self._session
        session._require_running()
        launch = session.launch
        assert launch is not None
        if launch.mode is IntegrationMode.NONE:
            raise ExecuteError(
                f"session {session.name} runs {launch.argv[0]!r}, not a shell: execute needs a "
                "shell; use send_input() and expect() for other programs"
            )
        if session.status() is SessionStatus.PAUSED:
            # Its shell is stopped: the command waited out its timeout, then the interrupt
            # failed too, and the session refused commands even after ``resume()``.
            raise ExecuteError(
                f"session {session.name} is paused (its programs are stopped): resume() it first"
            )
        if not command.strip():
            raise ValueError("command is empty")
        command = command.replace("\r\n", "\n")
        _check_typeable(command)
        timeout = _timeout_seconds(timeout_ms, session.config.timeout)
        async with self._lock:
            if self.out_of_sync:
                raise ExecuteError(
                    f"session {session.name}: an earlier command could not be interrupted and "
                    "is still running; send input to it or restart the session"
                )
            await self._until_prompt_drawn()
            self._typed = True
            sentinel = launch.mode is IntegrationMode.SENTINEL
            nonce = f"{NONCE_PREFIX}{secrets.token_hex(6)}" if sentinel else None
            rejects = launch.fish_syntax and nonce is None
            capture = Capture(session.config.execute_output_limit, nonce, prompt_rejects=rejects)
            session.capture = capture
            if nonce is None:  # hook marks will report it: with the exact text typed
                session.commands.expected_command = command
            started = time.perf_counter()
            try:
                await session.send_input(command_line(launch, command, nonce))
                timed_out = not await _wait(capture, timeout)
                if timed_out:
                    await self._interrupt(capture, nonce)
                elif capture.rejected:
                    await self._clear_rejected_line()
            finally:
                session.capture = None
            elapsed_ms = (time.perf_counter() - started) * 1000
        result = self._result(command, capture, elapsed_ms, timed_out)
        if nonce is not None:  # no shell hooks saw it: record it here (hooks record their own)
            session.record_command(command, result.output, result.exit_code, elapsed_ms)
        return result

    async def _until_prompt_drawn(self) -> None:
        """Type only once the line editor reads keys: typed ahead of the prompt, the terminal
        driver would echo the command once and the line editor again, and a person watching
        would see it twice. Bounded: a prompt that stopped emitting marks cannot stall us."""
        session = self._session
        if session.prompt_ready.is_set():
            return
        if session.prompt_marks:
            wait = PROMPT_WAIT_S
        elif not self._typed:
            # The first prompt may not be drawn yet (start() returns at its A mark): typed now,
            # the command was echoed twice, once before the prompt, in the session's output.
            wait = FIRST_PROMPT_WAIT_S
        else:
            return  # this prompt drops our B mark (a prompt framework rewrote it): no waiting
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(session.prompt_ready.wait(), wait)

    async def _clear_rejected_line(self) -> None:
        """fish keeps a line it rejected in its editor, and the next command was typed after
        it (``(exit 255) echo ok``): the startup file's key clears it, and its ``A`` mark
        says fish has read every key typed before (a multi-line command rejected at its first
        line has the rest rejected too). A Ctrl-C would not do: sent while fish has not yet
        switched its terminal back to its editor's modes, it is a signal, and lost."""
        session = self._session
        cleared = asyncio.Event()

        def on_event(event: SessionEvent) -> None:
            if isinstance(event, PromptShown):
                cleared.set()

        unsubscribe = session.subscribe(on_event, output=False)
        try:
            await session.send_input(FISH_CLEAR_KEY)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(cleared.wait(), PROMPT_WAIT_S)
        finally:
            unsubscribe()

    async def _interrupt(self, capture: Capture, nonce: str | None) -> None:
        """Ctrl-C, then SIGTERM and SIGKILL to the foreground job; resync a sentinel shell."""
        session = self._session
        launch = session.launch
        assert launch is not None
        steps: list[tuple[str, int | None]] = [
            ("\x03", None),
            ("", signal.SIGTERM),
            ("", signal.SIGKILL),
        ]
        for keys, sig in steps:
            if not session.is_running:
                return
            if keys:
                await session.send_input(keys)
            if sig is not None:
                _signal_foreground(session, sig)
            if nonce is not None and not capture.finished.done():
                # An interrupted sentinel line never reaches its closing printf: ask again.
                await asyncio.sleep(0.05)
                await session.send_input(resync_line(launch, nonce))
            if await _wait(capture, INTERRUPT_STEP_S):
                return
        self.out_of_sync = True
        self._unsubscribe = session.subscribe(self._on_prompt)

    def _on_prompt(self, event: SessionEvent) -> None:
        """The shell drew a prompt again: the stuck command ended; accept commands again."""
        if isinstance(event, PromptShown):
            self.out_of_sync = False
            self._unsubscribe()

    def _result(
        self, command: str, capture: Capture, elapsed_ms: float, timed_out: bool
    ) -> ExecResult:
        session = self._session
        if capture.started_at is not None:
            raw = bytes(capture.output)
            output = terminal_text(raw)
        else:
            # No C mark: the shell rejected the line (syntax error) or exited. What it printed
            # follows the echo of the typed line(s).
            raw = bytes(capture.pre_start)
            output = _drop_echo(terminal_text(raw), command)
            if capture.rejected:  # what follows the complaint's last line is the new prompt
                output = output[: output.rfind("\n") + 1]
        if capture.shell_exited and session.launch is not None:
            output = _drop_farewell(output, session.launch.kind)
        error: str | None = None
        exit_code = capture.exit_code
        if timed_out:
            error = f"command timed out after {elapsed_ms / 1000:.1f}s and was interrupted"
        elif capture.rejected:
            error = "the shell rejected the command line (see the output); it did not run"
        elif not session.is_running and not capture.finished.done():
            error = f"the shell exited (code {session.exit_code}) while the command ran"
        elif not session.is_running:
            error = f"the shell exited with code {session.exit_code}"
        success = exit_code == 0 and not timed_out and error is None
        compressed, parsed = _for_ai(session.config, command, output, exit_code)
        return ExecResult(
            compressed_output=compressed,
            parsed=parsed,
            command=command,
            success=success,
            output=output,
            exit_code=exit_code,
            execution_time_ms=round(elapsed_ms, 3),
            timed_out=timed_out,
            truncated=capture.truncated,
            raw_output=raw,
            error=error,
        )


async def _wait(capture: Capture, timeout: float) -> bool:
    try:
        await asyncio.wait_for(asyncio.shield(capture.finished), timeout)
    except TimeoutError:
        return False
    return True


def _timeout_seconds(timeout_ms: int | None, default_s: float | None) -> float:
    if timeout_ms is None:
        return default_s if default_s is not None else DEFAULT_TIMEOUT_S
    if timeout_ms <= 0:
        raise ValueError(f"timeout_ms must be positive, got {timeout_ms}")
    return min(timeout_ms / 1000.0, MAX_TIMEOUT_S)


def _signal_foreground(session: AISession, sig: int) -> None:
    """Signal the terminal's foreground process group, unless that is the shell itself."""
    child = session._child
    if child is None:
        return
    with contextlib.suppress(OSError):
        group = os.tcgetpgrp(child.fd)
        if group > 0 and group != child.pid:
            os.killpg(group, sig)


def _nothing() -> None:
    return None


#: What an interactive shell prints itself as its ``exit`` builtin ends it (bash, to stderr,
#: just before exiting; zsh, fish and sh print nothing): not the command's output.
FAREWELLS = {"bash": ("exit\n", "logout\n")}


def _drop_farewell(text: str, shell: str) -> str:
    for farewell in FAREWELLS.get(shell, ()):
        if text == farewell or text.endswith("\n" + farewell):
            return text[: -len(farewell)]
    return text


def _drop_echo(text: str, command: str) -> str:
    lines = text.split("\n")
    echoed = len(command.rstrip("\n").split("\n"))
    return "\n".join(lines[echoed:])


def _for_ai(
    config: SessionConfig, command: str, output: str, exit_code: int | None
) -> tuple[str | None, ParsedOutput | None]:
    """What ``compress_output`` and ``parse_output`` add to an ``ExecResult``."""
    compressed = parsed = None
    if config.compress_output:
        from aitui.core.compress import compress

        compressed = compress(output, command=command, exit_code=exit_code).text
    if config.parse_output:
        from aitui.core.compress.parse import parse_output

        parsed = parse_output(output, command=command, exit_code=exit_code)
    return compressed, parsed
