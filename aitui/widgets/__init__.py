"""Textual widgets of the dashboard. Only this package, ``aitui.dashboard`` and ``aitui.app``
may import Textual."""
