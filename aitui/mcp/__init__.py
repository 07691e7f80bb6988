"""aitui's MCP server: its tools for orchestrators and for agents, thin over the HTTP API.

Two tool sets, one implementation each (``orchestrator.py``, ``agent.py``), every tool one call
of the server's API (``backend.py``), so an MCP client gets exactly the rules, limits and
errors of HTTP. Served over stdio by ``aitui mcp`` (a process that speaks to the server's Unix
socket) and over streamable HTTP at ``/mcp`` and ``/mcp/agent`` by the server itself
(``http.py``), under the same token and Host/Origin rules as the rest of its HTTP.

The agent tools carry no identity in their arguments: a session started from an agent profile
runs ``python -m aitui.mcp --agent`` with its key and token in its environment
(``aitui.core.agent_wiring``), and every call presents them; over HTTP the caller sends them as
``X-Aitui-Session`` / ``X-Aitui-Session-Token`` headers.
"""
