"""Fake model APIs that make the real agent CLIs call aitui's MCP tool ``whoami``.

A prompt containing ``WHOAMI_MARKER`` starts the exchange; the CLI runs the tool on the MCP
server it started, and sends its result back in the next request, where a test reads it
(:func:`claude_tool_results`, :func:`codex_tool_outputs`). What each CLI sends was found by
running the pinned versions (docs/agent-clis.md, "aitui's MCP server in the real CLIs"):

* Claude Code 2.1.332 defers MCP tools: their names are in a system message ("deferred tools
  … via ToolSearch"), not in ``tools``; the model loads one with ``ToolSearch``
  (``select:NAME``) and then calls it.
* Codex 0.171.0 lists the MCP server as a deferred namespace (``mcp__aitui``, with the server's
  instructions) and offers its tools only inside its JavaScript ``exec`` tool, on the global
  ``tools`` object and in ``ALL_TOOLS``.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.agent_fake_apis import FakeAnthropic, FakeOpenAI, output_message, tool_use

#: A prompt containing this makes the fake model call aitui's ``whoami``.
WHOAMI_MARKER = "CALL-WHOAMI"
#: What the model says once the tool's result came back.
WHOAMI_DONE = "whoami answered."
#: Claude Code's name for the tool: ``mcp__<server>__<tool>``.
CLAUDE_WHOAMI = "mcp__aitui__whoami"
#: The JavaScript the fake has Codex's ``exec`` run: the aitui tools it has, and whoami's answer.
CODEX_SCRIPT = (
    "const names = ALL_TOOLS.map((t) => t.name).filter((n) => n.includes('aitui'));\n"
    "const whoami = await tools.mcp__aitui__whoami({});\n"
    "text(JSON.stringify({names, whoami}));\n"
)


def _texts(content: Any) -> list[str]:
    if isinstance(content, str):
        return [content]
    blocks = content if isinstance(content, list) else []
    return [str(b.get("text", "")) for b in blocks if isinstance(b, dict) and "text" in b]


def _after_marker(entries: list[Any]) -> list[dict[str, Any]] | None:
    """What follows the last user prompt with the marker (None: no such prompt)."""
    for index in range(len(entries) - 1, -1, -1):
        entry = entries[index]
        if not isinstance(entry, dict) or entry.get("role") != "user":
            continue
        if any(WHOAMI_MARKER in text for text in _texts(entry.get("content"))):
            return [e for e in entries[index + 1 :] if isinstance(e, dict)]
    return None


def _blocks(messages: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    content = [m.get("content") for m in messages]
    return [b for c in content if isinstance(c, list) for b in c if b.get("type") == kind]


class ClaudeCallsWhoami(FakeAnthropic):
    """Loads ``mcp__aitui__whoami`` with ToolSearch (unless already in ``tools``), calls it,
    then ends the turn."""

    def block(self, body: dict[str, Any]) -> dict[str, Any]:
        after = _after_marker(body.get("messages") or [])
        listed = {t.get("name") for t in body.get("tools") or [] if isinstance(t, dict)}
        if after is None or not listed & {"ToolSearch", CLAUDE_WHOAMI}:
            return super().block(body)  # also its title request, which has no tools
        called = [b.get("name") for b in _blocks(after, "tool_use")]
        if CLAUDE_WHOAMI in called:
            return {"type": "text", "text": WHOAMI_DONE}
        if CLAUDE_WHOAMI in listed or "ToolSearch" in called:
            return tool_use(CLAUDE_WHOAMI, {})
        return tool_use("ToolSearch", {"query": f"select:{CLAUDE_WHOAMI}"})


def claude_tool_results(requests: list[dict[str, Any]], name: str) -> list[str]:
    """The text of every result Claude Code sent back for a call of tool ``name``."""
    results: list[str] = []
    for request in requests:
        messages = [m for m in request["body"].get("messages") or [] if isinstance(m, dict)]
        ids = {b["id"] for b in _blocks(messages, "tool_use") if b.get("name") == name}
        for block in _blocks(messages, "tool_result"):
            if block.get("tool_use_id") in ids:
                results.append("\n".join(_texts(block.get("content"))))
    return list(dict.fromkeys(results))


class CodexCallsWhoami(FakeOpenAI):
    """Has ``exec`` run :data:`CODEX_SCRIPT`, then ends the turn once its output came back."""

    def item(self, body: dict[str, Any]) -> dict[str, Any]:
        inputs = body.get("input")
        after = _after_marker(inputs) if isinstance(inputs, list) else None
        if after is None:
            return super().item(body)
        if any(e.get("type") == "custom_tool_call_output" for e in after):
            return output_message(WHOAMI_DONE)
        return {
            "type": "custom_tool_call",
            "id": "ctc_" + uuid.uuid4().hex,
            "call_id": "call_" + uuid.uuid4().hex,
            "name": "exec",
            "input": CODEX_SCRIPT,
            "status": "completed",
        }


def codex_tool_outputs(requests: list[dict[str, Any]]) -> list[str]:
    """The text of every ``exec`` output item Codex sent back."""
    texts: list[str] = []
    for request in requests:
        inputs = request["body"].get("input")
        for entry in inputs if isinstance(inputs, list) else []:
            if isinstance(entry, dict) and entry.get("type") == "custom_tool_call_output":
                texts += _texts(entry.get("output"))
    return list(dict.fromkeys(texts))
