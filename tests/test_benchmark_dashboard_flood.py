"""``benchmarks/dashboard_flood.py`` still runs end to end: the real ``aitui`` in a PTY, its
session's program timing a small ``cat`` (one round). No speed is checked here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "dashboard_flood.py"


def test_dashboard_flood_benchmark_runs_and_reports_a_ratio() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--mb", "0.2", "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    match = re.search(
        r"in a bare PTY \d+\.\d+s: (\d+\.\d+)x \[95% CI (\d+\.\d+)-(\d+\.\d+)\] over 1 rounds "
        r"\(target <= 1\.1x: (met|median under it, interval not|not met)\)",
        result.stdout,
    )
    assert match is not None, result.stdout
    assert float(match[1]) > 0
