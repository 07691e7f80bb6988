"""A configured key the dashboard could never receive is reported and replaced by its default.

A prefix of ``zz+q`` was bound as given: the binding never fired, and every prefix command
(new session, detach, quit...) was out of reach.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.core.settings import DEFAULT_KEYS, Settings
from aitui.dashboard.key_names import key_problem, usable_keys
from aitui.dashboard.widgets.dialogs import NewSessionScreen
from aitui.dashboard.widgets.status_line import StatusLine
from tests.widgets.test_dashboard_pilot import make_app, started, wait_for


@pytest.mark.parametrize(
    "key",
    ["ctrl+right_square_bracket", "ctrl+pagedown", "alt+a", "ctrl+b", "f5", "shift+tab", "a,b"],
)
def test_keys_textual_reports_pass(key: str) -> None:
    assert key_problem(key) is None


@pytest.mark.parametrize(
    ("key", "said"),
    [("zz+q", "unknown modifier 'zz'"), ("ctrl+zz", "names no key"), ("ctrl+", "names no key")],
)
def test_keys_it_never_reports_are_named(key: str, said: str) -> None:
    problem = key_problem(key)
    assert problem is not None and said in problem


def test_a_bad_key_falls_back_to_its_default_and_the_rest_are_kept() -> None:
    keys, problems = usable_keys({**DEFAULT_KEYS, "prefix": "zz+q", "next_session": "ctrl+n"})
    assert keys["prefix"] == DEFAULT_KEYS["prefix"] and keys["next_session"] == "ctrl+n"
    assert problems == [
        "keys.prefix = 'zz+q' has an unknown modifier 'zz' (ctrl, shift, alt, meta, super);"
        f" using {DEFAULT_KEYS['prefix']}"
    ]


async def test_the_dashboard_says_so_and_its_prefix_still_works(tmp_path: Path) -> None:
    """You should see the problem on the status line, and the default prefix open dialogs."""
    settings = Settings(keys={**DEFAULT_KEYS, "prefix": "zz+q"})
    app = make_app(tmp_path, settings=settings)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        line = app.query_one(StatusLine)
        await wait_for(pilot, lambda: any("keys.prefix" in str(entry) for entry in line.history))
        await pilot.press("ctrl+right_square_bracket", "n")
        assert isinstance(app.screen, NewSessionScreen)
        assert settings.keys["prefix"] == "zz+q"  # what the user wrote is kept as written
        await app.action_quit()
