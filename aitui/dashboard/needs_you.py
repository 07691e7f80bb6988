"""Needs-you in the dashboard: a desktop notification when a session comes to wait on the
user, and the status bar's "who waits, and for how long" (``aitui.dashboard.notify``).

Mixed into the app: ``note_row`` is called with each row the host sends, ``refresh_waiting``
once a second (the durations grow) and whenever a row changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess

from aitui.core.hosting import SessionInfo
from aitui.dashboard.base import DashboardBase
from aitui.dashboard.notify import Notifier, who_waits
from aitui.dashboard.widgets.status_line import WaitingLine


class NeedsYou(DashboardBase):
    _notifier: Notifier | None = None

    @property
    def notifier(self) -> Notifier:
        if self._notifier is None:
            self._notifier = Notifier(
                self.settings.notifications, self.write_outer, self.run_detached
            )
        return self._notifier

    def write_outer(self, text: str) -> None:
        """Write ``text`` to the terminal the dashboard runs in (not to a session)."""
        driver = self._driver
        if driver is not None:
            driver.write(text)
            driver.flush()

    def run_detached(self, argv: list[str]) -> None:
        async def run() -> None:
            with contextlib.suppress(OSError):
                process = await asyncio.create_subprocess_exec(
                    *argv,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                await asyncio.wait_for(process.wait(), 10)

        self.run_worker(run(), name="notify-send", group="notify", exit_on_error=False)

    def note_row(self, info: SessionInfo) -> None:
        self.notifier.seen(info, foreground=info.key == self.current)
        self.refresh_waiting()

    def refresh_waiting(self) -> None:
        text = who_waits((v.info for v in self.views), self._wall_clock())
        self.query_one(WaitingLine).show(text)
