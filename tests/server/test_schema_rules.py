"""The schema's patterns allow exactly the strings the server accepts (no 400 for valid data).

The server checks these fields in code, for errors that say what is wrong; the schema repeats
the rules as patterns for clients and fuzzers. Both are asked about every character that matters
(whitespace of every kind, controls, NUL, CR LF), alone and among others, and hypothesis mixes
them with any other characters.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from aitui.core.executor import _check_typeable
from aitui.server.errors import ApiError
from aitui.server.models import CreateSession, Execute
from aitui.server.routes.sessions import _config_for

#: Every character ``str.strip`` removes, every control character, and two that are not
#: whitespace to Python (U+FEFF, U+200B) though they are to some regex dialects.
SPECIAL = sorted(
    {chr(c) for c in range(0x3001) if chr(c).isspace() or c < 0x20 or c == 0x7F}
    | {"\ufeff", "\u200b"}
)
CASES = [case for c in SPECIAL for case in (c, f"{c}{c}", f"a{c}b", f"{c}\r\n", f"\r\n{c}x")]
TEXT = st.text(st.sampled_from(SPECIAL) | st.characters(codec="utf-8"), max_size=6)
PATH_FIELDS = ("shell", "working_directory")


def _pattern(model: type[CreateSession | Execute], field: str) -> re.Pattern[str]:
    """The field's pattern (beside ``anyOf: [string, null]`` it constrains the string only)."""
    schema = model.model_json_schema()["properties"][field]
    assert schema["minLength"] == 1
    return re.compile(schema["pattern"])


def _execute_accepts(command: str) -> bool:
    try:
        _check_typeable(command.replace("\r\n", "\n"))
    except ValueError:
        return False
    return bool(command.strip())


def _create_accepts(field: str, value: str) -> bool:
    try:
        _config_for(CreateSession.model_validate({"name": "n", field: value}))
    except ApiError as exc:
        assert exc.code == "INVALID_CONFIG"
        return False
    return True


def assert_agree(command_or_path: str) -> None:
    documented = _pattern(Execute, "command").match(command_or_path) is not None
    assert documented == _execute_accepts(command_or_path), repr(command_or_path)
    for field in PATH_FIELDS:
        documented = _pattern(CreateSession, field).match(command_or_path) is not None
        assert documented == _create_accepts(field, command_or_path), (field, command_or_path)


def test_the_patterns_agree_with_the_checks_on_each_special_character() -> None:
    for value in ["", "a", "\r\n", *CASES]:
        assert_agree(value)


@given(TEXT)
def test_the_patterns_agree_with_the_checks_on_any_string(value: str) -> None:
    assert_agree(value)
