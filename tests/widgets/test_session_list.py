"""The session list replaces only the rows that changed, and always shows what it was given."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult

from aitui.core.activity import Activity
from aitui.dashboard.widgets.session_list import SessionList, SessionRow


def rows(count: int) -> list[SessionRow]:
    return [
        SessionRow(str(n), n, f"s{n:02d}", None, Activity.IDLE, "quiet 1m", None)
        for n in range(1, count + 1)
    ]


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield SessionList()


def prompts(session_list: SessionList) -> list[str]:
    return [
        str(session_list.get_option_at_index(i).prompt) for i in range(session_list.option_count)
    ]


async def test_only_changed_rows_are_replaced_and_the_list_stays_exact() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 50)):
        session_list = app.query_one(SessionList)
        first = rows(5)
        session_list.show_rows(first, "2")
        options = [session_list.get_option_at_index(i) for i in range(5)]
        shown = prompts(session_list)
        assert session_list.highlighted == 1

        session_list.show_rows(list(first), "2")  # the same rows: nothing rebuilt
        assert [session_list.get_option_at_index(i) for i in range(5)] == options
        assert prompts(session_list) == shown

        changed = list(first)
        changed[3] = replace(first[3], activity=Activity.RUNNING, detail="ls")
        session_list.show_rows(changed, "4")
        after = [session_list.get_option_at_index(i) for i in range(5)]
        assert all(after[i] is options[i] for i in range(5))  # options kept, one prompt new
        assert prompts(session_list)[3] != shown[3] and "running" in prompts(session_list)[3]
        assert prompts(session_list)[:3] == shown[:3]
        assert session_list.highlighted == 3

        fewer = [changed[0], changed[2], changed[3]]  # a session gone: the list rebuilt
        session_list.show_rows(fewer, "9")
        assert session_list.option_count == 3
        assert [session_list.get_option_at_index(i).id for i in range(3)] == ["1", "3", "4"]
        assert session_list.highlighted is None

        session_list.show_rows([], None)
        assert "no sessions" in prompts(session_list)[0]
        session_list.show_rows(first, "1")
        assert prompts(session_list) == shown and session_list.highlighted == 0


def test_from_ten_sessions_on_every_glyph_and_name_stays_in_one_column() -> None:
    """Rows 10 and up sat one cell to the right of rows 1-9."""
    from aitui.dashboard.views import rows as view_rows
    from aitui.dashboard.widgets.session_list import row_content

    class View:  # what ``views.rows`` reads of a session's view
        def __init__(self, n: int) -> None:
            self.key, self.name, self.role = str(n), f"s{n}", None
            self.info = type(
                "Info",
                (),
                {"activity": Activity.IDLE, "detail": "", "attention": None, "recording": None},
            )()

    def glyph_and_name_columns(count: int) -> set[tuple[int, int]]:
        columns = set()
        for row in view_rows([View(n) for n in range(1, count + 1)]):  # type: ignore[misc]
            first, second = row_content(row).plain.split("\n")
            columns.add(
                (first.index("○"), first.index(" s") + 1, len(second) - len(second.lstrip()))
            )
        return columns

    assert len(glyph_and_name_columns(12)) == 1
    assert glyph_and_name_columns(9) == {(2, 4, 4)}  # under ten: as before
