"""The attach protocol between the aitui server and its clients (dashboards), on the wire.

Each WebSocket message is one MessagePack-encoded ``msgspec`` struct, tagged by its ``type``
field, so the framing is the WebSocket's and the encoding a well-kept library's (binary-safe:
keys and screen text travel as they are). The first message a client sends is ``Hello`` with
its ``PROTOCOL_VERSION``; the server answers ``Welcome`` or ``Refused`` (then closes), so two
versions never misread each other silently.

Screens travel as rows, not as output: a ``Frame`` carries the rows that changed since the
client's last frame of that session, coalesced to the frame rate. A flood therefore costs a
client the rows it shows per frame, whatever the bytes, and a slow client gets fewer, fresher
frames instead of a growing backlog. Styles are numbered per connection: a ``Frame`` brings the
ones the client has not seen yet. History (scrollback) is fetched on demand with a ``Call``.
"""

from __future__ import annotations

from typing import Any

import msgspec

from aitui.core.activity import Activity
from aitui.core.coordination_rows import MessageRow, TaskRow
from aitui.core.hosting import SessionInfo
from aitui.core.terminal import CellStyle, TerminalModes

#: Bumped whenever a message changes shape; client and server must agree exactly.
#: 2: a task row says who submitted it and how it ended (``submitted_by``, ``outcome``).
PROTOCOL_VERSION = 2
#: Where the attach WebSocket is served (on the server's Unix socket, and on TCP when asked).
ATTACH_PATH = "/attach"

#: A row's styled runs: (text, style number in this connection's table).
Runs = list[tuple[str, int]]


class Message(msgspec.Struct, tag_field="type", forbid_unknown_fields=False):
    """Every message on the wire."""


# -- handshake -----------------------------------------------------------------------------
class Hello(Message, tag="hello"):
    version: int
    client: str  # the client's aitui version, for messages to the user


class Welcome(Message, tag="welcome"):
    version: int
    server: str  # the server's aitui version
    pid: int


class Refused(Message, tag="refused"):
    reason: str  # said to the user as it is


# -- client to server ----------------------------------------------------------------------
class Show(Message, tag="show"):
    """The sessions this client displays (frames flow for these only) and the one typed into."""

    visible: list[str]
    foreground: str | None = None


class Keys(Message, tag="keys"):
    """Bytes typed into a session (fire and forget: errors come back as a ``Notice``)."""

    key: str
    data: bytes


class Resize(Message, tag="resize"):
    key: str
    rows: int
    cols: int


class Call(Message, tag="call"):
    """A request with an answer (``Result`` with the same ``id``)."""

    id: int
    method: str
    args: list[Any] = []


# -- server to client ----------------------------------------------------------------------
class Result(Message, tag="result"):
    id: int
    value: Any = None
    error: str | None = None  # the message for the user
    error_type: str | None = None  # the AituiError subclass's name


class Frame(Message, tag="frame"):
    """What changed in a shown session's screen since this client's last frame of it."""

    key: str
    rows: int
    cols: int
    lines: dict[int, Runs]
    cursor: tuple[int, int]
    cursor_visible: bool
    title: str
    modes: TerminalModes | None  # when they changed (always in a full frame)
    history_length: int
    history_dropped: int  # lines dropped off the old end so far: absolute line numbers
    #: History was rewritten (re-wrap on resize, cleared): drop any fetched lines.
    history_reset: bool = False
    styles: dict[int, CellStyle] = {}  # styles first used in this frame
    #: The connection's style numbers start again (forget every number before ``styles``).
    styles_reset: bool = False
    full: bool = False  # every row is in ``lines``


class SessionList(Message, tag="sessions"):
    """All sessions, in order (sent on attach and when sessions come or go)."""

    sessions: list[SessionInfo]


class SessionUpdate(Message, tag="session"):
    info: SessionInfo


class CoordinationState(Message, tag="coordination"):
    messages: list[MessageRow]
    tasks: list[TaskRow]


class Notice(Message, tag="notice"):
    text: str
    severity: str = "information"


class History(msgspec.Struct):
    """Answer to ``Call("history", [key, first, count])``: lines from absolute ``first``."""

    first: int
    lines: list[Runs]
    styles: dict[int, CellStyle] = {}


ClientMessage = Hello | Show | Keys | Resize | Call
ServerMessage = (
    Welcome | Refused | Result | Frame | SessionList | SessionUpdate | CoordinationState | Notice
)

_encoder = msgspec.msgpack.Encoder()
_client_decoder = msgspec.msgpack.Decoder(ClientMessage)
_server_decoder = msgspec.msgpack.Decoder(ServerMessage)


class WireError(Exception):
    """A message that is not one of this version's (another version, or not aitui at all)."""


def encode(message: Message | History) -> bytes:
    return _encoder.encode(message)


def decode_client(data: bytes) -> ClientMessage:
    try:
        return _client_decoder.decode(data)
    except msgspec.DecodeError as exc:
        raise WireError(str(exc)) from None


def decode_server(data: bytes) -> ServerMessage:
    try:
        return _server_decoder.decode(data)
    except msgspec.DecodeError as exc:
        raise WireError(str(exc)) from None


def convert(value: Any, kind: type[Any]) -> Any:
    """A ``Result.value`` (decoded as plain data) as ``kind`` (e.g. ``History``)."""
    return msgspec.convert(value, kind)


__all__ = [
    "ATTACH_PATH",
    "PROTOCOL_VERSION",
    "Activity",
    "Call",
    "CoordinationState",
    "Frame",
    "Hello",
    "History",
    "Keys",
    "Notice",
    "Refused",
    "Resize",
    "Result",
    "SessionList",
    "SessionUpdate",
    "Show",
    "Welcome",
    "WireError",
    "decode_client",
    "decode_server",
    "encode",
]
