"""``aitui serve``: run the HTTP API (the same server as ``ai-session-server``)."""

from __future__ import annotations

import argparse
from typing import Any

from aitui.server.cli import add_arguments, run


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="serve the HTTP API (ai-session-server)",
        description="Serve the ai-session HTTP API: sessions on real PTYs, driven over HTTP. "
        "Binds 127.0.0.1 unless --host is given; any other address needs --token.",
    )
    add_arguments(parser)
    parser.set_defaults(func=run)
