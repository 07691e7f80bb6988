"""``aitui`` with no sub-command: the dashboard (or its headless scenario mode)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aitui.core.config import HistoryMode, SessionConfig
from aitui.core.hosting import Host
from aitui.core.settings import Settings, load_settings, save_settings
from aitui.server.cli import add_no_persist_option


def add_dashboard_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("dashboard")
    group.add_argument("--theme", help="theme to start with (remembered when changed in the app)")
    group.add_argument("--shell", help="shell for new sessions (default: config, then $SHELL)")
    group.add_argument(
        "--headless", action="store_true", help="run a --scenario without a terminal"
    )
    group.add_argument("--scenario", type=Path, help="scenario TOML for --headless")
    group.add_argument("--screenshot", type=Path, help="--headless: write an SVG screenshot")
    add_no_persist_option(group)


def run_dashboard(args: argparse.Namespace) -> int:
    settings, problems = load_settings(themes=_theme_names())
    if getattr(args, "theme", None):
        settings.theme = args.theme
    if getattr(args, "shell", None):
        settings.shell = args.shell
    if getattr(args, "headless", False):
        from aitui.dashboard.headless import run_scenario

        if args.scenario is None:
            print("aitui: --headless needs --scenario FILE.toml", file=sys.stderr)
            return 2
        return run_scenario(args.scenario, args.screenshot, settings)
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        print("aitui: the dashboard needs a terminal (use --headless for scripts)", file=sys.stderr)
        return 2
    return _run_attached(args, settings, problems)


def _run_attached(args: argparse.Namespace, settings: Settings, problems: list[str]) -> int:
    """The dashboard on the server's sessions (the server is started unless ``aitui attach``):
    they run on when it closes, and the server serves the HTTP API on its socket."""
    from aitui.cli.server_commands import server_socket
    from aitui.client import attach
    from aitui.dashboard.app import AituiApp

    sock = server_socket(args)
    only_attach = getattr(args, "attach_only", False)
    attempts = 0

    async def connect() -> Host:
        nonlocal attempts
        attempts += 1  # the first one obeys ``aitui attach``; a re-attach starts the server
        extra = ["--no-persist"] if getattr(args, "no_persist", False) else []
        return await attach(sock, start=not only_attach or attempts > 1, extra=extra)

    app = AituiApp(
        settings=settings,
        problems=problems,
        sessions=[
            SessionConfig(
                name="shell-1",
                shell=settings.shell,
                history=HistoryMode.SHELL,
                enable_ai_features=True,
            )
        ],
        save_settings=save_settings,
        reconnect=connect,
        target=getattr(args, "target", None),
    )
    app.run()
    return app.return_code or 0


def _theme_names() -> list[str]:
    from aitui.dashboard.theming import theme_names  # Textual: only when it is needed

    return theme_names()
