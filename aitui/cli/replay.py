"""``aitui replay FILE.cast``: replay an asciicast v2 recording through aitui's screen.

The recording's output events are fed, in order, to a headless
:class:`~aitui.core.terminal.TerminalScreen` of the recording's width and height (resize events
resize it; the screen's replies to terminal queries are dropped). Then:

``--dump`` (or ``--dump-format text``) prints the final screen: one line per row, trailing
spaces stripped, a wide character printed once, so the output matches ``tmux capture-pane -p``.

``--dump-format json`` prints one JSON object::

    {
      "width": 80, "height": 24,
      "cursor": {"row": 3, "col": 10, "visible": true},   # 0-based
      "title": "",                                        # OSC 0/2 window title
      "alternate_screen": false,
      "rows": ["text of row 0", ...],                     # as --dump prints them
      "cells": [[{"char": "a"}, {"char": "b", "fg": 1, "bold": true}, ...], ...]
    }

``cells`` has ``height`` rows of exactly ``width`` cells. A cell always has ``"char"`` (a space
for a blank cell; a character plus any combining marks); a wide character's cell also has
``"width": 2`` and the cell to its right is ``{"char": ""}``. Only attributes that differ from
the default are present: ``"fg"`` and ``"bg"`` (an integer 0-255, where 0-15 are the 16 ANSI
colours, or a ``"#rrggbb"`` string for truecolor) and the flags ``"bold"``, ``"dim"``,
``"italic"``, ``"underline"``, ``"blink"``, ``"reverse"``, ``"hidden"``, ``"strike"`` (present
only when true).

Without ``--dump`` the recording plays in the dashboard in real time (``--speed`` scales it); that
needs a terminal, and without one the command says so and exits with status 2. A missing or
malformed file gives an error naming the file (and the line, for malformed content) on stderr
and exit status 2.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # loaded by ``replay``: every ``aitui`` builds this parser, the dashboard too
    from aitui.core.asciicast import Asciicast
    from aitui.core.terminal import TerminalScreen
    from aitui.core.terminal.style import CellStyle

EXIT_USAGE = 2


def register(subparsers: Any) -> None:
    """Add the ``replay`` sub-command."""
    parser = subparsers.add_parser(
        "replay",
        help="replay an asciicast v2 recording through aitui's screen",
        description=(
            "Replay an asciicast v2 recording (asciinema's .cast format) through aitui's "
            "terminal screen at the recording's size. With --dump, print the final screen."
        ),
    )
    parser.add_argument("file", metavar="FILE.cast", help="the recording to replay")
    parser.add_argument(
        "--dump",
        action="store_true",
        help="replay headlessly and print the final screen (one line per row)",
    )
    parser.add_argument(
        "--dump-format",
        choices=("text", "json"),
        default=None,
        help="text (default): the rows as plain text; json: also the cursor, the title and "
        "every cell's attributes (implies --dump)",
    )
    parser.add_argument(
        "--speed", type=float, default=1.0, help="dashboard playback speed (2 = twice as fast)"
    )
    parser.set_defaults(func=run_replay)


def replay(cast: Asciicast) -> TerminalScreen:
    """Feed the recording's output to a new screen of its size and return the screen."""
    from aitui.core.terminal import TerminalScreen

    screen = TerminalScreen(cast.height, cast.width)
    for event in cast.events:
        if event.code == "o":
            screen.feed(event.data.encode("utf-8"))
        elif event.code == "r" and event.size is not None:
            cols, rows = event.size
            screen.resize(rows, cols)
    return screen


def screen_rows(screen: TerminalScreen) -> list[str]:
    """The rows as ``--dump`` prints them."""
    return screen.text().split("\n")


@functools.cache
def _flags() -> tuple[str, ...]:
    """A cell style's on/off attributes (every field but the colours)."""
    from dataclasses import fields  # here: every aitui command builds replay's parser

    from aitui.core.terminal.style import CellStyle

    return tuple(f.name for f in fields(CellStyle) if f.name not in ("fg", "bg"))


def _cell(char: str, style: CellStyle, wide: bool) -> dict[str, Any]:
    cell: dict[str, Any] = {"char": char}
    if wide:
        cell["width"] = 2
    if style.fg is not None:
        cell["fg"] = style.fg
    if style.bg is not None:
        cell["bg"] = style.bg
    for name in _flags():
        if getattr(style, name):
            cell[name] = True
    return cell


def screen_json(screen: TerminalScreen) -> dict[str, Any]:
    """The final screen as the ``--dump-format json`` object."""
    cells: list[list[dict[str, Any]]] = []
    for y in range(screen.rows):
        row = [screen.cell(y, x) for x in range(screen.cols)]
        cells.append(
            [
                _cell(char, style, wide=bool(char) and x + 1 < len(row) and row[x + 1][0] == "")
                for x, (char, style) in enumerate(row)
            ]
        )
    cursor_row, cursor_col = screen.cursor
    return {
        "width": screen.cols,
        "height": screen.rows,
        "cursor": {"row": cursor_row, "col": cursor_col, "visible": bool(screen.cursor_visible)},
        "title": screen.title,
        "alternate_screen": bool(screen.modes.alternate_screen),
        "rows": screen_rows(screen),
        "cells": cells,
    }


def _write(text: str) -> None:
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "replace").decode(encoding))
    stream.flush()


def _error(message: str) -> int:
    print(f"aitui replay: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run_replay(args: argparse.Namespace) -> int:
    """The ``replay`` command: returns the exit status."""
    from aitui.core.asciicast import AsciicastError, load

    try:
        cast = load(args.file)
    except AsciicastError as exc:
        return _error(f"malformed recording: {exc}")
    except FileNotFoundError:
        return _error(f"no such file: {args.file}")
    except IsADirectoryError:
        return _error(f"{args.file} is a directory, not a recording")
    except OSError as exc:
        return _error(f"cannot read {args.file}: {exc.strerror or exc}")
    if cast.cut_line is not None:
        print(
            f"aitui replay: warning: {args.file}: line {cast.cut_line} was cut off (the "
            "recording ended mid-write); replaying every event before it",
            file=sys.stderr,
        )
    dump_format = args.dump_format or ("text" if args.dump else None)
    if dump_format is None:
        if not 0 < args.speed < math.inf:  # nan and inf played it all at once
            return _error(f"--speed must be a positive number, got {args.speed}")
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            print(
                "aitui replay: playing a recording in the dashboard needs a terminal.\n"
                f"Use --dump to print the final screen instead: aitui replay {args.file} --dump "
                "(add --dump-format json for the cursor and each cell's attributes).",
                file=sys.stderr,
            )
            return EXIT_USAGE
        from aitui.dashboard.fps import use_dashboard_fps

        use_dashboard_fps()  # before Textual is imported
        from aitui.dashboard.playback import playback_app

        playback_app(cast, Path(args.file).stem, args.speed).run()
        return 0
    screen = replay(cast)
    if dump_format == "json":
        _write(json.dumps(screen_json(screen), ensure_ascii=False) + "\n")
    else:
        _write("\n".join(screen_rows(screen)) + "\n")
    return 0
