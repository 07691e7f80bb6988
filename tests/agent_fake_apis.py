"""Local stand-ins for the Anthropic Messages API and the OpenAI Responses API.

The real agent CLIs (tests/test_real_agent_clis.py) run offline. Without an API they stop at
"can't reach the server" and retry for minutes, so a turn never ends and a tool never runs. These
servers answer the one request a turn makes with a canned streamed reply, which lets a test reach
what matters to aitui: a finished turn (``Stop`` hook, Codex ``notify``), a tool call and the
permission prompt in front of it. Point Claude Code at one with ``ANTHROPIC_BASE_URL``; Codex
with a ``model_providers`` entry (``tests/agent_clis.py`` does both).

A reply is a tool call when the user's last message contains ``TOOL_MARKER``; otherwise it is
``REPLY_TEXT``. Everything posted is kept in ``requests`` for assertions.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: A prompt containing this gets a tool call back (Bash in Claude Code, exec_command in Codex).
TOOL_MARKER = "RUN-TOOL"
#: What the fake model says otherwise, and after a tool ran.
REPLY_TEXT = "Hello from the fake API."
#: The file the requested tool call creates, in the agent's working directory.
TOOL_FILE = "created-by-tool"


def _user_text(message: dict[str, Any]) -> str | None:
    """Text of a user message, or None when it answers a tool call (a tool_result)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    blocks = [b for b in content if isinstance(b, dict)]
    texts = [str(b.get("text", "")) for b in blocks if b.get("type") in ("text", "input_text")]
    if any(b.get("type") == "tool_result" for b in blocks) and not any(
        TOOL_MARKER in t for t in texts
    ):
        return None
    return "\n".join(texts)


def _wants_tool(messages: list[Any]) -> bool:
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            text = _user_text(message)
            return text is not None and TOOL_MARKER in text
        if isinstance(message, dict) and message.get("type") == "function_call_output":
            return False
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: pytest shows the test's own output."""

    def do_GET(self) -> None:
        self._json({"data": [], "object": "list"} if "/models" in self.path else {}, 404)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            body = {}
        with self.server.lock:
            self.server.requests.append({"path": self.path, "body": body})
        self.server.api.answer(self, body)

    def _json(self, obj: object, code: int = 200) -> None:
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, events: list[dict[str, Any]]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        for event in events:
            self.wfile.write(f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode())
        self.wfile.flush()
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, api: FakeApi) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.api = api
        self.lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []


class FakeApi:
    """Base: a server on a free loopback port, in a thread of its own."""

    def __init__(self) -> None:
        self._server = _Server(self)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self._server.lock:
            return list(self._server.requests)

    @contextmanager
    def running(self) -> Iterator[FakeApi]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(10)

    def answer(self, handler: _Handler, body: dict[str, Any]) -> None:
        raise NotImplementedError


def tool_use(name: str, tool_input: dict[str, Any]) -> dict[str, Any]:
    """A Messages API ``tool_use`` content block."""
    block_id = "toolu_" + uuid.uuid4().hex[:24]
    return {"type": "tool_use", "id": block_id, "name": name, "input": tool_input}


class FakeAnthropic(FakeApi):
    """``POST /v1/messages`` (streamed or not) and ``/v1/messages/count_tokens``."""

    def block(self, body: dict[str, Any]) -> dict[str, Any]:
        """The reply's one content block: text, or a ``tool_use`` (then the turn goes on)."""
        if _wants_tool(body.get("messages") or []):
            tool_input = {"command": f"touch {TOOL_FILE}", "description": "Create a file"}
            return tool_use("Bash", tool_input)
        return {"type": "text", "text": REPLY_TEXT}

    def answer(self, handler: _Handler, body: dict[str, Any]) -> None:
        if "count_tokens" in handler.path:
            return handler._json({"input_tokens": 10})
        if not handler.path.startswith("/v1/messages"):
            return handler._json({"error": "not faked"}, 404)
        block = self.block(body)
        stop = "tool_use" if block["type"] == "tool_use" else "end_turn"
        usage = {
            "input_tokens": 10,
            "output_tokens": 5,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        }
        message = {
            "id": "msg_" + uuid.uuid4().hex[:24],
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "fake"),
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": usage,
        }
        if not body.get("stream"):
            return handler._json({**message, "content": [block], "stop_reason": stop})
        if block["type"] == "text":
            start = {"type": "text", "text": ""}
            delta = {"type": "text_delta", "text": block["text"]}
        else:
            start = {**block, "input": {}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        handler._stream(
            [
                {"type": "message_start", "message": message},
                {"type": "content_block_start", "index": 0, "content_block": start},
                {"type": "content_block_delta", "index": 0, "delta": delta},
                {"type": "content_block_stop", "index": 0},
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": stop, "stop_sequence": None},
                    "usage": {"output_tokens": 5},
                },
                {"type": "message_stop"},
            ]
        )


def output_message(text: str) -> dict[str, Any]:
    """A Responses API assistant ``message`` output item."""
    content = [{"type": "output_text", "text": text, "annotations": []}]
    item_id = "msg_" + uuid.uuid4().hex
    return {
        "type": "message",
        "id": item_id,
        "role": "assistant",
        "status": "completed",
        "content": content,
    }


class FakeOpenAI(FakeApi):
    """``POST /v1/responses``, streamed. The tool call asks to run outside the sandbox
    (``sandbox_permissions: require_escalated``), which is what makes Codex ask first."""

    def item(self, body: dict[str, Any]) -> dict[str, Any]:
        """The reply's one output item: a message, or a function call (then the turn goes on)."""
        inputs = body.get("input")
        item: dict[str, Any]
        if isinstance(inputs, list) and _wants_tool(inputs):
            arguments = {
                "cmd": f"touch {TOOL_FILE}",
                "sandbox_permissions": "require_escalated",
                "justification": "Create a file outside the sandbox",
            }
            item = {
                "type": "function_call",
                "id": "fc_" + uuid.uuid4().hex,
                "call_id": "call_" + uuid.uuid4().hex,
                "name": "exec_command",
                "arguments": json.dumps(arguments),
                "status": "completed",
            }
        else:
            item = output_message(REPLY_TEXT)
        return item

    def answer(self, handler: _Handler, body: dict[str, Any]) -> None:
        if not handler.path.startswith("/v1/responses"):
            return handler._json({"error": "not faked"}, 404)
        item = self.item(body)
        response_id = "resp_" + uuid.uuid4().hex
        usage = {
            "input_tokens": 10,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 5,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 15,
        }
        events: list[dict[str, Any]] = [
            {"type": "response.created", "response": {"id": response_id, "output": []}},
            {"type": "response.output_item.added", "output_index": 0, "item": item},
        ]
        if item["type"] == "message":
            events.append(
                {
                    "type": "response.output_text.delta",
                    "item_id": item["id"],
                    "output_index": 0,
                    "content_index": 0,
                    "delta": item["content"][0]["text"],
                }
            )
        events.append({"type": "response.output_item.done", "output_index": 0, "item": item})
        completed = {"id": response_id, "status": "completed", "output": [item], "usage": usage}
        events.append({"type": "response.completed", "response": completed})
        handler._stream(events)
