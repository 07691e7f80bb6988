"""JSON bodies of the HTTP API, as pydantic models.

The field names, status strings and timestamp style are the ai-session reference's, so clients
written against it (curl scripts, the Rust reqwest example, ccswarm) work unchanged; fields the
reference lacks are additions a client may ignore. Timestamps are RFC 3339 strings in UTC with a
``Z`` suffix, made here rather than by pydantic so every endpoint spells them the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from math import isqrt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr

from aitui.core.executor import CONTROL_CHARACTERS
from aitui.core.names import NAME_PATTERN, NAME_RULE
from aitui.core.terminal.size import MAX_CELLS

#: Ceiling of ``timeout_ms``: one request may hold a connection at most this long.
MAX_TIMEOUT_MS = 600_000
#: One character ``execute`` can type (see ``executor.CONTROL_CHARACTERS``).
TYPEABLE = "[^" + CONTROL_CHARACTERS[1:]
#: What ``str.strip()`` removes (``str.isspace``), as a regex class body: JSON Schema's ``\s``
#: is another set.
WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Not empty, not blank, no NUL: what the routes accept as a path (400 otherwise).
NON_BLANK = rf"^[^\x00]*[^\x00{WHITESPACE}][^\x00]*$"

Timestamp = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


def _json_integer(value: object) -> object:
    """Refuse what lax pydantic would coerce to a number but JSON Schema's would not."""
    if isinstance(value, str | bool):
        raise ValueError("Input should be a JSON number")
    return value


#: Bounded JSON integers: ``5`` or ``5.0`` (JSON Schema counts both), never ``"5"`` or ``true``.
#: The bounds sit inside the ``Annotated`` so the schema shows them as minimum/maximum.
Milliseconds = Annotated[int, Field(ge=1, le=MAX_TIMEOUT_MS), BeforeValidator(_json_integer)]
#: A terminal side: at most the square root of the engine's cell bound (``check_size``), so any
#: rows and columns the schema allows make a terminal the engine accepts (1000 x 1000).
Cells = Annotated[int, Field(ge=1, le=isqrt(MAX_CELLS)), BeforeValidator(_json_integer)]
#: How many messages one ``receive`` takes at most.
MessageLimit = Annotated[int, Field(ge=1, le=100), BeforeValidator(_json_integer)]
#: A JSON number of seconds (``"5"`` and ``true`` refused, as for integers).
Seconds = Annotated[float, Field(ge=0, le=10 * 365 * 86400), BeforeValidator(_json_integer)]
#: ``[a, b]``: a JSON array of two integers (a list, not a tuple, so the schema stays plain).
Pair = Annotated[list[int], Field(min_length=2, max_length=2)]


def rfc3339(moment: datetime | None = None) -> str:
    """``2024-01-15T10:30:00Z``: the reference's spelling (second precision, UTC, ``Z``)."""
    moment = moment if moment is not None else datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Request(BaseModel):
    """Request bodies: strict types (``0`` is not ``false``, ``"5"`` is not ``5``), as serde.

    Unknown fields are ignored, as serde does, so reference clients sending extras still work.
    """

    model_config = ConfigDict(extra="ignore")


class EmptyBody(_Request):
    """``{}``: the body of a POST that needs no options. Required all the same: every POST must
    say ``Content-Type: application/json`` (else a web page could send it unasked, see
    ``origin.py``), and a schema can require that only of a request that has a body."""


class ErrorBody(BaseModel):
    """Every error: a sentence for people and a stable code for programs."""

    error: str
    code: str


class Health(BaseModel):
    status: Literal["healthy"]
    service: str
    version: str
    timestamp: Timestamp
    sessions: int = Field(description="Addition: how many sessions the server holds.")


class CreateSession(_Request):
    # The pattern is documented, and checked by the route so a bad name gets a 400 with the rule.
    name: StrictStr = Field(
        description=f"Unique session name: {NAME_RULE}.",
        json_schema_extra={"pattern": f"^{NAME_PATTERN.pattern}$", "maxLength": 64},
    )
    enable_ai_features: StrictBool = False
    # Documented as the route checks them (400 for a blank one or a NUL), so that the schema
    # allows exactly what the server accepts.
    working_directory: StrictStr | None = Field(
        None,
        description="An existing directory; default: the server's working directory.",
        json_schema_extra={"minLength": 1, "pattern": NON_BLANK},
    )
    shell: StrictStr | None = Field(
        None,
        description="Shell path or name; default: $SHELL or bash.",
        json_schema_extra={"minLength": 1, "pattern": NON_BLANK},
    )
    pty_size: list[Cells] = Field(
        [24, 80], min_length=2, max_length=2, description="Addition: [rows, cols]."
    )
    agent_role: StrictStr | None = Field(
        None, max_length=256, description="Addition: free-form role."
    )


class SessionCreated(BaseModel):
    id: str
    name: str
    status: str
    created_at: Timestamp


class SessionDetails(SessionCreated):
    last_activity: Timestamp


class SessionList(BaseModel):
    sessions: list[SessionDetails]
    total: int


class SessionConfigView(BaseModel):
    enable_ai_features: bool
    working_directory: str
    pty_size: Pair
    shell: str | None = None
    agent_role: str | None = None


class SessionStatusView(SessionDetails):
    config: SessionConfigView
    pid: int | None = Field(None, description="Addition: the shell's process id while it runs.")
    exit_code: int | None = Field(None, description="Addition: the shell's exit code once ended.")


class Deleted(BaseModel):
    message: str
    timestamp: Timestamp


def _typeable_and_not_blank() -> str:
    """Typeable characters (or CR LF), at least one of them not whitespace."""
    any_typeable = rf"(?:{TYPEABLE}|\r\n)*"
    visible = "[^" + CONTROL_CHARACTERS[1:-1] + WHITESPACE + "]"
    return f"^{any_typeable}{visible}{any_typeable}$"


class Execute(_Request):
    command: StrictStr = Field(
        max_length=65_536,
        description=(
            "Typed into the shell's line editor: not blank, no control characters but tab and "
            "line ends (LF or CR LF); others get a 400 naming the character."
        ),
        # Declared for clients (and schema-driven fuzzers); the server's own check in
        # ``execute`` gives the clearer error.
        json_schema_extra={"minLength": 1, "pattern": _typeable_and_not_blank()},
    )
    timeout_ms: Milliseconds | None = Field(
        None, description="Interrupt the command after this long."
    )


class ExecuteResult(BaseModel):
    success: bool
    output: str
    error: str | None
    execution_time_ms: int
    exit_code: int | None = Field(description="Addition: the command's exit status.")
    timed_out: bool = Field(description="Addition: the command was interrupted at timeout_ms.")
    truncated: bool = Field(description="Addition: output beyond the session's cap was dropped.")
    compressed_output: str | None = Field(
        default=None,
        description="Addition: the output compressed for an AI (session compress_output, or "
        "its AI context's record of the command when AI features are on).",
    )
    raw_output_id: str | None = Field(
        default=None,
        description="Addition: the raw output's archive id in the session's AI context (AI "
        "features on): GET /sessions/{name}/context/archive/{id}?start=N&end=M reads its lines.",
    )
    parsed: dict[str, Any] | None = Field(
        default=None,
        description="Addition: the output parsed (session parse_output): kind, errors, "
        "warnings, summary, failed_tests, locations.",
    )


class Output(BaseModel):
    session_name: str
    output: str
    raw_output: str
    timestamp: Timestamp
    size_bytes: int
    position: int = Field(
        description="Addition: absolute offset just past the returned output; pass it as "
        "?since= to read only what comes next."
    )
    lost_bytes: int = Field(
        description="Addition: bytes between ?since= and the oldest byte still buffered."
    )


class Input(_Request):
    text: StrictStr = Field(max_length=65_536, description="Raw keys, e.g. 'ls\\r' or '\\u0003'.")


class InputSent(BaseModel):
    session_name: str
    bytes_sent: int


class Resize(_Request):
    rows: Cells
    cols: Cells


class Screen(BaseModel):
    session_name: str
    rows: int
    cols: int
    cursor: Pair = Field(description="[row, col], 0-based.")
    lines: list[str]
    title: str
    timestamp: Timestamp


class Recording(BaseModel):
    """An asciicast v2 recording of a session, in the server's data dir (``aitui replay``)."""

    session_name: str
    path: str = Field(description="Where the server writes it (chosen by the server).")
    active: bool
    error: str | None = Field(description="Why it stopped early (a write error), if it did.")
