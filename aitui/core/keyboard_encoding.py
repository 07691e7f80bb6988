"""Keys in kitty's keyboard protocol, for a program that asked for it (``keyboard_protocol``).

Only key presses are sent (the dashboard's terminal reports no releases to Textual), so the
event-type flag changes nothing: a press is the default. What each flag does here, after the
specification (https://sw.kovidgoyal.net/kitty/keyboard-protocol/):

- **disambiguate** (1): Esc, and any key with Ctrl, Alt, Super, Hyper or Meta (or Enter, Tab,
  Backspace with any modifier), become ``CSI code ; modifiers u``; text typed with at most
  Shift stays text, and plain Enter, Tab and Backspace keep their legacy bytes (so ``reset``
  can be typed after a program that left the protocol on).
- **alternate keys** (4): a shifted letter also names its shifted form (``CSI 97:65;6u``).
- **all keys as escape codes** (8): every key, text too, is ``CSI code ; modifiers u``;
  with **associated text** (16) the text follows as code points (``CSI 97;;97u``).

Cursor, Home/End, Insert/Delete, Page and function keys keep their legacy forms in every mode
(which the specification also uses for them), except F3, which is ``CSI 13~`` there.
``None`` means: the legacy encoding is the answer.
"""

from __future__ import annotations

import unicodedata

#: Key codes of the keys that have one in the protocol (the rest are text or legacy forms).
_CODES = {"escape": 27, "enter": 13, "tab": 9, "backspace": 127, "space": 32}
#: Keys that type no text (``unicodedata`` knows "escape" and "backspace" as control
#: characters' names, which are not what they type).
_CONTROL_KEYS = frozenset(["escape", "enter", "tab", "backspace"])
#: Textual's names for characters whose Unicode names it replaces (``solidus`` is ``slash``).
_TEXTUAL_NAMES = {
    "slash": "/",
    "backslash": "\\",
    "at": "@",
    "minus": "-",
    "plus": "+",
    "underscore": "_",
    "space": " ",
}
_MODIFIER_BITS = {"shift": 1, "alt": 2, "ctrl": 4, "super": 8, "hyper": 16, "meta": 32}
_LEGACY_FORMS = frozenset(
    ["up", "down", "left", "right", "home", "end", "insert", "delete", "pageup", "pagedown"]
    + [f"f{n}" for n in range(1, 13)]
)
DISAMBIGUATE, ALTERNATE_KEYS, ALL_KEYS, ASSOCIATED_TEXT = 1, 4, 8, 16


def kitty_key(key: str, character: str | None, flags: int) -> str | None:
    """``key`` (a Textual name: modifiers in alphabetical order, then the key; ``A`` for a
    shifted letter) as a program with ``flags`` on reads it, or ``None`` for legacy bytes."""
    if not flags & (DISAMBIGUATE | ALL_KEYS):
        return None
    *mods, base = key.split("+") if key not in ("+", "plus") else ["+"]
    if any(m not in _MODIFIER_BITS for m in mods):
        return None
    if base in _LEGACY_FORMS:
        if base == "f3":
            modifier = 1 + sum(_MODIFIER_BITS[m] for m in mods)
            return "\x1b[13~" if modifier == 1 else f"\x1b[13;{modifier}~"
        return None
    text = None if base in _CONTROL_KEYS else _text_of(base, character)
    if base in _CODES:
        code = _CODES[base]
    elif text is not None and len(text) == 1:
        code = ord(text)
    else:
        return None
    shifted = None
    if text is not None and text.isalpha() and text != text.lower():  # "A": shift+a
        shifted, code = ord(text), ord(text.lower())
        mods = sorted({*mods, "shift"})
    elif text is not None and len(text) == 1 and text.isalpha() and "shift" in mods:
        shifted = ord(text.upper())  # ctrl+shift+a: the shifted key is A
    modifier = 1 + sum(_MODIFIER_BITS[m] for m in mods)
    if not flags & ALL_KEYS and not _disambiguated(base, mods):
        return None
    key_field = str(code)
    if shifted is not None and flags & ALTERNATE_KEYS:
        key_field += f":{shifted}"
    fields = [key_field, "" if modifier == 1 else str(modifier)]
    typed = _typed(base, character, text, mods)
    if flags & ALL_KEYS and flags & ASSOCIATED_TEXT and typed:
        fields.append(":".join(str(ord(c)) for c in typed))
    while fields[-1] == "":
        fields.pop()
    return "\x1b[" + ";".join(fields) + "u"


def _disambiguated(base: str, mods: list[str]) -> bool:
    """Whether the disambiguate flag alone turns this key into ``CSI u``."""
    if base == "escape":
        return True
    if base in ("enter", "tab", "backspace"):
        return bool(mods)
    return bool(set(mods) - {"shift"})


def _typed(base: str, character: str | None, text: str | None, mods: list[str]) -> str | None:
    """The text the key press types, when known: Ctrl or Alt type none, and Shift with a key
    other than a letter types what the keyboard's layout says (``!`` for Shift+1 here), which
    only the reported character tells."""
    if text is None or set(mods) - {"shift"}:
        return None
    if character is not None and character.isprintable():
        return character
    if not mods or (len(text) == 1 and text.isalpha() and text != text.lower()):
        return text
    return None


def _text_of(base: str, character: str | None) -> str | None:
    """The text the key types: its character, a single-character name, or the character
    Textual named (``slash``, ``left_square_bracket``: Unicode's names)."""
    if character is not None and len(character) == 1 and character.isprintable():
        return character
    if len(base) == 1:
        return base
    if base in _TEXTUAL_NAMES:
        return _TEXTUAL_NAMES[base]
    try:
        return unicodedata.lookup(base.replace("_", " "))
    except KeyError:
        return None
