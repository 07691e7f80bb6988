"""Golden outputs of ``compress()``: write them once, then check a change leaves them identical.

Speed work on the compressors must not move a byte of their output. This writes (``--write``)
or compares (default) the compressed text and kind of every file of both corpora, with the
hints the scorers give, plus the benchmark's synthetic inputs, with and without an explicit
budget, into one JSON file of SHA-256 digests.

    .venv/bin/python benchmarks/compression_golden.py --write /tmp/golden.json   # before
    .venv/bin/python benchmarks/compression_golden.py /tmp/golden.json           # after
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.compression import ls_lr, pip_vv, shared  # noqa: E402

Case = tuple[str, bytes, str | None, int | None]


def cases() -> Iterator[Case]:
    """Every input the benchmark times, with the command and exit status the scorers pass."""
    for log in sorted((shared() / "compression-dev" / "corpus").glob("*.log")):
        meta = json.loads(log.with_suffix(".json").read_text())
        yield f"dev/{log.stem}", log.read_bytes(), meta["command"], meta["exit_code"]
    for log in sorted((shared() / "logdx-dev" / "cases").glob("**/raw.log")):
        yield f"logdx/{log.parent.name}", log.read_bytes(), "", 1
    for path in sorted((ROOT / "tests" / "compress").glob("**/*.log")):
        yield f"tests/{path.relative_to(ROOT / 'tests')}", path.read_bytes(), None, None
    yield "ls -lR 2 MB", ls_lr(2_000_000), "ls -lR /usr /etc /var", 0
    yield "pip -vv 1.2 MB", pip_vv(1_200_000), "pip install -vv requests rich flask", 0
    yield "1 line", b"x" * 1_000_000, None, None
    yield "short lines", b"".join(b"line %d ok\n" % i for i in range(100_000)), None, None
    yield "ansi", b"\x1b[31mred\x1b[0m \x1b[1;32mgreen\x1b[0m \x1b[4mu\x1b[0m\n" * 28_000, None, 1


def digests() -> dict[str, str]:
    from aitui.core.compress import compress

    out: dict[str, str] = {}
    for name, data, command, exit_code in cases():
        for budget in (None, 300, 4000):
            result = compress(data, command=command or None, exit_code=exit_code, budget=budget)
            blob = f"{result.kind}\n{result.compressed_lines}\n{result.text}".encode()
            out[f"{name} budget={budget}"] = hashlib.sha256(blob).hexdigest()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("golden", type=Path)
    parser.add_argument("--write", action="store_true", help="record instead of comparing")
    args = parser.parse_args(argv)
    now = digests()
    if args.write:
        args.golden.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"{len(now)} outputs recorded in {args.golden}")
        return 0
    before = json.loads(args.golden.read_text())
    changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for key in changed:
        print("changed:", key)
    print(f"{len(now) - len(changed)}/{len(now)} outputs identical")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
