"""The asciicast v2 reader and writer (``aitui.core.asciicast``)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from aitui.core.asciicast import (
    AsciicastError,
    AsciicastEvent,
    AsciicastWriter,
    load,
    loads,
    parse_lines,
)
from aitui.core.errors import AituiError

CASTS = Path(__file__).resolve().parents[1] / "fixtures" / "casts"
HEADER = '{"version": 2, "width": 80, "height": 24}'


# ----------------------------------------------------------------------------------- reading


def test_load_recorded_fixture() -> None:
    cast = load(CASTS / "tiny.cast")
    assert (cast.width, cast.height) == (80, 24)
    assert cast.header.env.get("TERM") == "xterm-256color"
    assert cast.header.timestamp is not None
    assert "".join(cast.output()).startswith("hello \x1b[1;31mtiny")
    assert all(e.code == "o" and e.line >= 2 for e in cast.events)
    assert cast.source == str(CASTS / "tiny.cast")


def test_every_fixture_loads() -> None:
    paths = sorted(CASTS.glob("*.cast"))
    assert paths
    for path in paths:
        cast = load(path)
        assert cast.events, path
        times = [e.time for e in cast.events]
        assert times == sorted(times), path


def test_loads_optional_fields_and_event_kinds() -> None:
    text = "\n".join(
        [
            json.dumps(
                {
                    "version": 2,
                    "width": 100,
                    "height": 30,
                    "timestamp": 1700000000,
                    "duration": 1.5,
                    "idle_time_limit": 2,
                    "command": "vim",
                    "title": "demo",
                    "env": {"TERM": "xterm-256color", "SHELL": None},
                    "theme": {"fg": "#ffffff"},
                }
            ),
            '[0.1, "o", "hello"]',
            "",
            '[0.2, "i", "x"]',
            '[0.3, "m", "chapter 1"]',
            '[0.4, "r", "120x40"]',
            '[0.5, "z", "a future event type"]',
            "   ",
        ]
    )
    cast = loads(text)
    h = cast.header
    assert (h.width, h.height, h.version) == (100, 30, 2)
    assert (h.timestamp, h.duration, h.idle_time_limit) == (1700000000, 1.5, 2)
    assert (h.command, h.title) == ("vim", "demo")
    assert dict(h.env) == {"TERM": "xterm-256color"}
    assert h.extra == {"theme": {"fg": "#ffffff"}}
    assert [(e.code, e.line) for e in cast.events] == [
        ("o", 2), ("i", 4), ("m", 5), ("r", 6), ("z", 7)
    ]  # fmt: skip
    assert cast.events[3].size == (120, 40)
    assert cast.events[0].size is None
    assert list(cast.output()) == ["hello"]
    assert cast.duration == 0.5


def test_byte_order_mark_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.cast"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER.encode() + b'\r\n[0, "o", "x"]\r\n')
    cast = load(path)
    assert list(cast.output()) == ["x"]


def test_parse_lines_is_lazy() -> None:
    header, events = parse_lines([HEADER, '[0, "o", "a"]', "broken"], "lazy.cast")
    assert header.width == 80
    first = next(events)
    assert first == AsciicastEvent(0.0, "o", "a", 2)
    with pytest.raises(AsciicastError, match="line 3"):
        next(events)


BAD_FILES = [
    pytest.param("", 0, "the file is empty", id="empty"),
    pytest.param('\n[0, "o", "x"]', 1, "first line is empty", id="blank-first-line"),
    pytest.param("not json at all", 1, "header is not valid JSON", id="header-not-json"),
    pytest.param('[0, "o", "x"]', 1, "is an event, not a header", id="header-is-event"),
    pytest.param('"v2"', 1, "must be a JSON object", id="header-is-string"),
    pytest.param('{"width": 80, "height": 24}', 1, 'no "version"', id="no-version"),
    pytest.param('{"version": 1, "width": 80, "height": 24}', 1, "version 1", id="v1"),
    pytest.param('{"version": 3, "width": 80, "height": 24}', 1, "version 3", id="v3"),
    pytest.param('{"version": "2", "width": 80, "height": 24}', 1, 'version "2"', id="str-v"),
    pytest.param('{"version": 2, "height": 24}', 1, 'no "width"', id="no-width"),
    pytest.param('{"version": 2, "width": 80}', 1, 'no "height"', id="no-height"),
    pytest.param('{"version": 2, "width": 0, "height": 24}', 1, '"width" must be', id="w0"),
    pytest.param('{"version": 2, "width": 80, "height": -1}', 1, '"height" must', id="h<0"),
    pytest.param('{"version": 2, "width": "80", "height": 24}', 1, 'not "80"', id="w-str"),
    pytest.param('{"version": 2, "width": 80.5, "height": 24}', 1, "integer", id="w-float"),
    pytest.param('{"version": 2, "width": true, "height": 24}', 1, "integer", id="w-bool"),
    pytest.param('{"version": 2, "width": 80, "height": 24, "env": []}', 1, '"env"', id="env"),
    pytest.param(
        '{"version": 2, "width": 80, "height": 24, "timestamp": "now"}',
        1,
        '"timestamp"',
        id="timestamp",
    ),
    pytest.param(HEADER + '\n[0, "o", "x"]\n[0.1, "o", "y"', 3, "not valid JSON", id="ev-json"),
    pytest.param(HEADER + '\n{"t": 0}', 2, "JSON array [time, code, data]", id="ev-object"),
    pytest.param(HEADER + '\n[0, "o"]', 2, "three items", id="ev-two-items"),
    pytest.param(HEADER + '\n[0, "o", "x", 1]', 2, "three items", id="ev-four-items"),
    pytest.param(HEADER + '\n["0", "o", "x"]', 2, "non-negative number", id="ev-time-str"),
    pytest.param(HEADER + '\n[-1, "o", "x"]', 2, "non-negative number", id="ev-time-neg"),
    pytest.param(HEADER + '\n[true, "o", "x"]', 2, "non-negative number", id="ev-time-bool"),
    pytest.param(HEADER + '\n[0, 1, "x"]', 2, "event code must be a string", id="ev-code"),
    pytest.param(HEADER + '\n[0, "", "x"]', 2, "event code must be a string", id="ev-code0"),
    pytest.param(HEADER + '\n[0, "o", 5]', 2, "data must be a string, not int", id="ev-data"),
    pytest.param(HEADER + '\n[0, "o", null]', 2, "not NoneType", id="ev-data-null"),
    pytest.param(HEADER + '\n[0, "r", "wide"]', 2, '"COLSxROWS"', id="ev-resize"),
    pytest.param(HEADER + '\n[0, "r", "0x24"]', 2, '"COLSxROWS"', id="ev-resize-0"),
]


@pytest.mark.parametrize(("text", "line", "fragment"), BAD_FILES)
def test_malformed_input_names_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(AsciicastError) as info:
        loads(text, "rec.cast")
    err = info.value
    assert fragment in str(err)
    assert err.line == line
    assert err.source == "rec.cast"
    assert str(err).startswith(f"rec.cast, line {line}: " if line else "rec.cast: ")
    assert isinstance(err, AituiError) and isinstance(err, ValueError)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.cast"
    path.write_bytes(HEADER.encode() + b'\n[0, "o", "ok"]\n[0.1, "o", "caf\xe9"]\n')
    with pytest.raises(AsciicastError, match=r"latin1.cast, line 3: not UTF-8"):
        load(path)


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.cast")


def test_deeply_nested_json_is_a_clean_error() -> None:
    with pytest.raises(AsciicastError, match="line 2"):
        loads(HEADER + "\n" + "[" * 100_000 + "]" * 100_000)


# ----------------------------------------------------------------------------------- writing


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_writer_round_trip(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "out.cast"
    data = "héllo 日本 😀\x1b[31m red\r\n".encode()
    with AsciicastWriter(
        path, 100, 30, timestamp=1_700_000_000, title="t", command="sh", env={"TERM": "xterm"},
        clock=clock,
    ) as writer:  # fmt: skip
        for i in range(len(data)):  # one byte at a time: UTF-8 cut everywhere
            clock.now += 0.001
            writer.output(data[i : i + 1])
        clock.now += 1
        writer.input(b"q")
        writer.marker("end")
        writer.resize(120, 40)
        writer.output("explicit", at=5.0)
    cast = load(path)
    assert (cast.width, cast.height) == (100, 30)
    assert cast.header.title == "t" and cast.header.command == "sh"
    assert cast.header.timestamp == 1_700_000_000
    assert dict(cast.header.env) == {"TERM": "xterm"}
    assert "".join(cast.output()) == data.decode() + "explicit"
    assert all(e.data for e in cast.events)
    codes = [e.code for e in cast.events]
    assert codes[-4:] == ["i", "m", "r", "o"]
    assert cast.events[-2].size == (120, 40)
    assert cast.events[-1].time == 5.0
    assert cast.events[0].time == pytest.approx(0.001)
    assert cast.events[-4].time == pytest.approx(len(data) * 0.001 + 1)


def test_writer_flushes_a_broken_tail_on_close() -> None:
    stream = io.StringIO()
    writer = AsciicastWriter(stream, 80, 24, clock=FakeClock())
    writer.output(b"ok \xe6\x97")  # the first two bytes of 日
    writer.close()
    writer.close()  # idempotent
    assert not stream.closed  # a stream it did not open is left open
    cast = loads(stream.getvalue())
    assert "".join(cast.output()) == "ok \ufffd"
    with pytest.raises(ValueError, match="closed"):
        writer.output("more")


def test_writer_rejects_bad_sizes(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        AsciicastWriter(io.StringIO(), 0, 24)
    writer = AsciicastWriter(io.StringIO(), 80, 24)
    with pytest.raises(ValueError):
        writer.resize(80, 0)


def test_writer_output_is_readable_by_asciinema(tmp_path: Path) -> None:
    """asciinema's own reader (run by the interpreter its script names) accepts our files."""
    script = shutil.which("asciinema")
    if script is None:
        pytest.skip("asciinema is not installed")
    interpreter = Path(script).read_text(errors="replace").splitlines()[0].removeprefix("#!")
    path = tmp_path / "w.cast"
    with AsciicastWriter(path, 80, 24) as writer:
        writer.output("hello from aitui 日本\r\n".encode())
        writer.resize(100, 30)
        writer.output(b"second")
    code = (
        "import sys\n"
        "from asciinema.asciicast import open_from_url\n"
        "with open_from_url(sys.argv[1]) as a:\n"
        "    h = a.v2_header\n"
        "    out = ''.join(d for _, _, d in a.stdout_events())\n"
        "    sys.stdout.write(repr((h['width'], h['height'], out)))\n"
    )
    proc = subprocess.run(
        [*interpreter.split(), "-c", code, str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    if proc.returncode != 0 and "No module named" in proc.stderr:
        pytest.skip(f"asciinema's modules cannot be imported: {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == repr((80, 24, "hello from aitui 日本\r\nsecond"))
