"""The dashboard runs Textual at 120 fps without handing TEXTUAL_FPS to its sessions."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import os
from aitui.dashboard.fps import use_dashboard_fps
use_dashboard_fps()
import textual.constants
from aitui.core.config import SessionConfig
env = SessionConfig().build_environment()
print(textual.constants.MAX_FPS, os.environ.get("TEXTUAL_FPS"), env.get("TEXTUAL_FPS"))
"""


def probe(**extra: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"} | extra
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_aitui_default_is_not_inherited_by_sessions() -> None:
    assert probe() == ["120", "None", "None"]


def test_a_users_setting_wins_and_is_inherited() -> None:
    assert probe(TEXTUAL_FPS="30") == ["30", "30", "30"]
