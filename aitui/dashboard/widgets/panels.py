"""Side panels: context tokens, compression, agent messages, task queue.

Each panel renders what the app hands it (plain values from engine events) and shows a real
empty state until there is data. None of them computes or invents a figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList, ProgressBar, Sparkline, Static
from textual.widgets.option_list import Option

from aitui.core.coordination import MessageRow, TaskRow
from aitui.dashboard.widgets.fit import fit


@dataclass(frozen=True)
class ContextFigures:
    session: str
    tokens: int
    max_tokens: int


@dataclass(frozen=True)
class CompressionFigures:
    raw_tokens: int
    compressed_tokens: int
    commands: int
    history: tuple[float, ...]  # savings % per command, oldest first


class Panel(Vertical):
    """A titled panel with an empty-state line; subclasses add their data widgets."""

    TITLE = ""
    EMPTY = ""

    def compose(self) -> ComposeResult:
        yield Label(self.TITLE, classes="panel-title")
        yield Static(self.EMPTY, classes="panel-empty")
        yield from self.compose_data()

    def compose_data(self) -> ComposeResult:
        yield from ()

    def _show_data(self, present: bool) -> None:
        self.query_one(".panel-empty").display = not present
        for widget in self.query(".panel-data"):
            widget.display = present


class ContextPanel(Panel):
    TITLE = "Context tokens"
    EMPTY = "no AI context yet — sessions with AI features report tokens here"

    def compose_data(self) -> ComposeResult:
        yield Static(classes="panel-data figures")
        # A total from the start: without one Textual animates an "indeterminate" bar 15 times
        # a second even while hidden, two thirds of an idle dashboard's CPU (measured).
        yield ProgressBar(
            total=1, show_eta=False, show_percentage=False, classes="panel-data token-bar"
        )

    def on_mount(self) -> None:
        self._show_data(False)

    def show(self, figures: ContextFigures | None) -> None:
        self._show_data(figures is not None)
        if figures is None:
            return
        share = figures.tokens / figures.max_tokens if figures.max_tokens else 0.0
        self.query_one(".figures", Static).update(
            f"{figures.session}: {figures.tokens:,} / {figures.max_tokens:,} tokens ({share:.0%})"
        )
        bar = self.query_one(ProgressBar)
        bar.update(total=figures.max_tokens, progress=min(figures.tokens, figures.max_tokens))


class CompressionPanel(Panel):
    TITLE = "Compression"
    EMPTY = "no command output compressed yet"

    def compose_data(self) -> ComposeResult:
        yield Static(classes="panel-data figures")
        yield Sparkline([], classes="panel-data savings")

    def on_mount(self) -> None:
        self._show_data(False)

    def show(self, figures: CompressionFigures | None) -> None:
        present = figures is not None and figures.commands > 0
        self._show_data(present)
        if figures is None or not present:
            return
        saved = 1 - figures.compressed_tokens / figures.raw_tokens if figures.raw_tokens else 0.0
        self.query_one(".figures", Static).update(
            f"{figures.raw_tokens:,} → {figures.compressed_tokens:,} tokens, "
            f"{saved:.0%} saved over {figures.commands} commands\n"
            "[dim]savings per command:[/]"
        )
        self.query_one(Sparkline).data = list(figures.history)


#: Characters of a message's text shown in the log (its rows are 30 cells wide).
MESSAGE_TEXT_WIDTH = 28


class MessagesPanel(Panel):
    """A live log of messages between agents; Enter (or a click) opens one."""

    TITLE = "Agent messages"
    EMPTY = "no messages yet — prefix m broadcasts one"

    class Opened(Message):
        def __init__(self, row: MessageRow) -> None:
            super().__init__()
            self.row = row

    def compose_data(self) -> ComposeResult:
        yield OptionList(classes="panel-data message-log")

    def on_mount(self) -> None:
        self._rows: list[MessageRow] = []
        self._show_data(False)

    def show(self, rows: list[MessageRow]) -> None:
        self._show_data(bool(rows))
        self._rows = rows[-50:]
        log = self.query_one(OptionList)
        log.clear_options()
        log.add_options(
            Option(
                Content.from_markup(
                    f"[dim]{row.time}[/] {Content(row.sender).markup} → "
                    f"{Content(row.recipient).markup}\n"
                    f"  {Content(fit(row.text, MESSAGE_TEXT_WIDTH)).markup}\n"
                    f"  [dim]{row.kind} · {row.priority} · {Content(row.state).markup}[/]"
                ),
                id=row.key,
            )
            for row in reversed(self._rows)
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = next((r for r in self._rows if r.key == event.option.id), None)
        if row is not None:
            self.post_message(self.Opened(row))


#: Task states, in the order the panel lists them, with the theme variable of each.
TASK_STATES = {
    "running": "status-running",
    "assigned": "status-running",
    "pending": "status-waiting",
    "orphaned": "status-error",
    "done": "status-idle",
    "failed": "status-error",
    "cancelled": "status-idle",
}


class TasksPanel(Panel):
    TITLE = "Task queue"
    EMPTY = "no tasks yet — prefix t submits one"

    def compose_data(self) -> ComposeResult:
        yield Static(classes="panel-data task-list")

    def on_mount(self) -> None:
        self._show_data(False)

    def show(self, rows: list[TaskRow]) -> None:
        self._show_data(bool(rows))
        counts = {state: sum(1 for r in rows if r.state == state) for state in TASK_STATES}
        lines = [" · ".join(f"[${TASK_STATES[s]}]{n} {s}[/]" for s, n in counts.items() if n)]
        for row in rows[:20]:
            who = f" → {Content(row.agent).markup}" if row.agent else ""
            why = f"\n    [dim]{Content(row.reason).markup}[/]" if row.reason else ""
            lines.append(
                f"[${TASK_STATES.get(row.state, 'status-idle')}]{row.state:<8}[/] "
                f"{row.priority:<8} {Content(row.description).markup}{who}{why}"
            )
        self.query_one(".task-list", Static).update(Content.from_markup("\n".join(lines)))
