"""The real Claude Code and Codex, offline, in aitui sessions (real PTY, 120x40).

What agent profiles rely on, checked against the pinned CLIs (``.ci/install-agent-clis``): the
screens that identify each state, the hooks that fire and their payloads, Codex's ``notify``
argv, and the keys that approve, deny and interrupt. A fake API (tests/agent_fake_apis.py)
stands in for the network so turns finish and tools are asked for. Skipped, with the reason,
when a CLI is not installed. docs/agent-clis.md is the prose version.

Every wait is on a condition with a generous bound (the CLIs take seconds to start on a loaded
machine); nothing asserts how long anything took.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from aitui import AISession
from aitui.core.activity import Activity
from aitui.core.agent_hooks import interpret
from aitui.core.keys import named_key
from aitui.core.profiles import get_profile
from tests.agent_clis import (
    CLAUDE_HOOK_EVENTS,
    SCREEN_MARKERS,
    Launch,
    claude_launch,
    codex_launch,
    read_hook_log,
    shows,
)
from tests.agent_fake_apis import REPLY_TEXT, TOOL_FILE, TOOL_MARKER, FakeAnthropic, FakeOpenAI
from tests.conftest import SessionFactory

pytestmark = pytest.mark.slow

SIZE = (40, 120)
#: Upper bound for any one state to appear; the CLIs normally need a few seconds.
BOUND = 60.0
SCREENS = Path(__file__).parent / "data" / "agent_screens"

Start = Callable[[Launch], Awaitable[AISession]]


@pytest.fixture
def start(make_session: SessionFactory) -> Start:
    """A real CLI's launch in a session (stopped after the test, as ``make_session``'s are)."""

    async def factory(launch: Launch) -> AISession:
        return await make_session(
            shell_command=launch.command_line, working_directory=launch.cwd, pty_size=SIZE
        )

    return factory


@pytest.fixture
def anthropic() -> Iterator[FakeAnthropic]:
    api = FakeAnthropic()
    with api.running():
        yield api


@pytest.fixture
def openai() -> Iterator[FakeOpenAI]:
    api = FakeOpenAI()
    with api.running():
        yield api


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    path.mkdir()
    return path


async def until(condition: Callable[[], bool], what: str, session: AISession) -> None:
    """Wait for ``condition``; on timeout (or the program exiting) fail showing the screen."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BOUND
    while True:
        await session.screen_caught_up()
        if condition():
            return
        if not session.is_running or loop.time() > deadline:
            state = "exited" if not session.is_running else f"not within {BOUND:g}s"
            pytest.fail(f"{what}: {state}; screen:\n{session.screen.text()}")
        await asyncio.sleep(0.1)


async def screen_shows(session: AISession, *needles: str) -> str:
    await until(lambda: all(n in session.screen.text() for n in needles), repr(needles), session)
    return session.screen.text()


#: What each recorded screen is, as the shipped profiles' fallback patterns must read it.
PROFILE_STATES: dict[str, Activity] = {
    "claude-trust": Activity.WAITING,
    "claude-input": Activity.WAITING,
    "claude-working": Activity.WORKING,
    "claude-permission": Activity.APPROVAL,
    "claude-denied-esc": Activity.WAITING,
    "claude-interrupted": Activity.WAITING,
    "codex-signin": Activity.WAITING,
    "codex-trust": Activity.WAITING,
    "codex-input": Activity.WAITING,
    "codex-working": Activity.WORKING,
    "codex-approval": Activity.APPROVAL,
    "codex-denied": Activity.WAITING,
    "codex-interrupted": Activity.WAITING,
}


def profile_reads(state: str, text: str) -> Activity | None:
    return get_profile(state.split("-")[0], Path("/nonexistent")).screen_state(text)


async def shows_state(session: AISession, state: str) -> str:
    await until(lambda: shows(session.screen.text(), state), state, session)
    text = session.screen.text()
    record_screen(state, text, session)
    # The live screen, read by the profile's patterns as aitui reads it when hooks are silent.
    assert profile_reads(state, text) is PROFILE_STATES[state], (state, text)
    return text


def record_screen(state: str, text: str, session: AISession) -> None:
    """``AGENT_SCREENS_RECORD=1`` rewrites tests/data/agent_screens/ from the live screens."""
    if os.environ.get("AGENT_SCREENS_RECORD") != "1":
        return
    cwd = str(session.config.working_directory)
    lines = [line.rstrip() for line in text.replace(cwd, "/work/project").splitlines()]
    SCREENS.mkdir(parents=True, exist_ok=True)
    (SCREENS / f"{state}.txt").write_text("\n".join(lines).rstrip("\n") + "\n")


async def events_seen(launch: Launch, session: AISession, *names: str) -> list[dict[str, object]]:
    """Wait until each of ``names`` was recorded (by argv: the recorder's event name)."""

    def seen() -> set[str]:
        return {str(entry["argv"][0]) for entry in read_hook_log(launch.hook_log)}

    await until(lambda: set(names) <= seen(), f"hooks {names} (seen {seen()})", session)
    return read_hook_log(launch.hook_log)


def payload(entries: list[dict[str, object]], event: str) -> dict[str, object]:
    found = [e["stdin"] for e in entries if e["argv"] == [event]]
    assert found, f"no {event} hook in {entries}"
    value = found[0]
    assert isinstance(value, dict)
    return value


async def press(session: AISession, *keys: str) -> None:
    """Keys by name, encoded as an xterm would in the program's current cursor-key mode, and
    in kitty's keyboard protocol once the program asked for it (as ``aitui keys`` does)."""
    await session.screen_caught_up()
    modes = session.screen.modes
    application, kitty = modes.application_cursor_keys, modes.kitty_keyboard
    await session.send_input(
        b"".join(named_key(k, application_cursor=application, kitty=kitty) for k in keys)
    )


async def changed(session: AISession, before: str, within: float = 8.0) -> None:
    """Wait (bounded) for the screen to differ from ``before``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline and session.is_running:
        await session.screen_caught_up()
        if session.screen.text() != before:
            return
        await asyncio.sleep(0.05)


async def steady(session: AISession, quiet: float = 1.0) -> str:
    """The screen once it has not changed for ``quiet`` seconds (bounded by BOUND)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BOUND
    await session.screen_caught_up()
    text, since = session.screen.text(), loop.time()
    while loop.time() < deadline and session.is_running and loop.time() - since < quiet:
        await asyncio.sleep(0.05)
        await session.screen_caught_up()
        if (now := session.screen.text()) != text:
            text, since = now, loop.time()
    return text


async def answer(session: AISession, dialog: str, key: Callable[[str], str]) -> None:
    """Press ``key(screen)`` until the text ``dialog`` leaves the screen. Both CLIs ignore
    keys that arrive in a dialog's first moments (type-ahead must not answer it), and Claude
    Code may redraw its trust dialog with "No, exit" selected again (an Enter meant for "Yes"
    then quits it); so each key waits for a screen that has stopped changing, and a key that
    changed nothing within a few seconds is pressed again. Not sooner: on a loaded machine a
    CLI may take seconds to redraw, and a second Esc close behind the first reads as Alt+Esc."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BOUND
    while loop.time() < deadline and session.is_running:
        text = await steady(session)
        if dialog not in text:
            return
        await press(session, key(text))
        await changed(session, text)
    pytest.fail(f"{dialog!r} stayed on the screen:\n{session.screen.text()}")


async def trust_claude_folder(session: AISession) -> None:
    """Down (to "Yes, I trust this folder"), then Enter."""
    await answer(
        session,
        "Accessing workspace:",
        lambda text: "enter" if "❯ Yes, I trust this folder" in text else "down",
    )


async def type_prompt(session: AISession, text: str) -> None:
    await session.send_input(text)
    await screen_shows(session, text)
    await press(session, "enter")


# -- Claude Code ------------------------------------------------------------------------------


async def test_claude_asks_to_trust_a_new_folder_then_opens_its_input_box(
    tmp_path: Path, project: Path, start: Start, anthropic: FakeAnthropic
) -> None:
    launch = claude_launch(tmp_path, project, base_url=anthropic.base_url)
    session = await start(launch)
    trust = await shows_state(session, "claude-trust")
    assert str(project) in trust
    # "No, exit" is preselected: Down then Enter trusts (Enter alone would quit).
    assert re.search(r"❯ No, exit", trust)
    await trust_claude_folder(session)
    await shows_state(session, "claude-input")
    state = json.loads((launch.home / ".claude.json").read_text())
    assert state["projects"][str(project)]["hasTrustDialogAccepted"] is True


async def test_claude_asks_for_kitty_keys_and_shift_enter_is_a_new_line(
    tmp_path: Path, project: Path, start: Start, anthropic: FakeAnthropic
) -> None:
    """Claude Code asks ``CSI ? u`` at start; answered, it pushes the protocol's flags, and
    Shift+Enter, which legacy keys cannot tell from Enter, starts a new line in its prompt."""
    launch = claude_launch(tmp_path, project, trusted=True, base_url=anthropic.base_url)
    session = await start(launch)
    await shows_state(session, "claude-input")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BOUND
    while loop.time() < deadline:  # it pushes them once it has drawn its input box
        await session.screen_caught_up()
        if session.screen.modes.kitty_keyboard & 1:  # disambiguate at least
            break
        await asyncio.sleep(0.05)
    assert session.screen.modes.kitty_keyboard & 1, "Claude Code never asked for kitty keys"
    await session.send_input("first line")
    await screen_shows(session, "first line")
    await press(session, "shift+enter")
    await session.send_input("second line")
    await screen_shows(session, "second line")
    rows = session.screen.text().splitlines()
    first = next(i for i, row in enumerate(rows) if "first line" in row)
    assert "second line" in rows[first + 1], session.screen.text()  # the next row: not sent
    sent = json.dumps([r["body"] for r in anthropic.requests])
    assert "first line" not in sent, "Shift+Enter submitted the prompt"


async def test_claude_session_start_hook_from_a_per_session_settings_file(
    tmp_path: Path, project: Path, start: Start, anthropic: FakeAnthropic
) -> None:
    launch = claude_launch(tmp_path, project, trusted=True, hooks=True, base_url=anthropic.base_url)
    settings_file = launch.extra["settings_file"]
    before = settings_file.read_text()
    session = await start(launch)
    await shows_state(session, "claude-input")
    entries = await events_seen(launch, session, "SessionStart")
    start_payload = payload(entries, "SessionStart")
    assert {"session_id", "transcript_path", "cwd", "hook_event_name", "source"} <= set(
        start_payload
    )
    assert start_payload["hook_event_name"] == "SessionStart"
    assert start_payload["source"] == "startup"
    assert start_payload["cwd"] == str(project)
    assert str(start_payload["transcript_path"]).startswith(str(launch.home / ".claude"))
    # The per-session file is read, not written, and the user's settings are not created.
    assert settings_file.read_text() == before
    assert not (launch.home / ".claude" / "settings.json").exists()


async def test_claude_turn_fires_prompt_and_stop_hooks(
    tmp_path: Path, project: Path, start: Start, anthropic: FakeAnthropic
) -> None:
    launch = claude_launch(tmp_path, project, trusted=True, hooks=True, base_url=anthropic.base_url)
    session = await start(launch)
    await shows_state(session, "claude-input")
    await events_seen(launch, session, "SessionStart")
    await type_prompt(session, "say hello")
    entries = await events_seen(launch, session, "UserPromptSubmit", "Stop")
    await screen_shows(session, REPLY_TEXT)
    submit = payload(entries, "UserPromptSubmit")
    assert submit["prompt"] == "say hello"
    stop = payload(entries, "Stop")
    assert stop["session_id"] == submit["session_id"]
    assert stop["last_assistant_message"] == REPLY_TEXT
    assert stop["stop_hook_active"] is False
    names = [e["argv"][0] for e in entries]
    assert names.index("UserPromptSubmit") < names.index("Stop")
    assert set(names) <= set(CLAUDE_HOOK_EVENTS)


async def test_claude_permission_prompt_approved_with_1(
    tmp_path: Path, project: Path, start: Start, anthropic: FakeAnthropic
) -> None:
    launch = claude_launch(
        tmp_path,
        project,
        trusted=True,
        hooks=True,
        base_url=anthropic.base_url,
        args=("--permission-mode", "manual"),
    )
    session = await start(launch)
    await shows_state(session, "claude-input")
    await type_prompt(session, f"please {TOOL_MARKER}")
    prompt = await shows_state(session, "claude-permission")
    assert f"touch {TOOL_FILE}" in prompt
    entries = await events_seen(launch, session, "PreToolUse", "PermissionRequest")
    request = payload(entries, "PermissionRequest")
    assert request["tool_name"] == "Bash"
    assert request["tool_input"] == {
        "command": f"touch {TOOL_FILE}",
        "description": "Create a file",
    }
    await answer(session, "Do you want to proceed?", lambda _: "1")
    entries = await events_seen(launch, session, "PostToolUse", "Stop")
    assert (project / TOOL_FILE).exists()
    assert payload(entries, "PostToolUse")["tool_name"] == "Bash"


async def test_claude_permission_prompt_escape_denies_and_interrupts(
    tmp_path: Path, project: Path, start: Start, anthropic: FakeAnthropic
) -> None:
    launch = claude_launch(
        tmp_path,
        project,
        trusted=True,
        base_url=anthropic.base_url,
        args=("--permission-mode", "manual"),
    )
    session = await start(launch)
    await shows_state(session, "claude-input")
    await type_prompt(session, f"please {TOOL_MARKER}")
    await shows_state(session, "claude-permission")
    await answer(session, "Do you want to proceed?", lambda _: "escape")
    await screen_shows(session, "Interrupted")
    await until(lambda: "Do you want to proceed?" not in session.screen.text(), "gone", session)
    assert not (project / TOOL_FILE).exists()


async def test_claude_continue_without_a_conversation_says_so_and_exits(
    tmp_path: Path, project: Path, start: Start, anthropic: FakeAnthropic
) -> None:
    launch = claude_launch(
        tmp_path, project, trusted=True, base_url=anthropic.base_url, args=("--continue",)
    )
    session = await start(launch)
    assert await session.wait_exit(BOUND) == 1
    await session.screen_caught_up()
    assert "No conversation found to continue" in session.screen.text()


# -- Codex ------------------------------------------------------------------------------------


async def test_codex_signed_out_draws_its_sign_in_menu(
    tmp_path: Path, project: Path, start: Start
) -> None:
    session = await start(codex_launch(tmp_path, project))
    await shows_state(session, "codex-signin")


async def test_codex_asks_to_trust_a_git_repository_then_opens_its_input_box(
    tmp_path: Path, project: Path, start: Start, openai: FakeOpenAI
) -> None:
    if shutil.which("git") is None:
        pytest.skip("Codex asks about trust in git repositories only; no git here")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    launch = codex_launch(tmp_path, project, provider_url=openai.base_url)
    session = await start(launch)
    trust = await shows_state(session, "codex-trust")
    assert str(project) in trust
    # Enter, again if it came in the dialog's first moments (Codex drops those keys).
    await answer(session, "Trust this folder?", lambda _: "enter")
    await shows_state(session, "codex-input")
    config = (launch.home / ".codex" / "config.toml").read_text()
    assert f'[projects."{project}"]\ntrust_level = "trusted"' in config


async def test_codex_turn_fires_notify_and_hooks(
    tmp_path: Path, project: Path, start: Start, openai: FakeOpenAI
) -> None:
    launch = codex_launch(
        tmp_path, project, provider_url=openai.base_url, trusted=True, notify=True, hooks=True
    )
    session = await start(launch)
    await shows_state(session, "codex-input")
    # Codex runs SessionStart with the first turn, not when it draws its input box.
    assert read_hook_log(launch.hook_log) == []
    await type_prompt(session, "say hello")
    entries = await events_seen(
        launch, session, "SessionStart", "UserPromptSubmit", "Stop", "notify"
    )
    assert payload(entries, "SessionStart")["source"] == "startup"
    names = [e["argv"][0] for e in entries]
    assert names.index("SessionStart") < names.index("UserPromptSubmit") < names.index("Stop")
    await screen_shows(session, REPLY_TEXT)
    stop = payload(entries, "Stop")
    assert stop["last_assistant_message"] == REPLY_TEXT

    # notify: the JSON is the program's last argument (nothing on stdin). A turn of the
    # session's own thread says so by its thread-id; Codex also notifies for side threads
    # (the title it generates), which carry another id.
    def notices() -> list[dict[str, object]]:
        entries = read_hook_log(launch.hook_log)
        return [json.loads(str(e["argv"][-1])) for e in entries if e["argv"][0] == "notify"]

    def ours() -> list[dict[str, object]]:
        return [n for n in notices() if n["thread-id"] == stop["session_id"]]

    # The title thread's notice may come first: wait for the turn's own.
    await until(lambda: bool(ours()), "the turn's own notify", session)
    for notice in notices():  # what aitui makes of each: the turn is done, the title is not
        report = interpret("codex", notice)
        own = notice["thread-id"] == stop["session_id"]
        assert (report is not None and report.activity is Activity.DONE) == own, notice
    ours_now = ours()
    assert ours_now[0]["type"] == "agent-turn-complete"
    assert ours_now[0]["last-assistant-message"] == REPLY_TEXT
    assert "say hello" in ours_now[0]["input-messages"]
    assert {"turn-id", "cwd", "client"} <= set(ours_now[0])


async def test_codex_approval_prompt_approved_with_y(
    tmp_path: Path, project: Path, start: Start, openai: FakeOpenAI
) -> None:
    launch = codex_launch(tmp_path, project, provider_url=openai.base_url, trusted=True, hooks=True)
    session = await start(launch)
    await shows_state(session, "codex-input")
    await type_prompt(session, f"please {TOOL_MARKER}")
    prompt = await shows_state(session, "codex-approval")
    assert f"$ touch {TOOL_FILE}" in prompt
    entries = await events_seen(launch, session, "PermissionRequest")
    assert payload(entries, "PermissionRequest")["tool_name"] == "Bash"
    await answer(session, "1. Yes, proceed (y)", lambda _: "y")
    await events_seen(launch, session, "PostToolUse", "Stop")
    assert (project / TOOL_FILE).exists()


@pytest.mark.xfail(
    strict=False,
    reason="known, not understood: Codex 0.171 ignores every Esc in its approval dialog in about "
    "half the clean-clone runs (y works in the same runs); see docs/agent-clis.md",
)
async def test_codex_approval_prompt_escape_cancels(
    tmp_path: Path, project: Path, start: Start, openai: FakeOpenAI
) -> None:
    launch = codex_launch(tmp_path, project, provider_url=openai.base_url, trusted=True, hooks=True)
    session = await start(launch)
    await shows_state(session, "codex-input")
    await type_prompt(session, f"please {TOOL_MARKER}")
    await shows_state(session, "codex-approval")
    await answer(session, "1. Yes, proceed (y)", lambda _: "escape")
    await screen_shows(session, "You canceled the request")
    await events_seen(launch, session, "Interrupt")
    assert not (project / TOOL_FILE).exists()


# -- the recorded screens ---------------------------------------------------------------------


@pytest.mark.parametrize("state", sorted(SCREEN_MARKERS))
def test_recorded_screens_show_the_markers_the_live_tests_wait_for(state: str) -> None:
    """tests/data/agent_screens/ are real captures (see docs/agent-clis.md): profile authors
    test their patterns on them without the CLIs installed."""
    text = (SCREENS / f"{state}.txt").read_text()
    for marker in SCREEN_MARKERS[state]:
        assert re.search(marker, text, re.MULTILINE), (state, marker)


@pytest.mark.parametrize("state", sorted(PROFILE_STATES))
def test_the_profiles_read_each_recorded_screen_as_what_it_is(state: str) -> None:
    """The fallback patterns of aitui/data/profiles/ against the real CLIs' screens."""
    text = (SCREENS / f"{state}.txt").read_text()
    assert profile_reads(state, text) is PROFILE_STATES[state], text
