"""The reference's three coordination examples, with real bash sessions in temporary dirs.

1. "Setting Up Multi-Agent System" + "Message Passing Between Agents" (frontend/backend/QA);
2. "Task Distribution" (the three tasks, matched by capability, then worked on and completed);
3. "Use Case 3: Multi-Language Project Management" (the polyglot schema update and broadcast).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from aitui import AISession, SessionStatus
from aitui.core.agents import (
    AgentId,
    BroadcastMessage,
    Message,
    MessagePriority,
    MessageType,
    MultiAgentSession,
    Task,
    TaskDistributor,
    TaskPriority,
    TaskState,
)

Sessions = Callable[..., AISession]


async def received_all(bus: MultiAgentSession, agent: AgentId) -> list[Message]:
    out = []
    while (m := bus.try_receive(agent)) is not None:
        out.append(m)
        await bus.ack(agent, m.id)
    return out


async def team(bus: MultiAgentSession, new: Sessions) -> tuple[AgentId, AgentId, AgentId]:
    frontend, backend, qa = AgentId.new(), AgentId.new(), AgentId.new()
    bus.register_agent(frontend, new("frontend-developer", "project/frontend"))
    bus.register_agent(backend, new("backend-developer", "project/backend"))
    bus.register_agent(qa, new("qa-engineer", "project"))
    await bus.start_all_agents()
    return frontend, backend, qa


async def test_frontend_backend_qa_messaging(bash_sessions: Sessions, tmp_path: Path) -> None:
    bus = MultiAgentSession()
    try:
        frontend, backend, qa = await team(bus, bash_sessions)
        assert bus.get_agent_count() == 3
        for agent, where in [(frontend, "project/frontend"), (qa, "project")]:
            session = bus.get_session(agent)
            assert session is not None and session.status() is SessionStatus.RUNNING
            result = await session.execute("pwd")
            assert Path(result.output.strip()) == (tmp_path / where).resolve()

        api_request = Message(
            from_=frontend,
            message_type=MessageType.DATA_SHARE,
            payload={
                "request_type": "api_schema",
                "endpoints": [
                    {"path": "/api/users", "method": "GET"},
                    {"path": "/api/users", "method": "POST"},
                    {"path": "/api/users/{id}", "method": "PUT"},
                ],
            },
            priority=MessagePriority.HIGH,
        )
        await bus.send_message(frontend, backend, api_request)
        build = BroadcastMessage(
            from_=backend,
            content="Backend API build completed. Ready for frontend integration.",
            priority=MessagePriority.NORMAL,
            metadata={"build_time": "2.3s", "tests_passed": 15, "coverage": "92%"},
        )
        assert set(await bus.broadcast(backend, build)) == {frontend, qa}
        qa_request = Message(
            from_=backend,
            message_type=MessageType.TASK_REQUEST,
            payload={
                "task": "integration_testing",
                "description": "Test the new user management API endpoints",
                "priority": "high",
                "estimated_duration": "30m",
            },
            priority=MessagePriority.HIGH,
        )
        await bus.send_message(backend, qa, qa_request)

        assert await received_all(bus, backend) == [api_request]
        to_frontend = await received_all(bus, frontend)
        assert [m.id for m in to_frontend] == [build.id]
        assert to_frontend[0].payload["metadata"]["tests_passed"] == 15
        # QA: the HIGH request first although the NORMAL broadcast was sent before it.
        assert [m.id for m in await received_all(bus, qa)] == [qa_request.id, build.id]
    finally:
        await bus.stop_all_agents()
        await bus.close()


async def test_three_task_distribution(bash_sessions: Sessions, tmp_path: Path) -> None:
    bus = MultiAgentSession()
    distributor = TaskDistributor(bus)
    try:
        frontend, backend, qa = await team(bus, bash_sessions)
        distributor.register_capabilities(
            frontend, ["react", "typescript", "css", "ui-design", "accessibility"]
        )
        distributor.register_capabilities(
            backend, ["rust", "api-design", "database", "authentication", "performance"]
        )
        distributor.register_capabilities(
            qa, ["testing", "automation", "security-testing", "performance-testing"]
        )
        form = Task(
            description="Create user registration form with validation",
            requirements=["react", "typescript"],
            priority=TaskPriority.HIGH,
            estimated_effort=timedelta(hours=4),
            metadata={"component_type": "form", "accessibility_level": "AA"},
        )
        auth = Task(
            description="Implement user authentication API endpoints",
            requirements=["rust", "api-design", "authentication"],
            priority=TaskPriority.HIGH,
            estimated_effort=timedelta(hours=6),
            metadata={"endpoints": ["/login", "/logout", "/refresh"], "auth_method": "JWT"},
        )
        suite = Task(
            description="Create comprehensive test suite for user management",
            requirements=["testing", "automation"],
            priority=TaskPriority.MEDIUM,
            estimated_effort=timedelta(hours=8),
            metadata={"test_types": ["unit", "integration", "e2e"], "coverage_target": "95%"},
        )
        for task in (form, auth, suite):
            await distributor.submit_task(task)
        assignments = await distributor.distribute_tasks()
        assert [(a.task.id, a.agent_id) for a in assignments] == [
            (form.id, frontend),
            (auth.id, backend),
            (suite.id, qa),
        ]
        # Each agent got its task as a TaskAssignment message and works on it in its shell.
        for agent, task, priority in [
            (frontend, form, MessagePriority.HIGH),
            (backend, auth, MessagePriority.HIGH),
            (qa, suite, MessagePriority.NORMAL),
        ]:
            [message] = await received_all(bus, agent)
            assert message.message_type is MessageType.TASK_ASSIGNMENT
            assert message.priority is priority
            assert Task.from_json(message.payload) == task
            await distributor.start_task(task.id)
            session = bus.get_session(agent)
            assert session is not None
            result = await session.execute(
                f"echo {message.payload['id']} > task.txt && cat task.txt"
            )
            assert result.exit_code == 0
            await distributor.complete_task(task.id, {"output": result.output.strip()})
        done = distributor.list_tasks(TaskState.DONE)
        assert [i.task.id for i in done] == [form.id, auth.id, suite.id]
        assert done[0].result == {"output": str(form.id)}
        assert (tmp_path / "project" / "task.txt").read_text().strip() == str(suite.id)
    finally:
        await bus.stop_all_agents()
        await bus.close()


async def test_polyglot_project_broadcast(bash_sessions: Sessions) -> None:
    bus = MultiAgentSession()
    try:
        rust_agent, ts_agent, python_agent = AgentId.new(), AgentId.new(), AgentId.new()
        bus.register_agent(rust_agent, bash_sessions("rust-backend", "project/backend"))
        bus.register_agent(ts_agent, bash_sessions("typescript-frontend", "project/frontend"))
        bus.register_agent(python_agent, bash_sessions("python-ml", "project/ml"))
        await bus.start_all_agents()

        schema_update = Message(
            from_=rust_agent,
            message_type=MessageType.DATA_SHARE,
            payload={
                "schema_version": "2.0",
                "new_endpoints": ["/api/predictions", "/api/models"],
                "breaking_changes": [],
            },
            priority=MessagePriority.HIGH,
        )
        await bus.send_message(rust_agent, ts_agent, schema_update)
        await bus.send_message(rust_agent, python_agent, schema_update)
        build_complete = BroadcastMessage(
            from_=rust_agent,
            content="Backend API v2.0 deployed successfully",
            priority=MessagePriority.NORMAL,
            metadata={"version": "2.0.0", "deployment_time": "45s", "health_check": "passed"},
        )
        await bus.broadcast(rust_agent, build_complete)

        for agent in (ts_agent, python_agent):
            got = await received_all(bus, agent)
            assert [m.id for m in got] == [schema_update.id, build_complete.id]
            assert got[0].payload["schema_version"] == "2.0"
            assert got[1].payload["content"] == "Backend API v2.0 deployed successfully"
        assert await received_all(bus, rust_agent) == []
        states = {(r.to, r.message.id): r.state for r in bus.recent_messages()}
        assert len(states) == 4 and set(states.values()) == {"acknowledged"}
    finally:
        await bus.stop_all_agents()
        await bus.close()
