"""The dashboard's record of each session it shows: its source and what the host says of it.

Plain Python (no widgets), so the app stays small and the row logic is testable.
"""

from __future__ import annotations

from dataclasses import dataclass

from aitui.core.hosting import PaneSource, SessionInfo
from aitui.dashboard.widgets.session_list import SessionRow


@dataclass
class SessionView:
    source: PaneSource
    info: SessionInfo

    @property
    def key(self) -> str:
        return self.info.key

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def role(self) -> str | None:
        return self.info.role


def facts(info: SessionInfo) -> list[tuple[str, str]]:
    """Everything the details screen says about a session, in full (the list shortens it)."""
    status = " ".join(p for p in (info.activity.value, info.detail) if p)
    found = [("status", status)]
    if info.source:
        found.append(("from", info.source))
    if info.asked:
        found.append(("asks", info.asked))
    if info.attention:
        found.append(("needs you", info.attention))
    if info.agent:
        found.append(("agent", info.agent))
        found.append(("auto-accept", "on" if info.auto_accept else "off"))
    if info.decision:
        found.append(("last decision", info.decision))
    found += [("command", info.command)]
    if info.directory:
        found.append(("directory", info.directory))
    if info.error:
        found.append(("error", info.error))
    if info.exit_code is not None:
        found.append(("exit code", str(info.exit_code)))
    if info.recording:
        found.append(("recording", info.recording))
    elif info.recording_error:
        found.append(("recording", f"failed: {info.recording_error}"))
    if info.role:
        found.append(("role", info.role))
    return found


def rows(views: list[SessionView]) -> list[SessionRow]:
    return [
        SessionRow(
            key=view.key,
            number=index + 1,
            name=view.name,
            role=view.role,
            activity=view.info.activity,
            detail=view.info.detail,
            attention=view.info.attention,
            recording=view.info.recording is not None,
            number_width=len(str(len(views))),
        )
        for index, view in enumerate(views)
    ]


def pane_titles(views: list[SessionView], shown: list[str]) -> dict[str, tuple[str, str]]:
    """What each pane of the grid says on its border: its session's number and name on top
    (the number prefix 1-9 jumps to), its activity below, so four agents side by side can be
    told apart without the session list (hidden on a narrow terminal)."""
    numbers = {view.key: index + 1 for index, view in enumerate(views)}
    by_key = {view.key: view for view in views}
    return {
        key: (f"{numbers[key]} {by_key[key].name}", by_key[key].info.activity.value)
        for key in shown
        if key in by_key
    }
