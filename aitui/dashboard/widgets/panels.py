"""Side panels: context tokens, compression, agent messages, task queue.

Each panel renders what the app hands it (plain values from engine events) and shows a real
empty state until there is data. None of them computes or invents a figure.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList, ProgressBar, Sparkline, Static
from textual.widgets.option_list import Option

from aitui.core.coordination_rows import MessageRow, TaskRow


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
        commands = "1 command" if figures.commands == 1 else f"{figures.commands:,} commands"
        self.query_one(".figures", Static).update(
            f"{figures.raw_tokens:,} → {figures.compressed_tokens:,} tokens, "
            f"{saved:.0%} saved over {commands}\n"
            "[dim]savings per command:[/]"
        )
        self.query_one(Sparkline).data = list(figures.history)


#: Characters of a message's text shown in the log (its rows are 30 cells wide).
MESSAGE_TEXT_WIDTH = 28
#: Lines of a message's text shown in the log (the dialog shows it all).
MESSAGE_TEXT_LINES = 2


def wrapped(text: str, width: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width``, the last ending in "…" if cut."""
    return textwrap.wrap(text, width, max_lines=lines, placeholder=" …") or [""]


def recipients(row: MessageRow, width: int) -> str:
    """Who a message went to: the names when they fit in ``width``, else "3 agents"."""
    names = ", ".join(row.recipients)
    return names if row.recipients and len(names) <= width else row.recipient


class MessagesPanel(Panel):
    """A live log of messages between agents, newest first: who sent it to whom, what it says,
    its kind and state; Enter (or a click) opens one."""

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
        log.add_options(Option(self._prompt(row), id=row.key) for row in reversed(self._rows))

    @staticmethod
    def _prompt(row: MessageRow) -> Content:
        # The first line holds the time, a space, the sender and " → " in the log's 30 cells;
        # the recipients have the rest.
        room = MESSAGE_TEXT_WIDTH + 2 - len(row.time) - len(row.sender) - 4
        width = MESSAGE_TEXT_WIDTH
        text = wrapped(row.text, width, MESSAGE_TEXT_LINES)
        meta = f"{row.kind} · {row.priority} · {row.state}"
        return Content.from_markup(
            f"[dim]{row.time}[/] {Content(row.sender).markup} → "
            f"{Content(recipients(row, room)).markup}\n"
            + "".join(f"  {Content(line).markup}\n" for line in text)
            + "\n".join(f"  [dim]{Content(line).markup}[/]" for line in wrapped(meta, width, 2))
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
#: States a task does not leave (but by a retry): listed after the live ones.
ENDED = ("done", "failed", "cancelled")
#: What the board calls a state: a running task is one an agent claimed (started).
TASK_LABELS = {"running": "claimed"}
#: How the board names the agent that holds a task, or held it when it ended.
TASK_HOLDER = {"assigned": "to", "orphaned": "held by", "cancelled": "was with"}
#: Characters of a task line (the panel's rows are 35 cells wide), and lines of its outcome.
TASK_TEXT_WIDTH = 35
TASK_OUTCOME_LINES = 2
#: Tasks drawn (the rest are counted in a last line): each takes two to four lines.
TASKS_SHOWN = 12


def task_lines(row: TaskRow) -> list[str]:
    """One task on the board, as markup lines: its state and description; who holds it (or
    did), where it came from (an agent, or the dashboard), its priority while it is live; and
    why it waits, or how it ended (a done task's summary, a failed one's error)."""
    colour = TASK_STATES.get(row.state, "status-idle")
    label = TASK_LABELS.get(row.state, row.state)
    head, *rest = wrapped(row.description, TASK_TEXT_WIDTH - 10, 2)
    lines = [f"[${colour}]{label:<9}[/] {Content(head).markup}"]
    lines += [f"{'':10}{Content(line).markup}" for line in rest]
    live = row.state not in ENDED
    who = [f"{TASK_HOLDER.get(row.state, 'by')} {row.agent}"] if row.agent else []
    who.append(f"from {row.submitted_by or 'dashboard'}")
    if live:
        who.append(row.priority)
    for line in wrapped(" · ".join(who), TASK_TEXT_WIDTH - 2, 2):
        lines.append(f"  [dim]{Content(line).markup}[/]")
    if row.outcome:
        mark = "✗" if row.state == "failed" else "✓"
        text = wrapped(row.outcome, TASK_TEXT_WIDTH - 4, TASK_OUTCOME_LINES)
        lines.append(f"  [${colour}]{mark}[/] {Content(text[0]).markup}")
        lines += [f"    {Content(line).markup}" for line in text[1:]]
    if row.reason:
        for line in wrapped(row.reason, TASK_TEXT_WIDTH - 2, 2):
            lines.append(f"  [dim]{Content(line).markup}[/]")
    return lines


class TasksPanel(Panel):
    """The task board: live tasks first (claimed, assigned, pending), then the ones that
    ended, newest first, each with who holds it and who asked for it."""

    TITLE = "Task queue"
    EMPTY = "no tasks yet — prefix t submits one"

    def compose_data(self) -> ComposeResult:
        yield Static(classes="panel-data task-list")

    def on_mount(self) -> None:
        self._show_data(False)

    def show(self, rows: list[TaskRow]) -> None:
        self._show_data(bool(rows))
        counts = {state: sum(1 for r in rows if r.state == state) for state in TASK_STATES}
        # Two lines of counts: the live tasks, and the ones that ended.
        groups = [
            [s for s in TASK_STATES if s not in ENDED],
            [s for s in TASK_STATES if s in ENDED],
        ]
        lines = [
            " · ".join(
                f"[${TASK_STATES[s]}]{counts[s]} {TASK_LABELS.get(s, s)}[/]"
                for s in group
                if counts[s]
            )
            for group in groups
            if any(counts[s] for s in group)
        ]
        for row in rows[:TASKS_SHOWN]:
            lines.extend(task_lines(row))
        if len(rows) > TASKS_SHOWN:
            lines.append(f"[dim]… and {len(rows) - TASKS_SHOWN} more[/]")
        self.query_one(".task-list", Static).update(Content.from_markup("\n".join(lines)))
