"""The two systems the server benchmarks compare, set up the same way.

* ``AituiRig``: an ``aitui server --no-persist`` on a socket in a private temp directory (its
  own HOME, so no user configuration, store or socket is touched), sessions made over its HTTP
  API on that socket, and ``aitui -S SOCK`` dashboards in PTYs (``PtyTerminal``).
* ``TmuxRig``: a tmux server on its own ``-L`` socket (no user configuration), windows or panes
  made with tmux commands, and ``tmux attach`` clients in PTYs of the same size.

Every session is ``bash`` with the prompt ``bench$ `` (an rc file in the temp HOME), so what
the benchmarks type and wait for is the same in both. ``server_pids`` / ``client`` give the
processes whose CPU the benchmarks count.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pty_terminal import PtyTerminal

AITUI = Path(sys.executable).with_name("aitui")
ROWS, COLS = 50, 160
PROMPT = "bench$ "


#: The settings every benchmark's dashboard starts with, unless it writes its own.
COLD_CONFIG = "warm_dashboard = false\n"


@contextlib.contextmanager
def bench_home() -> Iterator[tuple[Path, dict[str, str]]]:
    """A private temp HOME (0700) with a bash rc giving the prompt, and the environment for
    everything the benchmark starts in it."""
    with tempfile.TemporaryDirectory(prefix="aitui-srv-", ignore_cleanup_errors=True) as name:
        home = Path(name)
        home.chmod(0o700)
        (home / ".bashrc").write_text(f"PS1='{PROMPT}'\nunset PROMPT_COMMAND HISTFILE\n")
        # Dashboards measured are started from scratch (their CPU is the launched process's):
        # benchmarks/server_attach.py measures the warm dashboard's start on purpose.
        (home / "config.toml").write_text(COLD_CONFIG)
        env = {
            **os.environ,
            "HOME": str(home),
            "TERM": "xterm-256color",
            "AITUI_CONFIG": str(home / "config.toml"),
            "XDG_RUNTIME_DIR": str(home),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
        }
        env.pop("TEXTUAL_FPS", None)  # the dashboard's own default, as a user gets it
        env.pop("TMUX", None)
        yield home, env


class AituiRig:
    """An aitui server with sessions, and dashboards attached to it."""

    def __init__(self, home: Path, env: dict[str, str], server_args: Sequence[str] = ()) -> None:
        """``server_args``: more options for ``aitui server`` (``--port P``, say)."""
        self.home, self.env = home, env
        self.sock = home / "aitui.sock"
        started = subprocess.run(
            [str(AITUI), "-S", str(self.sock), "server", "--no-persist", *server_args],
            env=env,
            cwd=home,
            capture_output=True,
            text=True,
            check=False,
        )
        if started.returncode != 0:
            raise RuntimeError(f"aitui server did not start: {started.stderr.strip()}")
        self.server_pid = int(started.stdout.split("pid ")[1].split(")")[0])
        self.http = httpx.Client(
            transport=httpx.HTTPTransport(uds=str(self.sock)), base_url="http://aitui", timeout=30
        )

    @property
    def server_pids(self) -> list[int]:
        return [self.server_pid]

    def new_session(self, name: str) -> None:
        reply = self.http.post("/sessions", json={"name": name, "shell": "bash"})
        reply.raise_for_status()
        self.wait_screen(name, PROMPT.rstrip())

    def send(self, name: str, text: str) -> None:
        """Type ``text`` into session ``name`` (``\\r`` is Enter)."""
        self.http.post(f"/sessions/{name}/input", json={"text": text}).raise_for_status()

    def screen(self, name: str) -> str:
        reply = self.http.get(f"/sessions/{name}/screen")
        reply.raise_for_status()
        return "\n".join(reply.json()["lines"])

    def wait_screen(self, name: str, text: str, timeout: float = 20.0, gone: bool = False) -> None:
        """Wait until ``text`` is on session ``name``'s screen (``gone``: no longer is)."""
        deadline = time.monotonic() + timeout
        while (text in self.screen(name)) == gone:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} not on {name}'s screen: {self.screen(name)!r}")
            time.sleep(0.02)

    @property
    def client_argv(self) -> list[str]:
        return [str(AITUI), "-S", str(self.sock)]

    def client(self, emulate: bool = True) -> PtyTerminal:
        """A dashboard attached to this server, in a ROWS x COLS PTY."""
        return PtyTerminal(self.client_argv, self.env, ROWS, COLS, emulate)

    def start_warm(self, timeout: float = 30.0) -> int:
        """Start this server's warm dashboard (``aitui.cli.warm_server``, which a dashboard
        starts after attaching unless ``warm_dashboard = false``) and wait until it answers
        with its pid. The next ``aitui -S SOCK`` is then a child of it."""
        from aitui.cli.warm import LineReader, send_line, warm_socket

        self.warm = subprocess.Popen(
            [sys.executable, "-m", "aitui.cli.warm_server", "--socket", str(self.sock)],
            env=self.env,
            cwd=self.home,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.socket(socket.AF_UNIX) as probe:
                    probe.settimeout(1.0)
                    probe.connect(str(warm_socket(self.sock)))
                    send_line(probe, {"ping": True})
                    answer = LineReader(probe).read()
                    if answer and "pong" in answer:
                        return int(answer["pong"])
            except OSError:
                pass
            time.sleep(0.05)
        raise TimeoutError("the warm dashboard did not answer")

    def stop_warm(self) -> None:
        if getattr(self, "warm", None) is not None:
            self.warm.terminate()
            self.warm.wait(10)
            self.warm = None

    def close(self) -> None:
        self.stop_warm()
        self.http.close()
        subprocess.run(
            [str(AITUI), "-S", str(self.sock), "kill-server"],
            env=self.env,
            capture_output=True,
            check=False,
            timeout=30,
        )


class TmuxRig:
    """A tmux server of its own (no configuration but the prompt's rc), and clients of it."""

    def __init__(self, home: Path, env: dict[str, str]) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed: no reference to measure against")
        self.env = env
        conf = home / "tmux.conf"
        conf.write_text("set -g default-terminal xterm-256color\nset -g history-limit 10000\n")
        self.conf = str(conf)
        self.base = ["tmux", "-L", f"aitui-bench-{uuid.uuid4().hex[:8]}", "-f", self.conf]
        self._created = False

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            [*self.base, *args], env=self.env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def new_window(self) -> str:
        """A window running bash (the first one creates the session); its pane id."""
        if not self._created:
            self._created = True
            args = ["new-session", "-d", "-x", str(COLS), "-y", str(ROWS), "-P", "-F"]
            pane = self.tmux(*args, "#{pane_id}", "bash")
        else:
            pane = self.tmux("new-window", "-P", "-F", "#{pane_id}", "bash")
        self.wait_screen(pane, PROMPT.rstrip())
        return pane

    def split(self) -> str:
        """A second pane beside the current one (it takes the focus); its pane id."""
        pane = self.tmux("split-window", "-h", "-P", "-F", "#{pane_id}", "bash")
        self.wait_screen(pane, PROMPT.rstrip())
        return pane

    def send(self, pane: str, text: str) -> None:
        """Type ``text`` into ``pane`` literally (``\\r`` is Enter)."""
        self.tmux("send-keys", "-t", pane, "-l", text)

    def screen(self, pane: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", pane)

    def wait_screen(self, pane: str, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen(pane):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} not in tmux pane {pane}: {self.screen(pane)!r}")
            time.sleep(0.02)

    @property
    def server_pids(self) -> list[int]:
        return [int(self.tmux("display", "-p", "#{pid}"))]

    @property
    def client_argv(self) -> list[str]:
        return [*self.base, "attach"]

    def client(self, emulate: bool = True) -> PtyTerminal:
        return PtyTerminal(self.client_argv, self.env, ROWS, COLS, emulate)

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], env=self.env, capture_output=True, check=False)


def shell_quote(path: Path) -> str:
    return shlex.quote(str(path))
