"""What each process imports before it does its work: the savings of docs/benchmarks.md kept.

Each check is a fresh Python (``sys.modules`` of this one holds whatever other tests loaded)
that imports an entry path and says which of the modules it must not need it loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

#: The engine's AI context, its tokenizer and the compressors: a session's, on first use.
CONTEXT = ("aitui.core.context", "aitui.core.tokens", "tiktoken", "aitui.core.compress.api")
#: The agents' bus and its SQLite store: the server's, and a dashboard's own host's.
AGENTS = ("aitui.core.agents", "aitui.core.coordination", "sqlite3")


def loaded(code: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` a fresh Python has in ``sys.modules`` after running ``code``."""
    found = f"[n for n in {names!r} if n in sys.modules]"
    probe = f"{code}\nimport json, sys\nprint(json.dumps({found}))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    names_in: list[str] = json.loads(done.stdout.splitlines()[-1])
    return names_in


def test_the_probe_sees_what_is_imported() -> None:
    assert loaded("import sqlite3", ("sqlite3", "tiktoken")) == ["sqlite3"]


def test_aitui_can_start_a_server_before_it_loads_its_dashboard() -> None:
    """``aitui`` parses its command line and starts a server with none of Textual, the event
    loop or the websocket client loaded: they load while the server starts."""
    code = (
        "from aitui.cli import build_parser\n"
        "build_parser().parse_args(['-S', '/tmp/x.sock'])\n"
        "from aitui.client.spawn import ServerLaunch, server_answers"
    )
    heavy = ("textual", "asyncio", "websockets", "http.client", *CONTEXT, *AGENTS)
    assert loaded(code, heavy) == []


def test_the_attached_dashboard_loads_no_engine() -> None:
    """A dashboard on a server's sessions shows rows: it needs neither the agents' store nor a
    session's AI context, nor the emulator (the server emulates)."""
    code = (
        "from aitui.cli import build_parser\n"
        "build_parser()\n"
        "import aitui.cli.dashboard, aitui.dashboard.app, aitui.client.spawn\n"
        "import aitui.client.connection, aitui.client.remote"
    )
    engine = ("aitui.core.terminal.screen", "aitui.core.session", *CONTEXT, *AGENTS)
    assert loaded(code, engine) == []


@pytest.mark.parametrize("entry", ["aitui.server.host_server", "aitui.server.app"])
def test_the_server_loads_the_ai_context_on_first_use(entry: str) -> None:
    """The server starts without the tokenizer and the compressors (the first AI session or
    ``/compress`` loads them), and loading them later works."""
    assert loaded(f"import {entry}", CONTEXT) == []
    later = f"import {entry}\nfrom aitui.core.compress import compress\ncompress('x\\n')"
    assert "aitui.core.compress.api" in loaded(later, CONTEXT)


def test_a_new_context_reads_no_encoding_until_a_count() -> None:
    """A session's AI context is made when the session starts; the encoding's rank file (tens
    of MB once parsed) is read only when something is first counted."""
    code = """
import json, sys
read = []
sys.addaudithook(lambda event, args: read.append(event) if event == "open"
                 and str(args[0]).endswith(".tiktoken") else None)
from aitui.core.context import SessionContext
context = SessionContext(session_id="s")
context.stats()
made = len(read)
from aitui.core.tokens import count_tokens
count_tokens("hello")
print(json.dumps([made, len(read)]))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == [0, 1]


def test_an_unknown_encoding_still_fails_when_the_context_is_made() -> None:
    from aitui.core.config import ContextConfig
    from aitui.core.context import SessionContext
    from aitui.core.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown token encoding"):
        SessionContext(ContextConfig(encoding="no_such_base"))


def test_an_ai_session_builds_its_encoding_in_a_thread_before_anything_is_counted(
    tmp_path: Path,
) -> None:
    """Starting an AI session builds the encoding off the event loop, so its first finished
    command (counted on the loop, on a server) does not parse the rank file there."""
    code = f"""
import asyncio, json, sys, threading, time
opened_by = []
sys.addaudithook(lambda event, args: opened_by.append(threading.current_thread().name)
                 if event == "open" and str(args[0]).endswith(".tiktoken") else None)
from aitui.core.config import SessionConfig
from aitui.core.session import AISession
from aitui.core import tokens

async def main():
    session = AISession(SessionConfig(shell="bash", enable_ai_features=True,
                                      working_directory={str(tmp_path)!r}))
    await session.start()
    deadline = time.monotonic() + 60
    while not tokens.encoding_built() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await session.stop()
    print(json.dumps([tokens.encoding_built(), opened_by]))

asyncio.run(main())
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=90
    )
    built, opened_by = json.loads(done.stdout.splitlines()[-1])
    assert built
    assert opened_by == ["aitui-encoding-o200k_base"]


def test_the_server_serves_attach_without_the_http_stack() -> None:
    """The server's process gets to serving ``/attach`` with neither FastAPI nor pydantic (nor
    the API's models) loaded: its API is built after start-up (``aitui.server.deferred``)."""
    code = "import aitui.server.daemon, aitui.server.host_server"
    assert loaded(code, ("fastapi", "pydantic", "aitui.server.app", "aitui.server.models")) == []


def test_aitui_new_and_ls_load_neither_the_agents_store_nor_the_event_loop(
    server_socket: Path,
) -> None:
    """``aitui ls`` is one HTTP request and a table: it looked for the server's sessions file
    through the records module, which loaded the agents' package and SQLite, and said how long
    each state lasted through the activity tracker, which loaded ``asyncio`` (136 -> 71 ms of
    CPU a call, docs/benchmarks.md)."""
    made = subprocess.run(
        [sys.executable, "-m", "aitui.cli", "-S", str(server_socket), "new", "s1"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    code = (
        "import contextlib, io\n"
        "from aitui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    made = main(['-S', {str(server_socket)!r}, 'new', 's2'])\n"
        f"    status = main(['-S', {str(server_socket)!r}, 'ls'])\n"
        "assert made == status == 0 and 's2' in out.getvalue(), (status, out.getvalue())"
    )
    heavy = ("asyncio", "aitui.core.records", "aitui.core.activity", "aitui.core.events")
    heavy += ("aitui.core.hosting",)  # ``aitui new``'s PATH bound was reached through it
    assert loaded(code, (*heavy, *AGENTS)) == []
