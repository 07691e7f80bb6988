"""``benchmarks/mcp_roundtrip.py`` still runs end to end in a tiny configuration: a real
``aitui server`` with TCP on, clients in their own processes over stdio (``aitui mcp``), HTTP on
the socket and on TCP with the token, and the plain API call beside them. No speed is checked:
each row must be printed, the MCP rows with their ratio against the plain call."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "mcp_roundtrip.py"
MS = r"\d+\.\d+ ms \[\d+\.\d+-\d+\.\d+\]"
RATIO = r"\d+\.\d+x \[\d+\.\d+-\d+\.\d+\]"
REFERENCE = {"mcp stdio": "api unix", "mcp unix": "api unix", "mcp tcp": "api tcp"}


@pytest.mark.slow
@pytest.mark.timeout(150)
def test_mcp_roundtrip_benchmark_prints_every_transport_alone_and_together() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--rounds", "1", "--calls", "3", "--clients", "2"],
        capture_output=True,
        text=True,
        timeout=140,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for clients in ("1 client ", "2 clients"):
        for transport in ("api unix", "api tcp", "mcp stdio", "mcp unix", "mcp tcp"):
            row = rf"^{transport} +{clients}: p50 {MS}, p99 {MS}"
            if transport in REFERENCE:
                row += rf"; vs {REFERENCE[transport]}: p50 {RATIO}, p99 {RATIO}"
            assert re.search(row + "$", out, re.MULTILINE), (row, out)
    headline = (
        r"^headline, 2 clients at once, p50 / p99: stdio \d+\.\d / \d+\.\d ms, "
        r"unix \d+\.\d / \d+\.\d ms, tcp \d+\.\d / \d+\.\d ms$"
    )
    assert re.search(headline, out, re.MULTILINE), out
