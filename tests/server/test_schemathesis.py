"""Schemathesis against ``/openapi.json`` of a real server: no 5xx, no schema violations.

Generated requests go to a loopback server with the token, and path names are pointed at a
real session (re-created when a case deleted it or killed its shell), so the fuzzing reaches
the session code instead of stopping at 404. Generated commands are wrapped in ``echo`` and
typed input loses its line ends, so the fuzzer exercises quoting, encodings and limits without
running arbitrary programs; timeouts are capped so a case cannot hold the test for minutes.
Only values the schema allows are rewritten (a blank command or shell is sent as generated), so
schemathesis's checks that valid data is accepted and invalid data refused see the schema and
the server disagree wherever they do. ``/stream`` never ends by design and is left out here
(``test_stream.py`` covers it).
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from aitui.core.keys import KeyNameError, named_key
from aitui.core.limits import SEARCH_PATH_MAX
from aitui.server.models import MAX_TIMEOUT_MS, NON_BLANK
from tests.server.helpers import Server

FUZZ_SESSION = "fuzz"
MAX_EXAMPLES = 25


@pytest.fixture(scope="module")
def api_schema(server: Server) -> Iterator[Any]:
    with httpx.Client(base_url=server.base_url, headers=server.headers) as http:
        document = http.get("/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url=server.base_url, headers=server.headers)
    yield schema


schema = schemathesis.pytest.from_fixture("api_schema").exclude(path_regex=r"/stream$")


@pytest.fixture(scope="module")
def admin(server: Server) -> Iterator[httpx.Client]:
    """One client for the test's own bookkeeping (a client per case costs an SSL setup)."""
    with httpx.Client(base_url=server.base_url, headers=server.headers, timeout=60) as http:
        yield http


def _ensure_fuzz_session(http: httpx.Client, server: Server) -> None:
    status = http.get(f"/sessions/{FUZZ_SESSION}/status")
    if status.status_code == 200 and status.json()["status"] == "Running":
        return
    if status.status_code == 200:
        http.delete(f"/sessions/{FUZZ_SESSION}")
    created = http.post(
        "/sessions",
        json={"name": FUZZ_SESSION, "working_directory": str(server.workdir), "shell": "bash"},
    )
    assert created.status_code == 200, created.text
    # Sessions the fuzzer created with random names: keep the shell count bounded.
    for entry in http.get("/sessions").json()["sessions"]:
        if entry["name"] != FUZZ_SESSION:
            http.delete(f"/sessions/{entry['id']}")


def _fits(value: object) -> bool:
    return isinstance(value, str) and re.match(NON_BLANK, value) is not None


def _tame(case: Any, workdir: Path) -> None:
    if case.path_parameters and "name" in case.path_parameters:
        case.path_parameters["name"] = FUZZ_SESSION
    body = case.body if isinstance(case.body, dict) else None
    if body is None:
        return
    command = body.get("command")
    if case.path.endswith("/execute") and isinstance(command, str) and command.strip():
        body["command"] = "echo " + shlex.quote(command)
        timeout = body.get("timeout_ms")
        if isinstance(timeout, int) and 2000 < timeout <= MAX_TIMEOUT_MS:
            body["timeout_ms"] = 2000
    if case.path == "/sessions" and case.method == "POST":
        # Any non-blank string fits the schema, but only an existing directory and an installed
        # shell can start a session: point those at real ones.
        if _fits(body.get("working_directory")):
            body["working_directory"] = str(workdir)
        if _fits(body.get("shell")):
            body["shell"] = "bash"
    if case.path.endswith("/input") and isinstance(body.get("text"), str):
        body["text"] = body["text"].replace("\r", " ").replace("\n", " ").replace("\x04", " ")
    _tame_scripting(case, body, workdir)


def _harmless_key(name: object) -> object:
    """A key the schema allows, as a name the server knows that runs nothing (no Enter,
    Ctrl-D...): only keys that type text or move the cursor are kept."""
    if not isinstance(name, str) or not 1 <= len(name) <= 64:
        return name  # outside the schema: left for the server to refuse
    try:
        data = named_key(name)
    except KeyNameError:
        return "left"
    text = data[1:] if data.startswith(b"\x1b") else data
    return name if all(0x20 <= byte < 0x7F or byte >= 0x80 for byte in text) else "left"


def _tame_scripting(case: Any, body: dict[str, Any], workdir: Path) -> None:
    """The scripting routes: timeouts capped, regular expressions and key names the schema
    allows but the server refuses made valid ones, a command that runs."""
    if case.path.endswith("/wait"):
        timeout = body.get("timeout_ms", MAX_TIMEOUT_MS)  # absent: the default, 30 s
        number = isinstance(timeout, int | float) and not isinstance(timeout, bool)
        if number and 100 < timeout <= MAX_TIMEOUT_MS:
            body["timeout_ms"] = 100  # a wait that times out says so as well after 0.1 s
        pattern = body.get("pattern")
        if isinstance(pattern, str) and pattern:
            try:
                re.compile(pattern)
            except (re.error, OverflowError, RecursionError):
                body["pattern"] = re.escape(pattern[:400])
    if case.path.endswith("/keys") and isinstance(body.get("keys"), list):
        body["keys"] = [_harmless_key(key) for key in body["keys"]]
    if case.path == "/host/sessions" and case.method == "POST":
        if _fits(body.get("directory")):
            body["directory"] = str(workdir)
        command = body.get("command")
        # NewHostSession's maxLength: a longer one is a negative case, sent as generated
        if _fits(command) and len(command) <= 4_096:  # type: ignore[arg-type]
            body["command"] = "cat"
        search_path = body.get("search_path")
        # Any non-blank PATH fits the schema; only one that holds ``cat`` starts it
        if _fits(search_path) and len(search_path) <= SEARCH_PATH_MAX:  # type: ignore[arg-type]
            body["search_path"] = os.environ.get("PATH", "/usr/bin:/bin")
        agent = body.get("agent")
        # Any name fits the schema (profiles are the user's files); only a known one starts
        if isinstance(agent, str) and 0 < len(agent) <= 64:
            body["agent"] = "shell"
        policy = body.get("auto_accept")
        # Auto-accept on needs an agent's hooks (400 INVALID_CONFIG for a shell, by design);
        # no schema can say that one field depends on another
        if isinstance(policy, dict) and policy.get("enabled") is True:
            policy["enabled"] = False


@pytest.mark.timeout(1200)  # every operation runs inside this one test
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any, server: Server, admin: httpx.Client) -> None:
    _ensure_fuzz_session(admin, server)
    _tame(case, server.workdir)
    case.call_and_validate(headers=server.headers, timeout=30)
