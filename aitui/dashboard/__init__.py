"""The dashboard app, split by concern: state (``base``), the event bridge (``events``),
session actions and view actions. ``aitui.dashboard.app.AituiApp`` puts them together."""
