"""``benchmarks/paste_parse.py`` still runs end to end (a small paste, one round): both parsers
must read the paste's text, and the ratio line is printed. No speed is checked here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_paste_benchmark_runs_and_reports_a_ratio() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "paste_parse.py"),
            "--rounds",
            "1",
            "--kib",
            "8",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"Textual / PasteParser: \d+x \[\d+-\d+\]", result.stdout), result.stdout
