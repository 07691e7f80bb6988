"""Producer slowdown with the session on display in the real dashboard, in a real terminal.

    .venv/bin/python benchmarks/dashboard_flood.py [--mb 10] [--rounds 15] [--stream text]

``throughput.py`` measures sessions without a dashboard: one nobody watches, and one "on
display" whose screen parses a small piece ten times a second. A person watching a flood in
the dashboard also pays for drawing it, in the same process and on the same two cores. So this
runs ``aitui`` itself (``--no-persist``, default settings) in a 160x50 PTY that a thread
drains as fast as a terminal would, with a shell script as its session's program: the script
waits for the dashboard to settle, times ``cat FILE`` with ``date +%s%N`` and writes the time
down. The baseline is the same script in a bare PTY drained the same way. Each round runs bare,
dashboard, bare; the figure is the median of dashboard / mean of the two bares, with a 95%
bootstrap interval (single runs vary by +-20% here).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import (
    MB,
    TARGET,
    make_ls,
    make_repaint,
    make_text,
    median_interval,
    verdict_of,
)

AITUI = Path(sys.executable).with_name("aitui")
#: Time the dashboard gets to start and draw before the flood begins.
SETTLE_SECONDS = 2.0


def timing_script(tmp: Path, data: Path, settle: float) -> tuple[Path, Path]:
    """A script that times ``cat data`` (after ``settle`` seconds) into a file it returns."""
    out = tmp / "cat.ns"
    script = tmp / "timed-cat.sh"
    script.write_text(
        "#!/bin/sh\n"
        f"sleep {settle}\n"
        f"t0=$(date +%s%N); cat {data}; t1=$(date +%s%N)\n"
        f"echo $((t1 - t0)) > {out}.part && mv {out}.part {out}\n"
        "exec sleep 600\n"
    )
    script.chmod(0o755)
    return script, out


def _run_in_pty(argv: list[str], out: Path, env: dict[str, str]) -> float:
    """Run ``argv`` on a 160x50 PTY that a thread drains (as a terminal would) until the script
    has written ``out``; returns the seconds written there."""
    out.unlink(missing_ok=True)
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))

    def drain() -> None:
        with contextlib.suppress(OSError):
            while os.read(fd, 65536):
                pass

    threading.Thread(target=drain, name="terminal", daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        while not out.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{argv[0]} did not report a time within 120 s")
            time.sleep(0.05)
        return int(out.read_text()) / 1e9
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)  # after the child is gone: the drain thread ends on EIO/EBADF


def bare_seconds(script: Path, out: Path, env: dict[str, str]) -> float:
    """The script on a bare PTY, drained the same way."""
    return _run_in_pty([str(script)], out, env)


def dashboard_seconds(script: Path, out: Path, env: dict[str, str]) -> float:
    """The script as the shell of the dashboard's session, on a server of its own (the
    server reads the PTY; the dashboard draws its frames), ended after the round."""
    sock = Path(tempfile.mkdtemp(prefix="aitui-bench-")) / "s"
    sock.parent.chmod(0o700)
    argv = [str(AITUI), "-S", str(sock), "--no-persist", "--shell", str(script)]
    try:
        return _run_in_pty(argv, out, env)
    finally:
        subprocess.run([str(AITUI), "-S", str(sock), "kill-server"], env=env, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--stream", default="text", choices=["text", "ls", "repaint"])
    args = parser.parse_args()
    if not AITUI.exists():
        sys.exit(f"{AITUI} not found: install the project first (make install)")
    makers = {"text": make_text, "ls": make_ls, "repaint": make_repaint}
    with tempfile.TemporaryDirectory(prefix="aitui-dash-bench-") as name:
        tmp = Path(name)
        data = tmp / f"{args.stream}.bin"
        data.write_bytes(makers[args.stream](int(args.mb * MB)))
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "AITUI_CONFIG": str(tmp / "no-config.toml"),
        }
        env.pop("TEXTUAL_FPS", None)
        bare_script, bare_out = timing_script(tmp, data, 0)
        dash_script, dash_out = timing_script(tmp, data, SETTLE_SECONDS)
        ratios, bares, dashes = [], [], []
        for _ in range(args.rounds):
            before = bare_seconds(bare_script, bare_out, env)
            inside = dashboard_seconds(dash_script, dash_out, env)
            after = bare_seconds(bare_script, bare_out, env)
            bares += [before, after]
            dashes.append(inside)
            ratios.append(inside / ((before + after) / 2))
        low, high = median_interval(ratios)
        ratio = statistics.median(ratios)
        print(
            f"{args.stream} {args.mb:g} MB: cat with its session on display in the dashboard "
            f"{statistics.median(dashes):.3f}s, in a bare PTY {statistics.median(bares):.3f}s: "
            f"{ratio:.2f}x [95% CI {low:.2f}-{high:.2f}] over {args.rounds} rounds "
            f"(target <= {TARGET}x: {verdict_of(ratio, high)})"
        )


if __name__ == "__main__":
    main()
