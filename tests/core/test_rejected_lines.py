"""``execute`` of a line the shell rejects (a syntax error): it ends at once, not at the
timeout, says so, and the session goes on with a clean line for the next command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SessionFactory

HOOK_SHELLS = [
    pytest.param(name, marks=pytest.mark.skipif(not shutil.which(name), reason=f"no {name}"))
    for name in ("bash", "zsh", "fish")
]


@pytest.mark.parametrize("shell", HOOK_SHELLS)
async def test_a_rejected_line_ends_at_once_and_the_next_command_runs_alone(
    make_session: SessionFactory, shell: str
) -> None:
    """fish draws its prompt again with the rejected line still in its editor, and no event
    fires: ``execute`` waited for its whole timeout (here 20 s), then refused every command
    ("could not be interrupted"), and the next line typed followed the rejected one."""
    session = await make_session(shell)
    for bad in ("echo ok )", "echo one )\necho two"):
        result = await session.execute(bad, timeout_ms=20_000)
        assert not result.timed_out and not result.success, result
        assert result.exit_code != 0
        after = await session.execute("echo next", timeout_ms=20_000)
        assert (after.output, after.exit_code) == ("next\n", 0)


async def test_fish_says_the_line_was_rejected_and_shows_only_its_complaint(
    make_session: SessionFactory,
) -> None:
    if not shutil.which("fish"):
        pytest.skip("no fish")
    session = await make_session("fish")
    result = await session.execute("(exit 255)", timeout_ms=20_000)
    assert result.exit_code is None and result.error is not None
    assert "rejected" in result.error
    assert result.output.startswith("fish: command substitutions not allowed here\n")
    assert "#" not in result.output and result.output.endswith("\n")  # not the new prompt


@pytest.mark.parametrize("shell", HOOK_SHELLS[:2])  # bash and zsh, whose editors complete
async def test_bash_and_zsh_without_hooks_take_tabs_bangs_and_rejected_lines(
    make_session: SessionFactory, shell: str
) -> None:
    """Without hooks (``shell_integration=False``, or a user's rc file that drops them) the
    sentinel line went to the line editor as typed: a tab was completion, a ``!`` failed
    history expansion and dropped the line with its closing mark (execute timed out, then
    refused every command), and so did a syntax error in a multi-line command's first line."""
    session = await make_session(shell, shell_integration=False)
    tab = await session.execute("printf '%s\\n' 'a\tb'", timeout_ms=20_000)
    assert (tab.output, tab.exit_code) == ("a\tb\n", 0)
    bang = await session.execute('echo "x!y"', timeout_ms=20_000)
    assert (bang.output, bang.exit_code, bang.timed_out) == ("x!y\n", 0, False)
    bad = await session.execute("echo one )\necho two", timeout_ms=20_000)
    assert not bad.timed_out and bad.exit_code not in (None, 0) and "two" not in bad.output
    after = await session.execute("echo next", timeout_ms=20_000)
    assert (after.output, after.exit_code) == ("next\n", 0)


@pytest.mark.parametrize(
    "shell",
    [
        pytest.param(name, marks=pytest.mark.skipif(not shutil.which(name), reason=f"no {name}"))
        for name in ("sh", "dash")
    ],
)
async def test_an_error_of_a_posix_shell_own_ends_the_command_and_keeps_its_state(
    make_session: SessionFactory, shell: str, tmp_path: Path
) -> None:
    """dash abandoned the rest of the typed line on an error of its own, the closing mark too:
    ``echo $((1/0))`` came back only at the timeout, and a trailing ``\\`` swallowed the mark
    for good (every later command refused)."""
    session = await make_session(shell)
    for bad, code in (("echo $((1/0))", 2), ("echo one )", 2), ("\\", 127), ("echo 'open", 2)):
        result = await session.execute(bad, timeout_ms=20_000)
        assert (result.timed_out, result.exit_code) == (False, code), (bad, result)
        assert "eval: " in result.output
    (tmp_path / "here").mkdir()
    moved = await session.execute("cd here && X=kept", timeout_ms=20_000)
    assert moved.exit_code == 0
    after = await session.execute('pwd; echo "$X"', timeout_ms=20_000)
    assert after.output == f"{tmp_path / 'here'}\nkept\n"
