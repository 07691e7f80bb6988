"""JSON bodies of the routes the scripting CLI (``aitui ls``, ``new``, ``keys``, ``read``,
``wait``, ``restart``) uses: additions to the reference, in its style (strict request types,
unknown fields ignored)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictStr

from aitui.core.limits import SEARCH_PATH_MAX
from aitui.core.names import NAME_PATTERN, NAME_RULE
from aitui.server.agent_models import AutoAcceptBody
from aitui.server.models import NON_BLANK, Milliseconds, Pair, _Request

#: ``aitui.core.activity.Activity``'s values (a test keeps the two the same).
ActivityName = Literal[
    "starting",
    "idle",
    "running",
    "waiting",
    "active",
    "quiet",
    "exited",
    "error",
    "working",
    "approval",
    "done",
]
#: Ceiling of a wait when none is given (a client may ask up to ``MAX_TIMEOUT_MS``).
DEFAULT_WAIT_MS = 30_000


class SessionRow(BaseModel):
    """A session as the server's dashboards list it: what it is doing, observed."""

    key: str = Field(description="The session's id: stable across renames, new on a restart.")
    name: str
    role: str | None
    activity: ActivityName = Field(
        description="idle/waiting (shell at its prompt; waiting: after a command, or an agent "
        "waiting for input), running (a command runs), working/approval/done (an agent's own "
        "report, or its screen: see source), active/quiet (neither: output flowing / none for "
        "5 s), starting, exited, error."
    )
    source: str | None = Field(
        None,
        description="Where the activity came from: hook (the agent's own report), screen (its "
        "profile's patterns), shell (integration), output, input, process.",
    )
    asked: str | None = Field(
        None, description="What an agent waits for approval of, e.g. 'Bash: rm -rf build'."
    )
    since: float | None = Field(
        None, description="When the activity began (seconds since the epoch)."
    )
    agent: str | None = Field(None, description="The agent profile it was started from.")
    detail: str = Field(description="e.g. 'exit 1', 'no output for 2m', a failure's reason.")
    exit_code: int | None = Field(
        description="The last command's (waiting) or the program's (exited); negative: the "
        "signal that ended it."
    )
    attention: str | None = Field(description="Why it wants the user, while nobody looks.")
    running: bool
    command: str
    directory: str
    error: str | None = None
    recording: str | None = Field(None, description="The file being written, while recording.")


class SessionRows(BaseModel):
    sessions: list[SessionRow]
    problems: list[str] = Field(
        default_factory=list,
        description="What went wrong when the server started (a store it could not open, a "
        "session not restored), each in a sentence",
    )


class NewHostSession(_Request):
    """A session as the dashboard makes one: the user's shell and scrollback settings, shell
    history, AI features on; or ``command`` instead of the shell."""

    name: StrictStr = Field(
        description=f"Unique session name: {NAME_RULE}.",
        json_schema_extra={"pattern": f"^{NAME_PATTERN.pattern}$", "maxLength": 64},
    )
    directory: StrictStr | None = Field(
        None,
        description="An existing directory (absolute); default: the server's.",
        json_schema_extra={"minLength": 1, "pattern": NON_BLANK},
    )
    command: StrictStr | None = Field(
        None,
        max_length=4_096,  # past 8,192 the schema fuzzer cannot make a too-long one
        description="A command line run instead of the shell (split as a POSIX shell would, "
        "without one: no pipes or variables).",
        json_schema_extra={"minLength": 1, "pattern": NON_BLANK},
    )
    role: StrictStr | None = Field(None, max_length=256, description="Free-form agent role.")
    agent: StrictStr | None = Field(
        None,
        max_length=64,
        description="An agent profile (GET /profiles): its agent with its hooks wired; then "
        "`command`, if given, is that agent's command line. Unknown: 400. Without it, a "
        "`command` whose program is a profile's (`claude --model opus`) gets that profile.",
    )
    auto_accept: AutoAcceptBody | None = Field(
        None, description="The auto-accept policy for its permission requests (an agent's)."
    )
    search_path: StrictStr | None = Field(
        None,
        max_length=SEARCH_PATH_MAX,
        description="The PATH the program is looked up on and runs with (the caller's, as "
        "`aitui new` sends it); default: the server's.",
        json_schema_extra={"minLength": 1, "pattern": NON_BLANK},
    )


KeyName = Annotated[StrictStr, Field(min_length=1, max_length=64)]


class Keys(_Request):
    keys: list[KeyName] = Field(
        min_length=1,
        max_length=256,
        description="Key names, sent in order: 'ctrl+c', 'enter', 'up', 'f5', 'a', tmux's "
        "'C-c' and 'BSpace'... An unknown one: 400 INVALID_KEY, and nothing is sent.",
    )


class KeysSent(BaseModel):
    session_name: str
    bytes_sent: int


class Capture(BaseModel):
    session_name: str
    lines: list[str] = Field(
        description="The screen's rows (blank ones below the text and the cursor left out), "
        "after ?lines= of history when asked; with ?ansi=true, with SGR colours."
    )
    ansi: bool
    rows: int
    cols: int
    cursor: Pair = Field(description="[row, col], 0-based, on the screen.")


class _Wait(_Request):
    timeout_ms: Milliseconds = Field(
        DEFAULT_WAIT_MS, description="Give up after this long: the reply says timeout."
    )


class WaitIdle(_Wait):
    until: Literal["idle"] = Field(
        description="The prompt came back after the last input (shell integration), or "
        "neither output nor input for 5 s; never while a command runs."
    )


class WaitWaiting(_Wait):
    until: Literal["waiting"] = Field(
        description="An agent waits for the user (since the last input): it asks for input or "
        "an approval, or its turn ended (`activity` says which)."
    )


class WaitDone(_Wait):
    until: Literal["done"] = Field(description="An agent finished its turn (since the last input).")


class WaitExit(_Wait):
    until: Literal["exit"] = Field(description="The program exited.")


class WaitPattern(_Wait):
    until: Literal["pattern"] = Field(description="The regular expression is on the screen.")
    pattern: StrictStr = Field(
        min_length=1,
        max_length=1000,
        description="A Python regular expression, searched in the screen's text (rows joined by "
        "newlines; ^ and $ match at each row). Invalid: 400 INVALID_PATTERN.",
    )


Wait = Annotated[
    WaitIdle | WaitExit | WaitPattern | WaitWaiting | WaitDone, Field(discriminator="until")
]


class WaitResult(BaseModel):
    session_name: str
    until: Literal["idle", "exit", "pattern", "waiting", "done"]
    met: bool = Field(description="The condition holds (false: timeout, or the program exited).")
    reason: Literal["idle", "waiting", "done", "matched", "exited", "timeout"]
    match: str | None = Field(description="The text the pattern matched.")
    activity: ActivityName | None = Field(
        description="The session's activity at the end (a server that tracks it)."
    )
    running: bool
    exit_code: int | None = Field(
        description="The program's once it exited (negative: the signal that ended it), else "
        "the last command's, when known."
    )
