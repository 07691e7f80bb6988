"""A scenario file with a key the player does not know is refused, naming it.

``[[sessions]]`` (for ``[[session]]``) was ignored: the screenshot came out with no session
and the command exited 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.dashboard.headless import ScenarioError, load_scenario

ROOT = Path(__file__).parent.parent.parent
SHIPPED = sorted([*ROOT.glob("tests/snapshots/scenarios/*.toml"), *ROOT.glob("screenshots/*.toml")])


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[[sessions]]\nname = "a"\n', "unknown keys ['sessions'] (known: panels, session"),
        ('press = ["q"]\n', "unknown keys ['press']"),
        ('[[session]]\nname = "a"\ncomand = "vim"\n', "session 1: unknown keys ['comand']"),
        ('session = ["a"]\n', "session 1 must be a [[session]] table"),
        ('[[step]]\npres = ["q"]\n', "step 1: unknown keys ['pres']"),
        # Taken, these gave the default theme's picture (the first), or Textual's own words
        # ("Call 'App.register_theme'...") with no step named.
        ('theme = "nope"\n', "'theme' must be one of aitui-dark, aitui-high-contrast"),
        ('[[step]]\nshow = 1\n[[step]]\ntheme = "nope"\n', "step 2: 'theme' must be one of"),
    ],
)
def test_unknown_keys_are_refused_by_name(tmp_path: Path, text: str, said: str) -> None:
    path = tmp_path / "scenario.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=r"scenario\.toml: ") as raised:
        load_scenario(path)
    assert said in str(raised.value)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_scenario_shipped_still_loads(path: Path) -> None:
    load_scenario(path)  # (raises ScenarioError on a key the player does not know)
