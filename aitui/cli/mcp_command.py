"""``aitui mcp``: aitui's MCP server on stdio, for a person's agent CLI to drive the fleet.

Add it to Claude Code with ``claude mcp add aitui -- aitui mcp`` (Codex: ``codex mcp add
aitui -- aitui mcp``). The server is started first if none runs, as every command does.
``--agent`` is what aitui's own agent sessions run (their wiring starts it).
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "mcp",
        help="serve aitui's tools to an agent CLI over MCP (stdio)",
        description="Speak MCP on stdin/stdout: tools to list, start, type into, read, wait "
        "for and stop sessions, run commands with compressed output, and compress text. "
        "With --agent (run by aitui's agent sessions): the session's own inbox, messages and "
        "task board instead.",
    )
    parser.add_argument("--agent", action="store_true", help="an agent session's own tools")
    parser.set_defaults(func=run_mcp)


def run_mcp(args: argparse.Namespace) -> int:
    from aitui.cli.server_commands import server_socket
    from aitui.mcp.stdio import main

    if args.agent:
        return main(["--agent"])
    from aitui.client.http import ApiClient

    sock = server_socket(args)
    ApiClient(sock, start=True).request("GET", "/health")  # started, if none runs
    return main([], sock=sock)
