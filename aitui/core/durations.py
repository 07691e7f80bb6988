"""How long, as the session list, the status line and ``aitui ls`` say it.

Apart from the activity tracker: ``aitui ls`` needs only this, and importing the tracker
loaded the session events and ``asyncio`` with it: 40-55 ms of each ``aitui ls``.
"""

from __future__ import annotations


def duration(seconds: float) -> str:
    """``"12s"``, ``"3m"``, ``"2h"``."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m"
    return f"{whole // 3600}h"
