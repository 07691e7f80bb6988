"""``aitui`` with no sub-command: the dashboard (or its headless scenario mode).

Every ``aitui`` command imports this module to build its parser, so it imports little at the
top. The dashboard starts its server, when none answers, before it imports Textual and the
dashboard: the server's start-up then overlaps the dashboard's instead of following it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from aitui.core.errors import AituiError
from aitui.server.cli import add_no_persist_option

if TYPE_CHECKING:
    from aitui.client.spawn import ServerLaunch
    from aitui.core.hosting import Host
    from aitui.core.settings import Settings


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
    if getattr(args, "headless", False):
        if args.scenario is None:
            print("aitui: --headless needs --scenario FILE.toml", file=sys.stderr)
            return 2
        settings, _ = _settings(args)
        from aitui.dashboard.headless import run_scenario

        return run_scenario(args.scenario, args.screenshot, settings)
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        print("aitui: the dashboard needs a terminal (use --headless for scripts)", file=sys.stderr)
        return 2
    return _run_attached(args)


def _settings(args: argparse.Namespace) -> tuple[Settings, list[str]]:
    """The user's settings with the command line's over them (imports Textual: the themes)."""
    from aitui.core.settings import load_settings
    from aitui.dashboard.fps import use_dashboard_fps

    use_dashboard_fps()  # before Textual is imported
    from aitui.dashboard.theming import theme_names

    settings, problems = load_settings(themes=theme_names())
    if getattr(args, "theme", None):
        settings.theme = args.theme
    if getattr(args, "shell", None):
        settings.shell = args.shell
    return settings, problems


def _run_attached(args: argparse.Namespace) -> int:
    """The dashboard on the server's sessions (the server is started unless ``aitui attach``):
    they run on when it closes, and the server serves the HTTP API on its socket."""
    from aitui.cli.server_commands import server_socket

    sock = server_socket(args)
    only_attach = getattr(args, "attach_only", False)
    extra = ["--no-persist"] if getattr(args, "no_persist", False) else []
    early = None if only_attach else _start_early(sock, extra)
    pending = [early] if early is not None else []
    settings, problems = _settings(args)
    from aitui.client import attach
    from aitui.core.config import HistoryMode, SessionConfig
    from aitui.core.settings import save_settings
    from aitui.dashboard.app import AituiApp

    attempts = 0

    async def connect() -> Host:
        nonlocal attempts
        attempts += 1  # the first one obeys ``aitui attach``; a re-attach starts the server
        launch = pending.pop() if pending else None
        return await attach(sock, start=not only_attach or attempts > 1, extra=extra, launch=launch)

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
    try:
        app.run()
    finally:
        for launch in pending:  # the app ended before it attached
            launch.close()
    return app.return_code or 0


def _start_early(sock: Path, extra: list[str]) -> ServerLaunch | None:
    """A server starting on ``sock`` if none answers there; None if one does, or if it cannot
    be started now (``attach`` tries again and says why)."""
    from aitui.client.spawn import ServerLaunch, server_answers

    if server_answers(sock):
        return None
    try:
        return ServerLaunch(sock, extra)
    except (AituiError, OSError):
        return None
