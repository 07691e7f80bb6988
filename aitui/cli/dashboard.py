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
    from collections.abc import Awaitable, Callable

    from aitui.client.spawn import ServerLaunch
    from aitui.core.hosting import Host
    from aitui.core.settings import Settings


#: How long after attaching the warm dashboard is started (see ``_warm_later``).
WARM_DELAY_S = 1.0


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


def check_theme(name: str, themes: list[str] | None = None) -> None:
    """``--theme NAME`` names a theme, or ``ConfigError`` (status 2) says which there are:
    a typo was said only on the status line, once the dashboard had started."""
    if themes is None:
        from aitui.dashboard.theming import theme_names

        themes = theme_names()
    if name not in themes:
        from aitui.core.errors import ConfigError

        raise ConfigError(f"unknown theme {name!r}: there are {', '.join(themes)}")


def _settings(args: argparse.Namespace) -> tuple[Settings, list[str]]:
    """The user's settings with the command line's over them (imports Textual: the themes)."""
    from aitui.core.settings import load_settings
    from aitui.dashboard.fps import use_dashboard_fps

    use_dashboard_fps()  # before Textual is imported
    from aitui.dashboard.theming import theme_names

    themes = theme_names()
    settings, problems = load_settings(themes=themes)
    if getattr(args, "theme", None):
        check_theme(args.theme, themes)
        settings.theme = args.theme
    if getattr(args, "shell", None):
        settings.shell = args.shell
    return settings, problems


def _run_attached(args: argparse.Namespace) -> int:
    """The dashboard on the server's sessions (the server is started unless ``aitui attach``):
    they run on when it closes, and the server serves the HTTP API on its socket."""
    from aitui.cli.server_commands import server_socket

    sock = server_socket(args)
    if getattr(args, "theme", None):
        check_theme(args.theme)  # before a server is started for a dashboard that will not run
    only_attach = getattr(args, "attach_only", False)
    extra = ["--no-persist"] if getattr(args, "no_persist", False) else []
    early = None if only_attach else _start_early(sock, extra)
    pending = [early] if early is not None else []
    settings, problems = _settings(args)
    from aitui.core.config import HistoryMode, SessionConfig
    from aitui.core.theme_file import save_theme
    from aitui.dashboard.app import AituiApp

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
        save_theme=save_theme,
        reconnect=attacher(sock, settings, only_attach=only_attach, extra=extra, pending=pending),
        target=getattr(args, "target", None),
    )
    try:
        app.run()
    finally:
        for launch in pending:  # the app ended before it attached
            launch.close()
    return app.return_code or 0


def attacher(
    sock: Path,
    settings: Settings,
    *,
    only_attach: bool,
    extra: list[str],
    pending: list[ServerLaunch],
) -> Callable[[], Awaitable[Host]]:
    """What the dashboard calls to attach (again, when its server died): the first time as
    ``aitui attach`` asks (``only_attach``: the server is not started), then starting it;
    ``pending`` holds the server already starting, if any. Once attached, the server's warm
    dashboard is started unless ``warm_dashboard = false``."""
    from aitui.client import attach

    attempts = 0

    async def connect() -> Host:
        nonlocal attempts
        attempts += 1
        launch = pending.pop() if pending else None
        host = await attach(sock, start=not only_attach or attempts > 1, extra=extra, launch=launch)
        if settings.warm_dashboard:
            _warm_later(sock)
        return host

    return connect


def _warm_later(sock: Path) -> None:
    """Start the server's warm dashboard (``aitui.cli.warm_server``) a little after this one
    attached, in a thread: its imports then do not compete with this dashboard's first frames,
    and the next ``aitui`` on this server starts in tens of milliseconds."""
    import threading

    from aitui.cli.warm_server import ensure_warm

    timer = threading.Timer(WARM_DELAY_S, ensure_warm, args=(sock,))
    timer.daemon = True
    timer.start()


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
