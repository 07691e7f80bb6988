"""Mouse reports follow xterm's protocols and are sent only when the program asked."""

from __future__ import annotations

from dataclasses import dataclass

from aitui.core.terminal import TerminalModes
from aitui.dashboard.widgets.mouse import mouse_report


@dataclass
class FakeMouse:
    x: int = 4
    y: int = 2
    button: int = 1
    shift: bool = False
    meta: bool = False
    ctrl: bool = False


def test_nothing_without_a_tracking_mode() -> None:
    assert mouse_report(TerminalModes(), "down", FakeMouse()) is None


def test_sgr_press_release_and_wheel() -> None:
    modes = TerminalModes(mouse_tracking="normal", mouse_sgr=True)
    assert mouse_report(modes, "down", FakeMouse()) == b"\x1b[<0;5;3M"
    assert mouse_report(modes, "up", FakeMouse()) == b"\x1b[<0;5;3m"
    assert mouse_report(modes, "scroll_up", FakeMouse()) == b"\x1b[<64;5;3M"
    assert mouse_report(modes, "down", FakeMouse(button=3, ctrl=True)) == b"\x1b[<18;5;3M"
    assert mouse_report(modes, "move", FakeMouse()) is None  # normal mode: no motion


def test_legacy_encoding_and_motion_modes() -> None:
    modes = TerminalModes(mouse_tracking="any")
    assert mouse_report(modes, "down", FakeMouse()) == bytes([27, 91, 77, 32, 37, 35])
    assert mouse_report(modes, "up", FakeMouse()) == bytes([27, 91, 77, 35, 37, 35])
    assert mouse_report(modes, "move", FakeMouse(button=0)) == bytes([27, 91, 77, 67, 37, 35])
    button_only = TerminalModes(mouse_tracking="button")
    assert mouse_report(button_only, "move", FakeMouse(button=0)) is None
    assert mouse_report(modes, "down", FakeMouse(x=300)) is None  # not encodable
