"""Auto-accept: whether an agent's tool call may go ahead without asking a person.

``assess(tool_name, tool_input, working_directory, config)`` rates one call of Claude Code's
PermissionRequest / PreToolUse hooks (or a Codex-like ``shell`` call) from 0 (harmless) to 10
and approves it only when auto-accept is on, no protected pattern is touched, and the risk is
at most ``risk_threshold``. It is pure: it reads nothing but the paths' symbolic links, runs
nothing, and never raises. When unsure it does not approve. The rules (docs/auto-accept.md):

==========================================================  =====
call                                                        risk
==========================================================  =====
Read / NotebookRead inside the working directory                1
Glob, Grep, LS inside the working directory                     1
TodoWrite                                                       1
Read / Glob / Grep / LS outside the working directory           5
Edit, MultiEdit, Write, NotebookEdit inside                     3
Task (a subagent; its own tool calls are assessed one by one)   3
the same outside the working directory, or inside ``.git``      8
WebFetch (http/https), WebSearch                                5
WebFetch of another scheme; MCP tools; unknown tools            7
shell: read-only (ls cat head tail grep rg find pwd echo wc,   1
git status/diff/log/show) inside; 5 if reading outside
shell: writing files inside (touch mkdir cp mv tee, ``>``)      3
shell: rm / rmdir of files inside                               4
shell: build and test (pytest make tox mypy, npm test,          4
npm run build/test/lint, cargo build/test/check, go test/vet)
shell: anything else                                            6
shell: setting PATH, LD_*, GIT_*, BASH_ENV, PYTHONPATH...      >= 6
shell: writing files outside the working directory or .git      8
shell: rm -r, sudo/su/doas, eval, git push --force             9
(also --force-with-lease, +refspec), git reset --hard,
git clean -f, chmod -R, chown, chgrp, dd, ``>``/``>>`` outside,
piping into a shell, a command or script computed at run time
shell: curl/wget piped into a shell, rm -r of / ~ * . ..,      10
mkfs, shutdown/reboot; any payload that cannot be read
==========================================================  =====

Paths: relative to the working directory; ``~``, ``..`` and symbolic links resolved; a path
that cannot be known (``$VAR``) counts as outside. Shell lines are split on ``;`` ``&&``
``||`` ``|`` ``&`` newlines ``$(...)`` and backticks (bash's ``$'...'`` decoded first); the
line's risk is its riskiest part; ``cd`` moves where later relative paths point. Risk 9 and 10
are never approved, whatever the threshold. A protected pattern (``fnmatch``, ignoring case)
matching a path — as written, any component, resolved, or relative to the working directory —
or any word of a command is never approved either, and the reason names the pattern. A
malformed payload (``tool_input`` not an object, a missing, empty or non-string path or
command, ``tool_name`` not a string) is risk 10, not approved, and the reason says what could
not be read.
"""

from __future__ import annotations

import json
import logging
import shlex
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aitui.core.autoaccept_paths import (
    in_git_dir,
    is_inside,
    path_candidates,
    protected_match,
    real_directory,
    resolve,
    word_candidates,
)
from aitui.core.autoaccept_rules import Finding
from aitui.core.autoaccept_shell import Unreadable, assess_command
from aitui.core.autoaccept_tables import SHELLS
from aitui.core.errors import ConfigError

log = logging.getLogger(__name__)

#: Risks from here up are never approved.
NEVER = 9
SUBJECT_CHARS = 200
_KEYS = ("enabled", "risk_threshold", "protected_patterns")


class AutoAcceptConfigError(ConfigError):
    """An auto-accept configuration is invalid (the message names the key)."""


@dataclass(frozen=True)
class AutoAcceptConfig:
    enabled: bool = False
    #: 0..10: a call is approved only when its risk is at most this.
    risk_threshold: int = 3
    #: Globs matched against paths (as written, components, resolved) and command words.
    protected_patterns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.enabled, bool):
            raise AutoAcceptConfigError(f"enabled must be true or false, got {self.enabled!r}")
        threshold = self.risk_threshold
        if not isinstance(threshold, int) or isinstance(threshold, bool):
            raise AutoAcceptConfigError(f"risk_threshold must be an integer, got {threshold!r}")
        if not 0 <= threshold <= 10:
            raise AutoAcceptConfigError(f"risk_threshold must be 0..10, got {threshold}")
        patterns = self.protected_patterns
        if isinstance(patterns, str) or not isinstance(patterns, list | tuple):
            raise AutoAcceptConfigError(
                f"protected_patterns must be a list of strings, got {patterns!r}"
            )
        for pattern in patterns:
            if not isinstance(pattern, str) or not pattern:
                raise AutoAcceptConfigError(
                    f"protected_patterns must hold non-empty strings, got {pattern!r}"
                )
        object.__setattr__(self, "protected_patterns", tuple(patterns))

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> AutoAcceptConfig:
        """From a config file's or an API's mapping; unknown keys are refused."""
        if not isinstance(data, Mapping):
            raise AutoAcceptConfigError(f"auto-accept settings must be a table, got {data!r}")
        unknown = sorted(str(k) for k in data if k not in _KEYS)
        if unknown:
            raise AutoAcceptConfigError(
                f"unknown auto-accept setting {', '.join(unknown)} (known: {', '.join(_KEYS)})"
            )
        values: dict[str, Any] = dict(data)
        return cls(**values)

    def to_mapping(self) -> dict[str, object]:
        return {
            "enabled": self.enabled,
            "risk_threshold": self.risk_threshold,
            "protected_patterns": list(self.protected_patterns),
        }


@dataclass(frozen=True)
class Decision:
    approve: bool
    risk: int
    #: One line for a log: what was seen, the risk and the threshold.
    reason: str
    tool: str
    #: The command or the path asked about, on one line, at most ~200 characters.
    subject: str


class Malformed(ValueError):
    """The payload cannot be read (the message says what)."""


def assess(
    tool_name: object, tool_input: object, working_directory: Path, config: AutoAcceptConfig
) -> Decision:
    tool = tool_name if isinstance(tool_name, str) else ""
    try:
        if not isinstance(tool_name, str) or not tool_name:
            raise Malformed(f"tool_name is not a non-empty string ({type(tool_name).__name__})")
        if not isinstance(tool_input, dict):
            raise Malformed(f"tool_input is not an object ({type(tool_input).__name__})")
        wd = real_directory(working_directory)
        finding, subject, candidates = _rate(tool, tool_input, wd)
    except (Malformed, Unreadable) as exc:
        return Decision(False, 10, f"could not read the payload: {exc}", tool, "")
    except Exception as exc:  # a bug here must refuse, not break the hook
        log.exception("auto-accept could not assess a %s call", tool)
        return Decision(False, 10, f"could not assess the call ({exc!r})", tool, "")
    subject = _one_line(subject)
    # The label quotes the command's words: escaped as the subject is, for the terminal that
    # prints the reason (``aitui decisions``) and the log.
    head = _one_line(finding.label, sys.maxsize)
    if not config.enabled:
        return Decision(False, finding.risk, "auto-accept is off", tool, subject)
    match = protected_match(candidates(), config.protected_patterns)
    if match is not None:
        pattern, where = match
        where = _one_line(where, 80)
        reason = f"{head}: touches protected pattern {pattern!r} ({where}), never auto-accepted"
        return Decision(False, finding.risk, reason, tool, subject)
    if finding.risk >= NEVER:
        return Decision(False, finding.risk, f"{head}: risk {finding.risk}, never", tool, subject)
    approve = finding.risk <= config.risk_threshold
    op = "<=" if approve else ">"
    reason = f"{head}: risk {finding.risk} {op} {config.risk_threshold}"
    return Decision(approve, finding.risk, reason, tool, subject)


def _string(data: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        what = "missing" if value is None else f"not a string ({type(value).__name__})"
        raise Malformed(f"{key} is {what}")
    if required and not value:
        raise Malformed(f"{key} is empty")
    return value


#: The finding, the subject, and what protected patterns are matched against (computed only
#: when there are patterns: resolving every word of a long command line takes a while).
Rated = tuple[Finding, str, Callable[[], Iterable[str]]]
_READS = {"Read": "file_path", "NotebookRead": "notebook_path", "LS": "path"}
_WRITES = {"Edit": "file_path", "MultiEdit": "file_path", "Write": "file_path"}
_WRITES["NotebookEdit"] = "notebook_path"
_TEXT_FIELDS = ("old_string", "new_string", "content", "new_source", "description")


def _rate(tool: str, data: dict[str, Any], wd: Path) -> Rated:
    for key in _TEXT_FIELDS:
        _string(data, key, required=False)
    if tool in _READS or tool in _WRITES:
        text = _string(data, _READS.get(tool) or _WRITES[tool])
        assert text is not None
        return _file(tool, text, wd, tool in _WRITES)
    if tool in ("Glob", "Grep"):
        pattern = _string(data, "pattern")
        where = _string(data, "path", required=False) or str(wd)
        found, _, in_path = _file(tool, where, wd, False)
        extra = [_string(data, "glob", required=False) or ""] if tool == "Grep" else [pattern]
        prefix = str(pattern).split("*")[0] if tool == "Glob" else ""
        if prefix and not is_inside(resolve(prefix, resolve(where, wd)), wd):
            found = Finding(5, f"{tool} outside the working directory ({pattern})")
        return found, f"{pattern} in {where}", lambda: [*in_path(), *(e for e in extra if e)]
    if tool == "Bash":
        command = _string(data, "command")
        assert command is not None
        return _shell(tool, command, wd)
    if tool == "shell":
        return _codex_shell(data, wd)
    if tool in ("WebFetch", "WebSearch"):
        key = "url" if tool == "WebFetch" else "query"
        text = _string(data, key)
        assert text is not None
        web = tool == "WebSearch" or text.lower().startswith(("http://", "https://"))
        label = "reads from the network" if web else "of a URL that is not http(s)"
        return Finding(5 if web else 7, f"{tool} {label}"), text, list
    if tool == "TodoWrite":
        return Finding(1, "TodoWrite only updates the agent's to-do list"), "to-do list", list
    if tool == "Task":
        what = _string(data, "description", required=False) or ""
        label = "Task starts a subagent (its tool calls are assessed one by one)"
        return Finding(3, label), what, list
    kind = "MCP tool" if tool.startswith("mcp__") else "unknown tool"
    subject = json.dumps(data, ensure_ascii=False, default=str)[: SUBJECT_CHARS * 2]
    return Finding(7, f"{kind} {tool}: cannot tell what it does"), subject, list


def _file(tool: str, text: str, wd: Path, write: bool) -> Rated:
    path = resolve(text, wd)
    if path is None:
        raise Malformed(f"the path {text!r} cannot be resolved")

    def candidates() -> list[str]:
        return path_candidates(text, path, wd)

    inside = is_inside(path, wd)
    if write and in_git_dir(path, wd):
        label = f"{tool} inside .git (its hooks and config run code)"
        return Finding(8, label), text, candidates
    if inside:
        return Finding(3 if write else 1, f"{tool} inside the working directory"), text, candidates
    where = f"{tool} outside the working directory"
    if path != Path(text):
        where += f" (resolves to {path})"
    return Finding(8 if write else 5, where), text, candidates


def _shell(tool: str, command: str, wd: Path, cwd: Path | None = None) -> Rated:
    verdict = assess_command(command, wd, cwd)

    def candidates() -> list[str]:
        return [c for word, base in verdict.words for c in word_candidates(word, base, wd)]

    finding = Finding(verdict.finding.risk, f"{tool}: {verdict.finding.label}")
    return finding, command, candidates


def _codex_shell(data: dict[str, Any], wd: Path) -> Rated:
    argv = data.get("command")
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        raise Malformed("command is not a non-empty list of strings")
    if any(not a for a in argv[:1]) or any("\0" in a for a in argv):
        raise Malformed("command has an empty program name or a NUL byte")
    workdir = _string(data, "workdir", required=False)
    base = resolve(workdir, wd) if workdir else wd
    if base is None:
        raise Malformed(f"workdir {workdir!r} cannot be resolved")
    if len(argv) >= 3 and Path(argv[0]).name in SHELLS and argv[1] in ("-c", "-lc", "-ic"):
        script = argv[2]
    else:
        script = shlex.join(argv)
    finding, subject, words = _shell("shell", script, wd, base)
    if workdir and not is_inside(base, wd):
        label = f"shell runs outside the working directory ({workdir})"
        finding = Finding(max(finding.risk, 7), label)
    return finding, subject, lambda: [*words(), *argv]


def _one_line(text: str, limit: int = SUBJECT_CHARS) -> str:
    out = "".join(
        c if c.isprintable() else ("\\n" if c == "\n" else f"\\x{ord(c):02x}") for c in text
    )
    return out if len(out) <= limit else out[: limit - 1] + "…"
