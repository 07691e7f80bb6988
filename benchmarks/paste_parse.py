"""Time to read a large bracketed paste: the dashboard's input parser against Textual's own.

    .venv/bin/python benchmarks/paste_parse.py [--rounds 5] [--kib 1024]

A paste of ``--kib`` KiB of plain lines (no ESC, which Textual's parser reads right too), in
the 4 KiB reads Textual's Linux driver makes, fed to a fresh ``PasteParser`` and a fresh
``XTermParser``; both must report the same text. Process CPU time, median [range] of
``--rounds``, and Textual's time as a multiple of the dashboard parser's, per round.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from figures import spread
from textual import events
from textual._xterm_parser import XTermParser

from aitui.dashboard.pastes import PasteParser


def timed(parser: XTermParser, chunks: list[str], text: str) -> float:
    start = time.process_time()
    pastes = [m for chunk in chunks for m in parser.feed(chunk) if isinstance(m, events.Paste)]
    elapsed = time.process_time() - start
    assert [p.text for p in pastes] == [text], type(parser).__name__
    return elapsed


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--rounds", type=int, default=5)
    args.add_argument("--kib", type=int, default=1024)
    options = args.parse_args()
    line = "a pasted line of text, 0123456789 and some more words\n"
    text = line * (options.kib * 1024 // len(line))
    stream = "\x1b[200~" + text + "\x1b[201~"
    chunks = [stream[i : i + 4096] for i in range(0, len(stream), 4096)]
    ours: list[float] = []
    textual: list[float] = []
    for _ in range(options.rounds):
        ours.append(timed(PasteParser(), chunks, text))
        textual.append(timed(XTermParser(), chunks, text))
    ratios = [t / o for t, o in zip(textual, ours, strict=True)]
    print(f"paste of {len(text) / 1024:.0f} KiB in {len(chunks)} reads, {options.rounds} rounds")
    print(f"  PasteParser  {spread([o * 1000 for o in ours], ' ms')}")
    print(f"  XTermParser  {spread([t * 1000 for t in textual], ' ms')} (Textual's, reference)")
    print(f"  Textual / PasteParser: {spread(ratios, 'x', 0)}")


if __name__ == "__main__":
    main()
