"""``aitui serve``: run the HTTP API (the same server as ``ai-session-server``)."""

from __future__ import annotations

import argparse
from typing import Any

from aitui.server.cli import DESCRIPTION, add_arguments, run


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="serve the HTTP API (ai-session-server)",
        description=DESCRIPTION,
    )
    add_arguments(parser)
    parser.set_defaults(func=run)
