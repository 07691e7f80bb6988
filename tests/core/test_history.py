"""Commands sent by programs stay out of the user's shell history; a person's keep their place.

A user's ``~/.bash_history`` once held ``export API_KEY=...`` sent through the API, and 600
``execute`` calls cut a 100-line history down to 500 lines of API commands. Each shell here
runs with ``HOME`` in a temporary directory holding its own rc file and a history file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aitui import HistoryMode
from tests.conftest import SessionFactory

HISTORY_SHELLS = ["bash", "zsh", "fish"]
OLD_LINES = [f"echo old-line-{n}" for n in range(100)]


def prepare_home(home: Path, shell: str) -> Path:
    """An rc file that saves history the way users configure it; the file with 100 lines."""
    home.mkdir()
    if shell == "bash":
        (home / ".bashrc").write_text("HISTSIZE=50\nHISTFILESIZE=5000\n")
        path = home / ".bash_history"
        path.write_text("".join(f"{line}\n" for line in OLD_LINES))
    elif shell == "zsh":
        (home / ".zshrc").write_text("HISTFILE=~/.zsh_history\nHISTSIZE=5000\nSAVEHIST=5000\n")
        path = home / ".zsh_history"
        path.write_text("".join(f"{line}\n" for line in OLD_LINES))
    else:
        path = home / ".local/share/fish/fish_history"
        path.parent.mkdir(parents=True)
        path.write_text("".join(f"- cmd: {line}\n  when: 1700000000\n" for line in OLD_LINES))
    return path


async def run_as_program_then_person(
    session_factory: SessionFactory, shell: str, home: Path, history: HistoryMode
) -> None:
    session = await session_factory(
        shell,
        environment={"HOME": str(home), "XDG_DATA_HOME": str(home / ".local/share")},
        history=history,
    )
    secret = "set -x API_KEY sk-secret-123" if shell == "fish" else "export API_KEY=sk-secret-123"
    assert (await session.execute(secret)).success
    for n in range(60):  # more than HISTSIZE: they must not push the user's lines out either
        await session.execute(f"echo from-execute-{n}")
    await session.send_input("echo typed-by-a-person | tr a-z A-Z\r")
    await session.expect("TYPED-BY-A-PERSON")
    await session.send_input("exit\r")
    assert await session.wait_exit(30) is not None


@pytest.mark.parametrize("shell", HISTORY_SHELLS)
async def test_a_private_session_neither_reads_nor_writes_the_users_history(
    make_session: SessionFactory, shell: str, tmp_path: Path
) -> None:
    if not shutil.which(shell):
        pytest.skip(f"no {shell}")
    home = tmp_path / "home"
    path = prepare_home(home, shell)
    before = path.read_bytes()
    await run_as_program_then_person(make_session, shell, home, HistoryMode.PRIVATE)
    assert path.read_bytes() == before
    others = [p for p in home.rglob("*hist*") if p != path]
    assert others == []


@pytest.mark.parametrize("shell", HISTORY_SHELLS)
async def test_a_shell_session_keeps_what_a_person_typed_and_nothing_execute_sent(
    make_session: SessionFactory, shell: str, tmp_path: Path
) -> None:
    if not shutil.which(shell):
        pytest.skip(f"no {shell}")
    home = tmp_path / "home"
    path = prepare_home(home, shell)
    await run_as_program_then_person(make_session, shell, home, HistoryMode.SHELL)
    saved = path.read_text()
    assert "typed-by-a-person" in saved
    assert "API_KEY" not in saved and "from-execute" not in saved
    assert all(line in saved for line in OLD_LINES)


async def test_a_bad_history_mode_is_refused_by_name(make_session: SessionFactory) -> None:
    from aitui import ConfigError

    with pytest.raises(ConfigError, match="history must be one of private, shell"):
        await make_session("bash", history="everywhere")
