"""ccswarm's agent roles, each with the capabilities tasks are distributed by.

The reference's ``AgentRole::Frontend { framework, languages }`` and ccswarm's other roles
(Backend, DevOps, QA, Master) as a family of frozen dataclasses. ``capabilities`` is what the
core's ``TaskDistributor`` matches a task's requirements against (an agent takes a task only
if it has every required capability): the role's kind, then what it was given, lower-cased,
e.g. ``Frontend("React", ("TypeScript", "CSS"))`` -> ``("frontend", "react", "typescript",
"css")``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from aitui.core.errors import ConfigError


def _names(values: Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(values, str):
        raise ConfigError(f"{what} must be a list of names, got the string {values!r}")
    out = tuple(values)
    for value in out:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{what} must hold non-empty names, got {value!r}")
    return out


def _unique(*groups: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for value in group:
            seen.setdefault(value.strip().lower(), None)
    return tuple(seen)


@dataclass(frozen=True)
class AgentRole:
    """Base of the roles; use one of its subclasses."""

    kind: ClassVar[str] = "agent"
    #: What the session's ``agent_role`` says (the reference's examples' role names).
    title: ClassVar[str] = "agent"

    @property
    def capabilities(self) -> tuple[str, ...]:
        return (self.kind,)


@dataclass(frozen=True)
class Frontend(AgentRole):
    framework: str
    languages: tuple[str, ...] = ()
    kind: ClassVar[str] = "frontend"
    title: ClassVar[str] = "frontend-developer"

    def __post_init__(self) -> None:
        _names([self.framework], "Frontend framework")
        object.__setattr__(self, "languages", _names(self.languages, "Frontend languages"))

    @property
    def capabilities(self) -> tuple[str, ...]:
        return _unique([self.kind, self.framework], self.languages)


@dataclass(frozen=True)
class Backend(AgentRole):
    language: str
    framework: str | None = None
    kind: ClassVar[str] = "backend"
    title: ClassVar[str] = "backend-developer"

    def __post_init__(self) -> None:
        _names([self.language], "Backend language")
        if self.framework is not None:
            _names([self.framework], "Backend framework")

    @property
    def capabilities(self) -> tuple[str, ...]:
        return _unique([self.kind, self.language], [self.framework] if self.framework else [])


@dataclass(frozen=True)
class DevOps(AgentRole):
    tools: tuple[str, ...] = ()
    kind: ClassVar[str] = "devops"
    title: ClassVar[str] = "devops-engineer"

    def __post_init__(self) -> None:
        object.__setattr__(self, "tools", _names(self.tools, "DevOps tools"))

    @property
    def capabilities(self) -> tuple[str, ...]:
        return _unique([self.kind], self.tools)


@dataclass(frozen=True)
class QA(AgentRole):
    test_frameworks: tuple[str, ...] = ()
    kind: ClassVar[str] = "qa"
    title: ClassVar[str] = "qa-engineer"

    def __post_init__(self) -> None:
        frameworks = _names(self.test_frameworks, "QA test_frameworks")
        object.__setattr__(self, "test_frameworks", frameworks)

    @property
    def capabilities(self) -> tuple[str, ...]:
        return _unique([self.kind, "testing"], self.test_frameworks)


@dataclass(frozen=True)
class Master(AgentRole):
    """ccswarm's orchestrator: it coordinates the others (tasks that need "master")."""

    kind: ClassVar[str] = "master"
    title: ClassVar[str] = "master"
