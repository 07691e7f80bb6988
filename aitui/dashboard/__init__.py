"""The dashboard app, split by concern: state (``base``), the event bridge (``events``),
session actions and view actions. ``aitui.app.AituiApp`` puts them together."""
