"""Remember the theme chosen in the dashboard by changing that one line of ``config.toml``.

The dashboard used to write its whole ``Settings`` back whenever the theme changed, which lost
what the user had written: every comment and layout, a value it had found bad (replaced by
the default), a flag given for one run (``--shell zsh`` became the configured shell), and,
when the file could not be parsed (a typo mid-edit), everything in it, replaced by defaults.
Now the ``theme`` line is replaced in the text (or added at the top), the result is parsed
and must hold exactly what the file held with the new theme; only if that check fails is the
file written from its parsed values (comments are lost, every value kept). A file that cannot
be parsed is left as it is, and the error says so.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from aitui.core.errors import ConfigError
from aitui.core.settings import config_path, write_config

_FIRST_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)
_THEME_LINE = re.compile(
    r"""^(?P<head>[ \t]*theme[ \t]*=[ \t]*)(?P<value>"(?:[^"\\\n]|\\.)*"|'[^'\n]*')""",
    re.MULTILINE,
)


def save_theme(theme: str, path: Path | None = None) -> Path:
    """Set ``theme`` in the config file at ``path`` (the user's by default), keeping the rest
    of the file as it is; ``ConfigError`` if the file cannot be read or parsed."""
    path = path or config_path()
    line = tomli_w.dumps({"theme": theme})
    if not path.exists():
        write_config(path, line)
        return path
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"the theme was not saved: {path} cannot be read ({exc}); the file was left as it is"
        ) from exc
    wanted = {**data, "theme": theme}
    edited = _edited(text, line)
    write_config(path, edited if _holds(edited, wanted) else tomli_w.dumps(wanted))
    return path


def _edited(text: str, line: str) -> str:
    """``text`` with its top-level ``theme`` value replaced, or ``line`` put first."""
    table = _FIRST_TABLE.search(text)
    top_end = table.start() if table else len(text)
    found = _THEME_LINE.search(text, 0, top_end)
    if found is None:
        return line + text
    value = line.split("=", 1)[1].strip()
    return text[: found.start("value")] + value + text[found.end("value") :]


def _holds(text: str, wanted: dict[str, Any]) -> bool:
    try:
        return tomllib.loads(text) == wanted
    except tomllib.TOMLDecodeError:
        return False
