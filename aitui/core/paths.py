"""Where aitui keeps what outlives a process (the agents' store, recordings), kept private.

Recordings hold whole terminal sessions and the store holds agents' messages, secrets typed in
them included, so nothing aitui writes is readable by other local users: directories are made
0700 and files 0600 *at creation* (``os.open``'s mode, not a ``chmod`` after the fact, which
would leave a window), whatever the umask. Directories and files an older version left
group- or world-readable inside the data dir are tightened when next used.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import platformdirs

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def data_dir() -> Path:
    """``$AITUI_DATA_DIR`` if set (tests, several profiles), else the platform's user data dir."""
    return Path(os.environ.get("AITUI_DATA_DIR") or platformdirs.user_data_dir("aitui"))


def state_dir() -> Path:
    """Where logs go: ``$AITUI_DATA_DIR/state`` if set, else the platform's user state dir."""
    if os.environ.get("AITUI_DATA_DIR"):
        return data_dir() / "state"
    return Path(platformdirs.user_state_dir("aitui"))


def private_dir(path: Path) -> Path:
    """``path`` as a directory, created 0700 with any missing parents (also 0700); directories
    from the data dir down to ``path`` that exist with looser modes are tightened. ``OSError``
    if it cannot be made."""
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for directory in reversed(missing):
        directory.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
        os.chmod(directory, PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask
    root = data_dir()
    for directory in (path, *path.parents):
        if directory == root or root in directory.parents:
            _tighten(directory, PRIVATE_DIR_MODE)
        if directory == root:
            break
    return path


def open_private(path: Path, flags: int) -> int:
    """``os.open(path, flags | O_CREAT)`` with mode 0600; an existing file with looser modes
    (from an older version) is tightened. Returns the descriptor (close-on-exec)."""
    fd = os.open(path, flags | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) & 0o077:
            os.fchmod(fd, PRIVATE_FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def create_private(path: Path, *, truncate: bool = False) -> None:
    """Make sure ``path`` exists as a 0600 file (emptied if ``truncate``) before another
    library opens it by name: SQLite gives its ``-wal`` and ``-shm`` files the database's mode."""
    os.close(open_private(path, os.O_WRONLY | (os.O_TRUNC if truncate else 0)))


def tighten_file(path: Path) -> None:
    """Drop group and other permissions from ``path`` if it exists."""
    with contextlib.suppress(FileNotFoundError):
        _tighten(path, PRIVATE_FILE_MODE)


def _tighten(path: Path, mode: int) -> None:
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, mode)
