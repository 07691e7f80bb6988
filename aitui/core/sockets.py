"""Where a user's aitui server listens: one Unix socket per name, as ``tmux -L NAME``.

The socket lives in ``$XDG_RUNTIME_DIR/aitui/`` (a per-user tmpfs the system empties at
logout), else ``/tmp/aitui-<uid>/`` as tmux does. Whoever reaches the socket drives every
session, so its directory must be the user's own and closed to others: made 0700, and refused
(``SocketDirError``, naming the fix) if it belongs to another user or others can enter it,
since someone else could then plant a socket for the client to talk to. The socket itself is
bound under a 077 umask (0600).

``AITUI_SOCKET`` names a socket path outright (the sessions' own environment does not carry
it: children get no ``AITUI_*`` variable), like ``-S PATH``.
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

from aitui.core.errors import AituiError, ConfigError
from aitui.core.names import NAME_PATTERN, NAME_RULE

DEFAULT_NAME = "default"
SOCKET_ENV = "AITUI_SOCKET"
#: sun_path holds 108 bytes on Linux, 104 on macOS: longer paths cannot be bound.
MAX_SOCKET_PATH = 100


class SocketDirError(AituiError):
    """The socket's directory is not safe to use (another user's, or open to others)."""


def runtime_dir() -> Path:
    """The directory the user's sockets live in (not created here)."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and os.path.isdir(base) and os.access(base, os.W_OK | os.X_OK):
        return Path(base) / "aitui"
    return Path(os.environ.get("TMPDIR") or "/tmp") / f"aitui-{os.getuid()}"


def socket_path(name: str | None = None, path: str | os.PathLike[str] | None = None) -> Path:
    """The socket of server ``name`` (``-L``), or ``path`` itself (``-S``), else
    ``$AITUI_SOCKET``, else the default server's."""
    if path is not None:
        return _bindable(Path(path))
    if name is None and os.environ.get(SOCKET_ENV):
        return _bindable(Path(os.environ[SOCKET_ENV]))
    name = DEFAULT_NAME if name is None else name  # ``-L ""`` is no name, not the default
    if not NAME_PATTERN.fullmatch(name):  # (it names files too: sessions-NAME.sqlite3)
        raise ConfigError(f"invalid server name {name!r}: a plain name such as 'work', {NAME_RULE}")
    return _bindable(runtime_dir() / name)


def _bindable(socket: Path) -> Path:
    """``socket``, if a Unix socket can have that path (else a client's connect failed with
    ``AF_UNIX path too long``, and a name of 300 characters with ``File name too long``)."""
    if len(os.fsencode(socket)) > MAX_SOCKET_PATH:
        raise SocketDirError(
            f"socket path too long for a Unix socket ({len(os.fsencode(socket))} bytes, at most"
            f" {MAX_SOCKET_PATH}): {socket}; pick a shorter -L NAME or -S PATH"
        )
    return socket


def ensure_socket_dir(socket: Path) -> None:
    """Make ``socket``'s directory (0700) if missing; ``SocketDirError`` if it is unsafe."""
    directory = _bindable(socket).parent
    if not directory.exists():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(directory, 0o700)
    check_private(directory)


def check_private(directory: Path) -> None:
    """``SocketDirError`` unless ``directory`` is a directory of this user closed to others."""
    info = directory.lstat()
    if not stat.S_ISDIR(info.st_mode):
        raise SocketDirError(f"{directory} is not a directory")
    if info.st_uid != os.getuid():
        raise SocketDirError(
            f"{directory} belongs to another user (uid {info.st_uid}): refusing to use it; "
            f"pick another socket with -S PATH or -L NAME"
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise SocketDirError(
            f"{directory} is open to other users (mode {stat.S_IMODE(info.st_mode):o}): "
            f"run 'chmod 700 {directory}' or pick another socket with -S PATH"
        )


def check_socket_owner(socket: Path) -> None:
    """``SocketDirError`` unless ``socket`` (which exists) is this user's."""
    info = socket.lstat()
    if info.st_uid != os.getuid():
        raise SocketDirError(
            f"{socket} belongs to another user (uid {info.st_uid}): refusing to connect"
        )
    if not stat.S_ISSOCK(info.st_mode):
        raise SocketDirError(f"{socket} exists and is not a socket")


def listen_private(path: Path, backlog: int) -> socket.socket:
    """A Unix socket listening at ``path`` (which must not exist), mode 0600 from the moment it
    is bound: the umask makes it so, the chmod says it whatever the platform does with it."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    previous = os.umask(0o077)
    try:
        listener.bind(str(path))
    finally:
        os.umask(previous)
    os.chmod(path, 0o600)
    listener.listen(backlog)
    return listener


def log_path(socket: Path) -> Path:
    """The server's log file, in the user's state dir, named after the socket."""
    from aitui.core.paths import state_dir

    return state_dir() / f"server-{socket.name}.log"
