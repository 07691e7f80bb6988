"""Between a live session and its record: what is kept of it, and how it is built again.

``record_of`` takes what a session is (its configuration, metadata, identity); ``rebuild``
(``SessionManager.restore_session``) makes an ``AISession`` from a record, not started, with its
AI context and (when it was kept) its scrollback already in place, so its pane shows the old
history before the program runs again.

Not kept: the session's environment overrides (they are where API keys go; a restored session
gets the server's environment, as a new one does) and a callable summariser (not data).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from aitui.core.config import HistoryMode, SessionConfig
from aitui.core.context_state import config_from_json, config_json, rebuild
from aitui.core.records import SessionRecord
from aitui.core.session import AISession
from aitui.core.terminal import TerminalScreen
from aitui.core.terminal.grid import row_to_entry
from aitui.core.terminal.scrollback import entry_ansi
from aitui.core.types import SessionId

log = logging.getLogger(__name__)
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def session_config_json(config: SessionConfig) -> dict[str, Any]:
    return {
        "name": config.name,
        "working_directory": str(config.working_directory),
        "shell": config.shell,
        "shell_command": config.shell_command,
        "pty_size": list(config.pty_size),
        "timeout": config.timeout,
        "compress_output": config.compress_output,
        "parse_output": config.parse_output,
        "enable_ai_features": config.enable_ai_features,
        "agent_role": config.agent_role,
        "context_config": config_json(config.context_config),
        "execute_output_limit": config.execute_output_limit,
        "output_buffer_size": config.output_buffer_size,
        "scrollback_lines": config.scrollback_lines,
        "shell_integration": config.shell_integration,
        "history": config.history.value,
    }


def session_config_from_json(data: dict[str, Any]) -> SessionConfig:
    rows, cols = data["pty_size"]
    return SessionConfig(
        name=data["name"],
        working_directory=Path(data["working_directory"]),
        shell=data["shell"],
        shell_command=data["shell_command"],
        pty_size=(int(rows), int(cols)),
        timeout=data["timeout"],
        compress_output=bool(data["compress_output"]),
        parse_output=bool(data["parse_output"]),
        enable_ai_features=bool(data["enable_ai_features"]),
        agent_role=data["agent_role"],
        context_config=config_from_json(data["context_config"]),
        execute_output_limit=int(data["execute_output_limit"]),
        output_buffer_size=int(data["output_buffer_size"]),
        scrollback_lines=int(data["scrollback_lines"]),
        shell_integration=bool(data["shell_integration"]),
        history=HistoryMode(data["history"]),
    )


def record_of(
    session: AISession, *, autostart: bool = False, persist_scrollback: bool = False
) -> SessionRecord:
    """The record of ``session`` as it is now (without its context and scrollback, which
    ``SessionRecords.save_context`` / ``save_scrollback`` write as they change)."""
    config = session_config_json(session.config)
    config["name"] = session.name
    return SessionRecord(
        id=str(session.id),
        name=session.name,
        config=config,
        created_at=session.created_at.isoformat(),
        metadata=session.metadata,
        autostart=autostart,
        persist_scrollback=persist_scrollback,
    )


def rebuild_session(record: SessionRecord) -> AISession:
    """An ``AISession`` for ``record``: its id, creation time, configuration and AI context,
    and its saved scrollback on the screen. Not started. A context that cannot be read (a
    file from another version) is logged and the session starts with an empty one."""
    config = session_config_from_json(record.config)
    context = None
    if record.context is not None and config.enable_ai_features:
        try:
            context = rebuild(record.context, config.context_config, record.id)
        except ValueError as exc:
            log.warning("session %s: its saved AI context is not restored: %s", record.name, exc)
    session = AISession(
        config,
        session_id=SessionId.parse_str(record.id),
        created_at=datetime.fromisoformat(record.created_at),
        context=context,
    )
    for key, value in record.metadata.items():
        session.set_metadata(key, value)
    if record.scrollback:
        put_scrollback(session.screen, record.scrollback)
    return session


def scrollback_text(screen: TerminalScreen) -> str:
    """The screen's history as lines with their colours: the scrollback, then the main
    screen's rows down to the last one written (a full-screen program's screen is not
    history)."""
    rows = [
        entry_ansi(row_to_entry(chars, styles))
        for chars, styles in zip(screen.main_grid.chars, screen.main_grid.styles, strict=True)
    ]
    while rows and not _visible(rows[-1]):
        rows.pop()
    return screen.scrollback.export(ansi=True) + "".join(row + "\n" for row in rows)


def put_scrollback(screen: TerminalScreen, text: str) -> None:
    """Draw saved history on a new screen, the lines it cannot show going to its scrollback,
    with the cursor on the line after it (where the program's first output goes)."""
    screen.feed(text.replace("\n", "\r\n").encode("utf-8"))


def _visible(ansi_row: str) -> bool:
    return bool(_SGR.sub("", ansi_row).strip())
