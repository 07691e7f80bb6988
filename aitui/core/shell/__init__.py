"""How a session's shell is launched and how ``execute`` knows where a command starts and ends.

bash, zsh and fish get *hooks*: a startup file that loads the user's own rc file and then emits
OSC 133 marks (``A`` prompt, ``B`` end of prompt, ``C`` command start, ``D;<exit>`` command done),
so every command, typed by ``execute`` or by a person, is delimited by the shell itself. Other
shells (``sh``, ``dash``, ``ksh``...) get *sentinels*: ``execute`` wraps the command in ``printf``
calls that emit the same marks carrying a one-time nonce. Programs that are not shells (an agent
CLI, a REPL) get neither, and ``execute`` refuses them with a clear error.

Hook marks are signed (see ``aitui.core.marks``): the session's key reaches the startup file in
``MARK_KEY_VARIABLE``, which the file moves into a shell variable of its own and unsets, so
programs the shell runs never see it.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from aitui.core.config import HistoryMode, SessionConfig
from aitui.core.errors import ConfigError

SCRIPTS = Path(__file__).with_name("scripts")
POSIX_SHELLS = frozenset({"sh", "dash", "ash", "ksh", "mksh", "yash", "posh", "busybox"})
HOOK_SHELLS = frozenset({"bash", "zsh", "fish"})
#: Carries the session's mark key to the startup file (which unsets it at once).
MARK_KEY_VARIABLE = "AITUI_MARK_KEY"
#: Tells the startup file the session's ``HistoryMode`` (also unset at once).
HISTORY_VARIABLE = "AITUI_HISTORY"


class IntegrationMode(Enum):
    HOOKS = "hooks"
    SENTINEL = "sentinel"
    NONE = "none"


@dataclass
class ShellLaunch:
    argv: list[str]
    kind: str  # basename of the shell ("bash", "sh"...) or of the program
    mode: IntegrationMode
    env: dict[str, str] = field(default_factory=dict)

    @property
    def fish_syntax(self) -> bool:
        return self.kind == "fish"


def plan_launch(config: SessionConfig, mark_key: str) -> ShellLaunch:
    """Decide argv, environment additions and the integration mode for ``config``; hooks sign
    their marks with ``mark_key``."""
    if config.shell_command:
        try:
            argv = shlex.split(config.shell_command)
        except ValueError as exc:
            raise ConfigError(
                f"cannot parse shell_command {config.shell_command!r}: {exc}"
            ) from None
        if not argv:
            raise ConfigError("shell_command is empty")
        kind = Path(argv[0]).name
        if len(argv) == 1 and (kind in HOOK_SHELLS or kind in POSIX_SHELLS):
            launch = _shell_launch(argv[0], kind, config.shell_integration, _zdotdir(config))
        else:
            launch = ShellLaunch(argv, kind, IntegrationMode.NONE)
    else:
        shell = config.resolve_shell()
        launch = _shell_launch(shell, Path(shell).name, config.shell_integration, _zdotdir(config))
    if launch.mode is IntegrationMode.HOOKS:
        launch.env[MARK_KEY_VARIABLE] = mark_key
        launch.env[HISTORY_VARIABLE] = config.history.value
    elif launch.mode is IntegrationMode.SENTINEL and config.history is HistoryMode.PRIVATE:
        # No startup file of ours runs: ksh, mksh and busybox ash read HISTFILE at start.
        launch.env["HISTFILE"] = os.devnull
    return launch


def _shell_launch(shell: str, kind: str, integrate: bool, user_zdotdir: str | None) -> ShellLaunch:
    if not integrate or kind not in HOOK_SHELLS:
        return ShellLaunch([shell, "-i"], kind, IntegrationMode.SENTINEL)
    if kind == "bash":
        return ShellLaunch(
            [shell, "--rcfile", str(SCRIPTS / "bash.sh"), "-i"], kind, IntegrationMode.HOOKS
        )
    if kind == "zsh":
        # The startup files load the user's from their ZDOTDIR, else from the session's HOME.
        env = {"ZDOTDIR": str(SCRIPTS / "zsh")}
        if user_zdotdir:
            env["AITUI_USER_ZDOTDIR"] = user_zdotdir
        return ShellLaunch([shell, "-i"], kind, IntegrationMode.HOOKS, env)
    return ShellLaunch(
        [shell, "-i", "--init-command", f"source {shlex.quote(str(SCRIPTS / 'fish.fish'))}"],
        kind,
        IntegrationMode.HOOKS,
    )


def _zdotdir(config: SessionConfig) -> str | None:
    return config.environment.get("ZDOTDIR") or os.environ.get("ZDOTDIR") or None


def command_line(launch: ShellLaunch, command: str, nonce: str | None) -> str:
    """The text to type for ``command``: one shell command, ending with a newline.

    Multi-line commands are grouped (``{ ...; }`` or fish's ``begin ... end``) so the shell runs
    them as one command and emits one pair of marks; bash and zsh are given them, and
    commands holding a tab or a ``!``, as one ``eval $'...'`` line (``_as_typed``: typed as
    lines, they were read one by one); other sentinel shells run it as ``command eval '...'``.
    With a ``nonce`` (sentinel mode) the group is bracketed by ``printf`` calls emitting the
    marks; the typed text contains ``\\033`` as four
    characters, so the terminal's echo of it can never be mistaken for a mark.

    A POSIX shell abandons the rest of the line when the command it waits for dies of SIGINT
    (``sh -c 'kill -INT $$'``, or the Ctrl-C of a timeout): dash then never printed the ``D``
    mark and ``execute`` waited for its whole timeout. While the line runs, an ``INT`` trap
    that does nothing keeps the shell going to the mark (with the command's status, 130); it
    is reset to the default afterwards (a user's own ``INT`` trap in a sentinel shell is lost).
    """
    body = command.rstrip("\n")
    multiline = "\n" in body
    # The leading space keeps the line out of the shell's history (the hooks ask bash and zsh
    # to ignore such lines; fish always does): programs' commands are not the user's.
    if launch.fish_syntax:
        group = f"begin\n{body}\nend" if multiline or nonce else body
        if nonce is None:  # a tab typed is completion: the startup file binds a key to one
            return f" {group.replace(chr(9), FISH_TAB_KEY)}\n"
        return (
            f" printf '\\e]133;C;{nonce}\\a'; {group}; printf '\\e]133;D;%s;{nonce}\\a' $status\n"
        )
    if nonce is None:  # hooks: bash or zsh
        return f" {_as_typed(body)}\n"
    # sentinels: bash and zsh too (no hooks asked for, or their rc file dropped ours)
    if launch.kind in EDITING_SHELLS:
        group = f"{{ {_as_typed(body)}\n}}"
    else:
        # An error of the shell's own (``echo $((1/0))``, a syntax error, ``${x:?}``) made dash
        # abandon the rest of the line, the closing mark too: the status came back only at the
        # timeout, and a trailing ``\`` swallowed the mark for good. Inside ``eval`` it is
        # eval's error, and ``command`` keeps eval from being a special builtin whose errors
        # abandon the line (POSIX); the shell's state (``cd``, variables) is kept.
        group = f"command eval {_canonical_words(body)}"
    return (
        f" trap : INT; printf '\\033]133;C;{nonce}\\007'; {group}; "
        f"printf '\\033]133;D;%s;{nonce}\\007' \"$?\"; trap - INT\n"
    )


#: The keys fish's startup file binds to clearing its editor's line and to inserting a tab
#: (no terminal sends them).
FISH_CLEAR_KEY = "\x1b[9900~"
FISH_TAB_KEY = "\x1b[9901~"

#: Shells whose line editor completes on a tab and expands history on ``!``.
EDITING_SHELLS = frozenset({"bash", "zsh"})

#: What a bash or zsh must not read as typed keys: line ends, which split the text
#: into lines read one by one (a syntax error in the first left the rest to run as commands of
#: their own, whose output the next ``execute`` returned), tabs, which the line editor takes as
#: completion (``printf "a\tb"`` printed ``ab``), and ``!``, which history expansion takes
#: (``echo "x!y"``: "event not found", the line dropped, and bash waited out the timeout).
_EVAL_WORTHY = ("\n", "\t", "!")


def _as_typed(body: str) -> str:
    """``body`` as a bash or zsh is given it: as it is, or, when it holds one of
    ``_EVAL_WORTHY``, as one line that runs it: ``eval $'...'``, which a syntax error anywhere
    rejects whole, and in which ``\n``, ``\t`` and ``!`` are plain text."""
    if not any(c in body for c in _EVAL_WORTHY):
        return body
    quoted = (
        body.replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("!", "\\x21")
    )
    return f"eval $'{quoted}'"


#: Characters of a command per quoted piece for a shell that reads its terminal in canonical
#: mode (dash, sh): quoted, a piece takes at most five bytes a character (``'`` is ``'"'"'``),
#: with four a character of UTF-8, so 700 stay well inside the 4,095 bytes a line the kernel
#: keeps.
CANONICAL_PIECE = 700


def _canonical_words(body: str) -> str:
    """``body`` as one shell word, quoted piece by piece and joined by line continuations.

    A shell without a line editor reads the terminal in canonical mode, whose line holds 4,095
    bytes: a longer line lost its end (its closing mark with it), ``execute`` waited out its
    timeout and the session refused every later command. A backslash-newline between quoted
    pieces is removed by the shell, so the word is ``body`` again."""
    pieces = [body[i : i + CANONICAL_PIECE] for i in range(0, len(body), CANONICAL_PIECE)]
    return "\\\n".join(shlex.quote(piece) for piece in pieces)


def resync_line(launch: ShellLaunch, nonce: str) -> str:
    """A line that only emits the ``D`` mark: re-synchronises a sentinel shell after Ctrl-C."""
    if launch.fish_syntax:
        return f" printf '\\e]133;D;%s;{nonce}\\a' $status\n"
    return f" printf '\\033]133;D;%s;{nonce}\\007' \"$?\"\n"
