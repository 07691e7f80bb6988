"""A server name (``-L``) or socket path (``-S``) that cannot work is refused with why.

A 300-character name failed with ``File name too long`` and a 90-character one with
``AF_UNIX path too long``, both from deep inside; ``-L 'a b'`` made a socket and a records
file with a space in their names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.core.errors import AituiError
from aitui.core.sockets import MAX_SOCKET_PATH, SocketDirError, runtime_dir, socket_path


@pytest.mark.parametrize("name", ["a b", "../x", "-x", "", "x" * 65])
def test_a_server_name_outside_the_rule_is_refused(name: str) -> None:
    with pytest.raises(AituiError, match="invalid server name"):
        socket_path(name)  # "" too: ``-L ""`` named the default server without a word


def test_a_bad_server_name_is_a_bad_argument_exit_status_2() -> None:
    from aitui.cli import main

    assert main(["-L", "a b", "ls"], warm=False) == 2
    assert main(["-L", "", "kill-server"], warm=False) == 2


def test_a_name_whose_socket_would_be_too_long_is_refused_saying_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    deep = tmp_path / ("d" * 60)
    deep.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    assert len(str(runtime_dir() / "work")) > MAX_SOCKET_PATH
    with pytest.raises(SocketDirError, match=r"socket path too long .* pick a shorter"):
        socket_path("work")


def test_a_socket_path_too_long_is_refused_and_a_short_one_kept(tmp_path: Path) -> None:
    with pytest.raises(SocketDirError, match="too long"):
        socket_path(path="/tmp/" + "s" * MAX_SOCKET_PATH)
    assert socket_path(path="/tmp/s.sock") == Path("/tmp/s.sock")
    assert socket_path("work").name == "work"
