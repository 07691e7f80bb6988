"""Play an asciicast recording in the dashboard, in real time.

When the last event has played, the session is finished (its row says "exited", as the
recorded program had) and the status line says the recording has ended: a recording that
stops at a quiet screen otherwise looked like a program still running ("quiet, no output for
5 s"), and the user waited for more.
"""

from __future__ import annotations

from aitui.core.asciicast import Asciicast
from aitui.core.replay import ReplaySession
from aitui.dashboard.app import AituiApp


def playback_app(cast: Asciicast, name: str, speed: float = 1.0) -> AituiApp:
    """A dashboard showing one recording that plays as it was recorded (``speed`` scales)."""
    source = ReplaySession(name, cast.height, cast.width, role="recording")
    events = [
        (event.time, event.data.encode("utf-8")) for event in cast.events if event.code == "o"
    ]
    length = events[-1][0] if events else 0.0

    async def play() -> None:
        await source.play(events, speed)
        source.finish(None)
        app.say(f"the recording has ended ({length:.1f} s recorded): prefix q quits")

    app = AituiApp(sessions=[source], background=[play])
    return app
