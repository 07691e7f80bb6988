"""Modal dialogs: create a session, rename one. They return plain values; the app acts."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from aitui.core.errors import InvalidNameError
from aitui.core.names import check_name
from aitui.dashboard.widgets.dialog import Dialog
from aitui.dashboard.widgets.field import Field

#: Tab between a dialog's fields as a priority binding: the app acts on it before it forwards
#: the keys after it, so keys that arrive in the same read as the Tab (a script, a fast
#: typist) land in the next field; as an ordinary binding the Tab bubbled up from the input
#: only after those keys had already been forwarded to the field it was leaving.
FIELD_BINDINGS = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]


def name_fits(dialog: Dialog[Any], name: str, taken: Collection[str] = ()) -> bool:
    """Whether ``name`` follows the session-name rule (the host's own check) and is not one of
    ``taken`` (the sessions listed); if not, the dialog's ``#problem`` line says why and the
    field keeps the text to mend. The host refuses a taken name too, but only after the
    dialog had gone: the user typed it all again."""
    try:
        check_name(name)
    except InvalidNameError as exc:
        dialog.query_one("#problem", Label).update(str(exc))
        return False
    if name in taken:
        dialog.query_one("#problem", Label).update(f"a session named {name!r} already exists")
        return False
    return True


@dataclass(frozen=True)
class NewSessionRequest:
    name: str | None
    directory: Path
    command: str | None  # None: the configured shell
    role: str | None
    agent: str | None = None  # an agent profile's name


class NewSessionScreen(Dialog[NewSessionRequest | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), *FIELD_BINDINGS]

    def __init__(
        self,
        default_directory: Path,
        profiles: tuple[str, ...] = (),
        taken: Collection[str] = (),
    ) -> None:
        """``profiles``: the agent profiles' names (the agent field takes one); ``taken``:
        the names of the sessions listed."""
        super().__init__()
        self._default_directory = default_directory
        self._profiles = profiles
        self._taken = taken

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("New session", classes="dialog-title")
            yield Field(placeholder="name (optional)", id="name")
            yield Field(str(self._default_directory), placeholder="directory", id="directory")
            yield Field(placeholder="command (empty: your shell), e.g. claude", id="command")
            yield Field(placeholder="agent role (optional), e.g. backend", id="role")
            yield Field(
                placeholder="agent profile (optional; claude, codex... its hooks report state)",
                id="agent",
            )
            yield Label("", id="problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create", variant="primary", id="create")
                yield Button("Cancel", id="cancel")

    def _value(self, widget_id: str) -> str | None:
        return self.query_one(f"#{widget_id}", Input).value.strip() or None

    def on_input_submitted(self) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        directory = Path(self._value("directory") or self._default_directory).expanduser()
        if not directory.is_dir():
            self.query_one("#problem", Label).update(f"not a directory: {directory}")
            return
        name = self._value("name")
        if name is not None and not name_fits(self, name, self._taken):
            return
        agent = self._value("agent")
        if agent is not None and self._profiles and agent not in self._profiles:
            self.query_one("#problem", Label).update(
                f"no agent profile {agent!r}: there are {', '.join(self._profiles)}"
            )
            return
        self.dismiss(
            NewSessionRequest(
                name=name,
                directory=directory,
                command=self._value("command"),
                role=self._value("role"),
                agent=agent,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


class SearchScreen(Dialog[str | None]):
    """Text to find in the history; ``re:`` in front makes it a regular expression."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, previous: str) -> None:
        super().__init__()
        self._previous = previous

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                "Search history (re:… for a regex; Enter again for older)", classes="dialog-title"
            )
            yield Field(self._previous, id="query")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class RenameScreen(Dialog[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str, taken: Collection[str] = ()) -> None:
        super().__init__()
        self._current = current
        self._taken = set(taken) - {current}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Rename {self._current}", classes="dialog-title")
            yield Field(self._current, id="name")
            yield Label("", id="problem", classes="dialog-problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name and not name_fits(self, name, self._taken):  # said here, kept to mend
            return
        self.dismiss(name or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(Dialog[bool]):
    """Ask before an action that ends a running program (kill, restart): ``y`` does it, ``n``
    or Esc does not; any other key is ignored. tmux asks the same before ``kill-pane``: two
    keys typed by mistake should not end an agent's session and the work in its context."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, question: str, detail: str) -> None:
        super().__init__()
        self._question = question
        self._detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._question, classes="dialog-title")
            yield Label(self._detail)
            yield Label("y: yes   n or Esc: no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
