"""Recording a session from the dashboard: prefix ``w`` starts and stops it, and the file plays
back what was typed and shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.core.asciicast import load
from aitui.dashboard.widgets.session_list import SessionList
from aitui.dashboard.widgets.status_line import StatusLine
from aitui.dashboard.widgets.terminal_pane import TerminalPane
from tests.widgets.test_dashboard_pilot import make_app, rendered, session_of, started, wait_for


async def test_prefix_w_records_the_current_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AITUI_DATA_DIR", str(tmp_path / "data"))
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        session = session_of(app, app.views[0])
        assert session is not None
        await pilot.press("ctrl+right_square_bracket", "w")
        await wait_for(pilot, lambda: session.recording is not None and session.recording.active)
        recording = session.recording
        assert recording is not None
        assert recording.path.parent == tmp_path / "data" / "recordings"
        assert recording.path.name.startswith("s1-")
        # You should see "rec" beside the session's name while it records.
        session_list = app.query_one(SessionList)
        await wait_for(pilot, lambda: "rec" in str(session_list.get_option_at_index(0).prompt))

        await pilot.press(*"echo recorded-$((6 * 7))", "enter")
        pane = app.query_one("#pane-main", TerminalPane)
        await wait_for(pilot, lambda: "\nrecorded-42" in rendered(pane))
        await pilot.press("ctrl+right_square_bracket", "w")
        await wait_for(pilot, lambda: not recording.active)
        await wait_for(pilot, lambda: "rec" not in str(session_list.get_option_at_index(0).prompt))
        # You should see where the recording went, on the status line.
        assert app.query_one(StatusLine).text == f"recording saved: {recording.path}"
        await app.action_quit()

    assert "recorded-42" in "".join(load(recording.path).output())
