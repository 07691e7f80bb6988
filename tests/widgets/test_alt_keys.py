"""Alt combinations, from the bytes a terminal sends through Textual's own key parser to the
bytes the pane forwards: they must come out as they went in."""

from __future__ import annotations

import pytest
from textual import events
from textual._xterm_parser import XTermParser

from aitui.dashboard import alt_keys
from aitui.dashboard.widgets.keys import key_to_bytes


def parse(data: str) -> list[tuple[str, str | None]]:
    """Keys Textual's parser reports for ``data`` arriving in one read (then end of input)."""
    alt_keys.install()
    parser = XTermParser()
    tokens = [*parser.feed(data), *parser.feed("")]
    return [(t.key, t.character) for t in tokens if isinstance(t, events.Key)]


@pytest.mark.parametrize(
    ("sent", "key"),
    [
        ("\x1b.", "alt+full_stop"),  # readline: insert the last argument
        ("\x1b_", "alt+underscore"),
        ("\x1b,", "alt+comma"),
        ("\x1b<", "alt+less_than_sign"),  # readline: first line of history
        ("\x1b>", "alt+greater_than_sign"),
        ("\x1b:", "alt+colon"),  # vim: Escape and ":" in one read
        ("\x1b?", "alt+question_mark"),
        ("\x1b1", "alt+1"),  # session switching, not macOS's "¡"
        ("\x1bd", "alt+d"),  # letters already worked: unchanged
    ],
)
def test_alt_combinations_are_forwarded_as_sent(sent: str, key: str) -> None:
    [(name, character)] = parse(sent)
    assert name == key
    assert key_to_bytes(name, character) == sent.encode()


def test_keys_without_alt_are_unchanged() -> None:
    assert parse(".") == [("full_stop", ".")]
    assert parse("\x1b[A") == [("up", None)]
    assert parse("\x1b") == [("escape", "\x1b")]


def test_only_the_key_after_escape_gets_alt() -> None:
    assert [name for name, _ in parse("\x1b.x")] == ["alt+full_stop", "x"]


def test_double_escape_is_escape_then_the_key() -> None:
    names = [name for name, _ in parse("\x1b\x1b.")]
    assert names[0] == "escape"
    assert names[-1] == "alt+full_stop"


def test_installing_twice_wraps_once() -> None:
    alt_keys.install()
    alt_keys.install()
    assert parse("\x1b.") == [("alt+full_stop", ".")]


@pytest.mark.parametrize(
    "sent",
    [
        "\x1b1\x1b2",  # Alt+1 Alt+2 typed fast: jump, jump (it typed "^1" into the program)
        "\x1bu\x1bu\x1bu",  # a held Alt+U repeating: readline upcases three words
        "\x1b.\x1b.",
        "\x1bd\x1b1x",
    ],
)
def test_alt_keys_in_one_read_each_keep_their_alt(sent: str) -> None:
    keys = parse(sent)
    assert "circumflex_accent" not in [name for name, _ in keys]
    assert b"".join(key_to_bytes(name, character) or b"" for name, character in keys) == (
        sent.encode()
    )


def test_sequences_a_terminal_sends_are_still_read_whole() -> None:
    assert parse("\x1b[A\x1bOB\x1b1") == [("up", None), ("down", None), ("alt+1", "1")]
