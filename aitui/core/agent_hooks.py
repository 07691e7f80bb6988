"""What an agent's own report means: a hook event and its payload, as a state.

The payloads are the agents' documented shapes (docs/agents.md has samples): Claude Code sends
each hook's JSON on the hook command's stdin (``hook_event_name``, and per event
``tool_name``/``tool_input``, ``notification_type``/``message``, ``source``...); Codex passes
one JSON argument to its ``notify`` program (``{"type": "agent-turn-complete", ...}``); aider
runs its notifications command, with nothing, when it waits for input. What cannot be read is
ignored, never guessed at: a state the agent did not say is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aitui.core.activity import Activity

#: Claude Code's hook events aitui wires, and the state each one means.
CLAUDE_EVENTS: dict[str, Activity | None] = {
    "SessionStart": Activity.WAITING,  # its input box is up
    "UserPromptSubmit": Activity.WORKING,
    "PreToolUse": Activity.WORKING,
    "PostToolUse": Activity.WORKING,
    "PermissionRequest": Activity.APPROVAL,
    "Notification": None,  # by its type: see ``_notification``
    "Stop": Activity.DONE,
    "SessionEnd": None,  # the process exiting says the rest
}
#: The other agents' single events (the hook command's first argument).
OTHER_EVENTS = ("codex", "aider")
#: Longest description of what is asked (the list and the status bar cut it further).
ASKED_LIMIT = 200


@dataclass(frozen=True)
class HookReport:
    activity: Activity
    asked: str | None = None  # what approval is asked for
    #: For a permission request: the tool call, as the agent gave it (the auto-accept policy
    #: reads it; never the screen).
    tool_name: object = None
    tool_input: object = None
    #: A permission request (its payload, however malformed, goes to the policy, which
    #: approves nothing it cannot read).
    is_permission: bool = False


def interpret(event: str, payload: Any) -> HookReport | None:
    """The state ``event`` with ``payload`` reports, or ``None`` (nothing to show)."""
    if event in ("codex", "aider"):
        return _codex(payload) if event == "codex" else HookReport(Activity.WAITING)
    if event not in CLAUDE_EVENTS:
        return None
    data = payload if isinstance(payload, dict) else {}
    if event == "Notification":
        return _notification(data)
    activity = CLAUDE_EVENTS[event]
    if activity is None:
        return None
    if event == "PermissionRequest":
        tool_name, tool_input = data.get("tool_name"), data.get("tool_input")
        return HookReport(
            activity, describe_call(tool_name, tool_input), tool_name, tool_input, True
        )
    return HookReport(activity)


def _notification(data: dict[str, Any]) -> HookReport | None:
    kind = data.get("notification_type")
    value = data.get("message")
    message = value if isinstance(value, str) else ""
    if kind == "permission_prompt" or (kind is None and "permission" in message):
        return HookReport(Activity.APPROVAL, _short(message) or None)
    if kind == "idle_prompt" or (kind is None and "waiting for your input" in message):
        return HookReport(Activity.WAITING)
    return None


def _codex(payload: Any) -> HookReport | None:
    kind = payload.get("type") if isinstance(payload, dict) else None
    if kind == "agent-turn-complete":
        if _title_thread(payload):
            return None  # a background turn naming the task, while the real one goes on
        return HookReport(Activity.DONE)
    if isinstance(kind, str) and "approval" in kind:
        return HookReport(Activity.APPROVAL)
    return None


#: How Codex 0.171's background title turn begins (its notify fires for that thread too:
#: tests/data/agent_hooks/codex-notify-argv-title-thread.json).
CODEX_TITLE_PROMPT = "Generate a concise, single-line task title"


def _title_thread(payload: dict[str, Any]) -> bool:
    messages = payload.get("input-messages")
    first = messages[0] if isinstance(messages, list) and messages else None
    return isinstance(first, str) and first.startswith(CODEX_TITLE_PROMPT)


def describe_call(tool_name: object, tool_input: object) -> str | None:
    """``"Bash: rm -rf build"``: the tool and its command, file, URL or pattern."""
    if not isinstance(tool_name, str) or not tool_name:
        return None
    subject = ""
    if isinstance(tool_input, dict):
        for field in ("command", "file_path", "notebook_path", "url", "pattern", "path"):
            value = tool_input.get(field)
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = " ".join(value)
            if isinstance(value, str) and value:
                subject = value
                break
    return _short(f"{tool_name}: {subject}" if subject else tool_name)


def _short(text: str) -> str:
    """One line for the list, ``aitui ls`` and the status bar: what an agent asks is the
    agent's text, and an escape sequence in a command (``ESC ] 0;`` retitles the terminal)
    would act on the terminal that prints it."""
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= ASKED_LIMIT else text[: ASKED_LIMIT - 1] + "…"
