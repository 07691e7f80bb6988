"""The theme chosen in the dashboard changes only the ``theme`` line of ``config.toml``.

Writing the whole settings back lost the user's comments, values it had found bad, one-run
flags (``--shell``) and, for a file that did not parse, everything in it.
"""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from aitui.core.errors import ConfigError
from aitui.core.theme_file import save_theme

MINE = """\
# my aitui settings
theme = 'nord'   # the one I like
scrollback_lines = 500
colour = "typo, still mine"

[keys]
prefix = "ctrl+b"  # as in tmux
theme = "not the theme: a key in [keys]"
"""


def test_only_the_theme_value_changes(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MINE)
    save_theme("dracula", path)
    assert path.read_text() == MINE.replace("'nord'", '"dracula"')


def test_a_file_without_a_theme_gets_one_at_the_top(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    rest = MINE.replace("theme = 'nord'   # the one I like\n", "")
    path.write_text(rest)
    save_theme("dracula", path)
    assert path.read_text() == 'theme = "dracula"\n' + rest


def test_no_file_gets_the_theme_alone_privately(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    save_theme("nord", path)
    assert tomllib.loads(path.read_text()) == {"theme": "nord"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_file_that_does_not_parse_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    broken = MINE.replace("[keys]", "[keys")
    path.write_text(broken)
    with pytest.raises(ConfigError, match=r"the theme was not saved.*left as it is"):
        save_theme("dracula", path)
    assert path.read_text() == broken


@pytest.mark.parametrize(
    "text",
    [
        '"theme" = "nord"\nscrollback_lines = 5\n',  # a quoted key the line edit does not see
        'theme = """nord"""\n[keys]\nprefix = "ctrl+b"\n',  # a multi-line string
    ],
)
def test_an_unusual_spelling_keeps_every_value(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    save_theme('odd "name"', path)
    assert tomllib.loads(path.read_text()) == {**tomllib.loads(text), "theme": 'odd "name"'}
