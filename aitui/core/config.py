"""Session and context configuration, mirroring the ai-session reference's ``SessionConfig``.

Defaults follow what a user expects from a terminal: their own ``$SHELL``, the current directory,
24x80, the parent environment plus overrides, and ``TERM=xterm-256color``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from aitui.__about__ import __version__
from aitui.core.errors import ConfigError
from aitui.core.terminal.size import TerminalSizeError, check_size

DEFAULT_OUTPUT_BUFFER = 4 * 1024 * 1024
DEFAULT_EXECUTE_OUTPUT_LIMIT = 8 * 1024 * 1024
DEFAULT_SCROLLBACK = 10_000
DEFAULT_PTY_SIZE = (24, 80)


class CompressionStrategy(StrEnum):
    """How ``SessionContext.compress_context`` makes room."""

    SLIDING_WINDOW = "sliding_window"
    SUMMARIZE_OUTPUT = "summarize_output"
    AGGRESSIVE = "aggressive"
    #: Signal-first: old tool outputs re-compressed from their raw form within a token budget
    #: (the failure's lines win, dropped runs summarised), then the oldest messages summarised.
    INTELLIGENT = "intelligent"


class HistoryMode(StrEnum):
    """Where an interactive shell keeps the commands typed into it.

    ``execute``'s own commands never enter a shell's history (they are typed with a leading
    space, which the hooks tell bash, zsh and fish to leave out); this is about the rest."""

    #: The session's memory only: Up recalls within the session, nothing is written to a file.
    #: The default: sessions driven by programs must not rewrite (or truncate) the user's file.
    PRIVATE = "private"
    #: The shell's normal behaviour (``~/.bash_history``...): sessions a person types into.
    SHELL = "shell"


Summarizer = Callable[[str], str]


@dataclass
class ContextConfig:
    """Limits and policy of a session's AI context (see ``aitui.core.context``)."""

    max_tokens: int = 4096
    compression_threshold: float = 0.8
    compression_strategy: CompressionStrategy = CompressionStrategy.SUMMARIZE_OUTPUT
    preserve_system_messages: bool = True
    preserve_recent_count: int = 4
    #: Optional LLM summariser: a callable ``str -> str``, or the name of a model served by
    #: the OpenAI-compatible endpoint at ``summarization_base_url`` (``aitui.core.summarize``).
    summarization_model: Summarizer | str | None = None
    #: Base URL of an OpenAI-compatible API (``https://api.openai.com/v1``,
    #: ``http://localhost:8080/v1``...); without it a model name gives the built-in summary.
    summarization_base_url: str | None = None
    #: Name of the environment variable holding the endpoint's API key (never the key).
    summarization_api_key_env: str | None = None
    summarization_timeout: float = 30.0
    #: tiktoken encoding used for every count (shipped offline in ``aitui/data/tiktoken``).
    encoding: str = "o200k_base"
    #: Characters of raw command output kept for ``get_archived`` (each output is already
    #: capped at 1 MB); beyond it the oldest go, so a long-lived agent session stays bounded.
    raw_archive_chars: int = 64 * 1024 * 1024

    def validate(self) -> None:
        from aitui.core.summarize import check_key_env

        check_key_env(self.summarization_api_key_env)
        if self.summarization_timeout <= 0:
            raise ConfigError(
                f"context summarization_timeout must be positive, got {self.summarization_timeout}"
            )
        if self.raw_archive_chars < 0:
            raise ConfigError(
                f"context raw_archive_chars must be >= 0, got {self.raw_archive_chars}"
            )
        if self.max_tokens <= 0:
            raise ConfigError(f"context max_tokens must be positive, got {self.max_tokens}")
        if not 0.0 < self.compression_threshold <= 1.0:
            raise ConfigError(
                f"context compression_threshold must be in (0, 1], got {self.compression_threshold}"
            )
        if self.preserve_recent_count < 0:
            raise ConfigError(
                f"context preserve_recent_count must be >= 0, got {self.preserve_recent_count}"
            )


#: Variables by which programs recognise the terminal (or multiplexer) they run in.
OUTER_TERMINAL_VARIABLES = frozenset(
    {
        "TMUX",
        "TMUX_PANE",
        "STY",
        "WINDOW",
        "TERM_PROGRAM",
        "TERM_PROGRAM_VERSION",
        "TERM_SESSION_ID",
        "TERMINAL_EMULATOR",
        "KITTY_WINDOW_ID",
        "KITTY_PID",
        "KITTY_LISTEN_ON",
        "KITTY_INSTALLATION_DIR",
        "WEZTERM_PANE",
        "WEZTERM_UNIX_SOCKET",
        "WEZTERM_EXECUTABLE",
        "ITERM_SESSION_ID",
        "ITERM_PROFILE",
        "LC_TERMINAL",
        "LC_TERMINAL_VERSION",
        "VTE_VERSION",
        "ALACRITTY_WINDOW_ID",
        "ALACRITTY_SOCKET",
        "WT_SESSION",
        "WT_PROFILE_ID",
        "KONSOLE_VERSION",
        "KONSOLE_DBUS_SESSION",
        "GNOME_TERMINAL_SCREEN",
        "GNOME_TERMINAL_SERVICE",
        "COLORFGBG",
    }
)


#: Prefix of aitui's own variables (``AITUI_TOKEN`` the API token, ``AITUI_CONFIG``,
#: ``AITUI_DATA_DIR``...). None reaches a session's programs: with the token any program in any
#: session could drive every other session over the API, and the rest describe aitui, not them.
#: What aitui means a program to know it sets explicitly, after this filter.
OWN_VARIABLE_PREFIX = "AITUI_"


def inherited_environment(parent: Mapping[str, str]) -> dict[str, str]:
    """``parent`` less the outer terminal's identity and aitui's own variables."""
    return {
        k: v
        for k, v in parent.items()
        if k not in OUTER_TERMINAL_VARIABLES and not k.startswith(OWN_VARIABLE_PREFIX)
    }


def _default_shell() -> str | None:
    return os.environ.get("SHELL") or None


@dataclass
class SessionConfig:
    """Everything needed to start a session. All fields of the reference, plus a few knobs."""

    name: str | None = None
    working_directory: Path = field(default_factory=Path.cwd)
    #: Path or name of the shell; ``None`` means ``$SHELL``, then ``/bin/bash``, then ``/bin/sh``.
    shell: str | None = field(default_factory=_default_shell)
    #: A command line run instead of the shell (``sh -c``-free: split with shlex).
    shell_command: str | None = None
    pty_size: tuple[int, int] = DEFAULT_PTY_SIZE  # rows, cols
    output_buffer_size: int = DEFAULT_OUTPUT_BUFFER
    #: Default timeout of ``execute`` when no ``timeout_ms`` is given (seconds); None: 30 s.
    timeout: float | None = None
    #: ``execute`` also returns the output compressed for an AI (``ExecResult.compressed_output``).
    compress_output: bool = False
    #: ``execute`` also returns the output parsed (``ExecResult.parsed``: errors, summary...).
    parse_output: bool = False
    enable_ai_features: bool = False
    agent_role: str | None = None
    context_config: ContextConfig = field(default_factory=ContextConfig)
    environment: dict[str, str] = field(default_factory=dict)
    #: Cap on what one ``execute`` returns; beyond it ``ExecResult.truncated`` is set.
    execute_output_limit: int = DEFAULT_EXECUTE_OUTPUT_LIMIT
    scrollback_lines: int = DEFAULT_SCROLLBACK
    #: Install shell integration (OSC 133 marks) into bash/zsh/fish. Off: sentinel commands.
    shell_integration: bool = True
    #: Where the shell keeps its command history (see ``HistoryMode``).
    history: HistoryMode = HistoryMode.PRIVATE

    def validate(self) -> None:
        """Raise ``ConfigError`` naming the first bad field."""
        rows, cols = self.pty_size
        if not (isinstance(rows, int) and isinstance(cols, int)) or rows <= 0 or cols <= 0:
            raise ConfigError(f"pty_size must be two positive integers, got {self.pty_size!r}")
        try:
            check_size(rows, cols)
        except TerminalSizeError as exc:
            raise TerminalSizeError(f"pty_size {self.pty_size!r}: {exc}") from None
        wd = Path(self.working_directory)
        if not wd.exists():
            raise ConfigError(f"working directory does not exist: {wd}")
        if not wd.is_dir():
            raise ConfigError(f"working directory is not a directory: {wd}")
        if self.output_buffer_size <= 0:
            raise ConfigError(f"output_buffer_size must be positive, got {self.output_buffer_size}")
        if self.execute_output_limit <= 0:
            raise ConfigError(
                f"execute_output_limit must be positive, got {self.execute_output_limit}"
            )
        if self.timeout is not None and self.timeout <= 0:
            raise ConfigError(f"timeout must be positive, got {self.timeout}")
        try:
            self.history = HistoryMode(self.history)
        except ValueError:
            choices = ", ".join(mode.value for mode in HistoryMode)
            raise ConfigError(f"history must be one of {choices}, got {self.history!r}") from None
        if self.scrollback_lines < 0:
            raise ConfigError(f"scrollback_lines must be >= 0, got {self.scrollback_lines}")
        for key, value in self.environment.items():
            if not key or "=" in key or "\0" in key or "\0" in value:
                raise ConfigError(f"invalid environment variable {key!r}")
        self.context_config.validate()

    def resolve_shell(self) -> str:
        """The shell executable to run, as an absolute path; ``ConfigError`` if not installed."""
        candidates = [self.shell] if self.shell else ["bash", "sh"]
        for candidate in candidates:
            assert candidate is not None
            found = shutil.which(candidate)
            if found:
                return found
        raise ConfigError(f"shell not found: {candidates[0]} (is it installed and on PATH?)")

    def build_environment(self) -> dict[str, str]:
        """The parent environment less the outer terminal's identity and aitui's own variables
        (the API token among them), ``TERM=xterm-256color`` and ``TERM_PROGRAM=aitui``, then
        the user's overrides.

        A program in a session talks to aitui's screen, not to the terminal (or tmux) aitui
        runs in: left in place, ``TMUX`` makes vim and neovim wrap sequences in tmux
        passthrough, ``KITTY_WINDOW_ID`` makes tools speak kitty's protocols, and so on."""
        env = inherited_environment(os.environ)
        env["TERM"] = "xterm-256color"
        env["TERM_PROGRAM"] = "aitui"
        env["TERM_PROGRAM_VERSION"] = __version__
        env.setdefault("COLORTERM", "truecolor")
        env.update(self.environment)
        return env
