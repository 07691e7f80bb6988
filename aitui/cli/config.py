"""``aitui config path|show|init``: where the configuration lives, what it says, a fresh one."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "config", help="show or create the configuration file"
    )
    parser.add_argument("action", choices=["path", "show", "init"])
    parser.add_argument("--force", action="store_true", help="init: overwrite an existing file")
    parser.set_defaults(func=run_config)


def run_config(args: argparse.Namespace) -> int:
    from aitui.core.settings import Settings, config_path, load_settings, save_settings, to_toml

    path = config_path()
    if args.action == "path":
        print(path)
        return 0
    if args.action == "show":
        settings, problems = load_settings(path, themes=_theme_names())
        for problem in problems:
            print(f"warning: {problem}", file=sys.stderr)
        source = str(path) if path.exists() else "defaults (no file yet)"
        print(f"# effective configuration, from {source}")
        sys.stdout.write(to_toml(settings))
        return 1 if problems else 0
    if path.exists() and not args.force:
        print(f"{path} already exists (use --force to overwrite it)", file=sys.stderr)
        return 1
    print(f"wrote {save_settings(Settings(), path)}")
    return 0


def _theme_names() -> list[str]:
    from aitui.dashboard.theming import theme_names  # Textual: only when it is needed

    return theme_names()
