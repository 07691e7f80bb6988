"""The compression panel's figures read as English for one command as for several."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from aitui.dashboard.widgets.panels import CompressionFigures, CompressionPanel


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CompressionPanel()


async def test_one_command_is_one_command() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 12)) as pilot:
        panel = app.query_one(CompressionPanel)
        figures = panel.query_one(".figures", Static)
        panel.show(CompressionFigures(16, 15, 1, (6.0,)))
        await pilot.pause()
        assert "6% saved over 1 command\n" in str(figures.render())
        panel.show(CompressionFigures(43, 40, 4, (6.0, 10.0, 0.0, 10.0)))
        await pilot.pause()
        assert "7% saved over 4 commands\n" in str(figures.render())
        await app.action_quit()
