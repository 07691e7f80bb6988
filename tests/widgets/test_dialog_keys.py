"""Keys that arrive together (one read from the terminal: a script, ``tmux send-keys``, a fast
typist) land in the dialog field they were typed for, on either side of a Tab."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.screen import ModalScreen
from textual.widgets import Input

from aitui.dashboard.app import AituiApp
from aitui.dashboard.widgets.agent_dialogs import TaskScreen
from aitui.dashboard.widgets.dialogs import NewSessionScreen
from tests.widgets.test_dashboard_pilot import wait_for

KEY_NAMES = {"\t": "tab", " ": "space"}


def post_at_once(app: AituiApp, text: str) -> None:
    """Queue every key of ``text`` before the app handles the first, as the driver does for
    the keys of one read."""
    for char in text:
        app.post_message(events.Key(KEY_NAMES.get(char, char), char))


async def typed_fields(dialog: ModalScreen[object], text: str) -> list[str]:
    """The dialog's field values once every key of ``text`` has been typed into one."""
    app = AituiApp(sessions=[])
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(dialog)
        await wait_for(pilot, lambda: app.screen is dialog and app.focused is not None)

        def typed() -> int:
            return sum(len(field.value) for field in dialog.query(Input))

        before = typed()
        post_at_once(app, text)
        await wait_for(pilot, lambda: typed() == before + len(text.replace("\t", "")))
        values = [field.value for field in dialog.query(Input)]
        await app.action_quit()
    return values


async def test_task_dialog_fields_after_a_tab(tmp_path: Path) -> None:
    values = await typed_fields(TaskScreen(), "write docs\tdocs")
    assert values == ["write docs", "docs"]


async def test_new_session_dialog_fields_after_tabs(tmp_path: Path) -> None:
    dialog = NewSessionScreen(tmp_path)
    values = await typed_fields(dialog, "api\t\tclaude\tbackend")
    assert values == ["api", str(tmp_path), "claude", "backend", ""]  # agent: its command's
