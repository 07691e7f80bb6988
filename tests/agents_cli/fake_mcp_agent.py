"""What the fake Claude Code does with aitui's MCP tools: a real MCP client (the SDK's), started
as Claude Code starts the server from ``--mcp-config`` (command, args, env), one per turn.

Prompts it understands:

* ``aitui: ...`` (the server's announcement): read the inbox; answer a message that starts with
  ``schema:`` with ``ok <text>``; acknowledge each; then claim tasks one after another and
  complete each with ``<me> did <description>``.
* ``say TO TEXT``: send TEXT to agent TO.
* ``submit CAP DESC; CAP DESC; ...``: submit tasks needing capability CAP.

Everything it did is appended to ``$FAKE_MCP_LOG`` as JSON lines (``agent``, ``event``, ...),
each written only after the server answered, so the log is what the server acknowledged.
"""

from __future__ import annotations

import json
import os
from typing import Any

import anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters


def log(entry: dict[str, Any]) -> None:
    path = os.environ.get("FAKE_MCP_LOG")
    if path:
        with open(path, "a") as f:
            f.write(json.dumps(entry) + "\n")


def turn(config_path: str, prompt: str) -> str:
    with open(config_path) as f:
        server = json.load(f)["mcpServers"]["aitui"]
    params = StdioServerParameters(
        command=server["command"], args=server["args"], env={**os.environ, **server["env"]}
    )
    try:
        return anyio.run(_turn, params, prompt)
    except Exception as exc:  # the server went away mid-turn, say: the turn ends
        while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
            exc = exc.exceptions[0]
        log({"event": "error", "error": f"{exc.__class__.__name__}: {exc}"})
        return f"error: {exc}"


async def _call(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    if result.is_error:
        raise RuntimeError(result.content[0].text if result.content else "error")
    return result.structured_content or {}


async def _turn(params: StdioServerParameters, prompt: str) -> str:
    async with Client(params) as client:
        me = (await _call(client, "whoami", {}))["me"]["name"]
        word, _, rest = prompt.partition(" ")
        if word == "aitui:":
            return await _news(client, me)
        if word == "say":
            to, _, text = rest.partition(" ")
            sent = await _call(client, "send_message", {"to": to, "text": text})
            log({"agent": me, "event": "sent", "to": to, "text": text, "id": sent["id"]})
            return f"sent to {to}"
        if word == "submit":
            for item in rest.split(";"):
                cap, _, desc = item.strip().partition(" ")
                args = {"description": desc, "requirements": [cap]}
                task = await _call(client, "submit_task", args)
                log({"agent": me, "event": "submitted", "id": task["id"], "needs": cap})
            return "submitted"
        return "nothing to do"


async def _news(client: Client, me: str) -> str:
    handled = 0
    for message in (await _call(client, "read_inbox", {}))["messages"]:
        log({"agent": me, "event": "read", "id": message["id"], "from": message["sender"],
             "kind": message["kind"], "text": message["text"]})  # fmt: skip
        if message["kind"] == "DataShare" and message["text"].startswith("schema:"):
            reply = {"to": message["sender"], "text": "ok " + message["text"]}
            sent = await _call(client, "send_message", reply)
            log({"agent": me, "event": "sent", **reply, "id": sent["id"]})
        await _call(client, "ack_message", {"message_id": message["id"]})
        log({"agent": me, "event": "acked", "id": message["id"]})
        handled += 1
    while (task := (await _call(client, "claim_task", {}))["task"]) is not None:
        log({"agent": me, "event": "claimed", "id": task["id"]})
        summary = f"{me} did {task['description']}"
        await _call(client, "complete_task", {"task_id": task["id"], "summary": summary})
        log({"agent": me, "event": "done", "id": task["id"]})
        handled += 1
    return f"handled {handled}"
