"""``benchmarks/throughput.py`` still runs end to end (tiny streams, two rounds).

Its figures are only meaningful on an idle machine with the full sizes, so nothing here
checks a speed: this catches a benchmark broken by a change to the session engine, and checks
that the producer-slowdown line states its interval and whether the target was shown.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "throughput.py"


def test_throughput_benchmark_runs_and_reports_the_producer_slowdown() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCHMARK),
            *("--mb", "0.2", "--pairs", "2", "--streams", "text", "--tmux-rounds", "1"),
            "--recording",
        ],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = [row for row in result.stdout.splitlines() if "producer slowdown" in row]
    labels = [row.split("(")[1].split(")")[0] for row in rows][:3]
    assert labels == ["unwatched", "on display", "recorded"]
    line = rows[0]
    match = re.search(
        r": (\d+\.\d+)x \[95% CI (\d+\.\d+)-(\d+\.\d+), .*"
        r"\(target <= 1\.1x: (met|median under it, interval not|not met)\)",
        line,
    )
    assert match is not None, line
    ratio, low, high = (float(match[i]) for i in (1, 2, 3))
    assert 0 < low <= ratio <= high
    assert (match[4] == "met") == (high <= 1.1)
    assert (match[4] == "not met") == (ratio > 1.1)
