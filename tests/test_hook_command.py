"""The hook command an agent runs for each event never stops the agent: whatever its stdin
holds (bytes that are not UTF-8, nothing, a closed descriptor), it prints nothing and exits 0,
and a readable payload still reaches the server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run_hook(
    stdin: bytes | None, sock: Path, *, closed: bool = False
) -> subprocess.CompletedProcess[bytes]:
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO),
        # A strict text layer on stdin, as under any UTF-8 locale but C.UTF-8.
        PYTHONIOENCODING="utf-8",
        AITUI_SESSION="cc",
        AITUI_SESSION_TOKEN="t0ken",
        AITUI_SOCKET=str(sock),
    )
    return subprocess.run(
        [sys.executable, "-m", "aitui.client.hook", "PermissionRequest"],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
        preexec_fn=(lambda: os.close(0)) if closed else None,
    )


@pytest.fixture
def server(tmp_path: Path) -> tuple[Path, list[dict[str, object]]]:
    """A socket answering each request 200 ``{}`` and keeping the bodies it got."""
    path = tmp_path / "s"
    bodies: list[dict[str, object]] = []
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                while len(body) < length:
                    body += conn.recv(65536)
                bodies.append(json.loads(body))
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")

    threading.Thread(target=serve, daemon=True).start()
    return path, bodies


@pytest.mark.parametrize("stdin", [b'{"tool_name": "Bash", "x": "\xff"}', b"\xff\xfe\x00", b""])
def test_a_payload_that_is_not_utf8_is_no_payload(
    server: tuple[Path, list[dict[str, object]]], stdin: bytes
) -> None:
    sock, bodies = server
    done = run_hook(stdin, sock)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")
    assert [(b["event"], b["payload"]) for b in bodies] == [("PermissionRequest", None)]


def test_a_closed_stdin_is_no_payload(server: tuple[Path, list[dict[str, object]]]) -> None:
    sock, bodies = server
    done = run_hook(None, sock, closed=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")
    assert [b["payload"] for b in bodies] == [None]


def test_a_readable_payload_reaches_the_server(
    server: tuple[Path, list[dict[str, object]]],
) -> None:
    sock, bodies = server
    payload = {"tool_name": "Write", "tool_input": {"file_path": "é.txt"}}
    done = run_hook(json.dumps(payload, ensure_ascii=False).encode(), sock)
    assert (done.returncode, done.stderr) == (0, b"")
    assert [b["payload"] for b in bodies] == [payload]
