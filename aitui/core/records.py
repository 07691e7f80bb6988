"""Session records: what a server needs to list its sessions again after a restart or a reboot.

Each session's name, command, directory, role, metadata and AI context (and its scrollback,
only when the user opted in: it may hold secrets) are kept in SQLite as they change, so the
next server lists them as stopped and runs one again when asked (``SessionHost``).

Why a file of its own (``sessions.sqlite3`` beside ``agents.sqlite3`` in the data dir), with
the same writer (``aitui.core.agents.store.Store``: one thread, group commit, WAL, 0600 files,
one owning process): the records belong to the host and the messages to the coordination,
which may be in memory (``--no-persist``, or another process holds it) while the sessions are
still kept; and a saved scrollback of megabytes then never shares a transaction with, nor
delays, a message's acknowledgement.

Durability is the store's: each call returns once its transaction is committed, and a commit
survives the process being killed at any moment (WAL; only an OS crash may lose the last ones).
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aitui.core.agents.store import Store
from aitui.core.context_state import ContextState, message_from_json, message_json
from aitui.core.data_files import SESSIONS_FILE, server_file
from aitui.core.paths import data_dir

DB_NAME = SESSIONS_FILE

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT NOT NULL, config TEXT NOT NULL,
    metadata TEXT NOT NULL, autostart INTEGER NOT NULL, persist_scrollback INTEGER NOT NULL,
    created_at TEXT NOT NULL, context TEXT, scrollback TEXT, updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS context_messages (
    session TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (session, id)
);
"""


def default_records_path() -> Path:
    return data_dir() / DB_NAME


def records_path_for(server: str) -> Path:
    """The sessions kept by the server called ``server`` (its socket's name)."""
    return server_file(SESSIONS_FILE, server)


@dataclass
class SessionRecord:
    """One session as kept. ``config`` is ``aitui.core.restore.config_json``'s form."""

    id: str
    name: str
    config: dict[str, Any]
    created_at: str  # ISO 8601
    metadata: dict[str, Any] = field(default_factory=dict)
    autostart: bool = False
    persist_scrollback: bool = False
    context: ContextState | None = None  # as loaded (never written through the record)
    scrollback: str | None = None  # as loaded, when it was persisted

    @property
    def command(self) -> str | None:
        value = self.config.get("shell_command")
        return str(value) if value else None

    @property
    def directory(self) -> str:
        return str(self.config.get("working_directory", ""))

    @property
    def role(self) -> str | None:
        value = self.config.get("agent_role")
        return str(value) if value else None


class SessionRecords:
    """The records of one host. Open with ``await SessionRecords.open(path)``; ``loaded`` is
    what was kept when it opened (oldest first)."""

    def __init__(self, store: Store, loaded: list[SessionRecord]) -> None:
        self._store = store
        self.loaded = loaded
        #: The rows the last ``load`` could not read (damaged): the session's name and why.
        #: They are left in the file as they are; the others are listed.
        self.unreadable: list[str] = []
        #: Per session, the context messages known to be in the file (see ``save_context``).
        self._written: dict[str, set[str]] = {
            r.id: set(r.context.messages) for r in loaded if r.context is not None
        }

    @property
    def path(self) -> Path:
        return self._store.path

    @classmethod
    async def open(
        cls, path: Path | str | None = None, *, exclusive: bool = True
    ) -> SessionRecords:
        """Open (creating) the file, private, owned by this process (``exclusive``: another
        process holding it is a ``StoreError`` naming it)."""
        db = Path(path) if path is not None else default_records_path()
        store = await Store.open(db, exclusive=exclusive, schema=_SCHEMA, what="sessions")
        try:
            loaded, unreadable = await store.run(_load_all)
        except BaseException:
            await store.close()
            raise
        records = cls(store, loaded)
        records.unreadable = unreadable
        return records

    async def close(self) -> None:
        await self._store.close()

    async def save(self, record: SessionRecord) -> None:
        """Insert or update the record's row (its context and scrollback columns are left as
        they are: ``save_context`` and ``save_scrollback`` write those)."""
        values = (
            record.id,
            record.name,
            json.dumps(record.config),
            json.dumps(record.metadata, default=repr),
            int(record.autostart),
            int(record.persist_scrollback),
            record.created_at,
            time.time(),
        )

        def op(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO sessions (id, seq, name, config, metadata, autostart,"
                " persist_scrollback, created_at, updated_at) VALUES"
                " (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM sessions), ?2, ?3, ?4, ?5, ?6, ?7,"
                " ?8) ON CONFLICT (id) DO UPDATE SET name = ?2, config = ?3, metadata = ?4,"
                " autostart = ?5, persist_scrollback = ?6, updated_at = ?8",
                values,
            )
            if not record.persist_scrollback:
                conn.execute("UPDATE sessions SET scrollback = NULL WHERE id = ?", (record.id,))

        await self._store.run(op)

    async def save_context(self, session_id: str, state: ContextState) -> None:
        """Write ``state``: its layout, the messages not yet in the file, and drop those it no
        longer refers to. A session without a record (killed meanwhile) is left alone."""
        written = self._written.setdefault(session_id, set())
        new = [m for key, m in state.messages.items() if key not in written]
        gone = [key for key in written if key not in state.messages]
        self._written[session_id] = set(state.messages)
        layout = state.layout

        def op(conn: sqlite3.Connection) -> None:
            # Encoded here, in the writer's thread: the event loop only took references.
            cursor = conn.execute(
                "UPDATE sessions SET context = ?, updated_at = ? WHERE id = ?",
                (json.dumps(layout), time.time(), session_id),
            )
            if cursor.rowcount == 0:
                return
            conn.executemany(
                "INSERT OR REPLACE INTO context_messages VALUES (?, ?, ?)",
                [(session_id, m.id, message_json(m)) for m in new],
            )
            conn.executemany(
                "DELETE FROM context_messages WHERE session = ? AND id = ?",
                [(session_id, key) for key in gone],
            )

        try:
            await self._store.run(op)
        except BaseException:
            # Not known to be written: the next save writes every message again.
            self._written[session_id] = set()
            raise

    async def save_scrollback(self, session_id: str, text: str | None) -> None:
        """Keep ``text`` as the session's scrollback (``None`` removes it)."""

        def op(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE sessions SET scrollback = ? WHERE id = ? AND persist_scrollback = 1",
                (text, session_id),
            )

        await self._store.run(op)

    async def delete(self, session_id: str) -> None:
        """Forget the session (killed or dismissed): its row, context and scrollback."""
        self._written.pop(session_id, None)

        def op(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            conn.execute("DELETE FROM context_messages WHERE session = ?", (session_id,))

        await self._store.run(op)

    async def load(self) -> list[SessionRecord]:
        """Every record as kept now that can be read, oldest first (see ``unreadable``)."""
        records, self.unreadable = await self._store.run(_load_all)
        return records


def _load_all(conn: sqlite3.Connection) -> tuple[list[SessionRecord], list[str]]:
    """The records, and the name and reason of each row that cannot be read: one damaged row
    kept the server from starting at all (a traceback in its log, "it exited at start")."""
    bodies: dict[str, dict[str, Any]] = {}
    for session, key, body in conn.execute("SELECT session, id, body FROM context_messages"):
        bodies.setdefault(session, {})[key] = body
    records: list[SessionRecord] = []
    unreadable: list[str] = []
    for row in conn.execute(
        "SELECT id, name, config, metadata, autostart, persist_scrollback, created_at, context,"
        " scrollback FROM sessions ORDER BY seq"
    ):
        try:
            records.append(_record(row, bodies))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            unreadable.append(f"session {row[1]!r} ({exc})")
    return records, unreadable


def _record(row: tuple[Any, ...], bodies: dict[str, dict[str, Any]]) -> SessionRecord:
    sid, name, config, metadata, autostart, persist, created, context, scrollback = row
    state = None
    if context is not None:
        mine = bodies.get(sid, {})
        state = ContextState(
            json.loads(context), {k: message_from_json(v) for k, v in mine.items()}
        )
    config, metadata = json.loads(config), json.loads(metadata)
    if not isinstance(config, dict) or not isinstance(metadata, dict):
        raise TypeError("its configuration or metadata is not a JSON object")
    return SessionRecord(
        id=sid,
        name=name,
        config=config,
        created_at=created,
        metadata=metadata,
        autostart=bool(autostart),
        persist_scrollback=bool(persist),
        context=state,
        scrollback=scrollback if persist else None,
    )
