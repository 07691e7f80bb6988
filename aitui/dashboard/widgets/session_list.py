"""The list of sessions: status glyph and colour, name, role, attention badge, last activity.

It renders plain :class:`SessionRow` values handed down by the app; it never reads the engine.
Colours come from the theme's status variables through Content markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from aitui.core.activity import Activity
from aitui.dashboard.widgets.fit import fit

#: (glyph, theme variable) per activity. Glyphs differ so status never relies on colour alone.
GLYPHS: dict[Activity, tuple[str, str]] = {
    Activity.STARTING: ("◌", "status-idle"),
    Activity.IDLE: ("○", "status-idle"),
    Activity.RUNNING: ("▶", "status-running"),
    Activity.WAITING: ("◆", "status-waiting"),
    Activity.ACTIVE: ("▶", "status-running"),
    Activity.QUIET: ("○", "status-idle"),
    Activity.EXITED: ("■", "status-exited"),
    Activity.ERROR: ("✖", "status-error"),
    Activity.WORKING: ("▶", "status-running"),
    Activity.APPROVAL: ("◈", "status-waiting"),
    Activity.DONE: ("✔", "status-waiting"),
}


@dataclass(frozen=True)
class SessionRow:
    key: str  # the session id, as text
    number: int  # 1-based position (Alt+number jumps to it)
    name: str
    role: str | None
    activity: Activity
    detail: str  # e.g. "exit 1", "quiet 2m"
    attention: str | None
    recording: bool = False  # an asciicast recording of it is being written
    #: Digits of the list's largest number: from 10 sessions on, 1-9 are padded so that every
    #: glyph and name stays in one column (rows 10 and up sat one cell to the right).
    number_width: int = 1


#: Characters available on a row's second line (the list is 30 cells wide).
DETAIL_WIDTH = 21


def row_content(row: SessionRow) -> Content:
    """Two lines: number, glyph, name, role, attention badge; then the activity and its detail
    (for a waiting or exited session the badge's reason is the status itself)."""
    glyph, variable = GLYPHS[row.activity]
    role = f" [dim]{Content(fit(row.role, 12)).markup}[/]" if row.role else ""
    badge = " [bold $attention]●[/]" if row.attention else ""
    badge += " [bold $error]rec[/]" if row.recording else ""
    name = Content(fit(row.name, 16)).markup
    activity = row.activity.value
    room = DETAIL_WIDTH - len(activity) - 1
    if row.attention and row.activity not in (
        Activity.WAITING,
        Activity.EXITED,
        Activity.APPROVAL,
        Activity.DONE,
    ):
        # The status does not say why (e.g. the bell rang): the reason replaces the detail.
        detail = f"[$attention]{Content(fit(row.attention, room)).markup}[/]"
    else:
        detail = f"[dim]{Content(fit(row.detail, room)).markup}[/]"
    return Content.from_markup(
        f"[dim]{row.number:>{row.number_width}}[/] [${variable}]{glyph}[/] {name}{role}{badge}\n"
        f"{' ' * (row.number_width + 3)}[${variable}]{activity}[/] {detail}"
    )


class SessionList(OptionList):
    """Sessions, one option each; selecting one asks the app to show it."""

    class Chosen(Message):
        def __init__(self, key: str, *, by_click: bool = False) -> None:
            super().__init__()
            self.key = key
            #: Chosen by a single click: it shows the session, and runs a stopped one only
            #: on Enter or a double click (a click to look at an agent restarted it).
            self.by_click = by_click

    _rows: tuple[SessionRow, ...] | None = None
    #: Clicks in the chain of the click that selected the option being handled (0: a key).
    _clicks = 0

    def show_rows(self, rows: list[SessionRow], current: str | None) -> None:
        """Show ``rows``, ``current`` highlighted. Only what changed is replaced: the app hands
        the whole list down on every session update and every second ("quiet 2m"), and
        rebuilding it parsed every row's markup again and dropped every option's rendering
        (for 20 sessions ~3 ms of markup and ~8 ms of drawing, at load 7), several times
        during a start."""
        before, self._rows = self._rows, tuple(rows)
        keys = [row.key for row in rows]
        if before is None or [row.key for row in before] != keys or not rows:
            self.clear_options()
            self.add_options([Option(row_content(row), id=row.key) for row in rows])
            if not rows:
                self.add_option(
                    Option(Content.from_markup("[dim]no sessions — prefix n[/]"), disabled=True)
                )
                return
        else:
            for index, (old, new) in enumerate(zip(before, rows, strict=True)):
                if old != new:
                    self.replace_option_prompt_at_index(index, row_content(new))
        highlighted = keys.index(current) if current in keys else None
        if self.highlighted != highlighted:
            self.highlighted = highlighted

    def on_click(self, event: events.Click) -> None:
        # OptionList selects on the click itself (its ``_on_click``, run first); the
        # selection it posts is handled after this, so it can tell a click from Enter.
        self._clicks = event.chain

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        by_click, self._clicks = self._clicks == 1, 0
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id, by_click=by_click))
