"""Tools for an orchestrator: a person's agent (Claude Code, Codex...) driving a fleet.

Each tool is one call of the HTTP API (its docs are the API's): the sessions and their states,
making one (from an agent profile, with a role), typing and keys, the screen and the output
since a mark, ``execute`` (the compressed result, and the id of the raw output to read more of
it), waiting for a state or a pattern with a timeout, stopping one, and compressing any text
within a token budget.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from aitui.core.keys import ENTER_AFTER_S
from aitui.mcp.link import Link, part

Until = Literal["idle", "waiting", "done", "exit", "pattern"]
#: The longest wait one call may ask for (the API's bound).
MAX_WAIT_S = 3600.0


def add_orchestrator_tools(server: MCPServer, link: Link) -> None:
    @server.tool()
    async def list_sessions(ctx: Context) -> dict[str, Any]:
        """Every session: name, activity (idle, working, waiting, approval, done, exited...),
        what an agent asks to approve, its agent profile and role; and the server's problems
        (a sessions or agents file it could not open, so nothing of them is kept)."""
        return await link.call(ctx, "GET", "/host/sessions")

    @server.tool()
    async def create_session(
        name: str,
        ctx: Context,
        directory: str | None = None,
        agent: str | None = None,
        role: str | None = None,
        command: str | None = None,
    ) -> dict[str, Any]:
        """Start a session: the user's shell, ``command``, or the agent of profile ``agent``
        (claude, codex, gemini, aider, opencode) with its hooks and aitui's tools. ``role``
        is its capability on the task board (frontend, backend...)."""
        body = {"name": name, "directory": directory, "agent": agent, "role": role}
        body["command"] = command
        return await link.call(ctx, "POST", "/host/sessions", _present(body))

    @server.tool()
    async def send_text(
        session: str, text: str, ctx: Context, enter: bool = False
    ) -> dict[str, Any]:
        """Type ``text`` into the session (then Enter, if ``enter``)."""
        path = f"/sessions/{part(session)}/input"
        sent = await link.call(ctx, "POST", path, {"text": text})
        if enter:
            # Enter on its own, after a pause: in one burst with the text Codex takes it for
            # part of a paste (a new line) and never submits the prompt (as ``aitui send``).
            await asyncio.sleep(ENTER_AFTER_S)
            entered = await link.call(ctx, "POST", path, {"text": "\r"})
            sent["bytes_sent"] = int(sent["bytes_sent"]) + int(entered["bytes_sent"])
        return sent

    @server.tool()
    async def send_keys(session: str, keys: list[str], ctx: Context) -> dict[str, Any]:
        """Press keys by name, in order: 'enter', 'escape', 'ctrl+c', 'up', 'tab', 'y'..."""
        return await link.call(ctx, "POST", f"/sessions/{part(session)}/keys", {"keys": keys})

    @server.tool()
    async def read_screen(session: str, ctx: Context) -> dict[str, Any]:
        """The terminal as a person sees it now: one string per row."""
        return await link.call(ctx, "GET", f"/sessions/{part(session)}/screen")

    @server.tool()
    async def read_output(session: str, ctx: Context, since: int | None = None) -> dict[str, Any]:
        """The output as text; with ``since`` (a ``position`` from an earlier read: the mark)
        only what came after it."""
        path = f"/sessions/{part(session)}/output"
        reply = await link.call(ctx, "GET", path, params={"since": since})
        reply.pop("raw_output", None)  # the same bytes with their escapes: not for a model
        return reply

    @server.tool()
    async def execute(
        session: str, command: str, ctx: Context, timeout_ms: int = 30_000
    ) -> dict[str, Any]:
        """Run one shell command and get its exit code and its output compressed for your
        context; where something was left out, the result names the raw output's archive id
        (read it with read_raw_output)."""
        body = {"command": command, "timeout_ms": timeout_ms}
        path = f"/sessions/{part(session)}/execute"
        reply = await link.call(ctx, "POST", path, body, wait_s=timeout_ms / 1000)
        compressed = reply.pop("compressed_output", None)
        if compressed is not None:  # the whole output stays in the archive (raw_output_id)
            reply["output"] = compressed
        return reply

    @server.tool()
    async def read_raw_output(
        session: str, archive_id: str, ctx: Context, start: int = 1, end: int | None = None
    ) -> dict[str, Any]:
        """Lines ``start``-``end`` of a command's raw output, by the archive id a compressed
        result names."""
        path = f"/sessions/{part(session)}/context/archive/{part(archive_id)}"
        return await link.call(ctx, "GET", path, params={"start": start, "end": end})

    @server.tool()
    async def wait_for(
        session: str,
        until: Until,
        ctx: Context,
        pattern: str | None = None,
        timeout_s: float = 60.0,
    ) -> dict[str, Any]:
        """Block until the session is idle, an agent needs you (``waiting``: a question, an
        approval, or its turn ended) or finished its turn (``done``), the program exited, or
        ``pattern`` (a regex) is on the screen; or ``timeout_s`` passed (``met`` is false
        then, ``reason`` says why)."""
        timeout_s = max(0.0, min(timeout_s, MAX_WAIT_S))
        # 0 (or less) looks once: the API's least is 1 ms, and its refusal of 0 named a
        # ``timeout_ms`` the caller never passed.
        body: dict[str, Any] = {"until": until, "timeout_ms": max(1, round(timeout_s * 1000))}
        if until == "pattern":
            if not pattern:
                raise ToolError("until 'pattern' needs a pattern (a Python regular expression)")
            body["pattern"] = pattern
        path = f"/sessions/{part(session)}/wait"
        return await link.call(ctx, "POST", path, body, wait_s=timeout_s)

    @server.tool()
    async def stop_session(session: str, ctx: Context) -> dict[str, Any]:
        """End the session and its program (its process group)."""
        return await link.call(ctx, "DELETE", f"/sessions/{part(session)}")

    @server.tool()
    async def compress_text(
        text: str,
        ctx: Context,
        budget_tokens: int | None = None,
        command: str | None = None,
    ) -> dict[str, Any]:
        """Compress a text (a log, a CI run, a diff) for an LLM's context, keeping the errors
        and the facts a person needs, within ``budget_tokens`` (at least 64) if given."""
        body = _present({"text": text, "budget_tokens": budget_tokens, "command": command})
        return await link.call(ctx, "POST", "/compress", body)


def _present(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}
