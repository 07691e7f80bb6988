"""The core is headless: importing it loads no Textual; the CLI basics work."""

from __future__ import annotations

import subprocess
import sys

from aitui import __version__


def test_core_imports_no_textual() -> None:
    code = (
        "import sys, aitui, aitui.core, aitui.core.session, aitui.core.manager;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_version_and_help() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "aitui.cli", "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0
    assert version.stdout.strip() == f"aitui {__version__}"
    help_ = subprocess.run(
        [sys.executable, "-m", "aitui.cli", "--help"], capture_output=True, text=True
    )
    assert help_.returncode == 0
    assert "usage: aitui" in help_.stdout
