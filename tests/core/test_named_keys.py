"""Key names a person types (``aitui keys``, ``POST /sessions/{name}/keys``) to terminal bytes.

The table is the dashboard's own (``key_to_bytes``): a name means the bytes the pane sends for
that key, so the two can never disagree.
"""

from __future__ import annotations

import pytest

from aitui.core.keys import KeyNameError, key_to_bytes, named_key


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ctrl+c", b"\x03"),
        ("C-c", b"\x03"),
        ("ctrl+C", b"\x03"),
        ("enter", b"\r"),
        ("Enter", b"\r"),
        ("tab", b"\t"),
        ("escape", b"\x1b"),
        ("esc", b"\x1b"),
        ("space", b" "),
        ("backspace", b"\x7f"),
        ("BSpace", b"\x7f"),
        ("delete", b"\x1b[3~"),
        ("DC", b"\x1b[3~"),
        ("up", b"\x1b[A"),
        ("Up", b"\x1b[A"),
        ("left", b"\x1b[D"),
        ("home", b"\x1b[H"),
        ("end", b"\x1b[F"),
        ("pageup", b"\x1b[5~"),
        ("PPage", b"\x1b[5~"),
        ("NPage", b"\x1b[6~"),
        ("f1", b"\x1bOP"),
        ("F12", b"\x1b[24~"),
        ("shift+up", b"\x1b[1;2A"),
        ("S-Up", b"\x1b[1;2A"),
        ("ctrl+alt+up", b"\x1b[1;7A"),
        ("alt+x", b"\x1bx"),
        ("M-x", b"\x1bx"),
        ("C-M-c", b"\x1b\x03"),
        ("btab", b"\x1b[Z"),
        ("shift+tab", b"\x1b[Z"),
        ("ctrl+space", b"\x00"),
        ("ctrl+[", b"\x1b"),
        ("ctrl+]", b"\x1d"),
        ("ctrl+?", b"\x7f"),
        ("a", b"a"),
        ("A", b"A"),
        ("+", b"+"),
        ("é", "é".encode()),
    ],
)
def test_names_and_their_bytes(name: str, expected: bytes) -> None:
    assert named_key(name) == expected


def test_cursor_keys_follow_the_programs_cursor_key_mode() -> None:
    assert named_key("up", application_cursor=True) == b"\x1bOA"
    assert named_key("shift+up", application_cursor=True) == b"\x1b[1;2A"


@pytest.mark.parametrize(
    "name",
    ["ctrl+c", "alt+x", "shift+up", "f5", "ctrl+f5", "pagedown", "insert", "shift+tab", "end"],
)
def test_textual_names_mean_what_the_dashboard_sends(name: str) -> None:
    assert named_key(name) == key_to_bytes(name)


@pytest.mark.parametrize(
    "name", ["hello", "ctrl+1", "f13", "hyper+a", "shift+a", "", "ctrl+", "C-", "ctrl+a+b"]
)
def test_unknown_names_are_refused_with_what_a_name_may_be(name: str) -> None:
    with pytest.raises(KeyNameError) as caught:
        named_key(name)
    assert repr(name) in str(caught.value)
    assert "f1-f12" in str(caught.value)


@pytest.mark.parametrize("name", ["shift+enter", "ctrl+enter", "S-Enter", "ctrl+1", "shift+a"])
def test_a_real_key_with_modifiers_a_terminal_cannot_send_says_so(name: str) -> None:
    """Refused, not sent as the plain key: Enter for ``shift+enter`` would submit an agent's
    half-written prompt."""
    with pytest.raises(KeyNameError, match="a terminal sends no code of its own for it"):
        named_key(name)


def test_shift_enter_points_to_the_new_line_agents_take() -> None:
    with pytest.raises(KeyNameError, match=r"alt\+enter \(ESC CR\) or ctrl\+j"):
        named_key("shift+enter")
    assert named_key("alt+enter") == b"\x1b\r" and named_key("ctrl+j") == b"\n"
