"""Textual widgets of the dashboard. Only this package and ``aitui.app`` may import Textual."""
