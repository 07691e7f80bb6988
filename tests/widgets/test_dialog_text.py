"""A dialog says its whole title and detail: a long session name wraps within the dialog.

A Label is as wide as its text, and the dialog cut it at its edge: "Kill" of a 64-character
name (the longest allowed) lost the name's end and the question mark, so two sessions whose
names begin alike could not be told apart in the question that ends one of them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Label

from aitui.dashboard.app import AituiApp
from aitui.dashboard.widgets.dialogs import ConfirmScreen, RenameScreen
from tests.widgets.test_dashboard_pilot import wait_for

NAME = "build-the-frontend-of-the-staging-environment-then-run-e2e-tests"


def said(label: Label) -> str:
    return "".join(label.render_line(y).text.strip() for y in range(label.size.height))


@pytest.mark.parametrize("size", [(140, 40), (60, 20)])
async def test_a_long_name_is_said_whole_in_a_dialog(size: tuple[int, int]) -> None:
    assert len(NAME) == 64
    detail = f"{'claude --model opus ' * 4}and everything it started will end."
    app = AituiApp(sessions=[])
    async with app.run_test(size=size) as pilot:
        for dialog, title in (
            (ConfirmScreen(f"Kill {NAME}?", detail), f"Kill {NAME}?"),
            (RenameScreen(NAME), f"Rename {NAME}"),
        ):
            app.push_screen(dialog)
            await wait_for(pilot, lambda dialog=dialog: app.screen is dialog)
            await pilot.pause()
            labels = list(dialog.query(Label))
            for label in labels:  # drawn within the dialog, not cut at its edge
                assert label.parent is not None
                assert label.region.right <= label.parent.content_region.right  # type: ignore[attr-defined]
            texts = [said(label) for label in labels]
            assert title.replace(" ", "") in [t.replace(" ", "") for t in texts]
            if isinstance(dialog, ConfirmScreen):
                assert detail.replace(" ", "") in [t.replace(" ", "") for t in texts]
            dialog.dismiss(None)  # type: ignore[arg-type]
            await pilot.pause()
        await app.action_quit()
