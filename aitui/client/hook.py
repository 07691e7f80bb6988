"""``python -m aitui.client.hook EVENT [JSON]``: an agent's hook, reporting to the server.

An agent started from a profile runs this for each of its hook events (``aitui.core.
agent_wiring``). It reads the session's identity from its environment (``AITUI_SESSION``,
``AITUI_SESSION_TOKEN``, ``AITUI_SOCKET``), the payload from stdin (Claude Code) or its last
argument (Codex's ``notify``), and posts both to ``POST /sessions/{key}/hook`` on the server's
socket. For a permission request the server answers with the auto-accept policy's decision, and
an approval is printed in Claude Code's hook-output form, which approves the tool call.

It runs once per event, inside the agent's own turn, so it is built to start fast: the standard
library's ``socket`` and ``json`` only (``http.client`` alone costs ~40 ms to import here, more
than the rest of the run), one HTTP/1.1 request with ``Connection: close``. Whatever fails (no
server, a refused token, a timeout), it prints nothing and exits 0: the agent then simply asks
its user, as it would without aitui.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from urllib.parse import quote

#: The longest the agent is kept waiting on aitui (its own hook timeout is longer).
TIMEOUT_S = 5.0
#: Payloads beyond this are cut (a Write's whole file content is not needed to score it).
MAX_PAYLOAD = 1 << 20
#: Events whose payload comes on stdin (Claude Code's); the others' do not read stdin at all,
#: which may be the agent's terminal.
STDIN_EVENTS = frozenset(
    {
        "SessionStart",
        "UserPromptSubmit",
        "PreToolUse",
        "PostToolUse",
        "PermissionRequest",
        "Notification",
        "Stop",
        "SessionEnd",
    }
)


def payload_of(event: str, argv: list[str]) -> object:
    """The event's JSON, or ``None`` when there is none or it cannot be read. Stdin is read
    as bytes: its text layer decodes strictly under a UTF-8 locale (or ``PYTHONIOENCODING``),
    and one bad byte was a traceback and status 1 in the agent's turn; it may be closed."""
    text: str | bytes
    if event in STDIN_EVENTS:
        stream = getattr(sys.stdin, "buffer", None)
        try:
            text = stream.read(MAX_PAYLOAD) if stream is not None else b""
        except OSError:
            return None
    elif argv:
        text = argv[-1]
    else:
        return None
    try:
        return json.loads(text)
    except ValueError:  # UnicodeDecodeError too
        return None


def post(path: str, body: dict[str, object], sock_path: str) -> tuple[int, object]:
    """One request over the Unix socket; (status, parsed JSON body)."""
    data = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(TIMEOUT_S)
        conn.connect(sock_path)
        conn.sendall(head + data)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    # The server's JSON replies carry a Content-Length (never chunked): the body is what
    # follows the head, up to the close.
    header, _, content = response.partition(b"\r\n\r\n")
    status = int(header.split(b" ", 2)[1])
    return status, json.loads(content) if content else None


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m aitui.client.hook EVENT [JSON]", file=sys.stderr)
        return 2
    event = argv[0]
    key = os.environ.get("AITUI_SESSION")
    token = os.environ.get("AITUI_SESSION_TOKEN")
    sock_path = os.environ.get("AITUI_SOCKET")
    payload = payload_of(event, argv[1:])
    if not key or not token or not sock_path:
        return 0  # not started by aitui: nothing to report to
    body = {"event": event, "token": token, "payload": payload}
    try:
        status, reply = post(f"/sessions/{quote(key, safe='')}/hook", body, sock_path)
    except (OSError, ValueError, IndexError):
        return 0
    if status == 200 and isinstance(reply, dict) and reply.get("decision") == "allow":
        decision = {"behavior": "allow"}
        output = {"hookEventName": event, "decision": decision}
        if event == "PreToolUse":
            output = {
                "hookEventName": event,
                "permissionDecision": "allow",
                "permissionDecisionReason": str(reply.get("reason", "")),
            }
        print(json.dumps({"hookSpecificOutput": output}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
