"""SQLite persistence of messages and tasks, written by one dedicated thread.

Why a thread: sqlite3 calls block, and a busy-timeout wait or a checkpoint could hold the event
loop for milliseconds; the dashboard and every PTY reader share that loop. The writer thread
takes every operation queued since its last turn and runs them in *one* transaction (group
commit), so a burst of sends costs one commit, not one per message.

Durability: WAL mode with ``synchronous=NORMAL``. A committed transaction survives the process
being killed (the WAL is in the OS page cache); only an OS crash or power loss can lose the last
transactions. Callers await the commit before reporting success, so "sent" and "acknowledged"
both mean "on disk as far as a process crash is concerned".

Location: ``path`` argument, else ``$AITUI_DATA_DIR/agents.sqlite3``, else the platform's user
data dir (``platformdirs.user_data_dir("aitui")``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from aitui.core.agents.errors import MessageError, StoreError
from aitui.core.agents.ids import AgentId
from aitui.core.agents.messages import Message

T = TypeVar("T")
DB_NAME = "agents.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id TEXT NOT NULL, recipient TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', sent_at REAL NOT NULL, acked_at REAL,
    PRIMARY KEY (id, recipient)
);
CREATE INDEX IF NOT EXISTS messages_pending ON messages (state, seq);
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL,
    agent TEXT, reason TEXT, result TEXT, error TEXT, updated_at REAL NOT NULL
);
"""


def default_db_path() -> Path:
    base = os.environ.get("AITUI_DATA_DIR") or platformdirs.user_data_dir("aitui")
    return Path(base) / DB_NAME


Op = Callable[[sqlite3.Connection], Any]
_STOP = object()


class Store:
    """The database of one coordinator. Open with ``await Store.open(path)``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=f"aitui-store-{path.name}")
        self._thread.daemon = True
        self._closed = False

    @classmethod
    async def open(cls, path: Path | str | None = None) -> Store:
        db = Path(path) if path is not None else default_db_path()
        try:
            db.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data directory {db.parent}: {exc}") from None
        store = cls(db)
        store._thread.start()
        await store.run(lambda conn: None)  # surfaces an open error here
        return store

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
            await asyncio.to_thread(self._thread.join)

    async def run(self, op: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``op`` in the writer thread's next transaction; return when it is committed."""
        if self._closed:
            raise StoreError(f"store {self.path} is closed")
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._queue.put((op, future))
        return await asyncio.wrap_future(future)

    # -- the writer thread --------------------------------------------------------------------
    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        error: StoreError | None = None
        try:
            conn = _connect(self.path)
        except (sqlite3.Error, StoreError) as exc:
            error = exc if isinstance(exc, StoreError) else StoreError(f"{self.path}: {exc}")
        while True:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            jobs = [item for item in batch if item is not _STOP]
            if conn is not None:
                _commit(conn, self.path, jobs)
            else:
                for _, future in jobs:
                    future.set_exception(error)
            if len(jobs) != len(batch):
                break
        if conn is not None:
            conn.close()


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=5000")
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        conn.close()
        raise StoreError(f"{path}: could not switch to WAL mode (got {mode})")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(_SCHEMA)
    return conn


def _commit(conn: sqlite3.Connection, path: Path, jobs: list[Any]) -> None:
    results: list[tuple[concurrent.futures.Future[Any], BaseException | None, Any]] = []
    try:
        conn.execute("BEGIN IMMEDIATE")
        for op, future in jobs:
            conn.execute("SAVEPOINT op")
            try:
                results.append((future, None, op(conn)))
                conn.execute("RELEASE op")
            except Exception as exc:  # one bad op must not sink the batch
                conn.execute("ROLLBACK TO op")
                conn.execute("RELEASE op")
                results.append((future, _wrap(exc, path), None))
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        failure = StoreError(f"write to {path} failed: {exc}")
        results = [(future, failure, None) for _, future in jobs]
    for future, failed, value in results:
        if failed is not None:
            future.set_exception(failed)
        else:
            future.set_result(value)


def _wrap(exc: Exception, path: Path) -> BaseException:
    if isinstance(exc, sqlite3.IntegrityError):
        return MessageError(f"duplicate record in {path}: {exc}")
    if isinstance(exc, sqlite3.Error):
        return StoreError(f"{path}: {exc}")
    return exc


# -- message operations (built on the loop, run in the thread) --------------------------------
def insert_messages(rows: list[tuple[Message, AgentId, int]]) -> Op:
    now = time.time()
    data = [(str(m.id), str(to), seq, json.dumps(m.to_json()), now) for m, to, seq in rows]

    def op(conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT INTO messages (id, recipient, seq, body, sent_at) VALUES (?, ?, ?, ?, ?)",
            data,
        )

    return op


def ack_message(message_id: str, recipient: AgentId) -> Op:
    now = time.time()

    def op(conn: sqlite3.Connection) -> None:
        conn.execute(
            "UPDATE messages SET state = 'acked', acked_at = ? WHERE id = ? AND recipient = ?",
            (now, message_id, str(recipient)),
        )

    return op


def load_pending(conn: sqlite3.Connection) -> list[tuple[AgentId, int, Message]]:
    rows = conn.execute(
        "SELECT recipient, seq, body FROM messages WHERE state = 'pending' ORDER BY seq"
    ).fetchall()
    return [(AgentId.parse_str(r), s, Message.from_json(json.loads(b))) for r, s, b in rows]


def max_seq(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT MAX(seq) FROM messages").fetchone()
    return int(row[0]) if row[0] is not None else 0


def message_states(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """``{(message id, recipient): state}`` of every stored message (for tests and tools)."""
    rows = conn.execute("SELECT id, recipient, state FROM messages").fetchall()
    return {(i, r): s for i, r, s in rows}


# -- task operations --------------------------------------------------------------------------
def save_task(row: dict[str, Any]) -> Op:
    """Insert or replace one task row (keys: the ``tasks`` columns but ``updated_at``)."""
    values = (
        row["id"], row["seq"], row["body"], row["state"], row["agent"], row["reason"],
        row["result"], row["error"], time.time(),
    )  # fmt: skip

    def op(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT OR REPLACE INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values)

    return op


def load_tasks(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    cursor = conn.execute(
        "SELECT id, seq, body, state, agent, reason, result, error FROM tasks ORDER BY seq"
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
