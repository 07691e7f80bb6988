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
    """A titled panel with an empty-state line."""

    TITLE = ""
    EMPTY = ""

    def compose(self) -> ComposeResult:
        yield Label(self.TITLE, classes="panel-title")
        yield Static(self.EMPTY, classes="panel-empty")


class ContextPanel(Panel):
    TITLE = "Context tokens"
    EMPTY = "no AI context yet — sessions with AI features report tokens here"

    def show(self, figures: ContextFigures | None) -> None:
        empty = self.query_one(".panel-empty", Static)
        for old in self.query(".panel-data"):
            old.remove()
        if figures is None:
            empty.display = True
            return
        empty.display = False
        bar = ProgressBar(total=figures.max_tokens, show_eta=False, classes="panel-data token-bar")
        bar.progress = min(figures.tokens, figures.max_tokens)
        self.mount(
            Static(
                f"{figures.session}: {figures.tokens:,} / {figures.max_tokens:,} tokens",
                classes="panel-data",
            ),
            bar,
        )


class CompressionPanel(Panel):
    TITLE = "Compression"
    EMPTY = "no command output compressed yet"

    def show(self, figures: CompressionFigures | None) -> None:
        empty = self.query_one(".panel-empty", Static)
        for old in self.query(".panel-data"):
            old.remove()
        if figures is None or figures.commands == 0:
            empty.display = True
            return
        empty.display = False
        saved = 1 - figures.compressed_tokens / figures.raw_tokens if figures.raw_tokens else 0.0
        self.mount(
            Static(
                f"{figures.raw_tokens:,} → {figures.compressed_tokens:,} tokens "
                f"({saved:.0%} saved, {figures.commands} commands)",
                classes="panel-data",
            ),
            Sparkline(list(figures.history), classes="panel-data savings"),
        )


class MessagesPanel(Panel):
    TITLE = "Agent messages"
    EMPTY = "no messages yet"


class TasksPanel(Panel):
    TITLE = "Task queue"
    EMPTY = "no tasks yet"
