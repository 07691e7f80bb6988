"""Play an asciicast recording in the dashboard, in real time."""

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
    return AituiApp(sessions=[source], background=[lambda: source.play(events, speed)])
