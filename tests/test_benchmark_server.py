"""The server benchmarks still run end to end, each in a tiny configuration: a real
``aitui server``, the real ``aitui -S`` in a PTY, and tmux beside them. No speed is checked
(the figures mean something only on an idle machine at full size): each must finish and print
its figure as a ratio against tmux, in the form its docs/benchmarks.md entry quotes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux"),
    pytest.mark.slow,
    pytest.mark.tmux,
]

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
RATIO = r"(\d+\.\d+|inf)x"


def run(name: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / name), *args],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.timeout(120)
def test_keystroke_benchmark_reports_p50_and_p99_against_tmux() -> None:
    out = run("server_keys.py", "--keys", "3", "--rounds", "1", "--gap", "0")
    for quantile in ("p50", "p99"):
        rows = re.findall(
            rf"key -> echo {quantile}: aitui \d+\.\d+ ms \[.*\], tmux \d+\.\d+ ms \[.*\]: "
            rf"ratio {RATIO} \[.*\] \(target <= 1x, tmux's: (met|median met|not met)\)",
            out,
        )
        assert len(rows) == 2, out  # without the flood, and with it
    shares = re.findall(r"of which the server .*: p50 \d+\.\d+ ms \[.*\], p99 \d+\.\d+ ms", out)
    assert len(shares) == 2, out


@pytest.mark.timeout(120)
def test_flood_benchmark_reports_the_slowdown_and_cpu_per_mb_against_tmux() -> None:
    out = run("server_flood.py", "--mb", "0.2", "--rounds", "1")
    slowdown = re.search(
        r"aitui: cat into a session on display .*: slowdown (\d+\.\d+)x \[95% CI .*\] "
        r"\(target <= 1\.1x: (met|median under it, interval not|not met)\)",
        out,
    )
    assert slowdown is not None, out
    assert re.search(r"tmux: cat into a session on display .*: slowdown \d+\.\d+x", out), out
    cpu = re.search(
        rf"CPU per MB: aitui server \+ dashboard .*, tmux server \+ client .*: ratio {RATIO} "
        r"\[.*\] \(target <= 1x: (met|not met)\)",
        out,
    )
    assert cpu is not None, out


@pytest.mark.timeout(120)
def test_attach_benchmark_reports_the_first_frame_against_tmux() -> None:
    out = run("server_attach.py", "--sessions", "2", "--rounds", "1")
    for case in ("no warm dashboard", "a warm dashboard waiting"):
        match = re.search(
            rf"launch to first complete frame, {case}.*: aitui -S \d+ ms \[.*\], tmux attach "
            rf"\d+ ms \[.*\]: ratio {RATIO} \[.*\] \(target <= 200 ms: (met|not met)\)",
            out,
        )
        assert match is not None, out
    assert re.search(r"starting Python and importing the dashboard .*: \d+ ms \[", out), out


@pytest.mark.timeout(120)
def test_idle_benchmark_reports_cpu_against_tmux() -> None:
    out = run("server_idle.py", "--sessions", "2", "--seconds", "1", "--windows", "1")
    match = re.search(
        rf"over the whole span: aitui \d+\.\d+%, tmux \d+\.\d+%: ratio {RATIO} "
        r"\(target aitui < 1%: (met|not met)\)",
        out,
    )
    assert match is not None, out


@pytest.mark.timeout(120)
def test_ink_redraw_benchmark_reports_both_variants_against_tmux() -> None:
    out = run("ink_redraw.py", "--seconds", "0.5", "--rounds", "1")
    for variant in ("spinner", "full"):
        assert re.search(rf"^{variant} +aitui .* ratio {RATIO} \[", out, re.MULTILINE), out
    shown = re.findall(
        r"frames shown: aitui (\d+) .*\(the budget allows (\d+)\), tmux (\d+) .*"
        r"of the program's (\d+)",
        out,
    )
    assert len(shown) == 2, out
    for aitui, allowed, tmux, program in shown:
        assert int(aitui) > 0 and int(allowed) <= int(program) and int(tmux) <= int(program), out


@pytest.mark.timeout(120)
def test_hook_latency_benchmark_reports_hook_to_row_quantiles() -> None:
    out = run("hook_latency.py", "--rounds", "4")
    assert re.search(r"hook to row, 4 hooks: \d+\.\d ms \[.*\]", out), out
    assert re.search(r"p50 \d+\.\d ms, p99 \d+\.\d ms \(target: under 50 ms\)", out), out


@pytest.mark.timeout(120)
def test_memory_startup_benchmark_reports_both_processes_and_launches_against_tmux() -> None:
    out = run("memory_startup.py", "--sessions", "1,2", "--rounds", "1", "--launches", "1")
    for count in (1, 2):
        row = re.search(
            rf"^{count} sessions: aitui server \d+\.\d .*, aitui client \d+\.\d .*, "
            rf"tmux server \d+\.\d .*, tmux client \d+\.\d .*: ratio {RATIO} \[",
            out,
            re.MULTILINE,
        )
        assert row is not None, out
    assert re.search(r"dashboard with 1 session\(s\): \d+\.\d MB RSS \(target <= 60 MB", out), out
    assert re.search(r"each further idle session, RSS \(1 to 2\): aitui server [+-]\d", out), out
    cases = (("fresh", 300), (r"attach \(warm_dashboard = false\)", 200), ("attach, warm", 200))
    for case, target in cases:
        assert re.search(
            rf"^{case}: aitui \d+ ms \[.*\], tmux \d+ ms \[.*\]: ratio {RATIO} \[.*\] "
            rf"\(target <= {target} ms: (met|not met)\)",
            out,
            re.MULTILINE,
        ), out
    assert re.search(r"whole dashboard drawn .*: fresh \d+ ms \[.*\], attach \d+ ms \[", out), out
    assert re.search(r"textual\.app alone \d+ ms", out), out
    assert re.search(r"the warm dashboard waiting .*: RSS \d+\.\d MB, PSS \d+\.\d MB", out), out


def test_the_benchmark_terminal_dates_each_text_by_the_read_that_first_showed_it() -> None:
    """``first_seen`` watches texts at once: one drawn before another keeps its own time (one
    ``wait_for`` after another would date it when the second wait began)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from pty_terminal import PtyTerminal
    finally:
        sys.path.remove(str(BENCHMARKS))
    script = "import time; print('early', flush=True); time.sleep(0.5); print('late', flush=True)"
    term = PtyTerminal([sys.executable, "-c", script], dict(os.environ), 10, 40)
    try:
        late, early = term.first_seen(["late", "early"], 10)
        assert early < late and late - early >= 0.4  # each its own read, not the later one
        (again,) = term.first_seen(["early"], 10)  # already there: dated now
        assert again >= late
    finally:
        term.close()


@pytest.mark.timeout(120)
def test_cli_latency_benchmark_reports_each_job_against_tmux() -> None:
    out = run("cli_latency.py", "--calls", "1", "--rounds", "1")
    for job in ("list sessions", "read the screen", "type text", "press a key"):
        assert re.search(rf"^\| {job} \|.*\| {RATIO} \[[\d.]+-[\d.]+\] \|$", out, re.M), out
