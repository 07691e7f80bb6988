"""Keys in kitty's keyboard protocol, checked against the specification's rules and examples
(https://sw.kovidgoyal.net/kitty/keyboard-protocol/); ``tests/widgets/test_keys.py`` checks
that Textual's own parser, which speaks the protocol, reads every one back as the same key."""

from __future__ import annotations

import pytest

from aitui.core.keyboard_encoding import kitty_key
from aitui.core.keys import KeyNameError, key_to_bytes, named_key

DISAMBIGUATE, EVENT_TYPES, ALTERNATE, ALL_KEYS, TEXT = 1, 2, 4, 8, 16


@pytest.mark.parametrize(
    ("key", "character", "flags", "expected"),
    [
        # Disambiguate: Esc and keys with Ctrl/Alt become CSI u; text and plain Enter do not.
        ("escape", "\x1b", DISAMBIGUATE, "\x1b[27u"),
        ("shift+enter", None, DISAMBIGUATE, "\x1b[13;2u"),
        ("ctrl+enter", None, DISAMBIGUATE, "\x1b[13;5u"),
        ("alt+enter", None, DISAMBIGUATE, "\x1b[13;3u"),
        ("shift+tab", None, DISAMBIGUATE, "\x1b[9;2u"),
        ("ctrl+backspace", None, DISAMBIGUATE, "\x1b[127;5u"),
        ("ctrl+a", None, DISAMBIGUATE, "\x1b[97;5u"),
        ("ctrl+c", None, DISAMBIGUATE, "\x1b[99;5u"),  # no SIGINT: the program reads it
        ("ctrl+shift+a", None, DISAMBIGUATE, "\x1b[97;6u"),
        ("alt+a", None, DISAMBIGUATE, "\x1b[97;3u"),
        ("ctrl+slash", None, DISAMBIGUATE, "\x1b[47;5u"),
        ("ctrl+space", None, DISAMBIGUATE, "\x1b[32;5u"),
        ("super+c", None, DISAMBIGUATE, "\x1b[99;9u"),
        ("a", "a", DISAMBIGUATE, None),
        ("A", "A", DISAMBIGUATE, None),
        ("enter", "\r", DISAMBIGUATE, None),
        ("tab", "\t", DISAMBIGUATE, None),
        ("backspace", "\x7f", DISAMBIGUATE, None),
        ("up", None, DISAMBIGUATE, None),  # cursor and function keys keep their forms
        ("ctrl+up", None, DISAMBIGUATE, None),
        ("f3", None, DISAMBIGUATE, "\x1b[13~"),  # ... but F3, whose CSI 1;m R is a CPR
        ("shift+f3", None, DISAMBIGUATE, "\x1b[13;2~"),
        # Event types alone change nothing for presses.
        ("escape", "\x1b", DISAMBIGUATE | EVENT_TYPES, "\x1b[27u"),
        ("a", "a", EVENT_TYPES, None),
        # All keys as escape codes, with the text they type and the shifted key.
        ("a", "a", ALL_KEYS, "\x1b[97u"),
        ("enter", "\r", ALL_KEYS, "\x1b[13u"),
        ("A", "A", ALL_KEYS, "\x1b[97;2u"),
        ("A", "A", ALL_KEYS | ALTERNATE, "\x1b[97:65;2u"),
        ("a", "a", ALL_KEYS | TEXT, "\x1b[97;;97u"),
        ("A", "A", ALL_KEYS | ALTERNATE | TEXT, "\x1b[97:65;2;65u"),
        ("é", "é", ALL_KEYS | TEXT, "\x1b[233;;233u"),
        ("ctrl+a", None, ALL_KEYS | TEXT, "\x1b[97;5u"),  # Ctrl+A types no text
        ("escape", "\x1b", ALL_KEYS | TEXT, "\x1b[27u"),
        ("ctrl+shift+a", None, ALTERNATE | DISAMBIGUATE, "\x1b[97:65;6u"),
        ("ctrl+a", None, ALTERNATE | DISAMBIGUATE, "\x1b[97;5u"),
        # No protocol, no change.
        ("escape", "\x1b", 0, None),
    ],
)
def test_the_specifications_encodings(
    key: str, character: str | None, flags: int, expected: str | None
) -> None:
    assert kitty_key(key, character, flags) == expected


def test_the_pane_sends_legacy_bytes_where_the_protocol_keeps_them() -> None:
    assert key_to_bytes("enter", "\r", kitty=DISAMBIGUATE) == b"\r"
    assert key_to_bytes("up", None, application_cursor=True, kitty=DISAMBIGUATE) == b"\x1bOA"
    assert key_to_bytes("shift+enter", None, kitty=DISAMBIGUATE) == b"\x1b[13;2u"
    assert key_to_bytes("shift+enter", None) == b"\r"  # legacy: as xterm


def test_named_keys_follow_the_programs_flags() -> None:
    assert named_key("shift+enter", kitty=DISAMBIGUATE) == b"\x1b[13;2u"
    assert named_key("S-Enter", kitty=DISAMBIGUATE) == b"\x1b[13;2u"
    assert named_key("Escape", kitty=DISAMBIGUATE) == b"\x1b[27u"
    assert named_key("C-c", kitty=DISAMBIGUATE) == b"\x1b[99;5u"
    assert named_key("ctrl++", kitty=DISAMBIGUATE) == b"\x1b[43;5u"
    assert named_key("enter", kitty=DISAMBIGUATE) == b"\r"
    assert named_key("Escape") == b"\x1b"
    with pytest.raises(KeyNameError, match="no code of its own"):
        named_key("shift+enter")  # without the protocol there is none
