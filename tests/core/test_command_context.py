"""Commands seen through shell integration become events, and Tool messages in the AI context."""

from __future__ import annotations

import shutil

import pytest

from aitui.core.command_observer import CommandCompleted
from aitui.core.events import SessionEvent
from tests.conftest import SessionFactory


def completed(events: list[SessionEvent]) -> list[CommandCompleted]:
    return [e for e in events if isinstance(e, CommandCompleted)]


@pytest.mark.parametrize(
    "shell",
    [
        "bash",
        pytest.param("zsh", marks=pytest.mark.skipif(not shutil.which("zsh"), reason="no zsh")),
    ],
)
async def test_typed_and_executed_commands_are_reported(
    make_session: SessionFactory, shell: str
) -> None:
    session = await make_session(shell, enable_ai_features=True)
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    await session.execute("seq 1 3000; false")
    await session.send_input("echo typed by hand\n")
    await session.expect("\ntyped by hand")
    await session.execute("true")  # the typed command has certainly finished by now
    seen = completed(events)
    assert [(e.command, e.exit_code) for e in seen] == [
        ("seq 1 3000; false", 1),
        ("echo typed by hand", 0),
        ("true", 0),
    ]
    assert seen[0].output == "".join(f"{i}\n" for i in range(1, 3001))
    assert seen[1].output == "typed by hand\n"  # zsh: PROMPT_SP's padding is not output
    context = session.get_ai_context()
    tools = [m for m in context.messages if str(m.role) == "Tool"]
    assert len(tools) == 3
    assert tools[0].content.startswith("$ seq 1 3000; false")
    stats = context.stats()
    assert stats.commands_seen == 3
    assert stats.raw_output_tokens > 10 * stats.compressed_output_tokens


async def test_sentinel_shells_record_execute(make_session: SessionFactory) -> None:
    session = await make_session("sh", enable_ai_features=True)
    await session.execute("echo from sh")
    messages = session.get_ai_context().messages
    assert len(messages) == 1 and messages[0].content == "$ echo from sh\nfrom sh"


async def test_nothing_recorded_without_ai_features(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    await session.execute("echo hi")
    assert [e.command for e in completed(events)] == ["echo hi"]
    assert session.get_ai_context().get_message_count() == 0


async def test_output_past_the_cap_is_cut_at_the_cap_and_said_so(
    make_session: SessionFactory,
) -> None:
    """A command writing 2.7 MB keeps its first OUTPUT_CAP bytes, flagged truncated;
    the next command is whole again."""
    from aitui.core.command_observer import OUTPUT_CAP

    session = await make_session("bash", enable_ai_features=True)
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    await session.execute("seq 1 400000", timeout_ms=60_000)
    await session.execute("echo after")
    big, after = completed(events)
    expected = "".join(f"{i}\n" for i in range(1, 400001))
    assert len(expected) > OUTPUT_CAP
    assert big.truncated and not after.truncated
    assert big.output == expected[: len(big.output)]
    # The cap counts the bytes the PTY gave (CR LF line ends), not the cleaned text.
    assert OUTPUT_CAP - 8 <= len(big.output.replace("\n", "\r\n").encode()) <= OUTPUT_CAP
    assert after.output == "after\n"
