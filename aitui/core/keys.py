"""Key names to the bytes a real xterm would send to the program.

One table for every caller: the dashboard's pane passes Textual key events (the key name, the
printable character if any, and DECCKM, the mode that changes the cursor keys' encoding), and
``aitui keys`` / ``POST /sessions/{name}/keys`` pass names a person types (``ctrl+c``,
``enter``, tmux's ``C-c`` and ``BSpace`` too), which ``named_key`` reads. Kept free of widget
state so it can be tested exhaustively.
"""

from __future__ import annotations

from aitui.core.errors import AituiError
from aitui.core.keyboard_encoding import kitty_key

CSI = "\x1b["
#: The pause between a line typed into an agent and its Enter: typed in one burst, an agent's
#: input box (Codex's) takes the Enter as part of a paste, a new line in the prompt, and the
#: prompt is never sent. The prompt queue, ``aitui send --enter`` and MCP's ``send_text`` use it.
ENTER_AFTER_S = 0.15
SS3 = "\x1bO"

_SIMPLE = {
    "enter": "\r",
    "tab": "\t",
    "shift+tab": CSI + "Z",
    "escape": "\x1b",
    "backspace": "\x7f",
    "ctrl+h": "\x08",
    "insert": CSI + "2~",
    "delete": CSI + "3~",
    "pageup": CSI + "5~",
    "pagedown": CSI + "6~",
    "ctrl+at": "\x00",
    "ctrl+space": "\x00",
    "ctrl+backslash": "\x1c",
    "ctrl+right_square_bracket": "\x1d",
    "ctrl+circumflex_accent": "\x1e",
    "ctrl+underscore": "\x1f",
}
#: Final bytes of the cursor keys and Home/End (CSI <final> or SS3 <final>).
_CURSOR = {"up": "A", "down": "B", "right": "C", "left": "D", "home": "H", "end": "F"}
_FUNCTION = {
    1: SS3 + "P",
    2: SS3 + "Q",
    3: SS3 + "R",
    4: SS3 + "S",
    5: CSI + "15~",
    6: CSI + "17~",
    7: CSI + "18~",
    8: CSI + "19~",
    9: CSI + "20~",
    10: CSI + "21~",
    11: CSI + "23~",
    12: CSI + "24~",
}
#: xterm's modifier parameter: 1 + shift(1) + alt(2) + ctrl(4).
_MOD_BITS = {"shift": 1, "alt": 2, "ctrl": 4}
#: What xterm sends (and tmux, without extended keys) for a key with Shift or Ctrl that it has
#: no code for: the key without them. The dashboard's terminal reports such keys on their own
#: (Textual asks kitty's keyboard protocol of it: kitty, WezTerm, Ghostty, foot), and a program
#: in a pane that has not asked for that protocol itself gets the legacy encodings, so
#: Shift+Backspace, typed while holding Shift, sent nothing at all.
_WITHOUT_MODIFIERS = {"enter": "\r", "tab": "\t", "backspace": "\x7f", "escape": "\x1b"}
#: ...except these, which Ctrl changes there (Ctrl+Backspace is ^H, Ctrl+/ is ^_).
_WITH_CTRL = {"backspace": "\x08", "slash": "\x1f", "space": "\x00"}


def key_to_bytes(
    key: str,
    character: str | None = None,
    *,
    application_cursor: bool = False,
    legacy: bool = True,
    kitty: int = 0,
) -> bytes | None:
    """The bytes for ``key`` (a Textual key name such as ``ctrl+c`` or ``shift+up``).

    Returns ``None`` for keys a terminal does not send (e.g. a bare modifier). ``kitty`` is
    the keyboard-protocol flags the program asked for (``TerminalModes.kitty_keyboard``):
    the keys it changes are encoded so. With ``legacy`` a key whose Shift or Ctrl has no
    code is sent as xterm sends it (``_WITHOUT_MODIFIERS``): right for keys a person presses,
    not for a name a script asks for (``named_key``).
    """
    text = kitty_key(key, character, kitty) if kitty else None
    if text is None:
        text = _encode(key, character, application_cursor, legacy)
    return text.encode("utf-8") if text is not None else None


def _encode(
    key: str, character: str | None, application_cursor: bool, legacy: bool = False
) -> str | None:
    if key in _SIMPLE:
        return _SIMPLE[key]
    *mods, base = key.split("+") if key != "+" else ["+"]
    modifier = 1 + sum(_MOD_BITS.get(m, 0) for m in mods)
    if base in _CURSOR:
        final = _CURSOR[base]
        if modifier > 1:
            return f"{CSI}1;{modifier}{final}"
        return (SS3 if application_cursor else CSI) + final
    if base in ("pageup", "pagedown", "insert", "delete") and modifier > 1:
        number = {"insert": 2, "delete": 3, "pageup": 5, "pagedown": 6}[base]
        return f"{CSI}{number};{modifier}~"
    if base.startswith("f") and base[1:].isdigit():
        return _function_key(int(base[1:]), modifier)
    if mods == ["ctrl"] and len(base) == 1 and base.isalpha():
        return _ctrl_letter(base)
    if mods and mods[0] == "alt":
        rest = _encode("+".join([*mods[1:], base]), character, application_cursor, legacy)
        if rest is None and len(base) == 1:
            rest = base
        return "\x1b" + rest if rest is not None else None
    if character is not None and character.isprintable():
        return character
    if len(base) == 1 and not mods:
        return base
    if legacy and mods and set(mods) <= {"ctrl", "shift"}:
        return _without_modifiers("ctrl" in mods, base)
    return None


def _ctrl_letter(letter: str) -> str:
    """Ctrl with a letter: its C0 control (Ctrl+A is ^A)."""
    return chr(ord(letter.lower()) - ord("a") + 1)


def _without_modifiers(ctrl: bool, base: str) -> str | None:
    if ctrl and len(base) == 1 and base.isalpha():
        return _ctrl_letter(base)  # Ctrl+Shift+A is ^A
    if ctrl and base in _WITH_CTRL:
        return _WITH_CTRL[base]
    return _WITHOUT_MODIFIERS.get(base)


def _function_key(number: int, modifier: int) -> str | None:
    sequence = _FUNCTION.get(number)
    if sequence is None or modifier == 1:
        return sequence
    if sequence.startswith(SS3):
        return f"{CSI}1;{modifier}{sequence[-1]}"
    return f"{sequence[:-1]};{modifier}~"


def paste_bytes(text: str, *, bracketed: bool) -> bytes:
    """Pasted text as a terminal sends it: newlines as CR, wrapped when the program asked."""
    body = text.replace("\r\n", "\r").replace("\n", "\r")
    if bracketed:
        body = "\x1b[200~" + body.replace("\x1b[201~", "") + "\x1b[201~"
    return body.encode("utf-8")


class KeyNameError(AituiError):
    """A key name that names no key a terminal sends."""


#: Other spellings (tmux's among them) of Textual's key names.
_ALIASES = {
    "esc": "escape",
    "return": "enter",
    "bspace": "backspace",
    "bs": "backspace",
    "del": "delete",
    "dc": "delete",
    "ins": "insert",
    "ic": "insert",
    "pgup": "pageup",
    "ppage": "pageup",
    "page_up": "pageup",
    "pgdn": "pagedown",
    "npage": "pagedown",
    "page_down": "pagedown",
    "btab": "shift+tab",
    "space": " ",
}
#: Ctrl with punctuation, as a terminal sends it (Ctrl+[ is Escape, Ctrl+? is DEL).
_CTRL_PUNCTUATION = {
    "@": "\x00",
    " ": "\x00",
    "[": "\x1b",
    "\\": "\x1c",
    "]": "\x1d",
    "^": "\x1e",
    "_": "\x1f",
    "?": "\x7f",
}
_TMUX_MODIFIERS = {"c": "ctrl", "m": "alt", "s": "shift"}
#: Key names here whose Textual name differs (``kitty_key`` reads Textual's).
_TEXTUAL = {"+": "plus", " ": "space"}
_MODIFIER_ORDER = ("alt", "ctrl", "shift")  # alt first: it is an ESC before the rest
KEY_NAMES_HELP = (
    "a character, enter, tab, escape, space, backspace, delete, insert, up, down, left, "
    "right, home, end, pageup, pagedown, f1-f12, with ctrl+, alt+ or shift+ before "
    "(tmux's C-, M-, S- too)"
)


def named_key(name: str, *, application_cursor: bool = False, kitty: int = 0) -> bytes:
    """The bytes of the key called ``name`` (``ctrl+c``, ``C-c``, ``Enter``, ``shift+up``,
    ``f5``, ``a``); ``KeyNameError`` saying what a key name may be otherwise. ``kitty``: the
    program's keyboard-protocol flags, under which ``shift+enter`` has a code of its own."""
    text = name.strip() if name.strip() else name
    modifiers: list[str] = []
    while len(text) > 2 and text[1] == "-" and text[0].lower() in _TMUX_MODIFIERS:
        modifiers.append(_TMUX_MODIFIERS[text[0].lower()])
        text = text[2:]
    if text.endswith("++"):  # ctrl++: the key is "+"
        head, base = text[:-2], "+"
    else:
        head, _, base = text.rpartition("+") if len(text) > 1 else ("", "", text)
    if head:
        modifiers += head.lower().split("+")
    if len(base) > 1:
        base = _ALIASES.get(base.lower(), base.lower())
        if "+" in base:  # btab
            *extra, base = base.split("+")
            modifiers += extra
    unknown = [m for m in modifiers if m not in _MODIFIER_ORDER]
    if unknown or not base:
        raise KeyNameError(f"unknown key {name!r}: a key is {KEY_NAMES_HELP}")
    mods = [m for m in _MODIFIER_ORDER if m in modifiers]
    if len(base) == 1 and mods:
        base = base.lower() if base.isalpha() else base
    data = _named_bytes(mods, base, application_cursor, kitty)
    if data is None:
        if mods and _named_bytes([], base, application_cursor) is not None:
            raise KeyNameError(_no_code(name, base))
        raise KeyNameError(f"unknown key {name!r}: a key is {KEY_NAMES_HELP}")
    return data


def _no_code(name: str, base: str) -> str:
    """Why a real key with these modifiers cannot be sent: terminals without extended key
    reporting send nothing of its own for it (``shift+enter`` is Enter there); sending the
    plain key instead could submit an agent's prompt half written."""
    hint = (
        "; for a new line in an agent's prompt, alt+enter (ESC CR) or ctrl+j (LF) is what "
        "agent CLIs take"
        if base == "enter"
        else ""
    )
    return (
        f"unknown key {name!r}: a terminal sends no code of its own for it unless the program "
        f"asks for kitty's keyboard protocol, which this one has not{hint}; "
        f"a key is {KEY_NAMES_HELP}"
    )


def _named_bytes(
    mods: list[str], base: str, application_cursor: bool, kitty: int = 0
) -> bytes | None:
    if kitty and (text := kitty_key("+".join([*mods, _TEXTUAL.get(base, base)]), None, kitty)):
        return text.encode("utf-8")
    if "ctrl" in mods and base in _CTRL_PUNCTUATION and "shift" not in mods:
        prefix = "\x1b" if "alt" in mods else ""
        return (prefix + _CTRL_PUNCTUATION[base]).encode()
    if len(base) == 1 and not mods:
        return base.encode("utf-8")
    if base == " " and mods == ["alt"]:
        return b"\x1b "
    return key_to_bytes(
        "+".join([*mods, base]), application_cursor=application_cursor, legacy=False
    )
