"""An MCP tool call's round trip, over stdio and over HTTP, alone and with 8 agents at once.

    .venv/bin/python benchmarks/mcp_roundtrip.py [--rounds 3] [--calls 100] [--clients 8]

A real ``aitui server --port P`` (a private 0700 temp directory with its socket, its own
``AITUI_DATA_DIR`` and ``AITUI_TOKEN``) holding 4 shell sessions. The tool is ``list_sessions``,
the cheapest one that reaches the server (one ``GET /host/sessions``), so what is measured is
the transport and the MCP layer, not the tool. Each client is its own process (as each agent is)
with its own MCP connection, and times ``--calls`` calls one after the other; they are timed
alone (1 client), then ``--clients`` of them started together. Over:

* ``mcp stdio``: the SDK's client driving ``aitui -S SOCK mcp`` (a process per client), which
  calls the API on the socket;
* ``mcp unix``: streamable HTTP to the server's own ``/mcp`` on its Unix socket;
* ``mcp tcp``: the same on TCP, with ``Authorization: Bearer TOKEN``;

and, in the same rounds, the reference: the same API call made directly with the same HTTP
client (httpx2), ``api unix`` on the socket and ``api tcp`` with the token, so each MCP row
shows what MCP adds on top of the plain call (stdio and ``/mcp`` on the socket against ``api
unix``, ``/mcp`` on TCP against ``api tcp``). p50 and p99 pool every call of a round; the
printout gives their median [min-max] over the rounds, and the ratio MCP/API of each round's
figures likewise. Connecting (and a stdio server's start) is not timed: each client connects
once per transport and keeps that connection for every round, and a few calls warm it up
before each timed run. The rounds alternate the order of the transports.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import secrets
import socket
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx2
from figures import percentile, spread
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from server_rig import AituiRig, bench_home

AITUI = Path(sys.executable).with_name("aitui")
SESSIONS = 4
WARMUP = 5
#: The rows, in the order printed; each MCP transport names its plain-API reference.
TRANSPORTS = ("api unix", "api tcp", "mcp stdio", "mcp unix", "mcp tcp")
REFERENCE = {"mcp stdio": "api unix", "mcp unix": "api unix", "mcp tcp": "api tcp"}


@dataclass(frozen=True)
class Target:
    """Where the clients reach the server (picklable: it goes to the worker processes)."""

    sock: str
    port: int
    token: str
    env: dict[str, str]


# --- the clients (each in a worker process) ---------------------------------------------------

Call = Callable[[], Awaitable[None]]


@asynccontextmanager
async def connected(target: Target, transport: str) -> AsyncIterator[Call]:
    """A connection over ``transport``, as a function making one ``list_sessions`` call."""
    kind, where = transport.split()
    if where == "stdio":
        env = {k: v for k, v in target.env.items() if k != "AITUI_TOKEN"}
        params = StdioServerParameters(command=str(AITUI), args=["-S", target.sock, "mcp"], env=env)
        async with Client(params) as client:
            yield _tool_call(client)
        return
    if where == "unix":
        base = "http://localhost"
        http = httpx2.AsyncClient(transport=httpx2.AsyncHTTPTransport(uds=target.sock))
    else:
        base = f"http://127.0.0.1:{target.port}"
        http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {target.token}"})
    async with http:
        if kind == "api":
            yield lambda: _api_call(http, f"{base}/host/sessions")
        else:
            async with Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client:
                yield _tool_call(client)


def _tool_call(client: Client) -> Call:
    async def call() -> None:
        result = await client.call_tool("list_sessions", {})
        if result.is_error or len((result.structured_content or {})["sessions"]) < SESSIONS:
            raise RuntimeError(f"list_sessions failed: {result.content}")

    return call


async def _api_call(http: httpx2.AsyncClient, url: str) -> None:
    reply = await http.get(url)
    reply.raise_for_status()
    if len(reply.json()["sessions"]) < SESSIONS:
        raise RuntimeError(f"GET /host/sessions: {reply.text}")


async def serve_jobs(pipe: Connection, target: Target) -> None:
    """Runs jobs ``(transport, calls)`` until ``None``: connect over ``transport`` (once: the
    connection is kept for the later rounds), warm it up, say ready, wait for go, time the
    calls, send the latencies back; or the error, in words."""
    async with contextlib.AsyncExitStack() as stack:
        calls_over: dict[str, Call] = {}
        while (job := await asyncio.to_thread(pipe.recv)) is not None:
            transport, calls = job
            try:
                if transport not in calls_over:
                    calls_over[transport] = await stack.enter_async_context(
                        connected(target, transport)
                    )
                call = calls_over[transport]
                for _ in range(WARMUP):
                    await call()
                pipe.send("ready")
                await asyncio.to_thread(pipe.recv)  # "go": every client starts at once
                latencies = []
                for _ in range(calls):
                    started = time.perf_counter()
                    await call()
                    latencies.append((time.perf_counter() - started) * 1000)
                pipe.send(latencies)
            except Exception as exc:  # the parent raises it, with the transport named
                while isinstance(exc, ExceptionGroup) and len(exc.exceptions) == 1:
                    exc = exc.exceptions[0]  # the SDK's task groups wrap the one that matters
                pipe.send(f"{transport}: {exc.__class__.__name__}: {exc}")
                return


def worker(pipe: Connection, target: Target) -> None:
    asyncio.run(serve_jobs(pipe, target))


class Workers:
    """``count`` client processes, started once for the whole run."""

    def __init__(self, count: int, target: Target) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.procs = []
        for _ in range(count):
            mine, theirs = context.Pipe()
            proc = context.Process(target=worker, args=(theirs, target), daemon=True)
            proc.start()
            self.pipes.append(mine)
            self.procs.append(proc)

    def run(self, transport: str, clients: int, calls: int) -> list[float]:
        """``clients`` of the workers, connected over ``transport``, each timing ``calls``
        calls from the same instant; every latency (ms)."""
        pipes = self.pipes[:clients]
        for pipe in pipes:
            pipe.send((transport, calls))
        for pipe in pipes:
            self._expect(pipe.recv(), transport)
        for pipe in pipes:
            pipe.send("go")
        latencies: list[float] = []
        for pipe in pipes:
            latencies += self._expect(pipe.recv(), transport)
        return latencies

    @staticmethod
    def _expect(reply: Any, transport: str) -> Any:
        if isinstance(reply, str) and reply != "ready":
            raise RuntimeError(reply)
        return reply

    def close(self) -> None:
        for pipe, proc in zip(self.pipes, self.procs, strict=True):
            with contextlib.suppress(OSError):
                pipe.send(None)
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def served() -> Iterator[Target]:
    """A real server (TCP on too, with a token) with ``SESSIONS`` shells, killed at the end."""
    with bench_home() as (home, env):
        port, token = free_port(), secrets.token_urlsafe(24)
        env["AITUI_TOKEN"] = token
        env.pop("AITUI_SOCKET", None)
        rig = AituiRig(home, env, ("--port", str(port)))
        try:
            for n in range(SESSIONS):
                made = rig.http.post("/host/sessions", json={"name": f"shell-{n}"})
                made.raise_for_status()
            yield Target(str(rig.sock), port, token, env)
        finally:
            rig.close()


# --- the run ----------------------------------------------------------------------------------

Figures = dict[tuple[str, int], list[tuple[float, float]]]  # (transport, clients) -> (p50, p99)


def measure(workers: Workers, rounds: int, calls: int, crowd: int) -> Figures:
    figures: Figures = {}
    for round_ in range(rounds):
        order = TRANSPORTS if round_ % 2 == 0 else TRANSPORTS[::-1]  # no row always goes first
        for clients in (1, crowd):
            for transport in order:
                latencies = workers.run(transport, clients, calls)
                quantiles = (percentile(latencies, 0.5), percentile(latencies, 0.99))
                figures.setdefault((transport, clients), []).append(quantiles)
    return figures


def report(figures: Figures, rounds: int, calls: int, crowd: int) -> None:
    print(
        f"list_sessions round trip, {SESSIONS} sessions, {calls} calls per client, {rounds} "
        "rounds: median [min-max] over the rounds; the ratio is MCP / the plain API call in "
        "the same round"
    )
    for clients in (1, crowd):
        for transport in TRANSPORTS:
            rows = figures[transport, clients]
            p50s, p99s = [r[0] for r in rows], [r[1] for r in rows]
            line = (
                f"{transport:<9} {clients:>2} client{'s' if clients > 1 else ' '}: "
                f"p50 {spread(p50s, ' ms')}, p99 {spread(p99s, ' ms')}"
            )
            if transport in REFERENCE:
                base = figures[REFERENCE[transport], clients]
                r50 = [mine[0] / theirs[0] for mine, theirs in zip(rows, base, strict=True)]
                r99 = [mine[1] / theirs[1] for mine, theirs in zip(rows, base, strict=True)]
                line += f"; vs {REFERENCE[transport]}: p50 {spread(r50, 'x')}"
                line += f", p99 {spread(r99, 'x')}"
            print(line)
    heads = []
    for transport in ("mcp stdio", "mcp unix", "mcp tcp"):
        rows = figures[transport, crowd]
        p50 = statistics.median(r[0] for r in rows)
        p99 = statistics.median(r[1] for r in rows)
        heads.append(f"{transport.removeprefix('mcp ')} {p50:.1f} / {p99:.1f} ms")
    print(f"headline, {crowd} clients at once, p50 / p99: " + ", ".join(heads))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=100, help="calls per client per round")
    parser.add_argument("--clients", type=int, default=8, help="clients calling at once")
    args = parser.parse_args()
    with served() as target:
        workers = Workers(args.clients, target)
        try:
            figures = measure(workers, args.rounds, args.calls, args.clients)
        finally:
            workers.close()
    report(figures, args.rounds, args.calls, args.clients)


if __name__ == "__main__":
    main()
