"""The dashboard's frame rate, set for Textual without leaking into the sessions' programs."""

from __future__ import annotations

import os

#: Frames per second of the dashboard. A terminal shows typed characters at the display's pace;
#: Textual's default of 60 puts a frame's wait of up to 16 ms on every keystroke. Only dirty
#: rows are drawn and panes without focus are capped at 15 redraws a second, so the extra
#: frames cost little.
DASHBOARD_FPS = "120"


def use_dashboard_fps() -> None:
    """Call before the first Textual app starts. Textual reads ``TEXTUAL_FPS`` once, when
    ``textual.constants`` is imported: set aitui's default, import it, and take the variable
    away again, so programs in the sessions (another Textual app, say) do not inherit a
    setting that was aitui's own. A user's ``TEXTUAL_FPS`` wins and is inherited as usual."""
    if "TEXTUAL_FPS" in os.environ:
        return
    os.environ["TEXTUAL_FPS"] = DASHBOARD_FPS
    try:
        import textual.constants  # noqa: F401  (reads the variable now)
    finally:
        del os.environ["TEXTUAL_FPS"]
