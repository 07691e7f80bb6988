"""The real ``aitui`` dashboard in a tmux pane: tmux plays the user's terminal."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from tests.e2e.server_helpers import short_socket, stop_server

AITUI = str(Path(sys.executable).with_name("aitui"))


class Tmux:
    def __init__(self, socket: str) -> None:
        self.base = ["tmux", "-L", socket, "-f", "/dev/null"]

    def __call__(self, *args: str) -> str:
        return subprocess.run(
            [*self.base, *args], capture_output=True, text=True, check=True
        ).stdout

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", "ui", *keys)

    def text(self, *keys: str) -> None:
        self("send-keys", "-t", "ui", "-l", *keys)

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "ui")

    def wait(self, predicate: object, what: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if callable(predicate) and predicate(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; screen was:\n{screen}")


@contextlib.contextmanager
def dashboard_in_tmux(
    tmp_path: Path, config: str = "", size: tuple[int, int] = (140, 40)
) -> Iterator[tuple[Tmux, str, dict[str, str]]]:
    """``aitui`` started in a ``size`` tmux pane named ``ui``, with ``config`` as its
    config.toml, its own server socket and data dir; all of it killed afterwards."""
    (tmp_path / "config.toml").write_text(config)
    socket = f"aitui-e2e-{uuid.uuid4().hex[:8]}"
    marker = uuid.uuid4().hex
    tm = Tmux(socket)
    server_socket = short_socket()
    env = {
        "HOME": str(tmp_path),
        "AITUI_CONFIG": str(tmp_path / "config.toml"),
        "AITUI_DATA_DIR": str(tmp_path / "data"),
        "AITUI_SOCKET": str(server_socket),
        "E2E_MARK": marker,  # not AITUI_*: children get that too
        "SHELL": "/bin/bash",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        # This checkout's code, also where the venv's editable install is another checkout's.
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    (tmp_path / ".bashrc").write_text("PS1='e2e$ '\n")
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {AITUI}"
    tm(
        "new-session",
        "-d",
        "-s",
        "ui",
        "-x",
        str(size[0]),
        "-y",
        str(size[1]),
        "-c",
        str(tmp_path),
        command,
    )
    tm("set-option", "-g", "remain-on-exit", "on")
    try:
        yield tm, marker, env
    finally:
        subprocess.run([*tm.base, "kill-server"], capture_output=True)
        stop_server(server_socket, signal.SIGKILL)


def marked_processes(marker: str) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as fh:
                if f"E2E_MARK={marker}".encode() in fh.read():
                    with open(f"/proc/{entry}/stat", "rb") as st:
                        if st.read().rsplit(b")", 1)[1].split()[0] != b"Z":
                            pids.append(int(entry))
        except OSError:
            continue
    return pids
