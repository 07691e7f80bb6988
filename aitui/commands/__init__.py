"""Sub-commands of the ``aitui`` CLI, one module each (see ``aitui.cli``)."""
