"""Side panels: context tokens, compression, agent messages, task queue.

Each panel renders what the app hands it (plain values from engine events) and shows a real
empty state until there is data. None of them computes or invents a figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar, Sparkline, Static


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
        yield ProgressBar(show_eta=False, show_percentage=False, classes="panel-data token-bar")

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


class MessagesPanel(Panel):
    TITLE = "Agent messages"
    EMPTY = "no messages yet"


class TasksPanel(Panel):
    TITLE = "Task queue"
    EMPTY = "no tasks yet"
