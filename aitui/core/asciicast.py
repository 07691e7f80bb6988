"""Asciicast v2 recordings: a strict reader and a writer.

An asciicast v2 file (https://docs.asciinema.org/manual/asciicast/v2/) is newline-delimited JSON:

* line 1, the header: an object with ``"version": 2``, ``"width"`` and ``"height"`` (positive
  integers) and optional ``timestamp``, ``duration``, ``idle_time_limit``, ``command``, ``title``,
  ``env`` (string to string) and ``theme``;
* every further non-blank line, an event ``[time, code, data]``: seconds since the start (a
  non-negative number), a one-letter code and a string. ``"o"`` is output written to the
  terminal, ``"i"`` input typed, ``"m"`` a marker, ``"r"`` a resize whose data is
  ``"COLSxROWS"``. Unknown codes are kept (the format allows new ones) and skipped by players.

:func:`load` / :func:`loads` read a whole recording and raise :class:`AsciicastError` for
malformed input, naming the source and the 1-based line: not UTF-8, bad JSON, a header without a
valid width or height, a version other than 2, an event that is not ``[number, string, string]``,
a malformed resize; only a file's unfinished last line (a recorder killed mid-write) is left
out, named in ``Asciicast.cut_line``. :class:`AsciicastWriter` writes one, for recording
sessions: it takes output as ``bytes`` in chunks cut anywhere (UTF-8 is decoded incrementally)
and stamps events with the time since the writer was created unless given a time.
"""

from __future__ import annotations

import codecs
import json
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, BinaryIO, Self

from aitui.core.errors import AituiError
from aitui.core.terminal.size import TerminalSizeError, check_size

__all__ = [
    "Asciicast",
    "AsciicastError",
    "AsciicastEvent",
    "AsciicastHeader",
    "AsciicastWriter",
    "load",
    "loads",
    "parse_lines",
]

_RESIZE = re.compile(r"^(\d{1,5})x(\d{1,5})$")


class AsciicastError(AituiError, ValueError):
    """A recording is malformed. ``source`` is the file (or ``"<string>"``), ``line`` the
    1-based line number (0 when the problem is not on one line, e.g. an empty file)."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        self.source = source
        self.line = line
        self.reason = reason
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class AsciicastHeader:
    """The first line of a recording. ``extra`` keeps any other header keys untouched."""

    width: int
    height: int
    version: int = 2
    timestamp: float | None = None
    duration: float | None = None
    idle_time_limit: float | None = None
    command: str | None = None
    title: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The header as the JSON object written on line 1 (``None`` fields left out)."""
        out: dict[str, Any] = {"version": self.version, "width": self.width, "height": self.height}
        for key in ("timestamp", "duration", "idle_time_limit", "command", "title"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.env:
            out["env"] = dict(self.env)
        out.update(self.extra)
        return out


@dataclass(frozen=True, slots=True)
class AsciicastEvent:
    """One event: ``time`` in seconds, ``code`` (``"o"``, ``"i"``, ``"m"``, ``"r"``...), ``data``;
    ``line`` is where it was read (0 for events made in memory)."""

    time: float
    code: str
    data: str
    line: int = 0

    @property
    def size(self) -> tuple[int, int] | None:
        """``(cols, rows)`` of a resize event, else None."""
        if self.code != "r":
            return None
        m = _RESIZE.match(self.data)
        return (int(m.group(1)), int(m.group(2))) if m else None


@dataclass(frozen=True, slots=True)
class Asciicast:
    """A whole recording."""

    header: AsciicastHeader
    events: list[AsciicastEvent]
    source: str = "<string>"
    #: The last line, left out because it was cut off (the file ends inside it: the recorder
    #: was killed or the disk filled mid-write); None when the recording ends whole.
    cut_line: int | None = None

    @property
    def width(self) -> int:
        return self.header.width

    @property
    def height(self) -> int:
        return self.header.height

    def output(self) -> Iterator[str]:
        """The data of the output (``"o"``) events, in order."""
        return (e.data for e in self.events if e.code == "o")

    @property
    def duration(self) -> float:
        """The time of the last event (0 for an empty recording)."""
        return self.events[-1].time if self.events else 0.0


# ------------------------------------------------------------------------------------- reading


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _size(obj: Mapping[str, Any], key: str, source: str) -> int:
    value = obj.get(key)
    if value is None:
        raise AsciicastError(source, 1, f'the header has no "{key}"')
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise AsciicastError(
            source, 1, f'the header\'s "{key}" must be a positive integer, not {json.dumps(value)}'
        )
    return value


def _optional_number(obj: Mapping[str, Any], key: str, source: str) -> float | None:
    value = obj.get(key)
    if value is None:
        return None
    if not _number(value):
        raise AsciicastError(source, 1, f'the header\'s "{key}" must be a number')
    return float(value)


def _optional_str(obj: Mapping[str, Any], key: str, source: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise AsciicastError(source, 1, f'the header\'s "{key}" must be a string')


def _json(text: str, source: str, line: int, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise AsciicastError(source, line, f"{what} is not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise AsciicastError(source, line, f"{what} is not valid JSON (nested too deep)") from None


def parse_header(text: str, source: str = "<string>") -> AsciicastHeader:
    """Parse line 1."""
    obj = _json(text, source, 1, "the header")
    if not isinstance(obj, dict):
        if isinstance(obj, list):
            raise AsciicastError(source, 1, "the first line is an event, not a header")
        raise AsciicastError(source, 1, "the header must be a JSON object")
    if "version" not in obj:
        raise AsciicastError(source, 1, 'the header has no "version" (asciicast v2 needs 2)')
    version = obj["version"]
    if version != 2 or isinstance(version, bool):
        raise AsciicastError(
            source, 1,
            f"unsupported asciicast version {json.dumps(version)} (only version 2 is supported)",
        )  # fmt: skip
    width = _size(obj, "width", source)
    height = _size(obj, "height", source)
    try:
        check_size(height, width)
    except TerminalSizeError as exc:
        raise AsciicastError(source, 1, str(exc)) from None
    env = obj.get("env")
    env = {} if env is None else env
    if not isinstance(env, dict) or not all(
        isinstance(k, str) and isinstance(v, str | None) for k, v in env.items()
    ):
        raise AsciicastError(source, 1, 'the header\'s "env" must map strings to strings')
    known = {"version", "width", "height", "timestamp", "duration", "idle_time_limit",
             "command", "title", "env"}  # fmt: skip
    return AsciicastHeader(
        width=width,
        height=height,
        version=2,
        timestamp=_optional_number(obj, "timestamp", source),
        duration=_optional_number(obj, "duration", source),
        idle_time_limit=_optional_number(obj, "idle_time_limit", source),
        command=_optional_str(obj, "command", source),
        title=_optional_str(obj, "title", source),
        env={k: v for k, v in env.items() if v is not None},
        extra={k: v for k, v in obj.items() if k not in known},
    )


def parse_event(text: str, line: int, source: str = "<string>") -> AsciicastEvent:
    """Parse one event line (``line`` is its 1-based number, for errors)."""
    obj = _json(text, source, line, "the event")
    if not isinstance(obj, list) or len(obj) != 3:
        raise AsciicastError(
            source, line, "an event must be a JSON array [time, code, data] of three items"
        )
    t, code, data = obj
    if not _number(t) or t < 0:
        raise AsciicastError(
            source, line, f"the event time must be a non-negative number, not {json.dumps(t)}"
        )
    if not isinstance(code, str) or not code:
        raise AsciicastError(
            source, line, f'the event code must be a string such as "o", not {json.dumps(code)}'
        )
    if not isinstance(data, str):
        raise AsciicastError(
            source, line, f"the event data must be a string, not {type(data).__name__}"
        )
    event = AsciicastEvent(float(t), code, data, line)
    if code == "r":
        size = event.size
        if size is None or not (size[0] and size[1]):
            raise AsciicastError(
                source, line, f'a resize event\'s data must be "COLSxROWS", not {json.dumps(data)}'
            )
        try:
            check_size(size[1], size[0])
        except TerminalSizeError as exc:
            raise AsciicastError(source, line, f"a resize to {exc}") from None
    return event


def parse_lines(
    lines: Iterable[str | bytes], source: str = "<string>"
) -> tuple[AsciicastHeader, Iterator[AsciicastEvent]]:
    """Parse a recording lazily: the header now, the events as the iterator is consumed (errors
    in an event line are raised when that line is reached). Blank lines are skipped."""
    it = iter(lines)

    def decoded() -> Iterator[tuple[int, str]]:
        for number, raw in enumerate(it, start=1):
            if isinstance(raw, bytes):
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise AsciicastError(
                        source, number, f"not UTF-8 text (byte {exc.start + 1} of the line)"
                    ) from None
            else:
                text = raw
            if number == 1 and text.startswith("\ufeff"):
                text = text[1:]
            yield number, text

    numbered = decoded()
    for number, text in numbered:
        if not text.strip():
            if number == 1:
                raise AsciicastError(source, 1, "the first line is empty: no asciicast header")
            continue
        header = parse_header(text, source)
        break
    else:
        raise AsciicastError(source, 0, "the file is empty: no asciicast header")

    def events() -> Iterator[AsciicastEvent]:
        for number, text in numbered:
            if text.strip():
                yield parse_event(text, number, source)

    return header, events()


def loads(text: str, source: str = "<string>") -> Asciicast:
    """Parse a whole recording held in a string."""
    header, events = parse_lines(text.splitlines(), source)
    return Asciicast(header, list(events), source)


def load(path: str | Path) -> Asciicast:
    """Read a recording file. ``OSError`` (missing file...) is left to the caller.

    A last event line that the file ends inside (no newline after it, and not an event) is
    left out and named in ``cut_line``: a recorder killed mid-write left a recording that
    could not be played at all, though every event before the cut was whole. Any other
    malformed line is still an error."""
    path = Path(path)
    last = b""

    def lines(f: BinaryIO) -> Iterator[bytes]:
        nonlocal last
        for raw in f:
            last = raw
            yield raw.rstrip(b"\r\n")

    with path.open("rb") as f:
        header, events = parse_lines(lines(f), str(path))
        kept: list[AsciicastEvent] = []
        try:
            for event in events:  # streamed: a recording of 100 MB is not held twice
                kept.append(event)
        except AsciicastError as exc:
            if last.endswith(b"\n") or f.read(1):  # not the file's unfinished last line
                raise
            return Asciicast(header, kept, str(path), cut_line=exc.line)
    return Asciicast(header, kept, str(path))


# ------------------------------------------------------------------------------------- writing


class AsciicastWriter:
    """Write an asciicast v2 recording, one event per line, flushed as it goes.

    ``target`` is a path (opened, and closed by :meth:`close`) or an open text stream (left
    open). Output given as ``bytes`` may cut UTF-8 sequences anywhere: they are decoded
    incrementally (invalid bytes become U+FFFD, as asciinema does). ``clock`` returns seconds
    (``time.monotonic`` by default); event times are relative to the writer's creation.
    """

    def __init__(
        self,
        target: str | Path | IO[str],
        width: int,
        height: int,
        *,
        timestamp: float | None = None,
        title: str | None = None,
        command: str | None = None,
        env: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        check_size(height, width)
        if isinstance(target, str | Path):
            self._file: IO[str] = Path(target).open(  # noqa: SIM115 - closed by close()
                "w", encoding="utf-8", newline="\n"
            )
            self._owned = True
        else:
            self._file = target
            self._owned = False
        self._clock = clock
        self._start: float = clock()
        self._decoders = {
            code: codecs.getincrementaldecoder("utf-8")("replace") for code in ("o", "i")
        }
        self.header = AsciicastHeader(
            width=width,
            height=height,
            timestamp=int(time.time()) if timestamp is None else timestamp,
            title=title,
            command=command,
            env=dict(env or {}),
        )
        self._write_line(self.header.to_json())
        self.closed = False

    def _write_line(self, obj: object) -> None:
        self._file.write(json.dumps(obj, ensure_ascii=False) + "\n")
        self._file.flush()

    def _now(self, at: float | None) -> float:
        return round(max(0.0, (self._clock() - self._start) if at is None else at), 6)

    def _event(self, code: str, data: str, at: float | None) -> None:
        if self.closed:
            raise ValueError("the recording is closed")
        self._write_line([self._now(at), code, data])

    def _text(self, code: str, data: bytes | str) -> str:
        if isinstance(data, str):
            return data
        return self._decoders[code].decode(data)

    def output(self, data: bytes | str, at: float | None = None) -> None:
        """Record program output (an ``"o"`` event). Nothing is written for an incomplete
        UTF-8 tail until the rest arrives."""
        text = self._text("o", data)
        if text:
            self._event("o", text, at)

    def input(self, data: bytes | str, at: float | None = None) -> None:
        """Record typed input (an ``"i"`` event)."""
        text = self._text("i", data)
        if text:
            self._event("i", text, at)

    def marker(self, label: str = "", at: float | None = None) -> None:
        """Record a marker (an ``"m"`` event)."""
        self._event("m", label, at)

    def resize(self, width: int, height: int, at: float | None = None) -> None:
        """Record a terminal resize (an ``"r"`` event)."""
        check_size(height, width)
        self._event("r", f"{width}x{height}", at)

    def close(self) -> None:
        """Flush any undecodable tail and close the file (if the writer opened it)."""
        if self.closed:
            return
        for code, decoder in self._decoders.items():
            tail = decoder.decode(b"", True)
            if tail:
                self._event(code, tail, None)
        self.closed = True
        if self._owned:
            self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
