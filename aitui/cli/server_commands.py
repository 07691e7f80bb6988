"""``aitui server``, ``aitui kill-server`` and ``aitui attach``: the server's life.

``aitui -L NAME`` / ``aitui -S PATH`` (before the command, as in tmux) pick which server; by
default the user's one, ``default``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from aitui.core.errors import AituiError

KILL_WAIT_S = 10.0


def add_socket_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("server")
    which = group.add_mutually_exclusive_group()
    which.add_argument("-L", dest="server_name", metavar="NAME", help="the server called NAME")
    which.add_argument("-S", dest="server_socket", metavar="PATH", help="the server on PATH")


def server_socket(args: argparse.Namespace) -> Path:
    from aitui.core.sockets import socket_path

    return socket_path(getattr(args, "server_name", None), getattr(args, "server_socket", None))


def register(subparsers: Any) -> None:
    server = subparsers.add_parser(
        "server",
        help="start the server that owns the sessions (aitui starts it when needed)",
        description="Start the aitui server in the background, or with --foreground here. "
        "It owns the sessions, which keep running when dashboards detach. With --port it also "
        "serves the HTTP API on TCP (the token rules of 'aitui serve').",
    )
    from aitui.server.cli import add_arguments

    add_arguments(server)
    server.set_defaults(port=None)
    server.add_argument("--foreground", action="store_true", help="run here, logging to stderr")
    server.set_defaults(func=run_server)
    kill = subparsers.add_parser(
        "kill-server", help="end the server and every session in it", description=None
    )
    kill.set_defaults(func=run_kill_server)
    attach = subparsers.add_parser(
        "attach",
        help="open the dashboard on the running server's sessions",
        description="Attach a dashboard to the running server (it is not started: 'aitui' "
        "does that).",
    )
    attach.add_argument("-t", dest="target", metavar="NAME", help="the session to show first")
    attach.set_defaults(func=run_attach)


def run_server(args: argparse.Namespace) -> int:
    sock = server_socket(args)
    extra = ["--log-level", args.log_level]
    if args.no_persist:
        extra.append("--no-persist")
    env = None
    if args.port is not None:
        extra += ["--tcp", "--host", args.host, "--port", str(args.port)]
        extra += [f"--allowed-host={name}" for name in args.allowed_host]
        if args.token:
            # In its environment, not on its command line: any local user (and any program
            # in its sessions, as their parent's) reads a process's arguments from /proc.
            env = {**os.environ, "AITUI_TOKEN": args.token}
    if args.foreground:
        from aitui.server.daemon import main

        token = ["--token", args.token] if args.port is not None and args.token else []
        return main(["--socket", str(sock), *extra, *token])
    from aitui.client.spawn import start_server

    try:
        pid = start_server(sock, extra, env=env)
    except AituiError as exc:
        print(f"aitui: {exc}", file=sys.stderr)
        return 1
    print(f"aitui server started (pid {pid}) on {sock}")
    return 0


def run_kill_server(args: argparse.Namespace) -> int:
    from aitui.server.daemon import running_pid

    sock = server_socket(args)
    pid = running_pid(sock)
    if pid is None:
        print(f"aitui: no server running on {sock}", file=sys.stderr)
        return 1
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + KILL_WAIT_S
    while running_pid(sock) is not None:
        if time.monotonic() > deadline:
            print(
                f"aitui: the server (pid {pid}) did not stop in {KILL_WAIT_S:.0f}s", file=sys.stderr
            )
            return 1
        time.sleep(0.05)
    return 0


def run_attach(args: argparse.Namespace) -> int:
    from aitui.cli.dashboard import run_dashboard

    args.attach_only = True
    return run_dashboard(args)
