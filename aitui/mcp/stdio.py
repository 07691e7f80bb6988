"""``aitui mcp`` / ``python -m aitui.mcp``: an MCP server on stdio, speaking to the aitui
server on its Unix socket.

``--agent`` is what a session started from an agent profile runs (its CLI starts it): the
session's key, token and socket come from ``AITUI_SESSION``, ``AITUI_SESSION_TOKEN`` and
``AITUI_SOCKET``, and only the agent's tools are offered. Without it, the orchestrator's tools,
on the default server (``-L``/``-S`` as every command), started if none runs. Standard output
carries the protocol only; anything else goes to standard error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import anyio

from aitui.core.agent_wiring import SESSION_VARIABLE, SOCKET_VARIABLE, TOKEN_VARIABLE
from aitui.mcp.backend import Identity, ServerApi
from aitui.mcp.link import Link
from aitui.mcp.server import agent_server, orchestrator_server


class SetupError(Exception):
    """The MCP server cannot start: what is missing, in words."""


def agent_link(environ: dict[str, str]) -> tuple[Link, Path]:
    session, token = environ.get(SESSION_VARIABLE), environ.get(TOKEN_VARIABLE)
    sock = environ.get(SOCKET_VARIABLE)
    if not (session and token and sock):
        raise SetupError(
            f"--agent needs {SESSION_VARIABLE}, {TOKEN_VARIABLE} and {SOCKET_VARIABLE}: it is "
            "started by an agent session of aitui (aitui new NAME --agent PROFILE)"
        )
    return Link(ServerApi.unix(Path(sock)), Identity(session, token)), Path(sock)


async def serve(link: Link, agent: bool) -> None:
    """The SDK's ``run_stdio_async``, with a line that is not JSON-RPC answered by a parse
    error (``aitui.mcp.stdio_errors``) rather than dropped."""
    from mcp.server.stdio import stdio_server

    from aitui.mcp.stdio_errors import AnsweringParseErrors

    server = agent_server(link) if agent else orchestrator_server(link)
    lowlevel = server._lowlevel_server  # what run_stdio_async runs; tests/e2e checks it
    try:
        async with stdio_server() as (read_stream, write_stream):
            reading = AnsweringParseErrors(read_stream, write_stream)
            await lowlevel.run(reading, write_stream, lowlevel.create_initialization_options())
    finally:
        await link.api.close()


def main(argv: Sequence[str] | None = None, sock: Path | None = None) -> int:
    parser = argparse.ArgumentParser(prog="aitui mcp", description=__doc__)
    parser.add_argument("--agent", action="store_true", help="an agent session's own tools")
    args = parser.parse_args(argv)
    try:
        if args.agent:
            link, _ = agent_link(dict(os.environ))
        else:
            if sock is None:
                from aitui.core.sockets import socket_path

                sock = socket_path()
            link = Link(ServerApi.unix(sock))
    except SetupError as exc:
        print(f"aitui mcp: {exc}", file=sys.stderr)
        return 2
    anyio.run(serve, link, args.agent)
    return 0
