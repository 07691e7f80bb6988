"""Benchmark ``aitui compress`` on the shared corpus of real command logs.

Runs the corpus scorer (``shared/data/compression-dev/score.py``: token reduction and fact
recall) against ``aitui compress``, prints its table, the reduction on the long verbose logs
(installs, builds, passing test runs) against the targets, and the compressor's throughput in
MB/s measured in-process.

    .venv/bin/python benchmarks/compression.py [--show-missing] [--only NAME...] [--json FILE]

``shared/`` is looked for as ``../shared`` next to the project root; ``AITUI_SHARED_DIR``
overrides it (or ``AITUI_COMPRESSION_CORPUS`` for the corpus folder itself). The command
scored is ``<venv>/bin/aitui compress`` when installed, else ``python -m aitui.cli compress``;
``AITUI_BENCH_COMMAND`` overrides it.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RECALL = 99.0
TARGET_REDUCTION = 80.0
TARGET_LONG_REDUCTION = 93.0
#: Kinds of the long, verbose logs: installs, builds, passing test runs.
LONG_KINDS = {"apt", "npm", "pip", "cmake", "make", "cargo-test", "pytest", "unittest", "gotest"}
LONG_MIN_TOKENS = 1000


def corpus_dir() -> Path:
    if os.environ.get("AITUI_COMPRESSION_CORPUS"):
        return Path(os.environ["AITUI_COMPRESSION_CORPUS"])
    shared = Path(os.environ.get("AITUI_SHARED_DIR", ROOT.parent / "shared"))
    return shared / "data" / "compression-dev"


def compressor_command() -> list[str]:
    if os.environ.get("AITUI_BENCH_COMMAND"):
        return shlex.split(os.environ["AITUI_BENCH_COMMAND"])
    exe = Path(sys.executable).parent / "aitui"
    if exe.exists():
        return [str(exe), "compress"]
    return [sys.executable, "-m", "aitui.cli", "compress"]


def is_long(row: dict[str, object], meta: dict[str, object]) -> bool:
    """A long verbose log: an install, a build or a test run that passed, and not tiny."""
    kind = str(meta.get("kind", ""))
    passed = meta.get("exit_code") == 0
    return kind in LONG_KINDS and passed and int(str(row["orig_tokens"])) >= LONG_MIN_TOKENS


def throughput(corpus: Path, rounds: int = 3) -> tuple[float, int]:
    """MB/s of ``aitui.core.compress.compress`` over the corpus (in-process, best of rounds)."""
    sys.path.insert(0, str(ROOT))
    from aitui.core.compress import compress

    logs = []
    for log in sorted(corpus.glob("corpus/*.log")):
        meta = json.loads(log.with_suffix(".json").read_text())
        logs.append((log.read_bytes(), meta.get("command"), meta.get("exit_code")))
    size = sum(len(data) for data, _, _ in logs)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for data, command, exit_code in logs:
            compress(data, command=command, exit_code=exit_code)
        best = min(best, time.perf_counter() - start)
    return size / best / 1e6, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--show-missing", action="store_true", help="list every lost fact")
    parser.add_argument("--only", nargs="*", help="score only these logs")
    parser.add_argument("--json", type=Path, help="also write the scorer's full results here")
    parser.add_argument("--no-speed", action="store_true", help="skip the MB/s measurement")
    args = parser.parse_args(argv)

    corpus = corpus_dir()
    scorer = corpus / "score.py"
    if not scorer.is_file():
        print(f"benchmark: scorer not found at {scorer} (set AITUI_SHARED_DIR)", file=sys.stderr)
        return 2
    results = Path(args.json) if args.json else Path(tempfile.mkstemp(suffix=".json")[1])
    cmd = [sys.executable, str(scorer), str(corpus / "corpus"), "--json", str(results)]
    if args.show_missing:
        cmd.append("--show-missing")
    if args.only:
        cmd += ["--only", *args.only]
    cmd += ["--", *compressor_command()]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    print("$", " ".join(shlex.quote(c) for c in cmd), flush=True)
    status = subprocess.run(cmd, env=env, check=False).returncode

    data = json.loads(results.read_text())
    if not args.json:
        results.unlink()
    run = next(iter(data.values()))
    summary = run["summary"]
    long_orig = long_comp = 0
    long_names = []
    for row in run["logs"]:
        meta = json.loads((corpus / "corpus" / f"{row['name']}.json").read_text())
        if is_long(row, meta):
            long_orig += row["orig_tokens"]
            long_comp += row["comp_tokens"]
            long_names.append(row["name"])
    long_reduction = (1 - long_comp / long_orig) * 100 if long_orig else 0.0
    checks = [
        ("fact recall (micro) %", summary["recall_micro"], TARGET_RECALL),
        ("token reduction (total) %", summary["reduction_total"], TARGET_REDUCTION),
        (
            f"long verbose logs ({len(long_names)}) reduction %",
            long_reduction,
            TARGET_LONG_REDUCTION,
        ),
    ]
    print("| measure | value | target | |")
    print("|---|---:|---:|---|")
    ok = status == 0
    for name, value, target in checks:
        good = value >= target
        ok = ok and good
        print(f"| {name} | {value:.1f} | >= {target:.0f} | {'ok' if good else 'MISSED'} |")
    print(f"long logs: {', '.join(long_names)}")
    if not args.no_speed:
        mbps, size = throughput(corpus)
        print(f"throughput: {mbps:.1f} MB/s over {size / 1e6:.2f} MB (in-process, best of 3)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
