"""Tools for an agent in an aitui session: who else is here, messages, and the task board.

None takes a sender: the server knows the caller from its session's token (``Link``), so an
agent cannot speak, read or report as another. Messages stay in the inbox, and come back on
every read, until acknowledged.
"""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context, MCPServer

from aitui.mcp.link import Link, part

#: The API's own values (``MessagePriority``, ``TaskPriority``).
Priority = Literal["Low", "Normal", "High", "Critical"]
TaskPriority = Literal["Low", "Medium", "High", "Critical"]


def add_agent_tools(server: MCPServer, link: Link) -> None:
    @server.tool()
    async def whoami(ctx: Context) -> dict[str, Any]:
        """Your session's name, role and capabilities, and every other agent here with its
        role, capabilities and state (working, waiting, done...)."""
        return await link.call(ctx, "GET", "/agent/me")

    @server.tool()
    async def send_message(
        to: str, text: str, ctx: Context, priority: Priority = "Normal"
    ) -> dict[str, Any]:
        """Send ``text`` to the agent named ``to`` (see whoami)."""
        body = {"to": to, "text": text, "priority": priority}
        return await link.call(ctx, "POST", "/agent/messages", body)

    @server.tool()
    async def broadcast(text: str, ctx: Context, priority: Priority = "Normal") -> dict[str, Any]:
        """Send ``text`` to every other agent."""
        return await link.call(
            ctx, "POST", "/agent/broadcast", {"text": text, "priority": priority}
        )

    @server.tool()
    async def read_inbox(ctx: Context, limit: int = 20) -> dict[str, Any]:
        """Your unacknowledged messages (sender, text, kind). Acknowledge each one you have
        handled with ack_message, or it comes back on the next read."""
        return await link.call(ctx, "POST", "/agent/inbox", {"limit": limit})

    @server.tool()
    async def ack_message(message_id: str, ctx: Context) -> dict[str, Any]:
        """You handled the message: it is never delivered again. Returns what is left."""
        return await link.call(ctx, "POST", f"/agent/inbox/{part(message_id)}/ack")

    @server.tool()
    async def submit_task(
        description: str,
        ctx: Context,
        requirements: list[str] | None = None,
        priority: TaskPriority = "Medium",
    ) -> dict[str, Any]:
        """Put a task on the board for an agent with every capability in ``requirements``
        (their roles: see whoami); it is given to the least busy one."""
        body = {
            "description": description,
            "requirements": requirements or [],
            "priority": priority,
        }
        return await link.call(ctx, "POST", "/agent/tasks", body)

    @server.tool()
    async def claim_task(ctx: Context) -> dict[str, Any]:
        """Take the next task given to you and start it (``task`` is null when there is none).
        Report it with complete_task or fail_task."""
        return await link.call(ctx, "POST", "/agent/tasks/claim")

    @server.tool()
    async def complete_task(task_id: str, summary: str, ctx: Context) -> dict[str, Any]:
        """The task you hold is done: say what you did."""
        path = f"/agent/tasks/{part(task_id)}/done"
        return await link.call(ctx, "POST", path, {"summary": summary})

    @server.tool()
    async def fail_task(task_id: str, summary: str, ctx: Context) -> dict[str, Any]:
        """The task you hold cannot be done: say why."""
        path = f"/agent/tasks/{part(task_id)}/failed"
        return await link.call(ctx, "POST", path, {"summary": summary})
