"""The two MCP servers: one with the orchestrator's tools, one with an agent's."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from aitui.__about__ import __version__
from aitui.mcp.agent import add_agent_tools
from aitui.mcp.link import Link
from aitui.mcp.orchestrator import add_orchestrator_tools

ORCHESTRATOR_NOTE = (
    "aitui runs AI coding agents and shells in real terminals. List its sessions, start "
    "agents (claude, codex...) with roles, type into them, read their screens, wait for them "
    "to finish or to need you, and run commands whose output comes back compressed."
)
AGENT_NOTE = (
    "You are an agent in an aitui session, beside other agents. whoami tells you your role "
    "and who else is here. Read your inbox and acknowledge each message you handled; take "
    "tasks with claim_task and report each with complete_task or fail_task. When a line "
    "starting with 'aitui:' is typed to you, it means new messages or tasks are waiting."
)


def orchestrator_server(link: Link) -> MCPServer:
    server = MCPServer(
        "aitui", instructions=ORCHESTRATOR_NOTE, version=__version__, log_level="WARNING"
    )
    add_orchestrator_tools(server, link)
    return server


def agent_server(link: Link) -> MCPServer:
    server = MCPServer(
        "aitui-agent", instructions=AGENT_NOTE, version=__version__, log_level="WARNING"
    )
    add_agent_tools(server, link)
    return server
