"""One agent session's state from its own hooks, its screen as the fallback, and its approvals.

The agent's hooks are the authority (``aitui.core.agent_hooks``). Its profile's screen patterns
(``AgentProfile.screen_state``) stand in for what its hooks cannot say (Codex reports only the
end of a turn, so its approval prompts come from the screen) and until its first hook arrives
(Claude Code's folder-trust prompt is drawn before any hook runs). A screen state counts only
once two looks in a row agree (``SCREEN_AGREE``), so a frame caught mid-redraw changes nothing.

A permission request is scored by the auto-accept policy (``aitui.core.autoaccept``) from the
hook's payload, never from the screen; each decision is kept with its reason (``decisions``).
"""

from __future__ import annotations

import hmac
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from aitui.core.activity import Activity, ActivityTracker
from aitui.core.agent_hooks import HookReport, interpret
from aitui.core.agent_wiring import Wiring
from aitui.core.autoaccept import AutoAcceptConfig, assess
from aitui.core.profiles import AgentProfile

#: Looks in a row that must find the same screen state before it is shown.
SCREEN_AGREE = 2
#: Decisions kept per session (the details screen and ``GET .../decisions`` show them).
DECISIONS_KEPT = 200


@dataclass(frozen=True)
class DecisionRecord:
    """One permission request and what the policy made of it."""

    at: float  # time.time()
    tool: str
    subject: str
    approved: bool
    risk: int
    reason: str


@dataclass(frozen=True)
class HookOutcome:
    changed: bool  # what a list row shows changed
    approve: bool = False  # answer the permission request with "allow"
    decision: DecisionRecord | None = None


class AgentWatch:
    """See the module's docstring; one per session started from a profile."""

    def __init__(
        self,
        profile: AgentProfile,
        wiring: Wiring,
        working_directory: Path,
        auto_accept: AutoAcceptConfig | None = None,
    ) -> None:
        self.profile = profile
        self.wiring = wiring
        self.working_directory = working_directory
        self.auto_accept = auto_accept or AutoAcceptConfig()
        self.hooks_seen = False
        self.decisions: deque[DecisionRecord] = deque(maxlen=DECISIONS_KEPT)
        self._screen_seen: Activity | None = None
        self._screen_runs = 0
        self._looked_at: float | None = None  # the output time the screen was last read at

    def wants_look(self, last_output: float | None) -> bool:
        """Whether the screen may show something new: output came since the last look, or
        the last look's state is not agreed yet."""
        return last_output != self._looked_at or self._screen_runs < SCREEN_AGREE

    def token_matches(self, token: str) -> bool:
        return hmac.compare_digest(token.encode(), self.wiring.token.encode())

    def hook(self, tracker: ActivityTracker, event: str, payload: object) -> HookOutcome:
        """The agent's hook ``event`` fired with ``payload``."""
        report = interpret(event, payload)
        if report is None:
            return HookOutcome(False)
        self.hooks_seen = True
        if report.is_permission:
            return self._permission(tracker, report)
        asked = report.asked
        state = tracker.state
        if report.activity is Activity.APPROVAL and state.activity is Activity.APPROVAL:
            # A notification about the request already shown: its payload said more.
            asked = state.asked or asked
        return HookOutcome(tracker.report(report.activity, "hook", asked))

    def _permission(self, tracker: ActivityTracker, report: HookReport) -> HookOutcome:
        decision = assess(
            report.tool_name, report.tool_input, self.working_directory, self.auto_accept
        )
        record = DecisionRecord(
            at=time.time(),
            tool=decision.tool,
            subject=decision.subject,
            approved=decision.approve,
            risk=decision.risk,
            reason=decision.reason,
        )
        self.decisions.append(record)
        if decision.approve:
            # Approved on the user's behalf: the agent goes on working, nobody is asked.
            return HookOutcome(tracker.report(Activity.WORKING, "hook"), True, record)
        return HookOutcome(tracker.report(Activity.APPROVAL, "hook", report.asked), False, record)

    def screen(self, tracker: ActivityTracker, text: str, last_output: float | None) -> bool:
        """Look at the screen's text; returns whether what a list row shows changed."""
        self._looked_at = last_output
        found = self.profile.screen_state(text)
        if found is not self._screen_seen:
            self._screen_seen, self._screen_runs = found, 0
        self._screen_runs += 1
        if found is None or self._screen_runs != SCREEN_AGREE:
            return False  # nothing matched, not agreed yet, or already applied
        state = tracker.state
        if self.hooks_seen and found in self.profile.hook_states and state.source != "input":
            # The hooks say this one, and they are the authority; but a state aitui assumed
            # from a key pressed into an approval no hook confirms: Claude Code fires nothing
            # after a denied tool (docs/agent-clis.md), and a key pressed in a dialog's first
            # moments is dropped, so the screen is all there is.
            return False
        if found is state.activity:
            return False
        if found is Activity.WAITING and state.activity is Activity.DONE:
            return False  # its input box after "done": the same turn of the user's, said better
        return tracker.report(found, "screen")
