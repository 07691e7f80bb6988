"""``aitui --theme NAME`` with a name that is no theme: status 2 and the themes there are, said
before a server is started for a dashboard that will not run (it was said only on the status
line, once the dashboard had started with the default theme)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from aitui.cli import main
from aitui.server.daemon import running_pid
from tests.e2e.server_helpers import short_socket
from tests.e2e.tmux_helpers import Tmux

SCENARIO = Path(__file__).resolve().parents[1] / "snapshots" / "scenarios" / "empty.toml"


def test_an_unknown_theme_is_a_bad_argument(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--theme", "nosuch", "--headless", "--scenario", str(SCENARIO)]
    assert main(argv, warm=False) == 2
    said = capsys.readouterr().err
    assert said.startswith("aitui: unknown theme 'nosuch': there are aitui-dark, ")
    assert "nord" in said


@pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux")
def test_in_a_terminal_no_server_is_started_for_it(tmp_path: Path) -> None:
    sock = short_socket()
    tm = Tmux(f"aitui-theme-{uuid.uuid4().hex[:8]}")
    root = Path(__file__).resolve().parents[2]
    command = (
        f"PYTHONPATH={root} AITUI_DATA_DIR={tmp_path} {sys.executable} -m aitui.cli"
        f" -S {sock} --theme nosuch; echo status=$?; sleep 30"
    )
    tm("new-session", "-d", "-s", "ui", "-x", "200", "-y", "20", command)
    try:
        screen = tm.wait(lambda s: "status=" in s, "the command's end")
        assert "unknown theme 'nosuch'" in screen and "status=2" in screen
        assert running_pid(sock) is None and not sock.exists()
    finally:
        subprocess.run([*tm.base, "kill-server"], capture_output=True, check=False)
