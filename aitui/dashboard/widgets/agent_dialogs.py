"""Dialogs for coordination: submit a task, broadcast a message, read a message.

The two that ask have buttons as the new-session dialog has: a dialog whose only way out is
Enter in a text field left a user at its Select (the priority) with no visible way to send.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from aitui.core.coordination_rows import MessageRow
from aitui.dashboard.widgets.dialog import Dialog
from aitui.dashboard.widgets.dialogs import FIELD_BINDINGS
from aitui.dashboard.widgets.field import Field

TASK_PRIORITIES = ["Low", "Medium", "High", "Critical"]
MESSAGE_PRIORITIES = ["Low", "Normal", "High", "Critical"]
_Asked = TypeVar("_Asked")


@dataclass(frozen=True)
class TaskRequest:
    description: str
    requirements: list[str]
    priority: str


@dataclass(frozen=True)
class BroadcastRequest:
    text: str
    priority: str


class _Asking(Dialog[_Asked | None]):
    """A dialog that sends what its fields say: Enter in a field or its first button
    (``ok``) calls ``_submit``; Cancel or Esc send nothing."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), *FIELD_BINDINGS]

    def on_input_submitted(self) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _submit(self) -> None:
        raise NotImplementedError


class TaskScreen(_Asking[TaskRequest]):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Submit a task", classes="dialog-title")
            yield Field(placeholder="description", id="description")
            yield Field(placeholder="required capabilities, comma separated (roles)", id="needs")
            yield Select([(p, p) for p in TASK_PRIORITIES], value="Medium", id="priority")
            yield Label("", id="problem", classes="dialog-problem")
            yield from _buttons("Submit")

    def _submit(self) -> None:
        description = self.query_one("#description", Input).value.strip()
        if not description:
            self.query_one("#problem", Label).update("a task needs a description")
            return
        needs = self.query_one("#needs", Input).value
        priority = self.query_one("#priority", Select).value
        self.dismiss(
            TaskRequest(
                description,
                [n.strip() for n in needs.split(",") if n.strip()],
                str(priority) if isinstance(priority, str) else "Medium",
            )
        )


def _buttons(ok: str) -> ComposeResult:
    with Horizontal(classes="dialog-buttons"):
        yield Button(ok, variant="primary", id="ok")
        yield Button("Cancel", id="cancel")


class BroadcastScreen(_Asking[BroadcastRequest]):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Broadcast to every agent", classes="dialog-title")
            yield Field(placeholder="message", id="text")
            yield Select([(p, p) for p in MESSAGE_PRIORITIES], value="Normal", id="priority")
            yield Label("", id="problem", classes="dialog-problem")
            yield from _buttons("Send")

    def _submit(self) -> None:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            self.query_one("#problem", Label).update("a broadcast needs a message")
            return
        priority = self.query_one("#priority", Select).value
        self.dismiss(
            BroadcastRequest(text, str(priority) if isinstance(priority, str) else "Normal")
        )


class MessageScreen(Dialog[None]):
    BINDINGS = [Binding("escape", "close", "Close"), Binding("enter", "close", "Close")]

    def __init__(self, row: MessageRow) -> None:
        super().__init__()
        self._row = row

    def compose(self) -> ComposeResult:
        row = self._row
        with Vertical(classes="dialog"):
            to = ", ".join(row.recipients) if row.recipients else row.recipient
            yield Label(Content(f"{row.kind} from {row.sender} to {to}"), classes="dialog-title")
            yield Static(Content(f"{row.time} · priority {row.priority} · {row.state}"))
            if row.text:
                yield Static(Content(row.text), classes="message-text")
            yield Static(json.dumps(row.payload, indent=2, ensure_ascii=False), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
