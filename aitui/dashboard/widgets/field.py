"""A dialog's text field whose editing keys act in the order they were typed.

Textual forwards a printable key to the focused widget's queue, but runs an ordinary binding
only when its key bubbles back up to the app, and a priority one at once, in the app, before
the field has handled the keys already queued to it. Either way, keys that come in one read
(a script, a fast typist) were edited out of order: ``Ctrl+U`` then ``a`` left ``''`` (the
``a`` inserted, then deleted by the bubbled ``Ctrl+U``), and ``b``, ``Left``, ``a`` gave
``ba`` as a priority binding. Here the field itself runs ``Input``'s binding for a key when
the key reaches it, in its own queue, in order with the text.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

#: Key -> the ``Input`` action its binding runs.
_ACTIONS = {
    key.strip(): binding.action
    for binding in Input.BINDINGS
    if isinstance(binding, Binding)
    for key in binding.key.split(",")
}


class Field(Input):
    """``Input`` whose own bindings act when their key reaches it (see the module)."""

    async def _on_key(self, event: events.Key) -> None:
        action = _ACTIONS.get(event.key)
        if action is None:
            return  # ``Input._on_key`` inserts it, next in the MRO
        event.stop()
        event.prevent_default()  # (and so no ``Input._on_key``)
        await self.run_action(action)
