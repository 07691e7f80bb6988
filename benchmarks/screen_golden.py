"""Golden screens: write them once, then check a change to the emulator leaves them identical.

Speed work on the terminal screen must not move a cell. This replays every asciicast recording
in ``tests/`` (with its resizes) and the throughput benchmark's three streams, each fed as
recorded, then cut into 7-byte pieces, then one byte at a time (recordings under 300 KB), and
keeps a SHA-256 digest per replay of everything the screen shows or keeps: every cell and style
of both buffers, the cursor, the pen, the pending REP character, the modes, the charsets, the
scroll region, the scrollback and the rows ``take_dirty`` reported after each piece.

    .venv/bin/python benchmarks/screen_golden.py --write /tmp/screens.json   # before
    .venv/bin/python benchmarks/screen_golden.py /tmp/screens.json           # after

``aitui`` is imported from the running interpreter's install, so another checkout's venv can
write the "before" (``/work/main/.venv/bin/python benchmarks/screen_golden.py --write ...``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from throughput import make_ls, make_repaint, make_text  # noqa: E402

from aitui.core.terminal import TerminalScreen  # noqa: E402
from aitui.core.terminal.style import style_of  # noqa: E402

#: (name, rows, cols, pieces of output, resizes as (before piece i, rows, cols))
Source = tuple[str, int, int, list[bytes], list[tuple[int, int, int]]]


def sources() -> Iterator[Source]:
    for path in sorted(ROOT.glob("tests/**/*.cast")):
        lines = path.read_text().splitlines()
        head = json.loads(lines[0])
        pieces: list[bytes] = []
        resizes: list[tuple[int, int, int]] = []
        for line in lines[1:]:
            _, code, data = json.loads(line)
            if code == "o":
                pieces.append(data.encode())
            elif code == "r":
                cols, rows = data.split("x")
                resizes.append((len(pieces), int(rows), int(cols)))
        yield str(path.relative_to(ROOT)), head["height"], head["width"], pieces, resizes
    for name, make in (("repaint", make_repaint), ("text", make_text), ("ls", make_ls)):
        raw = make(1 << 20).replace(b"\n", b"\r\n")
        yield name, 24, 80, [raw[i : i + 65536] for i in range(0, len(raw), 65536)], []


def state(s: TerminalScreen, dirty: list[list[int]]) -> str:
    def styles(rows: list[list[int]]) -> list[list[str]]:
        return [[repr(style_of(sid)) for sid in row] for row in rows]

    history = [s.scrollback.entry(i) for i in range(len(s.scrollback))]
    return json.dumps(
        {
            "grids": [[s.main_grid.chars, styles(s.main_grid.styles), s.main_grid.wrapped]]
            + (
                [[s.grid.chars, styles(s.grid.styles), s.grid.wrapped]]
                if s.grid is not s.main_grid
                else []
            ),
            "cursor": [s.x, s.y, s.top, s.bottom, s.last_char, s.joining],
            "pen": repr(style_of(s.pen)),
            "charsets": [s.g0, s.g1, s.shift],
            "modes": repr(s.modes),
            "titles": [s.title, s.icon_title, s.cwd],
            "history": [
                e
                if isinstance(e, str)
                else [e[0], [repr(style_of(x)) if i % 2 else x for i, x in enumerate(e[1])]]
                for e in history
            ],
            "dropped": s.scrollback.dropped,
            "dirty": dirty,
        }
    )


def digests() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, rows, cols, pieces, resizes in sources():
        blob = b"".join(pieces)
        for mode, cut in (("recorded", 0), ("cut7", 7), ("cut1", 1)):
            if cut == 1 and len(blob) > 300_000:
                continue
            feed = [blob[i : i + cut] for i in range(0, len(blob), cut)] if cut else pieces
            pending = list(resizes) if not cut else []
            screen = TerminalScreen(rows, cols, scrollback=2000)
            dirty: list[list[int]] = []
            for i, piece in enumerate(feed):
                while pending and pending[0][0] == i:
                    screen.resize(pending[0][1], pending[0][2])
                    pending.pop(0)
                screen.feed(piece)
                if not cut:
                    dirty.append(sorted(screen.take_dirty()))
            out[f"{name} {mode}"] = hashlib.sha256(state(screen, dirty).encode()).hexdigest()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="the JSON file of digests")
    parser.add_argument("--write", action="store_true", help="write the digests instead")
    args = parser.parse_args()
    now = digests()
    if args.write:
        args.file.write_text(json.dumps(now, indent=1) + "\n")
        print(f"{len(now)} screens written to {args.file}")
        return
    before = json.loads(args.file.read_text())
    changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for key in changed:
        print(f"changed: {key}")
    print(f"{len(now) - len(changed)} of {len(now)} screens identical")
    sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
