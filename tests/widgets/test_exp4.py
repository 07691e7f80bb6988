from pathlib import Path
from textual.widgets import Input
from tests.widgets.test_dashboard_pilot import make_app, started, wait_for, type_in_one_go
from aitui.dashboard.widgets.dialogs import NewSessionScreen

async def test_fast(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        type_in_one_go(app, ["ctrl+right_square_bracket", "n", *"two", "enter"])
        for i in range(20):
            await pilot.pause(0.05)
            s = app.screen
            print(i, [v.name for v in app.views], s, s.focused, s.query_one("#name", Input).value if isinstance(s, NewSessionScreen) else None)
        await app.action_quit()
