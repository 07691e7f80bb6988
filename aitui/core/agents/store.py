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

One owner at a time (``exclusive``): the dashboard and ``aitui serve`` both persist into the
user's data dir by default, and two coordinators restoring the same database would each deliver
its unacknowledged messages again. The owner holds an ``flock`` on ``<db>.lock`` (released by
the kernel however the process ends, so a crash never leaves a stale lock) with its pid inside,
and a second process is told which one holds it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from aitui.core.agents.errors import MessageError, StoreError
from aitui.core.agents.ids import AgentId
from aitui.core.agents.messages import Message
from aitui.core.data_files import AGENTS_FILE, server_file
from aitui.core.paths import create_private, data_dir, open_private, private_dir, tighten_file

log = logging.getLogger(__name__)
T = TypeVar("T")
DB_NAME = AGENTS_FILE

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
CREATE TABLE IF NOT EXISTS agent_names (id TEXT PRIMARY KEY, name TEXT NOT NULL);
"""


def default_db_path() -> Path:
    return data_dir() / DB_NAME


def db_path_for(server: str) -> Path:
    """The messages and tasks of the server called ``server`` (its socket's name), one file
    per server as its sessions are. One shared file let a second server (``-L play`` beside
    ``-L work``) list the first one's messages and tasks, addressed to agents it has never
    had, or keep its own in memory only while the first held the file."""
    return server_file(AGENTS_FILE, server)


Op = Callable[[sqlite3.Connection], Any]
_STOP = object()


class Store:
    """The database of one coordinator. Open with ``await Store.open(path)``."""

    def __init__(
        self, path: Path, *, schema: str = _SCHEMA, what: str = "messages and tasks"
    ) -> None:
        """``schema`` (SQL run at open) and ``what`` (named when another process holds it) let
        other stores of aitui's (``aitui.core.records``) share this writer."""
        self.path = path
        self.schema = schema
        self.what = what
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=f"aitui-store-{path.name}")
        self._thread.daemon = True
        self._closed = False
        self._lock: int | None = None

    @classmethod
    async def open(
        cls,
        path: Path | str | None = None,
        *,
        exclusive: bool = False,
        schema: str = _SCHEMA,
        what: str = "messages and tasks",
    ) -> Store:
        """Open (creating) the database; ``exclusive``: fail with :class:`StoreError` naming
        the holder if another process has it open exclusively."""
        db = Path(path) if path is not None else default_db_path()
        try:
            private_dir(db.parent)
        except OSError as exc:
            raise StoreError(f"cannot create the data directory {db.parent}: {exc}") from None
        try:  # 0600 before SQLite opens it: its -wal and -shm files take the database's mode
            create_private(db)
            for companion in ("-wal", "-shm"):
                tighten_file(db.with_name(db.name + companion))
        except OSError as exc:
            raise StoreError(f"cannot create {db}: {exc}") from None
        store = cls(db, schema=schema, what=what)
        if exclusive:
            store._lock = _lock(db, what)
        store._thread.start()
        try:
            await store.run(lambda conn: None)  # surfaces an open error here
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
            await asyncio.to_thread(self._thread.join)
            if self._lock is not None:
                os.close(self._lock)  # releases the flock
                self._lock = None

    async def run(self, op: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``op`` in the writer thread's next transaction; return when it is committed."""
        if self._closed:
            raise StoreError(f"store {self.path} is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put(Job(op, future, loop))
        return await future

    # -- the writer thread --------------------------------------------------------------------
    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        error: StoreError | None = None
        try:
            conn = _connect(self.path, self.schema)
        except (sqlite3.Error, StoreError) as exc:
            error = exc if isinstance(exc, StoreError) else StoreError(f"{self.path}: {exc}")
        while True:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            # A caller cancelled before its op ran gets nothing done (a racy read, but a late
            # cancel only means the op still runs: the caller sees CancelledError either way).
            jobs = [job for job in batch if job is not _STOP and not job.future.cancelled()]
            if conn is None:
                outcomes = [Outcome(job, error, None) for job in jobs]
            else:
                try:
                    outcomes = _commit(conn, self.path, jobs)
                except Exception as exc:  # the thread must outlive any one failure
                    log.exception("store %s: a batch failed unexpectedly", self.path)
                    outcomes = [
                        Outcome(job, StoreError(f"{self.path}: {exc}"), None) for job in jobs
                    ]
            _resolve_all(outcomes)
            if any(item is _STOP for item in batch):
                break
        if conn is not None:
            conn.close()


@dataclass(slots=True)
class Job:
    op: Op
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


@dataclass(slots=True)
class Outcome:
    job: Job
    error: BaseException | None
    value: Any


def _resolve_all(outcomes: list[Outcome]) -> None:
    """Hand a batch's outcomes to their loops: one wake-up per loop, not one per op."""
    by_loop: dict[asyncio.AbstractEventLoop, list[Outcome]] = {}
    for outcome in outcomes:
        by_loop.setdefault(outcome.job.loop, []).append(outcome)
    for loop, mine in by_loop.items():
        with contextlib.suppress(RuntimeError):  # that loop is closed: nobody waits any more
            loop.call_soon_threadsafe(_resolve, mine)


def _resolve(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        future = outcome.job.future
        if future.done():  # cancelled meanwhile
            continue
        if outcome.error is not None:
            future.set_exception(outcome.error)
        else:
            future.set_result(outcome.value)


def _lock(db: Path, what: str) -> int:
    """Take ``<db>.lock`` for this process (its pid written inside) or raise ``StoreError``."""
    lock_path = db.with_name(db.name + ".lock")
    try:
        fd = open_private(lock_path, os.O_RDWR)
    except OSError as exc:
        raise StoreError(f"cannot open the lock file {lock_path}: {exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
        os.close(fd)
        raise StoreError(
            f"{db} is in use by another aitui process (pid {holder}); {what} "
            "are persisted by one process at a time"
        ) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def _connect(path: Path, schema: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=5000")
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        conn.close()
        raise StoreError(f"{path}: could not switch to WAL mode (got {mode})")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(schema)
    return conn


def _commit(conn: sqlite3.Connection, path: Path, jobs: list[Job]) -> list[Outcome]:
    """Run ``jobs`` in one transaction (group commit). If any op fails, the batch is rolled
    back and replayed with each op in its own savepoint, so one bad op fails alone; the common
    path pays for no savepoints."""
    if not jobs:
        return []
    try:
        conn.execute("BEGIN IMMEDIATE")
        values = [job.op(conn) for job in jobs]
        conn.execute("COMMIT")
    except Exception as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if len(jobs) == 1:
            return [Outcome(jobs[0], _wrap(exc, path), None)]
        return _commit_isolated(conn, path, jobs)
    return [Outcome(job, None, value) for job, value in zip(jobs, values, strict=True)]


def _commit_isolated(conn: sqlite3.Connection, path: Path, jobs: list[Job]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    try:
        conn.execute("BEGIN IMMEDIATE")
        for job in jobs:
            conn.execute("SAVEPOINT op")
            try:
                outcomes.append(Outcome(job, None, job.op(conn)))
            except Exception as exc:
                conn.execute("ROLLBACK TO op")
                outcomes.append(Outcome(job, _wrap(exc, path), None))
            conn.execute("RELEASE op")
        conn.execute("COMMIT")
    except Exception as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        failure = StoreError(f"write to {path} failed: {exc}")
        return [Outcome(job, failure, None) for job in jobs]
    return outcomes


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


# -- agent names ------------------------------------------------------------------------------
def save_agent_name(agent_id: AgentId, name: str) -> Op:
    """Remember the name of the session an agent id came from (ids by name are one-way)."""
    values = (str(agent_id), name)

    def op(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT OR REPLACE INTO agent_names VALUES (?, ?)", values)

    return op


def load_agent_names(conn: sqlite3.Connection) -> dict[AgentId, str]:
    rows = conn.execute("SELECT id, name FROM agent_names").fetchall()
    return {AgentId.parse_str(i): n for i, n in rows}
