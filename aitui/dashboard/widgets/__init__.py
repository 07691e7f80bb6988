"""Textual widgets of the dashboard (only ``aitui.dashboard`` may import Textual)."""
