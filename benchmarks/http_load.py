"""Load test of the HTTP API: 20 clients over 10 sessions running ``execute`` and reading output.

Starts ``ai-session-server`` on 127.0.0.1 (a free port, a random token), creates the sessions,
then for ``--duration`` seconds (30 by default) each client loops: ``execute`` a short command
that prints a unique marker, check the marker came back exactly, then read the session's output
incrementally (``GET /output?since=``). At the end every marker a client ran must appear in the
output it read: a missing one counts as output lost, as does an ``execute`` whose output was not
its marker. Then ``GET /health`` is hammered by the same number of clients for a few seconds.

The load generator is a minimal HTTP/1.1 keep-alive client on asyncio streams, one connection per
client, so that on a small machine the measuring costs as little CPU as possible (a full client
library would take more of it than the server does). Loopback only, by design.

Run: ``.venv/bin/python benchmarks/http_load.py [--duration 30] [--clients 20] [--sessions 10]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

from figures import percentile

HOST = "127.0.0.1"


class HttpError(Exception):
    pass


class Connection:
    """One keep-alive HTTP/1.1 connection; requests on it are sequential."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.auth = f"Authorization: Bearer {token}\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        payload = b"" if body is None else json.dumps(body).encode()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\n{self.auth}"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        self.writer.write(head.encode() + payload)
        status_line = await self.reader.readline()
        if not status_line:
            raise HttpError("connection closed")
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        data = await self.reader.readexactly(length)
        return status, json.loads(data) if data else None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


@dataclass
class Stats:
    execute_ms: list[float] = field(default_factory=list)
    output_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    lost: int = 0
    markers: int = 0

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(what)


async def client_loop(
    port: int, token: str, session: str, client_id: int, deadline: float, stats: Stats
) -> None:
    conn = Connection(port, token)
    seen = ""
    ran: list[str] = []
    status, body = await conn.request("GET", f"/sessions/{session}/output")
    since = body["position"]
    counter = 0
    try:
        while time.perf_counter() < deadline:
            counter += 1
            marker = f"m{client_id}x{counter}"
            started = time.perf_counter()
            status, body = await conn.request(
                "POST", f"/sessions/{session}/execute", {"command": f"echo {marker}"}
            )
            stats.execute_ms.append((time.perf_counter() - started) * 1000)
            if status != 200 or not body.get("success"):
                stats.error(f"execute {status}: {body}")
                continue
            ran.append(marker)
            if body["output"] != f"{marker}\n":
                stats.lost += 1
            started = time.perf_counter()
            status, body = await conn.request("GET", f"/sessions/{session}/output?since={since}")
            stats.output_ms.append((time.perf_counter() - started) * 1000)
            if status != 200:
                stats.error(f"output {status}: {body}")
                continue
            seen += body["output"]
            since = body["position"]
            if body["lost_bytes"]:
                stats.error(f"output buffer overflowed: {body['lost_bytes']} bytes")
        status, body = await conn.request("GET", f"/sessions/{session}/output?since={since}")
        seen += body["output"]
    finally:
        await conn.close()
    present = set(re.findall(r"^(m\d+x\d+)$", seen, re.MULTILINE))
    stats.markers += len(ran)
    stats.lost += sum(1 for marker in ran if marker not in present)


async def health_loop(port: int, token: str, deadline: float, counts: list[int]) -> None:
    conn = Connection(port, token)
    done = 0
    try:
        while time.perf_counter() < deadline:
            status, _ = await conn.request("GET", "/health")
            if status != 200:
                raise HttpError(f"health {status}")
            done += 1
    finally:
        await conn.close()
        counts.append(done)


def start_server(token: str, workdir: str) -> tuple[subprocess.Popen[str], int]:
    env = dict(os.environ, AITUI_TOKEN=token)
    server = subprocess.Popen(
        [sys.executable, "-m", "aitui.server.cli", "--host", HOST, "--port", "0", "--no-persist"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=workdir,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    match = re.search(r":(\d+) ", line)
    if not match:
        server.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return server, int(match.group(1))


async def run(args: argparse.Namespace) -> Stats:
    token = secrets.token_hex(16)
    workdir = tempfile.mkdtemp(prefix="aitui-bench-")
    server, port = start_server(token, workdir)
    stats = Stats()
    try:
        setup = Connection(port, token)
        names = [f"bench-{i}" for i in range(args.sessions)]
        for name in names:
            status, body = await setup.request(
                "POST", "/sessions", {"name": name, "shell": "bash", "working_directory": workdir}
            )
            if status != 200:
                raise SystemExit(f"cannot create session: {status} {body}")
        await setup.close()

        print(
            f"execute + output: {args.clients} clients over {args.sessions} sessions, "
            f"{args.duration:g} s ...",
            flush=True,
        )
        started = time.perf_counter()
        deadline = started + args.duration
        await asyncio.gather(
            *(
                client_loop(port, token, names[i % len(names)], i, deadline, stats)
                for i in range(args.clients)
            )
        )
        elapsed = time.perf_counter() - started
        requests = len(stats.execute_ms) + len(stats.output_ms)
        print(f"  requests/s        {requests / elapsed:8.1f}  ({requests} in {elapsed:.1f} s)")
        print(f"  execute/s         {len(stats.execute_ms) / elapsed:8.1f}")
        for label, samples in (("execute", stats.execute_ms), ("output", stats.output_ms)):
            print(
                f"  {label:8} p50/p99  {percentile(samples, 0.5):7.1f} / "
                f"{percentile(samples, 0.99):.1f} ms  (mean "
                f"{statistics.fmean(samples) if samples else float('nan'):.1f})"
            )
        print(f"  errors            {stats.errors:8d}")
        for sample in stats.error_samples:
            print(f"    {sample}")
        print(f"  output lost       {stats.lost:8d}  (of {stats.markers} markers)")

        print(f"GET /health: {args.clients} clients, {args.health_duration:g} s ...", flush=True)
        counts: list[int] = []
        started = time.perf_counter()
        deadline = started + args.health_duration
        await asyncio.gather(
            *(health_loop(port, token, deadline, counts) for _ in range(args.clients))
        )
        elapsed = time.perf_counter() - started
        print(f"  health req/s      {sum(counts) / elapsed:8.1f}")
    finally:
        server.terminate()
        server.wait(30)
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (30)")
    parser.add_argument("--health-duration", type=float, default=10.0, help="seconds (10)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=10)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    stats = asyncio.run(run(args))
    return 1 if stats.errors or stats.lost else 0


if __name__ == "__main__":
    sys.exit(main())
