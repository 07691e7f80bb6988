"""The ccswarm adapter on real PTY sessions: roles, auto-accept, tasks by capability, figures."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from aitui.ccswarm import (
    QA,
    AutoAcceptConfig,
    Backend,
    CcswarmConfig,
    CcswarmError,
    DevOps,
    Frontend,
    Master,
    SessionManagerAdapter,
)
from aitui.core.agents import TaskState
from aitui.core.errors import ConfigError, SessionExistsError
from aitui.core.types import SessionStatus

REPO = Path(__file__).resolve().parents[1]
REACT = Frontend(framework="React", languages=("TypeScript", "css"))


@pytest.fixture
async def adapter(tmp_path: Path) -> AsyncIterator[SessionManagerAdapter]:
    (tmp_path / "frontend").mkdir()
    (tmp_path / "backend").mkdir()
    async with SessionManagerAdapter(CcswarmConfig(tmp_path, shell="bash")) as made:
        yield made


def test_roles_map_to_capabilities() -> None:
    assert REACT.capabilities == ("frontend", "react", "typescript", "css")
    assert Backend("Rust").capabilities == ("backend", "rust")
    assert Backend("python", "FastAPI").capabilities == ("backend", "python", "fastapi")
    assert DevOps(("docker", "Docker", "k8s")).capabilities == ("devops", "docker", "k8s")
    assert QA(("pytest",)).capabilities == ("qa", "testing", "pytest")
    assert Master().capabilities == ("master",)
    with pytest.raises(ConfigError, match="languages"):
        Frontend("react", "typescript")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="framework"):
        Frontend("")


async def test_commands_run_and_figures_come_from_the_context(
    adapter: SessionManagerAdapter,
) -> None:
    agent = await adapter.create_agent_session("fe", REACT, "frontend", "React specialist")
    await agent.start()
    first = await agent.execute_command("seq 1 4000")
    assert first.exit_code == 0 and first.output.count("\n") == 4000
    assert first.compressed_output is not None and len(first.compressed_output) < 2000
    failed = await agent.execute_command("false")
    assert failed.exit_code == 1
    stats = await agent.get_performance_stats()
    context = agent.session.get_ai_context().stats()
    assert (stats.commands_executed, stats.commands_failed) == (2, 1)
    assert stats.commands_recorded == context.commands_seen == 2
    assert stats.raw_output_tokens == context.raw_output_tokens
    assert stats.compressed_output_tokens == context.compressed_output_tokens
    assert stats.raw_output_tokens > 5 * stats.compressed_output_tokens  # 4000 lines shrink
    expected = 100 * (1 - stats.compressed_output_tokens / stats.raw_output_tokens)
    assert stats.token_savings_percentage == pytest.approx(expected)
    ratio = stats.raw_output_tokens / stats.compressed_output_tokens
    assert stats.compression_ratio == pytest.approx(ratio)
    assert stats.tokens_in_context == context.tokens_in_context
    assert stats.context_messages == context.messages == 3  # the description, two commands
    assert agent.session.get_ai_context().messages[0].content == "React specialist"


async def test_without_ai_only_the_commands_are_counted(adapter: SessionManagerAdapter) -> None:
    agent = await adapter.create_agent_session("plain", REACT, "frontend", "x", enable_ai=False)
    await agent.start()
    await agent.execute_command("seq 1 500")
    stats = await agent.get_performance_stats()
    assert stats.commands_executed == 1
    assert (stats.commands_recorded, stats.raw_output_tokens, stats.context_messages) == (0, 0, 0)
    assert (stats.token_savings_percentage, stats.compression_ratio) == (0.0, 1.0)


async def test_compression_off_returns_no_compressed_output(tmp_path: Path) -> None:
    config = CcswarmConfig(tmp_path, compression=False, shell="bash")
    async with SessionManagerAdapter(config) as adapter:
        agent = await adapter.create_agent_session("fe", REACT, tmp_path)
        await agent.start()
        result = await agent.execute_command("echo hi")
        assert result.output == "hi\n" and result.compressed_output is None


async def test_tasks_go_to_the_capable_agent(adapter: SessionManagerAdapter) -> None:
    fe = await adapter.create_agent_session("fe", REACT, "frontend")
    be = await adapter.create_agent_session("be", Backend("python"), "backend")
    early = await adapter.submit_task("Build the login form", ["frontend", "react"])
    assert early.state is TaskState.PENDING and early.reason  # nobody started yet
    await fe.start()
    await be.start()
    assert adapter.agent_for(early.task.id) is fe
    api = await adapter.submit_task("Write the API", ["backend", "Python"])
    assert adapter.agent_for(api.task.id) is be
    rust = await adapter.submit_task("Port to Rust", ["rust"])
    assert rust.state is TaskState.PENDING and "rust" in str(rust.reason)
    assert (await fe.next_task(timeout=5)).task.id == early.task.id
    assert (await be.next_task(timeout=5)).task.id == api.task.id


async def test_a_stopped_agents_task_goes_to_another_capable_agent(
    adapter: SessionManagerAdapter,
) -> None:
    first = await adapter.create_agent_session("fe1", REACT, "frontend")
    second = await adapter.create_agent_session("fe2", REACT, "frontend")
    await first.start()
    task = await adapter.submit_task("Style the header", ["css"])
    assert adapter.agent_for(task.task.id) is first
    await second.start()
    await first.stop()
    assert first.session.status() is SessionStatus.TERMINATED
    assert adapter.agent_for(task.task.id) is second
    assert adapter.task(task.task.id).state is TaskState.ASSIGNED


async def test_auto_accept_policy_is_per_agent(tmp_path: Path) -> None:
    default = AutoAcceptConfig(enabled=True, risk_threshold=3)
    (tmp_path / "fe").mkdir()
    async with SessionManagerAdapter(CcswarmConfig(tmp_path, auto_accept=default)) as adapter:
        agent = await adapter.create_agent_session("fe", REACT, "fe")
        assert agent.auto_accept == default
        assert agent.assess("Write", {"file_path": "App.tsx", "content": ""}).approve
        outside = agent.assess("Write", {"file_path": str(tmp_path / "x"), "content": ""})
        assert not outside.approve and outside.risk >= 8
        strict = AutoAcceptConfig(enabled=True, protected_patterns=("*.tsx",))
        agent.configure_auto_accept(strict)
        assert agent.auto_accept is strict
        refused = agent.assess("Write", {"file_path": "App.tsx", "content": ""})
        assert not refused.approve and "'*.tsx'" in refused.reason
        with pytest.raises(TypeError):
            agent.configure_auto_accept({"enabled": True})  # type: ignore[arg-type]


async def test_refusals(tmp_path: Path) -> None:
    async with SessionManagerAdapter(CcswarmConfig(tmp_path, max_agents=1)) as adapter:
        with pytest.raises(CcswarmError, match="no such directory"):
            await adapter.create_agent_session("a", REACT, "missing")
        await adapter.create_agent_session("a", REACT, tmp_path)
        with pytest.raises(CcswarmError, match="max_agents"):
            await adapter.create_agent_session("b", REACT, tmp_path)
    async with SessionManagerAdapter(tmp_path) as adapter:
        await adapter.create_agent_session("a", REACT, tmp_path)
        with pytest.raises(SessionExistsError):
            await adapter.create_agent_session("a", REACT, tmp_path)
        with pytest.raises(CcswarmError, match="role"):
            await adapter.create_agent_session("c", "frontend", tmp_path)  # type: ignore[arg-type]
    with pytest.raises(CcswarmError, match="max_agents"):
        CcswarmConfig(tmp_path, max_agents=0)


async def test_closing_stops_every_agent(tmp_path: Path) -> None:
    adapter = SessionManagerAdapter(CcswarmConfig(tmp_path, shell="bash"))
    async with adapter:
        agents = [await adapter.create_agent_session(n, REACT, tmp_path) for n in ("a", "b")]
        for agent in agents:
            await agent.start()
        assert [a.name for a in adapter.list_agents()] == ["a", "b"]
        assert adapter.get_agent("b") is agents[1]
    assert all(a.session.status() is SessionStatus.TERMINATED for a in agents)
    assert adapter.list_agents() == [] and len(adapter.manager) == 0


@pytest.mark.skipif(shutil.which("git") is None, reason="the example makes a git repository")
def test_the_example_prints_figures_consistent_with_what_it_ran() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "ccswarm_example.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = done.stdout

    def figure(label: str) -> float:
        found = re.search(rf"^{re.escape(label)}: ([0-9.]+)", out, re.M)
        assert found, (label, out)
        return float(found.group(1))

    ran = re.findall(r"^\$ (.+) -> exit 0, (\d+) lines$", out, re.M)
    assert len(ran) == 3 and all(int(lines) > 0 for _, lines in ran), out
    assert figure("Commands executed") == len(ran)
    assert figure("Commands recorded in the context") == len(ran)
    raw, compressed = figure("Output tokens raw"), figure("Output tokens compressed")
    assert 0 < compressed < raw
    savings = figure("Token savings")
    assert 0 < savings < 100
    assert savings == pytest.approx(100 * (1 - compressed / raw), abs=0.05)
    assert figure("Context compression ratio") == pytest.approx(raw / compressed, abs=0.005)
    assert "Task 'Create the login component' -> frontend-agent-001" in out
    assert "Auto-accept approve: Read inside the working directory: risk 1 <= 3" in out
    assert "'package.json'" in out and "rm -r" in out
