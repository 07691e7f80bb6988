"""Snapshot tests of the dashboard, grouped by feature.

Every scenario replays recordings (no live shell output), the app's clock is frozen and the
terminal size is fixed, so the pictures are deterministic. Review any changed snapshot in the
HTML report before accepting it with ``--snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from aitui.core.settings import Settings
from aitui.dashboard.headless import build_app, load_scenario, play

SCENARIOS = Path(__file__).with_name("scenarios")


def compare(snap_compare: Any, name: str, theme: str | None = None, **kwargs: Any) -> bool:
    scenario = load_scenario(SCENARIOS / f"{name}.toml")
    if theme:
        scenario.theme = theme
    app = build_app(scenario, Settings())

    async def run_before(pilot: Pilot[None]) -> None:
        await play(pilot, scenario)
        for _ in range(100):  # the failing live session: wait for its error to surface
            if not any(v.info.live and v.info.error is None for v in app.views):
                break
            await pilot.pause(0.02)
        await pilot.pause()

    result: bool = snap_compare(app, terminal_size=scenario.size, run_before=run_before, **kwargs)
    return result


class TestLayout:
    def test_empty_dashboard(self, snap_compare: Any) -> None:
        """You should see an empty session list ("no sessions"), an empty terminal area and the
        four side panels with their empty states, and the footer's keys."""
        assert compare(snap_compare, "empty")

    def test_narrow_terminal(self, snap_compare: Any) -> None:
        """You should see, at 70 columns, a narrowed session list and the terminal, with the
        side panels hidden."""
        assert compare(snap_compare, "narrow")


class TestSessions:
    def test_each_status(self, snap_compare: Any) -> None:
        """You should see five sessions: backend waiting (its last command exited 1, with an
        attention badge), frontend running, qa idle and shown, docs exited with code 0 (badge),
        broken in error (its directory does not exist), and the error in a toast and in full on
        the status line at the bottom."""
        assert compare(snap_compare, "statuses")

    def test_vim_from_a_recording(self, snap_compare: Any) -> None:
        """You should see vim editing a file, with its status line, drawn in the pane."""
        assert compare(snap_compare, "vim")

    def test_grid_view(self, snap_compare: Any) -> None:
        """You should see four sessions at once in a 2x2 grid: vim, htop, a Python REPL and a
        shell, the first one framed as focused."""
        assert compare(snap_compare, "grid")


class TestPanels:
    def test_every_panel_with_data(self, snap_compare: Any) -> None:
        """You should see the context panel with backend's tokens against its 4,096 maximum and
        a bar, the compression panel with raw → compressed tokens over the recorded commands
        and a sparkline, three messages in the agent log, newest first, each with what it says
        (the broadcast once, to 3 agents, "3 sent"; the task assignments to qa and backend),
        and the task queue: two
        tasks assigned by capability, to backend and to qa, and "release the iOS app" pending
        because no agent has "ios", all three from the dashboard."""
        assert compare(snap_compare, "panels")

    def test_task_board_and_messages_between_agents(self, snap_compare: Any) -> None:
        """You should see, in the message log, newest first, frontend's message to backend
        ("the form posts name and email; please accept both", DataShare) above the three task
        assignments from the dashboard; and on the task board "1 claimed · 1 pending · 1 done ·
        1 failed": "add the /users endpoint" claimed by backend, from frontend, High; "release
        the iOS app" pending, from qa, because no agent has "ios"; then the finished ones,
        newest first: "update the login form" failed by frontend, from backend, with npm's
        error, and "write end-to-end tests" done by qa, from the dashboard, with its summary."""
        assert compare(snap_compare, "board")


class TestKeyboard:
    def test_prefix_help(self, snap_compare: Any) -> None:
        """You should see the prefix key's help over the dashboard, listing the one-key
        commands (n new session, l list, g grid, p palette, q quit...)."""
        assert compare(snap_compare, "prefix")

    def test_prefix_help_on_a_narrow_terminal(self, snap_compare: Any) -> None:
        """You should see, at 60 columns, the prefix key's help in one column, every command
        whole from "n  new session" to "prefix  send it to the program"."""
        assert compare(snap_compare, "prefix-narrow")

    def test_command_palette(self, snap_compare: Any) -> None:
        """You should see the command palette opened with the prefix key and "p", filtered by
        "go" to the "Go to session" commands."""
        assert compare(snap_compare, "palette")


@pytest.mark.parametrize("theme", ["aitui-dark", "aitui-light", "aitui-high-contrast"])
def test_themes(snap_compare: Any, theme: str) -> None:
    """You should see the statuses scenario in each shipped theme, every status colour legible."""
    assert compare(snap_compare, "statuses", theme=theme)
