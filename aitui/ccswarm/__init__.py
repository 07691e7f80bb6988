"""ccswarm integration: agents with roles as aitui sessions, auto-accept, performance figures.

The reference's ``ai_session::ccswarm`` (docs/ccswarm.md). It uses ``aitui.core`` only: no
dashboard, server or CLI (an import-linter contract keeps it so).
"""

from aitui.ccswarm.adapter import CcswarmConfig, CcswarmError, SessionManagerAdapter
from aitui.ccswarm.agent import AgentSession, PerformanceStats
from aitui.ccswarm.roles import QA, AgentRole, Backend, DevOps, Frontend, Master
from aitui.core.autoaccept import AutoAcceptConfig, AutoAcceptConfigError, Decision

__all__ = [
    "QA",
    "AgentRole",
    "AgentSession",
    "AutoAcceptConfig",
    "AutoAcceptConfigError",
    "Backend",
    "CcswarmConfig",
    "CcswarmError",
    "Decision",
    "DevOps",
    "Frontend",
    "Master",
    "PerformanceStats",
    "SessionManagerAdapter",
]
