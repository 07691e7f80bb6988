"""``ai-session-server`` and ``aitui serve``: the HTTP API as a standalone process.

The flags are the reference's (``--port``, ``--host``) plus ``--token`` and ``--allowed-host``,
so its commands work unchanged. The token may come from ``AITUI_TOKEN`` instead, which keeps it
out of ``ps``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from aitui.__about__ import __version__

#: ``--help``'s text, for ``ai-session-server`` and ``aitui serve`` alike.
DESCRIPTION = (
    "Serve the ai-session HTTP API: sessions on real PTYs, driven over HTTP (schema at "
    "/openapi.json). Binds 127.0.0.1 unless --host is given; any other address needs --token. "
    "Web pages cannot use it: a request with another site's Origin is refused, and so, without "
    "a token, is a Host header other than a loopback one (--allowed-host adds names). Every POST "
    "takes a JSON body ({} when there is nothing to send) with 'Content-Type: application/json'."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("-p", "--port", type=int, default=3000, help="port (default 3000; 0: any)")
    parser.add_argument(
        "--token",
        default=None,
        help="require 'Authorization: Bearer TOKEN' (default: $AITUI_TOKEN); mandatory when "
        "--host is not a loopback address",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests whose Host header names NAME, a host name without a port "
        "(repeatable). Without a token only "
        "localhost, 127.0.0.0/8 and [::1] are answered, so that no web page can reach the "
        "server by DNS rebinding; with a token any Host is answered",
    )
    parser.add_argument(
        "--log-level", default="warning", choices=["debug", "info", "warning", "error"]
    )
    parser.add_argument(
        "--socket",
        default=None,
        metavar="PATH",
        help="the server's Unix socket (default: one named http-PORT in the runtime dir)",
    )
    add_no_persist_option(parser)


def add_no_persist_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--no-persist``, for the server and the dashboard alike."""
    parser.add_argument(
        "--no-persist",
        action="store_true",
        help="keep agent messages and tasks in memory only (default: persisted in "
        "$AITUI_DATA_DIR or the user data dir, restored at the next start)",
    )


def run(args: argparse.Namespace) -> int:
    """Run a server in the foreground with the HTTP API on TCP; the process exit status.

    It is a whole aitui server: its Unix socket (``--socket``; by default one named after the
    port, ``http-PORT``) takes ``aitui -S PATH`` dashboards and CLI commands on the same
    sessions the HTTP clients drive."""
    from aitui.core.sockets import socket_path
    from aitui.server.daemon import serve_process

    token = args.token if args.token is not None else (os.environ.get("AITUI_TOKEN") or None)
    if not 0 <= args.port <= 65535:
        print(f"ai-session-server: invalid port {args.port}", file=sys.stderr)
        return 2
    args.token = token
    args.tcp = True
    args.detach = False
    args.shared_store = True  # its messages and tasks outlive it whatever port it takes
    name = f"http-{args.port or os.getpid()}"
    sock = socket_path(name, getattr(args, "socket", None))

    def tell(text: str) -> None:
        if text.startswith("ok"):
            url = text.split()[2]
            auth = "bearer token required" if token else "no token"
            print(f"ai-session-server {__version__} listening on {url} ({auth}); socket {sock}")
            sys.stdout.flush()
        else:
            print(f"ai-session-server: {text.removeprefix('error: ')}", file=sys.stderr)

    return serve_process(sock, args, tell)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ai-session-server", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"ai-session-server {__version__}")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
