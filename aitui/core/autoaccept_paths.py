"""Where a path of a tool call really points, and whether it touches a protected pattern.

Used by ``aitui.core.autoaccept`` and ``aitui.core.autoaccept_shell``. A path is resolved the
way the operating system would: relative paths against the directory the tool runs in, ``~``
to the home directory, ``..`` and symbolic links followed (``os.path.realpath``, which also
follows a dangling link to where it would write). "Inside" means the resolved path is the
working directory or below it, after resolving the working directory the same way, so a
symlink inside the project pointing elsewhere is outside.

A path that cannot be known (a shell variable, a command substitution, a NUL byte) is
``None``: every caller treats an unknown place as outside.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

#: Devices a shell redirection may write to without writing a file.
SAFE_DEVICES = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"})


def real_directory(directory: Path) -> Path:
    return Path(os.path.realpath(os.path.expanduser(str(directory))))


def resolve(text: str, base: Path | None, *, shell: bool = False) -> Path | None:
    """The real path ``text`` names from ``base`` (None: not knowable). ``shell``: ``text``
    is a shell word, where ``$`` expands to something we cannot see."""
    if not text or "\0" in text or (shell and "$" in text):
        return None
    try:
        expanded = os.path.expanduser(text)
        if not os.path.isabs(expanded):
            if base is None:
                return None
            expanded = os.path.join(base, expanded)
        return Path(os.path.realpath(expanded))
    except (OSError, ValueError):  # a name too long for the system, say
        return None


def is_inside(path: Path | None, working_directory: Path) -> bool:
    return path is not None and (path == working_directory or working_directory in path.parents)


def in_git_dir(path: Path | None, working_directory: Path) -> bool:
    """Under a ``.git`` directory of the project: its hooks and config run code (``git
    status`` runs ``core.fsmonitor``), so writing there is as risky as writing outside."""
    if path is None or not is_inside(path, working_directory):
        return False
    return ".git" in path.relative_to(working_directory).parts


def path_candidates(text: str, resolved: Path | None, working_directory: Path) -> list[str]:
    """The strings a protected pattern is matched against for one path: as written, each of
    its components (so ``.git`` or ``secrets`` protects what is below it), the resolved path,
    and the path relative to the working directory."""
    out = [text, *PurePosixPath(text).parts]
    if resolved is not None:
        out.append(str(resolved))
        out.extend(resolved.parts)
        if is_inside(resolved, working_directory):
            out.append(str(resolved.relative_to(working_directory)))
    return out


def word_candidates(word: str, base: Path | None, working_directory: Path) -> list[str]:
    """A shell word seen as a path too, and an option's value (``--file=package.json``)."""
    out = path_candidates(word, resolve(word, base, shell=True), working_directory)
    if word.startswith("-") and "=" in word:
        value = word.split("=", 1)[1]
        out.extend(path_candidates(value, resolve(value, base, shell=True), working_directory))
    return out


def protected_match(candidates: Iterable[str], patterns: Sequence[str]) -> tuple[str, str] | None:
    """The first (pattern, candidate) that matches, ignoring case: on a case-insensitive file
    system ``.ENV`` is ``.env``, and refusing one approval too many is the safe mistake."""
    if not patterns:
        return None
    lowered = [p.lower() for p in patterns]
    for candidate in candidates:
        text = candidate.lower()
        for pattern, low in zip(patterns, lowered, strict=True):
            if fnmatch.fnmatchcase(text, low):
                return pattern, candidate
    return None
