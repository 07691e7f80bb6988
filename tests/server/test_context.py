"""Context and token/compression figures, from the core's SessionContext."""

from __future__ import annotations

import httpx

from tests.server.helpers import Server


async def test_stats_and_context_follow_commands(client: httpx.AsyncClient, server: Server) -> None:
    created = await client.post(
        "/sessions",
        json={"name": "ctx", "enable_ai_features": True, "working_directory": str(server.workdir)},
    )
    assert created.status_code == 200
    try:
        before = (await client.get("/sessions/ctx/stats")).json()
        assert before["commands_seen"] == 0 and before["raw_output_tokens"] == 0
        assert before["enable_ai_features"] is True

        result = await client.post("/sessions/ctx/execute", json={"command": "seq 1 3000"})
        assert result.json()["exit_code"] == 0
        after = (await client.get("/sessions/ctx/stats")).json()
        assert after["commands_seen"] == 1
        assert after["raw_output_tokens"] > after["compressed_output_tokens"] > 0
        assert 0 < after["output_savings_percent"] <= 100
        assert after["tokens_in_context"] <= after["max_tokens"]

        context = (await client.get("/sessions/ctx/context?limit=5")).json()
        assert context["summary"]["total_messages"] >= 1
        last = context["messages"][-1]
        assert last["role"] == "tool"
        assert last["content"].startswith("$ seq 1 3000")
        assert last["metadata"]["exit_code"] == 0

        overall = (await client.get("/stats")).json()
        assert overall["commands_seen"] >= 1
        assert overall["raw_output_tokens"] >= after["raw_output_tokens"]
    finally:
        await client.delete("/sessions/ctx")


async def test_without_ai_features_the_figures_are_zero(
    client: httpx.AsyncClient, session_name: str
) -> None:
    await client.post(f"/sessions/{session_name}/execute", json={"command": "seq 1 100"})
    stats = (await client.get(f"/sessions/{session_name}/stats")).json()
    assert stats["enable_ai_features"] is False
    assert stats["commands_seen"] == 0 and stats["tokens_in_context"] == 0
    context = (await client.get(f"/sessions/{session_name}/context")).json()
    assert context["messages"] == []


def test_the_stats_schema_lists_exactly_the_engine_figures() -> None:
    """``Stats`` (the OpenAPI schema) mirrors ``ContextStats.to_dict``: a figure added to the
    engine must be added to the schema too, or the response would fail validation."""
    from aitui.core.stats import ContextStats
    from aitui.server.routes.context import Stats

    figures = ContextStats(None, 0, 0, 0, 0, 0, 0, 0, 0, 0).to_dict()
    assert set(Stats.model_fields) == set(figures) - {"session_id"}
