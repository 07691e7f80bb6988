"""The dashboard driven through Textual's Pilot, with real shells behind the panes.

Each test waits for a condition with a deadline (never a blind sleep) and asserts on app state,
messages and rendered lines.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from aitui.core.activity import Activity
from aitui.core.config import SessionConfig
from aitui.core.coordination import Coordination
from aitui.core.errors import ConfigError
from aitui.core.session import AISession
from aitui.core.settings import Settings
from aitui.dashboard.app import AituiApp
from aitui.dashboard.views import SessionView
from aitui.dashboard.widgets.dialogs import NewSessionScreen
from aitui.dashboard.widgets.status_line import StatusLine
from aitui.dashboard.widgets.terminal_pane import TerminalPane


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 10) -> None:
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"condition not met within {timeout}s")


def session_of(app: AituiApp, view: SessionView) -> AISession | None:
    """The live session behind a view, in the dashboard's own host."""
    assert app.local_host is not None
    return app.local_host.session(view.key)


def coordination(app: AituiApp) -> Coordination:
    assert app.local_host is not None
    return app.local_host.coordination


def rendered(pane: TerminalPane) -> str:
    return "\n".join(
        "".join(segment.text for segment in pane.render_line(y)) for y in range(pane.size.height)
    )


def make_app(tmp_path: Path, count: int = 1, **kwargs: object) -> AituiApp:
    sessions = [
        SessionConfig(name=f"s{i + 1}", shell="bash", working_directory=tmp_path)
        for i in range(count)
    ]
    return AituiApp(sessions=sessions, **kwargs)  # type: ignore[arg-type]


async def started(pilot: Pilot[None], app: AituiApp, count: int = 1) -> None:
    await wait_for(
        pilot,
        lambda: (
            len(app.views) == count and all(v.info.activity is Activity.IDLE for v in app.views)
        ),
    )


async def test_keys_with_modifiers_xterm_has_no_code_for_still_act(tmp_path: Path) -> None:
    """Shift+Backspace (typed while holding Shift) and Ctrl+Shift+U, as a terminal speaking
    kitty's keyboard protocol reports them, act as in xterm: they were dropped."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        pane = app.query_one("#pane-main", TerminalPane)
        await pilot.press(*"echo ABX", "shift+backspace", "C", "enter")
        await wait_for(pilot, lambda: "\nABC" in rendered(pane))
        await pilot.press(*"junk", "ctrl+shift+u", *"echo ok", "enter")  # ^U: kill the line
        await wait_for(pilot, lambda: "\nok" in rendered(pane))
        assert "junkecho" not in rendered(pane)
        await app.action_quit()


async def test_typing_reaches_the_shell_and_is_drawn(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        pane = app.query_one("#pane-main", TerminalPane)
        assert app.focused is pane
        await pilot.press(*"echo hel", "l", "o", "enter")
        await wait_for(pilot, lambda: "\nhello" in rendered(pane))
        await app.action_quit()


async def test_switching_sessions_with_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path, count=3)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app, 3)
        pane = app.query_one("#pane-main", TerminalPane)
        await pilot.press("alt+2")
        assert app.current == app.views[1].key and pane.source is app.views[1].source
        await pilot.press("ctrl+pagedown")
        assert app.current == app.views[2].key
        await pilot.press("ctrl+pagedown")
        assert app.current == app.views[0].key
        await pilot.press("ctrl+pageup")
        assert app.current == app.views[2].key
        await pilot.press("ctrl+right_square_bracket", "1")
        assert app.current == app.views[0].key
        await app.action_quit()


async def test_attention_for_a_background_session(tmp_path: Path) -> None:
    app = make_app(tmp_path, count=2)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app, 2)
        background = app.views[1]
        assert session_of(app, background) is not None
        await session_of(app, background).execute("echo done; false")
        await wait_for(pilot, lambda: background.info.attention is not None)
        assert background.info.attention == "command finished (exit 1)"
        assert app.views[0].info.attention is None
        await pilot.press("alt+a")
        assert app.current == background.key
        assert background.info.attention is None
        await app.action_quit()


async def test_exited_session_stays_with_its_code_until_dismissed(tmp_path: Path) -> None:
    app = make_app(tmp_path, count=2)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app, 2)
        first = app.views[0]
        await pilot.press(*"exit 3", "enter")
        await wait_for(pilot, lambda: first.info.activity is Activity.EXITED)
        assert first.info.exit_code == 3
        assert first in app.views
        await pilot.press("ctrl+right_square_bracket", "X")
        await wait_for(pilot, lambda: first not in app.views)
        assert app.current == app.views[0].key
        await app.action_quit()


async def test_prefix_opens_the_new_session_dialog(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+right_square_bracket", "n")
        assert isinstance(app.screen, NewSessionScreen)
        await pilot.press(*"two", "enter")
        await wait_for(pilot, lambda: len(app.views) == 2)
        assert app.views[1].name == "two" and app.current == app.views[1].key
        await app.action_quit()


def type_in_one_go(app: AituiApp, keys: list[str]) -> None:
    """Keys as a fast typist or a paste delivers them: all queued before any is handled."""
    named = {"enter": "\r", "space": " ", "slash": "/"}
    for key in keys:
        character = named.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


async def test_keys_typed_ahead_of_the_prefix_dialog_reach_it(tmp_path: Path) -> None:
    """The prefix takes one key; the rest, queued before its screen was gone, went to it
    too and dismissed it twice (``ScreenStackError``: the dashboard ended)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        type_in_one_go(app, ["ctrl+right_square_bracket", "n", *"two", "enter"])
        await wait_for(pilot, lambda: len(app.views) == 2)
        assert app.views[1].name == "two"
        assert not isinstance(app.screen, NewSessionScreen)
        await app.action_quit()


async def test_keys_typed_ahead_of_a_prefix_command_reach_the_program(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        pane = app.query_one("#pane-main", TerminalPane)
        type_in_one_go(app, ["ctrl+right_square_bracket", "z", *"echo ahead", "enter"])
        await wait_for(pilot, lambda: "\nahead" in rendered(pane))
        await app.action_quit()


async def test_a_dialogs_editing_keys_act_in_the_order_typed(tmp_path: Path) -> None:
    """Ctrl+U, a cursor move and text in one read: each edit in turn (the bubbled bindings
    used to act after the text that followed them)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+right_square_bracket", "n")
        assert isinstance(app.screen, NewSessionScreen)
        directory = app.screen.query_one("#directory", Input)
        type_in_one_go(app, ["tab", "ctrl+u", "slash", "b", "left", "a", "home", "c"])
        await wait_for(pilot, lambda: directory.value == "c/ab")
        await app.action_quit()


async def test_a_name_outside_the_rule_is_refused_in_the_dialog_and_kept(
    tmp_path: Path,
) -> None:
    """You should see the rule under the field, the text you typed still there to mend, and
    no session renamed or started."""
    from textual.geometry import Region
    from textual.widget import Widget
    from textual.widgets import Label

    from aitui.dashboard.widgets.dialogs import RenameScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+right_square_bracket", "r")
        await wait_for(pilot, lambda: isinstance(app.screen, RenameScreen))
        await pilot.press("ctrl+u", *"my", "space", *"name", "enter")
        dialog = app.screen
        assert isinstance(dialog, RenameScreen)
        problem = dialog.query_one("#problem", Label)
        assert "1-64 characters" in str(problem.render())
        await pilot.pause()
        box = problem.parent
        assert isinstance(box, Widget) and box.content_region.contains_region(problem.region)
        shown = " ".join(s.text for s in problem.render_lines(Region(0, 0, *problem.size)))
        assert "starting with a letter or digit" in shown, "the rule is cut off"
        assert dialog.query_one("#name", Input).value == "my name"
        await pilot.press("escape")
        await pilot.press("ctrl+right_square_bracket", "n", *"a", "slash", "b", "enter")
        assert isinstance(app.screen, NewSessionScreen)
        assert "1-64 characters" in str(app.screen.query_one("#problem", Label).render())
        await pilot.press("escape")
        assert [view.name for view in app.views] == ["s1"]
        await app.action_quit()


async def test_a_name_already_taken_is_refused_in_the_dialog_and_kept(tmp_path: Path) -> None:
    """You should see "a session named 's2' already exists" under the field, the text still
    there to mend: the host's refusal came after the dialog had gone, and all was typed again."""
    from textual.widgets import Label

    from aitui.dashboard.widgets.dialogs import RenameScreen

    app = make_app(tmp_path, count=2)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app, 2)
        for keys, screen in [(["r"], RenameScreen), (["n"], NewSessionScreen)]:
            await pilot.press("ctrl+right_square_bracket", *keys)
            await wait_for(pilot, lambda screen=screen: isinstance(app.screen, screen))
            dialog = app.screen
            await pilot.press("ctrl+u", *"s2", "enter")
            assert app.screen is dialog
            problem = str(dialog.query_one("#problem", Label).render())
            assert problem == "a session named 's2' already exists"
            assert dialog.query_one("#name", Input).value == "s2"
            await pilot.press("escape")
        await pilot.press("ctrl+right_square_bracket", "r", "ctrl+u", *"s1", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, RenameScreen))  # its own name
        assert [view.name for view in app.views] == ["s1", "s2"]
        await app.action_quit()


async def test_esc_in_a_maximized_pane_goes_to_the_program(tmp_path: Path) -> None:
    """You should see ^[ from ``cat -v`` after Esc in a pane the palette maximized (Textual
    minimized it instead, and the program never got the key); prefix z restores it."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        pane = app.query_one("#pane-main", TerminalPane)
        app.screen.maximize(pane)
        await pilot.press(*"cat -v", "enter")
        await wait_for(pilot, lambda: "cat -v" in rendered(pane))
        await pilot.press("escape", "x", "enter")
        await wait_for(pilot, lambda: "\n^[x" in rendered(pane))
        assert app.screen.maximized is pane
        await pilot.press("ctrl+right_square_bracket", "z")
        await wait_for(pilot, lambda: app.screen.maximized is None)
        await pilot.press("ctrl+c")
        await app.action_quit()


async def test_ctrl_p_belongs_to_the_program(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        await pilot.press(*"echo recalled", "enter")
        pane = app.query_one("#pane-main", TerminalPane)
        await wait_for(pilot, lambda: "\nrecalled" in rendered(pane))
        await pilot.press("ctrl+p", "enter")  # readline: previous history line, run again
        await wait_for(pilot, lambda: rendered(pane).count("\nrecalled") == 2)
        assert not isinstance(app.screen, CommandPalette)
        await pilot.press("ctrl+right_square_bracket", "p")
        assert isinstance(app.screen, CommandPalette)
        await app.action_quit()


async def test_start_failure_shows_an_error_toast(tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    app = AituiApp(sessions=[SessionConfig(name="bad", shell="bash", working_directory=missing)])
    async with app.run_test(size=(120, 30)) as pilot:

        def errors() -> list[str]:
            return [n.message for n in app._notifications if n.severity == "error"]

        await wait_for(pilot, lambda: bool(errors()))
        assert str(missing) in errors()[0]
        assert app.views[0].info.activity is Activity.ERROR
        await app.action_quit()


@pytest.mark.parametrize(("width", "panels"), [(80, False), (140, True)])
async def test_narrow_terminals_hide_the_panels(tmp_path: Path, width: int, panels: bool) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(width, 30)) as pilot:
        await started(pilot, app)
        assert app.query_one("#panels").display is panels
        await app.action_quit()


async def test_theme_change_is_remembered(tmp_path: Path) -> None:
    saved: list[str] = []
    app = AituiApp(settings=Settings(), save_theme=saved.append)
    async with app.run_test(size=(100, 30)):
        app.theme = "aitui-light"
        assert saved == ["aitui-light"]
        await app.action_quit()


async def test_a_theme_that_cannot_be_saved_is_said_and_kept(tmp_path: Path) -> None:
    def refuse(theme: str) -> None:
        raise ConfigError("the theme was not saved: config.toml cannot be read")

    app = AituiApp(settings=Settings(), save_theme=refuse)
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "aitui-light"
        status = app.query_one(StatusLine)
        await wait_for(pilot, lambda: "theme was not saved" in status.text)
        assert app.theme == "aitui-light" and app.is_running
        await app.action_quit()


async def test_scrollback_view_and_return(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        pane = app.query_one("#pane-main", TerminalPane)
        await pilot.press(*"seq 1 300", "enter")
        await wait_for(pilot, lambda: "\n300" in rendered(pane))
        await pilot.press("shift+pageup")
        assert pane.scroll_back > 0
        assert "history" in rendered(pane).split("\n")[0]
        await pilot.press("escape")
        assert pane.scroll_back == 0
        await app.action_quit()


async def test_pane_size_is_the_pty_size(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        pane = app.query_one("#pane-main", TerminalPane)
        session = session_of(app, app.views[0])
        assert session is not None
        await wait_for(pilot, lambda: session.screen.cols == pane.size.width)
        result = await session.execute("stty size")
        assert result.output == f"{pane.size.height} {pane.size.width}\n"
        await app.action_quit()


async def test_grid_view_shows_several_sessions(tmp_path: Path) -> None:
    app = make_app(tmp_path, count=3)
    async with app.run_test(size=(160, 40)) as pilot:
        await started(pilot, app, 3)

        def shown() -> list[bool]:  # which sessions' screens parse during a flood
            sessions = [session_of(app, view) for view in app.views]
            return [session.visible for session in sessions if session is not None]

        assert shown() == [True, False, False]
        await pilot.press("ctrl+right_square_bracket", "g")
        await wait_for(pilot, lambda: len(app.query(TerminalPane)) == 3)
        sources = {pane.source for pane in app.query(TerminalPane)}
        assert sources == {view.source for view in app.views}
        assert shown() == [True, True, True]
        await pilot.press("ctrl+right_square_bracket", "z")
        await wait_for(pilot, lambda: len(app.query(TerminalPane)) == 1)
        assert shown() == [True, False, False]
        await app.action_quit()


async def test_each_grid_pane_names_its_session_and_says_what_it_does(tmp_path: Path) -> None:
    """You should see "1 s1", "2 s2", "3 s3" on the panes' top borders and each one's
    activity at the bottom; a rename and a finished command show on the border at once."""
    app = make_app(tmp_path, count=3)
    async with app.run_test(size=(160, 40)) as pilot:
        await started(pilot, app, 3)
        await pilot.press("ctrl+right_square_bracket", "g")
        await wait_for(pilot, lambda: len(app.query(TerminalPane)) == 3)

        def borders() -> list[tuple[str | None, str | None]]:
            return [(p.border_title, p.border_subtitle) for p in app.query(TerminalPane)]

        await wait_for(pilot, lambda: [t for t, _ in borders()] == ["1 s1", "2 s2", "3 s3"])
        assert all(sub == "idle" for _, sub in borders())
        await pilot.press(*"true", "enter")  # the current pane's command finishes
        await wait_for(pilot, lambda: borders()[0] == ("1 s1", "waiting"))
        await pilot.press("ctrl+right_square_bracket", "r", "ctrl+u", *"build", "enter")
        await wait_for(pilot, lambda: borders()[0][0] == "1 build")
        assert [t for t, _ in borders()[1:]] == ["2 s2", "3 s3"]
        await app.action_quit()


async def test_selected_text_is_copied_and_ctrl_c_still_interrupts(tmp_path: Path) -> None:
    from textual.geometry import Offset
    from textual.selection import Selection

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        pane = app.query_one("#pane-main", TerminalPane)
        await pilot.press(*"echo copy-me-please", "enter")
        await wait_for(pilot, lambda: "\ncopy-me-please" in rendered(pane))
        row = rendered(pane).split("\n").index("copy-me-please".ljust(pane.size.width))
        app.screen.selections = {pane: Selection(Offset(0, row), Offset(7, row))}
        await pilot.press("ctrl+c")
        assert app.clipboard == "copy-me"
        assert pane.text_selection is None
        # Without a selection, Ctrl+C interrupts the program as usual.
        await pilot.press(*"sleep 30", "enter")
        view = app.views[0]
        await wait_for(pilot, lambda: view.info.activity is Activity.RUNNING)
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: view.info.exit_code == 130)
        await app.action_quit()


async def test_search_the_history(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        pane = app.query_one("#pane-main", TerminalPane)
        await pilot.press(*"seq 1000 1300", "enter")
        await wait_for(pilot, lambda: "\n1300" in rendered(pane))
        await pilot.press("ctrl+right_square_bracket", "slash")
        await pilot.press(*"1042", "enter")
        assert pane.scroll_back > 0
        assert rendered(pane).split("\n")[1].rstrip() == "1042"
        await pilot.press("ctrl+right_square_bracket", "slash")
        await pilot.press("ctrl+u", *"re:^10[0-9]7$", "enter")  # a regex, newest older match
        assert rendered(pane).split("\n")[1].rstrip() == "1037"
        await pilot.press("escape")
        assert pane.scroll_back == 0
        await app.action_quit()


async def test_a_search_for_text_only_on_the_screen_says_so(tmp_path: Path) -> None:
    """You should see "only on the screen" for text in view but not in the history above
    it, and "not found" only for text that is nowhere."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app)
        pane = app.query_one("#pane-main", TerminalPane)
        await pilot.press(*"echo in-view-$((6*7))", "enter")
        await wait_for(pilot, lambda: "\nin-view-42" in rendered(pane))
        status = app.query_one(StatusLine)
        for query, said in [
            ("in-view-42", "only on the screen, not in the history above it: in-view-42"),
            ("re:in-view-4[0-9]", "only on the screen, not in the history above it: re:in-"),
            ("nowhere-at-all", "not found in the history: nowhere-at-all"),
        ]:
            await pilot.press("ctrl+right_square_bracket", "slash")
            await pilot.press("ctrl+u", *query, "enter")
            await wait_for(pilot, lambda said=said: status.text.startswith(said))
        assert pane.scroll_back == 0
        await app.action_quit()


async def test_key_bindings_come_from_the_configuration(tmp_path: Path) -> None:
    settings = Settings()
    settings.keys["next_session"] = "f9"
    sessions = [
        SessionConfig(name=f"s{i}", shell="bash", working_directory=tmp_path) for i in (1, 2)
    ]
    app = AituiApp(settings=settings, sessions=sessions)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot, app, 2)
        await pilot.press("f9")
        assert app.current == app.views[1].key
        await pilot.press("ctrl+pagedown")  # the default is replaced: goes to the program
        assert app.current == app.views[1].key
        await app.action_quit()


async def test_programs_without_integration_show_active_on_display_or_not(
    tmp_path: Path,
) -> None:
    """The list learns of output from the session's ``last_output_at`` (no event per PTY
    read): when the screen changes, and once a second for a session out of view."""
    writer = "sh -c 'sleep 0.3; echo thinking; sleep 30'"
    configs = [
        SessionConfig(name=name, shell_command=writer, working_directory=tmp_path)
        for name in ("shown", "hidden")
    ]
    app = AituiApp(sessions=configs)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: len(app.views) == 2)
        await wait_for(pilot, lambda: all(v.info.activity is Activity.ACTIVE for v in app.views))
        await app.action_quit()


async def test_host_events_handled_while_the_app_shuts_down_are_dropped(tmp_path: Path) -> None:
    """A host keeps sending while the app closes (an attached server's rows, an agent's
    message): handled after the widgets are gone, they change nothing and raise nothing."""
    from aitui.dashboard.bridge import NoticePosted, ScreenChanged, SessionRowChanged

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: len(app.views) == 1)
        key = app.views[0].key
    assert not app.is_running
    app._coordination_changed()
    app._notice(NoticePosted("late", "error"))
    app._sessions_changed()
    app._row_changed(SessionRowChanged(key))
    app._screen_changed(ScreenChanged(key))


async def test_the_prefix_help_fits_a_narrow_terminal_and_follows_a_resize(
    tmp_path: Path,
) -> None:
    """Under ~74 columns the two-column help was cut at the right: it is one column there,
    scrolls if the terminal is short too, and goes back to two columns when it widens."""
    from textual.containers import Vertical
    from textual.widgets import Static

    from aitui.dashboard.widgets.prefix import PREFIX_COMMANDS, PrefixScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(64, 20)) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+right_square_bracket")
        assert isinstance(app.screen, PrefixScreen)
        box = app.screen.query_one(".prefix-help", Vertical)
        keys = app.screen.query_one("#prefix-keys", Static)
        await pilot.pause()
        assert box.outer_size.width <= 64
        text = str(keys.render())
        assert all(description in text for _, description in PREFIX_COMMANDS.values())
        assert len(text.splitlines()) == len(PREFIX_COMMANDS) + 2  # one column
        assert box.max_scroll_y > 0  # 20 rows: the rest is a scroll away
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: len(str(keys.render()).splitlines()) < len(PREFIX_COMMANDS))
        await pilot.pause()
        assert box.max_scroll_y == 0 and not box.show_vertical_scrollbar
        assert keys.size.height == len(str(keys.render()).splitlines())  # nothing wrapped
        await pilot.press("escape")
        await app.action_quit()
