"""What a session may be called: one rule for every way a session is named or renamed.

A name is typed on command lines (``aitui send NAME``), put in URLs and in file names
(recordings), so it holds no spaces or path separators and does not start like an option.
"""

from __future__ import annotations

import re

from aitui.core.errors import InvalidNameError

#: Session names: no path separators or spaces, not starting with a dot or dash, 1–64 chars.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
NAME_RULE = "1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit"


def check_name(name: str) -> str:
    """``name`` if it follows the rule; else ``InvalidNameError`` saying what the rule is."""
    if not NAME_PATTERN.fullmatch(name):
        raise InvalidNameError(f"invalid session name {name!r}: use {NAME_RULE}")
    return name
