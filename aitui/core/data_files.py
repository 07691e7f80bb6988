"""Where a server keeps its files in the data dir: one sessions file and one agents file per
named server (``-L NAME``), the default server's without a suffix.

A module of its own, importing only the paths: ``aitui ls`` asks whether a server's sessions
file exists before it decides to start one, and importing the records for that loaded the
whole agents package and SQLite: 30-40 ms of each ``aitui ls`` (docs/benchmarks.md).
"""

from __future__ import annotations

from pathlib import Path

from aitui.core.paths import data_dir

SESSIONS_FILE = "sessions.sqlite3"
AGENTS_FILE = "agents.sqlite3"


def server_file(file_name: str, server: str) -> Path:
    """``file_name`` (``SESSIONS_FILE``, ``AGENTS_FILE``) of the server called ``server`` (its
    socket's name): ``sessions-work.sqlite3`` for ``-L work``, so two servers never list each
    other's sessions, messages or tasks."""
    from aitui.core.sockets import DEFAULT_NAME

    if server == DEFAULT_NAME:
        return data_dir() / file_name
    stem, dot, suffix = file_name.partition(".")
    return data_dir() / f"{stem}-{server}{dot}{suffix}"
