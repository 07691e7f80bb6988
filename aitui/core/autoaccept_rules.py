"""The risk of one simple shell command (its words), for ``aitui.core.autoaccept``.

The table is in the module docstring of ``aitui.core.autoaccept`` and in docs/auto-accept.md;
keep the three in step.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aitui.core.autoaccept_paths import in_git_dir, is_inside, resolve
from aitui.core.autoaccept_tables import (
    BUILD_RUN_SCRIPTS,
    BUILD_SUBCOMMANDS,
    CLOSERS,
    GIT_READ,
    GIT_SAFE_OPTIONS,
    INTERPRETERS,
    KEYWORDS,
    NO_PATHS,
    POWER,
    PRIVILEGE,
    READ_ONLY,
    ROOTISH,
    SHELLS,
    STEERING,
    WRAPPER_OPTIONS,
    WRITERS,
)


@dataclass(frozen=True)
class Finding:
    risk: int
    label: str


Nested = Callable[[str, Path | None], Finding]


def _options(args: list[str]) -> list[str]:
    return [a for a in args if a.startswith("-") and a != "-"]


def _operands(args: list[str]) -> list[str]:
    return [a for a in args if not a.startswith("-") or a == "-"]


def _short_flag(args: list[str], letters: str, long: str) -> bool:
    return any(
        a == long or (a.startswith("-") and not a.startswith("--") and any(c in a for c in letters))
        for a in args
    )


def rate_words(
    words: list[str], upstream: list[str], cwd: Path | None, wd: Path, nested: Nested
) -> Finding:
    variable = _steering_assignment(words)
    found = _rate(_strip_keywords(words), upstream, cwd, wd, nested)
    if variable is not None and found.risk < 6:
        return Finding(6, f"setting {variable} changes what programs run or load")
    return found


def _steering_assignment(words: list[str]) -> str | None:
    """The first variable assigned (before the command, or by ``env``) that decides which
    programs run or what they load (``PATH``, ``LD_PRELOAD``, ``GIT_SSH_COMMAND``...)."""
    for word in words:
        name = word.partition("=")[0]
        if _is_assignment(word):
            if name in STEERING or name.startswith(("LD_", "DYLD_", "GIT_")):
                return name
        elif word not in KEYWORDS and word != "env" and not word.startswith("-"):
            return None
    return None


def _rate(
    words: list[str], upstream: list[str], cwd: Path | None, wd: Path, nested: Nested
) -> Finding:
    if not words:
        return Finding(1, "shell syntax or variable assignments only")
    name, args = os.path.basename(words[0]), words[1:]
    if "$" in words[0]:
        return Finding(9, f"runs a command whose name is computed ({words[0]})")
    if name in PRIVILEGE:
        return Finding(9, f"{name} runs commands as another user")
    if name in POWER or name.startswith("mkfs"):
        return Finding(10, f"{name} acts on the whole machine")
    if name in ("eval",):
        return Finding(9, "eval runs text as a command")
    if name in WRAPPER_OPTIONS:
        return _wrapper(name, args, upstream, cwd, wd, nested)
    if name in SHELLS or name in INTERPRETERS:
        return _interpreter(name, args, upstream, cwd, nested)
    if name in ("source", "."):
        return Finding(9 if any("$" in a for a in args) else 6, f"{name} runs a script")
    if name == "rm" and _short_flag(args, "rR", "--recursive"):
        worst = "--no-preserve-root" in args or any(a in ROOTISH for a in _operands(args))
        return Finding(10 if worst else 9, "rm -r deletes recursively")
    if name in ("chown", "chgrp", "dd"):
        return Finding(9, f"{name} can take files or disks from their owner")
    if name == "chmod":
        recursive = _short_flag(args, "R", "--recursive")
        return Finding(9 if recursive else 6, "chmod -R" if recursive else "chmod")
    if name == "git":
        return _git(args, cwd, wd)
    if name == "find":
        return _find(args, upstream, cwd, wd, nested)
    if name == "rg" and any(a.startswith("--pre") for a in args):
        return Finding(6, "rg --pre runs a command on each file")
    if name in READ_ONLY:
        return _reads(name, args, cwd, wd)
    if name in WRITERS:
        return _writes(name, _operands(args), cwd, wd, 4 if name in ("rm", "rmdir") else 3)
    if _is_build(name, args):
        return Finding(4, f"{' '.join(words[:2])} is a build or test command")
    return Finding(6, f"unknown command {name}")


def _strip_keywords(words: list[str]) -> list[str]:
    i = 0
    while i < len(words) and (words[i] in KEYWORDS or _is_assignment(words[i])):
        i += 1
    rest = words[i:]
    return [] if rest and all(w in CLOSERS for w in rest) else rest


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and name.isidentifier()


def _wrapper(
    name: str, args: list[str], upstream: list[str], cwd: Path | None, wd: Path, nested: Nested
) -> Finding:
    if name == "command" and any(a in ("-v", "-V") for a in args):
        return Finding(1, "command -v looks a command up")
    takes_value, flags = WRAPPER_OPTIONS[name]
    i = 0
    while i < len(args) and (args[i].startswith("-") or (name == "env" and "=" in args[i])):
        if args[i] in takes_value:
            i += 2
        elif args[i] in flags or "=" in args[i] or (name == "nice" and args[i][1:].isdigit()):
            i += 1
        else:  # not understood: the rest rated from every word on (and ``env -S 'a b'``)
            rest = [rate_words(args[k:], upstream, cwd, wd, nested) for k in range(i, len(args))]
            rest += [nested(a, cwd) for a in args[i:] if any(c.isspace() for c in a)]
            return max(rest, key=lambda f: f.risk)
    if name == "timeout" and i < len(args):
        i += 1  # the duration
    if i >= len(args):
        return Finding(1, f"{name} with nothing to run")
    return rate_words(args[i:], upstream, cwd, wd, nested)


def _interpreter(
    name: str, args: list[str], upstream: list[str], cwd: Path | None, nested: Nested
) -> Finding:
    downloaded = any(u in ("curl", "wget") for u in upstream)
    if name in SHELLS:
        script_at = next(
            (k for k, a in enumerate(args) if a.startswith("-") and "c" in a.lstrip("-")), None
        )
        if script_at is not None:
            if script_at + 1 >= len(args):
                return Finding(6, f"{name} -c without a script")
            script = args[script_at + 1]
            if "$" in script:
                return Finding(9, f"{name} -c runs a script computed at run time")
            inner = nested(script, cwd)
            return Finding(inner.risk, f"{name} -c: {inner.label}")
    elif args[:2] == ["-m", "pytest"]:
        return Finding(4, f"{name} -m pytest is a build or test command")
    elif any(a in ("-c", "-e", "-E") for a in args):
        return Finding(6, f"{name} runs code given on its command line")
    operands = _operands(args)
    if not operands or operands[0] == "-":
        if downloaded:
            return Finding(10, f"piping a download into {name} runs code from the network")
        if upstream:
            return Finding(9, f"piping into {name} runs whatever the pipe carries")
        return Finding(6, f"{name} reads commands from its input")
    if any("$" in a for a in args):
        return Finding(9, f"{name} runs a script computed at run time")
    return Finding(6, f"{name} runs a program ({operands[0]})")


def _git(args: list[str], cwd: Path | None, wd: Path) -> Finding:
    i, base = 0, cwd
    while i < len(args) and args[i].startswith("-"):
        if args[i] == "-C" and i + 1 < len(args):
            base = resolve(args[i + 1], cwd, shell=True)
            i += 2
        elif args[i] in GIT_SAFE_OPTIONS:
            i += 1
        else:
            return Finding(6, f"git {args[i]} can change what git runs")
    if i >= len(args):
        return Finding(1, "git alone prints its help")
    sub, rest = args[i], args[i + 1 :]
    if sub == "push" and any(
        r in ("-f", "--force", "--mirror") or r.startswith("--force") or r.startswith("+")
        for r in rest
    ):
        return Finding(9, "git push --force rewrites the remote's history")
    if sub == "reset" and "--hard" in rest:
        return Finding(9, "git reset --hard discards uncommitted work")
    if sub == "clean" and _short_flag(rest, "f", "--force"):
        return Finding(9, "git clean -f deletes untracked files")
    if sub in GIT_READ and not any(r.startswith(("--output", "--ext-diff")) for r in rest):
        if not is_inside(base, wd):
            return Finding(5, f"git {sub} reads outside the working directory")
        return Finding(1, f"git {sub} is read-only")
    return Finding(6, f"git {sub}")


def _find(
    args: list[str], upstream: list[str], cwd: Path | None, wd: Path, nested: Nested
) -> Finding:
    if "-delete" in args:
        return Finding(9, "find -delete deletes files")
    for k, a in enumerate(args):
        if a in ("-exec", "-execdir", "-ok", "-okdir"):
            inner = rate_words(args[k + 1 :], upstream, cwd, wd, nested) if args[k + 1 :] else None
            risk = max(6, inner.risk if inner else 0)
            return Finding(risk, f"find {a} runs a command ({inner.label if inner else 'none'})")
        if a in ("-fprint", "-fprint0", "-fprintf", "-fls"):
            return Finding(6, f"find {a} writes a file")
    paths = []
    for a in args:
        if a.startswith("-") or a in ("(", "!"):
            break
        paths.append(a)
    return _reads("find", paths, cwd, wd)


def _reads(name: str, args: list[str], cwd: Path | None, wd: Path) -> Finding:
    if name in NO_PATHS or name in ("cd", "pushd", "popd"):
        return Finding(1, f"{name} is read-only")
    if not is_inside(cwd, wd):
        return Finding(5, f"{name} reads outside the working directory")
    operands = _operands(args)
    if name in ("grep", "egrep", "fgrep", "rg") and not any(
        o in ("-e", "-f", "--regexp", "--file") or o.startswith(("--regexp=", "--file="))
        for o in _options(args)
    ):
        operands = operands[1:]  # the pattern
    values = [o.split("=", 1)[1] for o in _options(args) if "=" in o]
    for operand in operands + [v for v in values if "/" in v]:
        if operand != "-" and not is_inside(resolve(operand, cwd, shell=True), wd):
            return Finding(5, f"{name} reads outside the working directory ({operand})")
    return Finding(1, f"{name} is read-only")


def _writes(name: str, operands: list[str], cwd: Path | None, wd: Path, risk: int) -> Finding:
    if not is_inside(cwd, wd):
        return Finding(8, f"{name} writes outside the working directory")
    for operand in operands:
        path = resolve(operand, cwd, shell=True)
        if in_git_dir(path, wd):
            return Finding(8, f"{name} writes inside .git ({operand})")
        if not is_inside(path, wd):
            return Finding(8, f"{name} writes outside the working directory ({operand})")
    return Finding(risk, f"{name} writes inside the working directory")


def _is_build(name: str, args: list[str]) -> bool:
    if name in ("pytest", "py.test", "make", "tox", "mypy"):
        return True
    sub = args[0] if args else ""
    if name in ("npm", "pnpm", "yarn") and sub in ("run", "run-script") and len(args) > 1:
        return args[1] in BUILD_RUN_SCRIPTS
    return sub in BUILD_SUBCOMMANDS.get(name, set())
