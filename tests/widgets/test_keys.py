"""Keys become the bytes xterm sends: checked against xterm's documented sequences."""

from __future__ import annotations

import pytest
from textual import events

from aitui.dashboard.widgets.keys import key_to_bytes, paste_bytes


@pytest.mark.parametrize(
    ("key", "character", "expected"),
    [
        ("a", "a", b"a"),
        ("A", "A", b"A"),
        ("space", " ", b" "),
        ("exclamation_mark", "!", b"!"),
        ("é", "é", "é".encode()),
        ("enter", "\r", b"\r"),
        ("tab", "\t", b"\t"),
        ("shift+tab", None, b"\x1b[Z"),
        ("escape", "\x1b", b"\x1b"),
        ("backspace", "\x7f", b"\x7f"),
        ("ctrl+h", None, b"\x08"),
        ("ctrl+c", None, b"\x03"),
        ("ctrl+a", None, b"\x01"),
        ("ctrl+z", None, b"\x1a"),
        ("ctrl+at", None, b"\x00"),
        ("ctrl+backslash", None, b"\x1c"),
        ("up", None, b"\x1b[A"),
        ("down", None, b"\x1b[B"),
        ("right", None, b"\x1b[C"),
        ("left", None, b"\x1b[D"),
        ("home", None, b"\x1b[H"),
        ("end", None, b"\x1b[F"),
        ("ctrl+left", None, b"\x1b[1;5D"),
        ("shift+up", None, b"\x1b[1;2A"),
        ("alt+right", None, b"\x1b[1;3C"),
        ("insert", None, b"\x1b[2~"),
        ("delete", None, b"\x1b[3~"),
        ("pageup", None, b"\x1b[5~"),
        ("pagedown", None, b"\x1b[6~"),
        ("f1", None, b"\x1bOP"),
        ("f4", None, b"\x1bOS"),
        ("f5", None, b"\x1b[15~"),
        ("f10", None, b"\x1b[21~"),
        ("f12", None, b"\x1b[24~"),
        ("shift+f1", None, b"\x1b[1;2P"),
        ("ctrl+f5", None, b"\x1b[15;5~"),
        ("alt+b", "b", b"\x1bb"),
        ("alt+enter", None, b"\x1b\r"),
        ("alt+ctrl+c", None, b"\x1b\x03"),
    ],
)
def test_key_bytes(key: str, character: str | None, expected: bytes) -> None:
    assert key_to_bytes(key, character) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        # Reported on their own by a terminal speaking kitty's keyboard protocol (Textual asks
        # for it); sent as xterm sends them, which has no code for the modifier. Before, they
        # sent nothing: Shift+Backspace typed while holding Shift was lost.
        ("shift+backspace", b"\x7f"),
        ("ctrl+backspace", b"\x08"),
        ("alt+ctrl+backspace", b"\x1b\x08"),
        ("shift+enter", b"\r"),
        ("ctrl+shift+enter", b"\r"),
        ("alt+shift+enter", b"\x1b\r"),
        ("shift+escape", b"\x1b"),
        ("ctrl+tab", b"\t"),
        ("ctrl+shift+a", b"\x01"),
        ("ctrl+slash", b"\x1f"),
        ("super+c", None),  # no terminal sends anything for it
        ("ctrl+1", None),
    ],
)
def test_keys_reported_with_modifiers_xterm_cannot_send(key: str, expected: bytes | None) -> None:
    assert key_to_bytes(key, None) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [("up", b"\x1bOA"), ("left", b"\x1bOD"), ("home", b"\x1bOH"), ("ctrl+up", b"\x1b[1;5A")],
)
def test_application_cursor_mode(key: str, expected: bytes) -> None:
    assert key_to_bytes(key, None, application_cursor=True) == expected


def test_paste_is_bracketed_only_when_asked() -> None:
    assert paste_bytes("a\nb", bracketed=False) == b"a\rb"
    assert paste_bytes("a\r\nb", bracketed=True) == b"\x1b[200~a\rb\x1b[201~"
    # A pasted end marker must not let the rest escape the bracket.
    assert paste_bytes("x\x1b[201~rm -rf /", bracketed=True) == b"\x1b[200~xrm -rf /\x1b[201~"


_MODIFIERS = ["", "shift", "alt", "ctrl", "ctrl+shift", "alt+ctrl", "alt+shift", "super"]
_KEYS = ["a", "z", "1", "slash", "left_square_bracket", "enter", "tab", "backspace", "escape"]


# Without flag 4 (alternate keys): Textual never asks for it, and cannot parse its form.
@pytest.mark.parametrize("flags", [1, 1 | 2, 8, 1 | 8 | 16, 1 | 2 | 8 | 16])
@pytest.mark.parametrize("modifiers", _MODIFIERS)
@pytest.mark.parametrize("key", _KEYS)
def test_textual_reads_each_kitty_key_back_as_the_key_pressed(
    flags: int, modifiers: str, key: str
) -> None:
    """Textual's parser speaks kitty's protocol (it asks the dashboard's terminal for it), so
    a Textual app in a pane is a second implementation to check the encodings against."""
    from textual._xterm_parser import XTermParser

    from aitui.core.keyboard_encoding import kitty_key

    name = f"{modifiers}+{key}" if modifiers else key
    character = {"a": "a", "z": "z", "1": "1", "slash": "/", "left_square_bracket": "["}.get(key)
    if modifiers == "shift" and key in ("a", "z"):
        name, character = key.upper(), key.upper()  # Textual's name for a shifted letter
    elif modifiers:
        character = None
    sequence = kitty_key(name, character, flags)
    if sequence is None:
        pytest.skip("legacy bytes under these flags")
    keys = [e for e in XTermParser().feed(sequence) if isinstance(e, events.Key)]
    # Without the text a shifted letter is "shift+a" to Textual, with it "A": the same key.
    same = {name, f"shift+{name.lower()}"} if len(name) == 1 and name.isupper() else {name}
    assert len(keys) == 1 and keys[0].key in same, repr(sequence)
