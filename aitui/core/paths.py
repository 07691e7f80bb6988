"""Where aitui keeps what outlives a process (the agents' store, recordings)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    """``$AITUI_DATA_DIR`` if set (tests, several profiles), else the platform's user data dir."""
    return Path(os.environ.get("AITUI_DATA_DIR") or platformdirs.user_data_dir("aitui"))
