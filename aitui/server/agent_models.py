"""JSON bodies of the agent routes (``routes/agent_sessions.py``), in the reference's style:
strict request types, unknown fields ignored."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, StrictBool, StrictStr

from aitui.core.autoaccept import AutoAcceptConfig
from aitui.server.models import _json_integer, _Request

Pattern = Annotated[StrictStr, Field(min_length=1, max_length=256)]
#: A JSON integer 0..10 (``3`` or ``3.0``, as JSON Schema counts both; never ``"3"``).
Risk = Annotated[int, Field(ge=0, le=10), BeforeValidator(_json_integer)]


class HookBody(_Request):
    event: StrictStr = Field(
        min_length=1,
        max_length=64,
        description="The hook event: Claude Code's (SessionStart, UserPromptSubmit, "
        "PreToolUse, PostToolUse, PermissionRequest, Notification, Stop, SessionEnd), 'codex' "
        "(its notify program) or 'aider' (its notifications command). Others are ignored.",
    )
    token: StrictStr = Field(
        min_length=1, max_length=256, description="AITUI_SESSION_TOKEN of the session."
    )
    payload: Any = Field(None, description="What the agent gave its hook (JSON).")


class HookReply(BaseModel):
    accepted: bool
    decision: Literal["allow"] | None = Field(
        description="For a permission request the policy approved: answer it with allow."
    )
    reason: str | None = Field(description="The policy's reason, for a permission request.")


class AutoAcceptBody(_Request):
    enabled: StrictBool = False
    risk_threshold: Risk = Field(3, description="Approve when the risk (0-10) is at most this.")
    protected_patterns: list[Pattern] = Field(
        default_factory=list,
        max_length=256,
        description="Globs (paths, command words): a call touching one is never approved.",
    )

    @classmethod
    def of(cls, config: AutoAcceptConfig) -> AutoAcceptBody:
        return cls(
            enabled=config.enabled,
            risk_threshold=config.risk_threshold,
            protected_patterns=list(config.protected_patterns),
        )


class DecisionRow(BaseModel):
    at: float = Field(description="When (seconds since the epoch).")
    tool: str
    subject: str = Field(description="The command, file or URL asked for.")
    approved: bool
    risk: int
    reason: str


class Decisions(BaseModel):
    decisions: list[DecisionRow]


class Answer(_Request):
    action: Literal["approve", "deny", "interrupt"]


class ProfileRow(BaseModel):
    name: str
    title: str
    command: list[str]
    hooks: str
    path: str = Field(description="The file it came from.")


class Profiles(BaseModel):
    profiles: list[ProfileRow]
