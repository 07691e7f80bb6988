"""Bracketed pastes through the dashboard's input parser: the text exact, ESC included, however
the terminal's bytes are split into reads; everything else as Textual's own parser reads it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest
import textual._parser
from hypothesis import assume, given
from hypothesis import strategies as st
from textual import constants, events
from textual._xterm_parser import XTermParser
from textual.message import Message

from aitui.dashboard import alt_keys, pastes
from aitui.dashboard.pastes import PASTE_IDLE_SECONDS, PasteParser

START, END = "\x1b[200~", "\x1b[201~"
COLOURED = "x\x1b[31mred\x1b[0m\ny"


class Clock:
    """Time as the test says: Textual's ESC timeout and the paste's idle rule read it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(textual._parser, "get_time", fake)
    return fake


def described(messages: Iterable[Message]) -> list[tuple[str | None, ...]]:
    out: list[tuple[str | None, ...]] = []
    for message in messages:
        if isinstance(message, events.Key):
            out.append(("key", message.key, message.character))
        elif isinstance(message, events.Paste):
            out.append(("paste", message.text))
        else:
            out.append((type(message).__name__,))
    return out


def fed(chunks: Iterable[str], parser: XTermParser | None = None) -> list[tuple[str | None, ...]]:
    """What the parser reports for ``chunks`` read one after another, then end of input."""
    alt_keys.install()
    parser = parser or PasteParser()
    reads = [*(chunk for chunk in chunks if chunk), ""]
    return described([m for chunk in reads for m in parser.feed(chunk)])


def key(name: str, character: str | None) -> tuple[str, str, str | None]:
    return ("key", name, character)


def test_textual_alone_breaks_such_a_paste() -> None:
    """What this parser is for: Textual's own turns the pasted ESC into keys."""
    messages = fed(["a" + START + COLOURED + END], parser=XTermParser())
    assert ("paste", COLOURED) not in messages
    assert key("circumflex_accent", "^") in messages


def test_a_paste_with_escapes_is_one_exact_paste_between_the_keys() -> None:
    assert fed(["a" + START + COLOURED + END + "b"]) == [
        key("a", "a"),
        ("paste", COLOURED),
        key("b", "b"),
    ]


def test_every_split_into_two_and_three_reads() -> None:
    stream = "a" + START + COLOURED + END + "\x1b[A"
    expected = [key("a", "a"), ("paste", COLOURED), key("up", None)]
    for first in range(1, len(stream)):
        assert fed([stream[:first], stream[first:]]) == expected, first
        for second in range(first + 1, len(stream)):
            chunks = [stream[:first], stream[first:second], stream[second:]]
            assert fed(chunks) == expected, (first, second)


def test_an_end_marker_split_is_not_mistaken_for_text() -> None:
    parser = PasteParser()
    assert described(parser.feed(START + "abc\x1b[20")) == []
    assert described(parser.feed("1~d")) == [("paste", "abc"), key("d", "d")]


def test_pasted_text_that_only_looks_like_a_marker_start_is_kept() -> None:
    text = "p\x1b[20q\x1b[201x\x1b[200~nested"
    assert fed([START + text[:4], text[4:] + END]) == [("paste", text)]


def test_an_empty_paste_and_nul_characters() -> None:
    assert fed([START + END]) == [("paste", "")]
    assert fed([START + "a\x00b" + END]) == [("paste", "ab")]


def test_keys_outside_pastes_are_as_textual_reads_them() -> None:
    stream = "q\x1b.\x1bd\x1b[1;5C\x1b[<0;3;4M\x1b[I\x1bOP" + START + "z" + END + "\x1b:"
    empty = stream.replace("z", "")
    assert fed([stream]) == [
        ("paste", "z") if m == ("paste", "") else m for m in fed([empty], parser=XTermParser())
    ]


def test_alt_combinations_around_a_paste(clock: Clock) -> None:
    """Alt+key as a terminal sends it, one read each (Textual's timeout between them)."""
    alt_keys.install()
    parser = PasteParser()
    reports = []
    for read in ["\x1b.", START + COLOURED + END, "\x1bd", "\x1b1"]:
        reports += described(parser.feed(read))
        clock.now += constants.ESCAPE_DELAY * 2
        reports += described(parser.tick())
    assert reports == [
        key("alt+full_stop", "."),
        ("paste", COLOURED),
        key("alt+d", "d"),
        key("alt+1", "1"),
    ]


def test_a_lone_escape_still_comes_on_textuals_timeout(clock: Clock) -> None:
    parser = PasteParser()
    assert described(parser.feed("\x1b")) == []  # held by Textual, as always
    clock.now += constants.ESCAPE_DELAY / 2
    assert described(parser.tick()) == []
    clock.now += constants.ESCAPE_DELAY
    assert described(parser.tick()) == [key("escape", "\x1b")]
    assert described(parser.feed("[200~x")) == [
        key("left_square_bracket", "["),
        key("2", "2"),
        key("0", "0"),
        key("0", "0"),
        key("tilde", "~"),
        key("x", "x"),
    ]


@pytest.mark.parametrize("cut", range(1, len(START)))
def test_a_start_marker_cut_before_the_timeout_still_starts_a_paste(clock: Clock, cut: int) -> None:
    parser = PasteParser()
    assert described(parser.feed("\x1b" + START[:cut])) == [key("escape", "\x1b")]
    clock.now += constants.ESCAPE_DELAY / 2
    assert described(parser.tick()) == []
    assert described(parser.feed(START[cut:] + COLOURED + END)) == [("paste", COLOURED)]


def test_a_start_marker_cut_past_the_timeout_was_keys(clock: Clock) -> None:
    parser = PasteParser()
    assert described(parser.feed("\x1b[20")) == []
    clock.now += constants.ESCAPE_DELAY * 2
    assert described(parser.tick()) == [
        key("alt+left_square_bracket", "["),
        key("2", "2"),
        key("0", "0"),
    ]
    assert described(parser.feed("0~x" + END + "y")) == [
        key("0", "0"),
        key("tilde", "~"),
        key("x", "x"),
        key("y", "y"),
    ]


def test_a_paste_without_its_end_marker_ends_when_input_stops() -> None:
    clock = Clock()
    parser = PasteParser(clock=clock)
    assert described(parser.feed("a" + START + "one\x1b[2")) == [key("a", "a")]
    clock.now += PASTE_IDLE_SECONDS / 2
    assert described(parser.tick()) == []
    assert described(parser.feed("x two")) == []  # more input: the paste is still open
    clock.now += PASTE_IDLE_SECONDS / 2
    assert described(parser.tick()) == []
    clock.now += PASTE_IDLE_SECONDS / 2
    assert described(parser.tick()) == [("paste", "one\x1b[2x two")]
    assert described(parser.feed("b\x1b[A")) == [key("b", "b"), key("up", None)]
    assert described(parser.feed(START + "c" + END)) == [("paste", "c")]


def test_end_of_input_delivers_an_open_paste() -> None:
    assert fed([START + "cut\x1b[20"]) == [("paste", "cut\x1b[20")]


def test_the_linux_driver_builds_this_parser() -> None:
    from textual.drivers import linux_driver

    pastes.install()
    pastes.install()
    assert vars(linux_driver)["XTermParser"] is PasteParser


def splits(stream: str, cuts: list[int]) -> Iterator[str]:
    points = sorted({c % (len(stream) + 1) for c in cuts})
    start = 0
    for point in [*points, len(stream)]:
        if point > start:
            yield stream[start:point]
            start = point


_KEYS = st.sampled_from(["a", "\x1b", "[", "2", "0", "1", "~", "\x1b[A", "\x1b.", "\x1b[<0;2;3M"])
_PASTED = st.text(st.sampled_from(["a", "\x1b", "[", "2", "0", "1", "~", "\n", "\x00", "é"]))


@given(
    parts=st.lists(st.tuples(st.lists(_KEYS, max_size=4).map("".join), _PASTED), max_size=4),
    tail=st.lists(_KEYS, max_size=4).map("".join),
    cuts=st.lists(st.integers(min_value=0), max_size=8),
)
def test_any_split_of_keys_and_pastes(
    parts: list[tuple[str, str]], tail: str, cuts: list[int]
) -> None:
    """However the reads fall, the result is Textual's for the same keys around empty pastes,
    each empty paste carrying its text."""
    assume(all(END not in text for _, text in parts))
    typed = "".join(keys + START + END for keys, _ in parts) + tail
    assume(typed.count(START) == len(parts) and END not in typed.replace(START + END, ""))
    stream = "".join(keys + START + text + END for keys, text in parts) + tail
    texts = iter(text.replace("\x00", "") for _, text in parts)
    expected = [
        ("paste", next(texts)) if m[0] == "paste" else m for m in fed([typed], parser=XTermParser())
    ]
    assert fed(splits(stream, cuts)) == expected


def test_the_dashboard_installs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.drivers import linux_driver

    from aitui.dashboard.app import AituiApp

    monkeypatch.setitem(vars(linux_driver), "XTermParser", XTermParser)
    AituiApp()
    assert vars(linux_driver)["XTermParser"] is PasteParser
