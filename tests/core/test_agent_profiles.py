"""Agent profiles: the shipped ones load, the user's replace them, and a bad file is an error
that names the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.core.activity import Activity
from aitui.core.profiles import ProfileError, get_profile, load_profiles, parse_profile

BOX = "─" * 40 + "\n❯\u00a0\n" + "─" * 40
SHIPPED = {"claude", "codex", "gemini", "aider", "opencode", "shell"}


def test_every_shipped_profile_loads_with_keys_that_exist(tmp_path: Path) -> None:
    profiles = load_profiles(tmp_path)  # an empty user dir
    assert set(profiles) == SHIPPED
    claude = profiles["claude"]
    assert claude.command == ("claude",) and claude.resume_args == ("--continue",)
    assert claude.hooks == "claude"
    assert claude.key_bytes("approve") == b"1" and claude.key_bytes("interrupt") == b"\x1b"
    assert profiles["codex"].resume_args == ("resume", "--last")
    with pytest.raises(ProfileError, match="no keys to approve"):
        profiles["shell"].key_bytes("approve")


def test_screen_patterns_in_their_order_approval_first() -> None:
    claude = get_profile("claude", Path("/nonexistent"))
    assert claude.screen_state("✻ Thinking… (esc to interrupt)\n" + BOX) is Activity.WORKING
    dialog = "Bash(rm x)\nDo you want to proceed?\n❯ 1. Yes\n(esc to interrupt)"
    assert claude.screen_state(dialog) is Activity.APPROVAL
    assert claude.screen_state("❯ say hi\n● Hi!\n" + BOX) is Activity.WAITING
    assert claude.screen_state("plain output") is None


def test_a_user_profile_replaces_a_shipped_one_and_adds_new_ones(tmp_path: Path) -> None:
    (tmp_path / "claude.toml").write_text(
        'command = ["claude", "--model", "opus"]\nhooks = "claude"\n'
    )
    (tmp_path / "mine.toml").write_text('title = "Mine"\ncommand = ["mine"]\n')
    profiles = load_profiles(tmp_path)
    assert profiles["claude"].command == ("claude", "--model", "opus")
    assert profiles["claude"].path == str(tmp_path / "claude.toml")
    assert profiles["mine"].title == "Mine" and profiles["mine"].hooks == "none"
    with pytest.raises(ProfileError, match="no agent profile named 'nope': there are aider"):
        get_profile("nope", tmp_path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("command = [", "not valid TOML"),
        ("colour = 'red'", "unknown field"),
        ("hooks = 'telepathy'", "hooks must be one of"),
        ("command = 'claude'", "command must be a list of strings"),
        ("[screen]\nwaiting = ['(']", "screen.waiting: bad pattern"),
        ("[screen]\nblinking = []", r"unknown key\(s\) in \[screen\]"),
        ("[keys]\napprove = ['hyper+q']", "keys.approve"),
        ("screen = 3", r"\[screen\] must be a table"),
    ],
)
def test_a_bad_profile_names_the_file_and_the_field(text: str, problem: str) -> None:
    with pytest.raises(ProfileError, match=problem) as raised:
        parse_profile("x", text, "/home/u/.config/aitui/profiles/x.toml")
    assert str(raised.value).startswith("/home/u/.config/aitui/profiles/x.toml: ")


def test_an_unreadable_user_profile_is_an_error_not_a_silent_default(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_bytes(b"\xff\xfe")
    with pytest.raises(ProfileError, match=r"bad\.toml: cannot be read"):
        load_profiles(tmp_path)
