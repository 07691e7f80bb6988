"""What each control character and escape sequence does.

Dispatch is by table (final byte -> handler) so the hot path is a dict lookup; SGR, the most
frequent sequence in coloured output, is special-cased before the table. Unknown or malformed
sequences are ignored, as a real terminal does: a program's bad output must never cost more
than a wrong cell.
"""

from __future__ import annotations

from collections.abc import Callable

from aitui.core.terminal.editing import EditingScreen
from aitui.core.terminal.events import Bell, PromptMark, TitleChanged
from aitui.core.terminal.keyboard_protocol import keyboard_sequence
from aitui.core.terminal.modes import MOUSE_MODES
from aitui.core.terminal.parser import CACHEABLE, MAX_SEQUENCE, csi_params
from aitui.core.terminal.style import apply_sgr, blank_style

#: DEC private modes that are plain flags of :class:`TerminalModes`.
_PRIVATE_FLAGS = {
    1: "application_cursor_keys",
    5: "reverse_video",
    7: "autowrap",
    12: "cursor_blink",
    1004: "focus_events",
    1005: "mouse_utf8",
    1006: "mouse_sgr",
    1015: "mouse_urxvt",
    2004: "bracketed_paste",
    2026: "synchronized_output",
}
_ANSI_FLAGS = {4: "insert", 20: "linefeed_newline"}

Handler = Callable[["SequenceScreen", list[int]], None]

#: Parsed CSI sequences (whole sequence -> handler and parameters) and SGR results
#: ((pen, whole sequence) -> pen), shared by all screens; cleared when they grow too big.
PLANS: dict[str, tuple[Handler, list[int]]] = {}
SGR_PENS: dict[tuple[int, str], int] = {}
_CACHE_LIMIT = 8192


def _p(params: list[int], i: int = 0, default: int = 1) -> int:
    """Parameter ``i``, with 0 or missing meaning ``default`` (as for most CSI sequences)."""
    return params[i] if len(params) > i and params[i] > 0 else default


class SequenceScreen(EditingScreen):
    """Interprets controls, CSI, ESC and OSC sequences."""

    def control(self, ch: str) -> None:
        """A single C0 control character."""
        self.last_char = ""
        if ch == "\n" or ch == "\x0b" or ch == "\x0c":
            self.index()
            if self.modes.linefeed_newline:
                self.x = 0
        elif ch == "\r":
            self.x = 0
        elif ch == "\x08":
            if self.x:
                self.x -= 1
        elif ch == "\t":
            self.tab()
        elif ch == "\x07":
            self.emit(Bell())
        elif ch == "\x0e":
            self.shift = 1
            self.update_charset()
        elif ch == "\x0f":
            self.shift = 0
            self.update_charset()
        # Other C0/C1 controls (NUL, ENQ, DEL...) do nothing.

    # ------------------------------------------------------------------------------- CSI
    def csi(self, seq: str) -> None:
        """``ESC [ ...``: ``seq`` is the whole sequence.

        Programs repeat the same sequences (a full-screen redraw sends the same cursor moves
        and colours every frame), so each parsed sequence is remembered with its handler and
        parameters, and each SGR with the pen it produces from a given pen."""
        plan = PLANS.get(seq)
        if plan is not None:
            plan[0](self, plan[1])
            self.last_char = ""
            return
        if len(seq) > MAX_SEQUENCE:
            self.last_char = ""
            return  # as when it arrives in pieces (``HeldSequence``)
        body = seq[2:-1]
        final = seq[-1]
        clean = body.isprintable()
        cacheable = clean and len(seq) <= CACHEABLE
        if not clean:  # C0 controls inside: execute them first
            for ch in body:
                if ch < " ":
                    self.control(ch)
            body = "".join(ch for ch in body if " " <= ch < "\x7f")
        marker = ""
        if body and body[0] in "<=>?":
            marker, body = body[0], body[1:]
        inter = ""
        while body and body[-1] in " !\"#$%&'()*+,-./":
            inter, body = body[-1] + inter, body[:-1]
        if final == "m" and not marker and not inter:
            pen = apply_sgr(self.pen, body)
            if cacheable:
                if len(SGR_PENS) > _CACHE_LIMIT:
                    SGR_PENS.clear()
                SGR_PENS[(self.pen, seq)] = pen
            self.pen = pen
        elif marker or inter:
            self.csi_special(marker, inter, final, csi_params(body))
        else:
            handler = _CSI.get(final)
            if handler is not None:
                params = csi_params(body)
                if cacheable:
                    if len(PLANS) > _CACHE_LIMIT:
                        PLANS.clear()
                    PLANS[seq] = (handler, params)
                handler(self, params)
        self.last_char = ""

    def csi_special(self, marker: str, inter: str, final: str, params: list[int]) -> None:
        """CSI sequences with a private marker or intermediate bytes."""
        if marker == "?" and not inter and final in "hl":
            for mode in params:
                self.set_private_mode(mode, final == "h")
        elif marker == "?" and inter == "$" and final == "p":  # DECRQM, private
            mode = _p(params, 0, 0)
            self.reply(f"\x1b[?{mode};{self.query_private_mode(mode)}$y")
        elif not marker and inter == "$" and final == "p":  # DECRQM, ANSI
            mode = _p(params, 0, 0)
            name = _ANSI_FLAGS.get(mode)
            state = 0 if name is None else (1 if getattr(self.modes, name) else 2)
            self.reply(f"\x1b[{mode};{state}$y")
        elif marker == ">" and final == "c":
            self.reply("\x1b[>84;0;0c")  # secondary DA: answer as tmux does
        elif marker == ">" and final == "q":
            self.reply("\x1bP>|aitui\x1b\\")  # XTVERSION
        elif marker == "?" and final == "n" and _p(params, 0, 0) == 6:
            self.reply(f"\x1b[?{self.report_row()};{self.report_col()};1R")
        elif not marker and inter == "!" and final == "p":
            self.soft_reset()
        elif final == "u" and not inter:  # kitty's keyboard protocol
            alternate = self.modes.alternate_screen
            answer = keyboard_sequence(self.keyboard, alternate, marker, params)
            if answer:
                self.reply(answer)
            self.set_mode("kitty_keyboard", self.keyboard.current(alternate))
        # Everything else (cursor style, XTMODKEYS ``> 4;2 m``...) is ignored.

    def report_row(self) -> int:
        """The cursor row as CPR reports it (relative to the margin in origin mode)."""
        return self.y - self.top + 1 if self.modes.origin else self.y + 1

    def report_col(self) -> int:
        """The cursor column as CPR reports it (1-based, inside the screen)."""
        return min(self.x, self._cols - 1) + 1

    def set_private_mode(self, mode: int, on: bool) -> None:
        """DECSET / DECRST."""
        name = _PRIVATE_FLAGS.get(mode)
        if name is not None:
            self.set_mode(name, on)
        elif mode == 25:
            self.cursor_visible = on
        elif mode == 6:
            self.modes.origin = on
            self.move_to(self.top if on else 0, 0)
        elif mode in MOUSE_MODES:
            self.set_mode("mouse_tracking", MOUSE_MODES[mode] if on else None)
        elif mode in (47, 1047, 1049):
            if on:
                self.enter_alternate(save_cursor=mode == 1049)
            else:
                self.leave_alternate(restore_cursor=mode == 1049)
        elif mode == 3:  # DECCOLM: the width does not change, but tmux clears and homes
            self.top, self.bottom = 0, self._rows - 1
            self.erase_display(2)
            self.move_to(0, 0)
        elif mode == 1048:
            if on:
                self.saved = self.save_cursor()
            else:
                self.restore_cursor(self.saved)

    def query_private_mode(self, mode: int) -> int:
        """DECRQM answer: 1 set, 2 reset, 0 not recognised."""
        name = _PRIVATE_FLAGS.get(mode)
        if name is not None:
            value = bool(getattr(self.modes, name))
        elif mode == 25:
            value = self.cursor_visible
        elif mode in MOUSE_MODES:
            value = self.modes.mouse_tracking == MOUSE_MODES[mode]
        elif mode in (47, 1047, 1049):
            value = self.modes.alternate_screen
        elif mode == 6:
            value = self.modes.origin
        else:
            return 0
        return 1 if value else 2

    def soft_reset(self) -> None:
        """DECSTR: modes, margins and pen back to defaults; the screen keeps its text."""
        self.modes.insert = self.modes.origin = False
        self.modes.autowrap = True
        self.modes.application_cursor_keys = False
        self.cursor_visible = True
        self.top, self.bottom = 0, self._rows - 1
        self.pen = 0
        self.g0 = self.g1 = "B"
        self.shift = 0
        self.update_charset()
        self.saved = type(self.saved)()

    # ------------------------------------------------------------------- ESC and strings
    def esc(self, seq: str) -> None:
        """``ESC`` followed by intermediates and a final byte."""
        self.last_char = ""
        if len(seq) == 3 and seq[1] in "()*+":
            if seq[1] == "(":
                self.g0 = seq[2]
            elif seq[1] == ")":
                self.g1 = seq[2]
            self.update_charset()
            return
        code = seq[1:]
        if code == "7":
            self.saved = self.save_cursor()
        elif code == "8":
            self.restore_cursor(self.saved)
        elif code == "D":
            self.index()
        elif code == "E":
            self.x = 0
            self.index()
        elif code == "M":
            self.reverse_index()
        elif code == "H":  # HTS; after a full row the cursor waits past the end (pending wrap)
            self.tabstops[min(self.x, self._cols - 1)] = True
        elif code == "=":
            self.set_mode("application_keypad", True)
        elif code == ">":
            self.set_mode("application_keypad", False)
        elif code == "c":
            self.full_reset()
        elif code == "#8":
            self.alignment_test()

    def full_reset(self) -> None:
        """RIS: everything back to power-on, keeping the scrollback."""
        self.leave_alternate(restore_cursor=False)
        self.erase_display(2)
        modes = self.modes
        self.reset_state()
        if modes.alternate_screen:
            self.modes.alternate_screen = False

    def alignment_test(self) -> None:
        """DECALN: fill the screen with ``E`` (vttest uses it to check margins)."""
        for y in range(self._rows):
            self.grid.chars[y] = ["E"] * self._cols
            self.grid.styles[y] = [0] * self._cols
            self.grid.wrapped[y] = False
        self.top, self.bottom = 0, self._rows - 1
        self.move_to(0, 0)
        self.all_dirty = True

    def osc(self, seq: str) -> None:
        """``ESC ] code ; text`` terminated by BEL or ST."""
        self.last_char = ""
        if len(seq) > MAX_SEQUENCE:
            return
        body = seq[2:-1] if seq.endswith("\x07") else seq[2:-2]
        code, _, arg = body.partition(";")
        if code in ("0", "2"):
            if arg != self.title:
                self.title = arg
                self.emit(TitleChanged(arg))
            if code == "0":
                self.icon_title = arg
        elif code == "1":
            self.icon_title = arg
        elif code == "133":
            kind, *params = arg.split(";")
            self.emit(PromptMark(kind, tuple(params), self.y))
        elif code == "7":
            self.cwd = arg
        elif code in ("10", "11") and arg == "?":
            rgb = "ffff/ffff/ffff" if code == "10" else "0000/0000/0000"
            self.reply(f"\x1b]{code};rgb:{rgb}\x1b\\")


def _cup(s: SequenceScreen, p: list[int]) -> None:
    if s.modes.origin:
        s.move_to(min(_p(p, 0) - 1 + s.top, s.bottom), _p(p, 1) - 1)
    else:
        s.move_to(_p(p, 0) - 1, _p(p, 1) - 1)


def _vpa(s: SequenceScreen, p: list[int]) -> None:
    if s.modes.origin:
        s.move_to(min(_p(p) - 1 + s.top, s.bottom), s.x)
    else:
        s.move_to(_p(p) - 1, s.x)


def _dsr(s: SequenceScreen, p: list[int]) -> None:
    mode = _p(p, 0, 0)
    if mode == 5:
        s.reply("\x1b[0n")
    elif mode == 6:
        s.reply(f"\x1b[{s.report_row()};{s.report_col()}R")


def _tbc(s: SequenceScreen, p: list[int]) -> None:
    how = _p(p, 0, 0)
    if how == 0:
        s.tabstops[min(s.x, s._cols - 1)] = False
    elif how == 3:
        s.tabstops = [False] * len(s.tabstops)


def _stbm(s: SequenceScreen, p: list[int]) -> None:
    """DECSTBM. As in tmux, an explicit 0 bottom is 1 (not the default), an empty region is
    ignored and the cursor goes to the absolute home, origin mode or not."""
    bottom = p[1] if len(p) > 1 and p[1] >= 0 else s.rows
    top, bottom = _p(p, 0) - 1, min(max(bottom, 1), s.rows) - 1
    if top < bottom:
        s.top, s.bottom = top, bottom
        s.move_to(0, 0)


def _sm(on: bool) -> Handler:
    def handler(s: SequenceScreen, p: list[int]) -> None:
        for mode in p:
            if mode in _ANSI_FLAGS:
                s.set_mode(_ANSI_FLAGS[mode], on)

    return handler


def _rep(s: SequenceScreen, p: list[int]) -> None:
    """REP: repeat the character printed just before, up to the end of the line (tmux)."""
    if s.last_char:
        s.draw(s.last_char * max(0, min(_p(p), s.cols - s.x)))


def _edit(name: str, default: int = 1) -> Handler:
    """A handler calling ``s.<name>(n)`` or, for ICH/DCH/ECH, the grid at the cursor."""

    def handler(s: SequenceScreen, p: list[int]) -> None:
        n = _p(p, 0, default)
        if name in ("insert_cells", "delete_cells"):
            getattr(s.grid, name)(s.y, s.x, n, _blank(s))
            s.dirty.add(s.y)
        elif name == "erase_cells":
            s.grid.erase(s.y, s.x, s.x + n, _blank(s))
            s.dirty.add(s.y)
        else:
            getattr(s, name)(n)

    return handler


def _blank(s: SequenceScreen) -> int:
    return blank_style(s.pen)


def _next_line(direction: int) -> Handler:
    """CNL / CPL: down or up ``n`` lines, to column 0."""

    def handler(s: SequenceScreen, p: list[int]) -> None:
        s.move_vertical(direction * _p(p))
        s.move_to(s.y, 0)

    return handler


_CSI: dict[str, Handler] = {
    "A": lambda s, p: s.move_vertical(-_p(p)),
    "B": lambda s, p: s.move_vertical(_p(p)),
    "e": lambda s, p: s.move_vertical(_p(p)),
    "C": lambda s, p: s.move_to(s.y, s.x + _p(p)),
    "a": lambda s, p: s.move_to(s.y, s.x + _p(p)),
    "D": lambda s, p: s.move_to(s.y, s.x - _p(p)),
    "E": _next_line(1),
    "F": _next_line(-1),
    "G": lambda s, p: s.move_to(s.y, _p(p) - 1),
    "`": lambda s, p: s.move_to(s.y, _p(p) - 1),
    "H": _cup,
    "f": _cup,
    "d": _vpa,
    "Z": lambda s, p: s.back_tab(_p(p)),
    "J": lambda s, p: s.erase_display(_p(p, 0, 0)),
    "K": lambda s, p: s.erase_line(_p(p, 0, 0)),
    "L": _edit("insert_lines"),
    "M": _edit("delete_lines"),
    "@": _edit("insert_cells"),
    "P": _edit("delete_cells"),
    "X": _edit("erase_cells"),
    "S": _edit("scroll_up"),
    "T": lambda s, p: s.scroll_down(_p(p)) if len(p) <= 1 else None,
    "b": _rep,
    "g": _tbc,
    "r": _stbm,
    "h": _sm(True),
    "l": _sm(False),
    "n": _dsr,
    "c": lambda s, p: s.reply("\x1b[?1;2c") if _p(p, 0, 0) == 0 else None,
    "s": lambda s, p: setattr(s, "saved", s.save_cursor()),
    "u": lambda s, p: s.restore_cursor(s.saved),
    "t": lambda s, p: s.reply(f"\x1b[8;{s.rows};{s.cols}t") if _p(p, 0, 0) == 18 else None,
}
