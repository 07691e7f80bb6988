"""The fixed cost of one frame of an Ink-like redraw, in instructions: a deterministic figure.

    .venv/bin/python benchmarks/redraw_cost.py [--frames 150] [--variant spinner] [--stage all]
    valgrind --tool=callgrind .venv/bin/python benchmarks/redraw_cost.py ...  (see --callgrind)

``ink_redraw.py`` measures CPU seconds of the real server and dashboard against tmux, which on
a shared two-core machine moves by 10-20% between runs. This pushes the same program's frames
(``ink_redraw.PROGRAM``'s bytes, as they come out of a PTY: ONLCR turns each LF into CR LF)
through the real code of both processes, in one process and in order, with no event loop
timing in between, so the instruction count per frame is the same from run to run:

- ``server``: each program frame read (``AISession._on_data``: mark scanner, output log,
  command observer, the feeder's push under a hold), then, every second program frame (the
  frame budget's 30 of 60), parsing what waited, taking the dirty rows, building the
  ``Frame`` (``FrameBuilder``), encoding it and framing it as the WebSocket server does
  (``websockets`` sans-I/O);
- ``client``: the client's WebSocket parsing of those bytes, ``decode_server`` and
  ``RemoteHost``'s handling (``RemoteScreen.apply``, the host event, the bridge's message);
- ``draw``: the pane's ``screen_changed`` in a headless Textual app, drawing the changed rows
  the direct way (``direct_draw.draw_regions``; headless, the write is discarded).

Not included: the event loops' own work, the PTY reads themselves, uvicorn's ASGI layer and the
asyncio side of the client's WebSocket, Textual's message dispatch and its writer thread.
``--callgrind`` runs the harness twice under ``valgrind --tool=callgrind`` (0 and ``--frames``
frames) and prints the difference per frame, the set-up taken out.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROWS, COLS = 45, 120
KEY = "ink"


def program_frames(variant: str, count: int) -> list[bytes]:
    """``ink_redraw.PROGRAM``'s frames, as the PTY passes them on (CR CR LF line ends). A row's
    text depends on its shift modulo 26 only, so the texts are made once (generating the
    frames must cost little beside what is measured: it is counted too)."""
    spin = "|/-\\"
    alphabet = ["".join(chr(97 + (x + shift) % 26) for x in range(72 + 26)) for shift in range(26)]
    frames = []
    for frame in range(count):
        rows = ["\x1b[H"]
        shift = 0 if variant == "spinner" else frame
        for y in range(40):
            text = alphabet[(y + shift) % 26][:72]
            if variant == "unique":
                text = f"{frame:07d}" + text[7:]
            rows.append(f"\x1b[3{1 + y % 6}m{y:02d} {text}\x1b[0m\x1b[K\r\r\n")
        rows.append(f"{spin[frame % 4]} working... {frame:6d}\x1b[K")
        frames.append("".join(rows).encode())
    return frames


class _Connection:
    """What ``RemoteHost`` needs of a connection, for messages handed to it directly."""

    def __init__(self) -> None:
        self.on_message: Any = None
        self.on_lost: Any = None

    def start(self) -> None:
        pass


async def run(frames: int, variant: str, stages: set[str]) -> dict[str, float]:
    from textual.app import App, ComposeResult
    from websockets.frames import Frame as WsFrame
    from websockets.frames import Opcode
    from websockets.protocol import Protocol, Side, State

    from aitui.client.remote import RemoteHost
    from aitui.core.config import SessionConfig
    from aitui.core.session import AISession
    from aitui.core.wire import decode_server, encode
    from aitui.dashboard import bridge
    from aitui.dashboard.widgets import direct_draw
    from aitui.dashboard.widgets.terminal_pane import TerminalPane
    from aitui.server.frames import FrameBuilder

    session = AISession(SessionConfig(name=KEY, pty_size=(ROWS, COLS)))
    builder = FrameBuilder()
    server_ws = Protocol(Side.SERVER, state=State.OPEN, max_size=None)
    client_ws = Protocol(Side.CLIENT, state=State.OPEN, max_size=None)
    host = RemoteHost(_Connection())  # type: ignore[arg-type]
    host._infos[KEY] = None  # type: ignore[assignment]  # a session the list announced
    source = host.source(KEY)
    assert source is not None
    messages: list[object] = []
    host.subscribe(lambda event: messages.append(bridge.message_for(event)))

    class Harness(App[None]):
        CSS = "TerminalPane { width: 1fr; height: 1fr; }"

        def compose(self) -> ComposeResult:
            yield TerminalPane(source)  # type: ignore[arg-type]

    # Headless, the direct path never draws (nothing reaches a terminal); the check it makes
    # for what is on top of the pane still runs.
    direct_draw.uncovered = lambda widget, placement=None: direct_draw.on_top(widget, placement)
    app = Harness()
    chunks = program_frames(variant, 2 * frames + 2)
    spent = dict.fromkeys(("server", "client", "draw"), 0.0)
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        pane = app.query_one(TerminalPane)
        pane.focus()
        await pilot.pause()

        def one(index: int) -> None:
            started = time.process_time()
            session.hold_screen(60)
            session._on_data(chunks[2 * index])
            session._on_data(chunks[2 * index + 1])
            session._feeder.flush()
            screen = session.screen
            message = encode(builder.frame(KEY, screen, screen.take_dirty()))
            server_ws.send_frame(WsFrame(Opcode.BINARY, message))
            wire = b"".join(server_ws.data_to_send())
            served = time.process_time()
            client_ws.receive_data(wire)
            for event in client_ws.events_received():
                host._on_message(decode_server(event.data))
            messages.clear()
            received = time.process_time()
            if "draw" in stages:
                pane.screen_changed()
            spent["server"] += served - started
            spent["client"] += received - served
            spent["draw"] += time.process_time() - received

        one(0)  # the first, full frame is set-up
        for key in spent:
            spent[key] = 0.0
        for index in range(1, frames + 1):
            one(index)
    return spent


def callgrind(args: argparse.Namespace) -> None:
    """Instructions per frame: two runs under callgrind, 0 and ``--frames`` frames."""
    counts = []
    for frames in (0, args.frames):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "callgrind.out"
            command = [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--frames",
                str(frames),
                "--variant",
                args.variant,
                "--stage",
                args.stage,
            ]
            env = {**os.environ, "PYTHONHASHSEED": "0"}
            subprocess.run(command, check=True, capture_output=True, env=env)
            totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
            assert totals is not None
            counts.append(int(totals.group(1)))
    per_frame = (counts[1] - counts[0]) / args.frames
    print(
        f"{args.variant} stage {args.stage}: {per_frame / 1e6:.3f} M instructions a frame "
        f"({args.frames} frames, set-up {counts[0] / 1e6:.0f} M)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=150)
    parser.add_argument("--variant", default="spinner", choices=("spinner", "full", "unique"))
    parser.add_argument("--stage", default="all", help="all, or 'nodraw' (server and client)")
    parser.add_argument("--callgrind", action="store_true")
    args = parser.parse_args()
    if args.callgrind:
        callgrind(args)
        return
    stages = {"server", "client"} if args.stage == "nodraw" else {"server", "client", "draw"}
    spent = asyncio.run(run(args.frames, args.variant, stages))
    if args.frames:
        print(
            f"{args.variant}: per frame "
            + ", ".join(f"{k} {v / args.frames * 1e6:.0f} us" for k, v in spent.items())
        )


if __name__ == "__main__":
    main()
