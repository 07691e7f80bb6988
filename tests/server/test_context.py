"""Context and token/compression figures, from the core's SessionContext."""

from __future__ import annotations

import re

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


async def test_a_compressed_output_names_its_archive_and_the_route_serves_it(
    client: httpx.AsyncClient, server: Server
) -> None:
    created = await client.post(
        "/sessions",
        json={"name": "arch", "enable_ai_features": True, "working_directory": str(server.workdir)},
    )
    assert created.status_code == 200
    try:
        await client.post("/sessions/arch/execute", json={"command": "seq 1 3000"})
        context = (await client.get("/sessions/arch/context?limit=5")).json()
        content = context["messages"][-1]["content"]
        found = re.search(r"\[raw output: archive (\w+), GET (\S+)\?start=N&end=M", content)
        assert found, content
        raw_id, route = found.groups()
        assert route.endswith(f"/context/archive/{raw_id}")
        page = await client.get(route, params={"start": 10, "end": 12})
        assert page.status_code == 200
        body = page.json()
        assert body["text"] == "10\n11\n12"
        assert body["raw"] is True and body["command"] == "seq 1 3000"
        assert body["total_lines"] >= 3000 and (body["start"], body["end"]) == (10, 12)
        whole = (await client.get(route)).json()
        assert whole["text"].split("\n")[:3] == ["1", "2", "3"]
        missing = await client.get("/sessions/arch/context/archive/nope")
        assert missing.status_code == 404
        assert missing.json()["code"] == "ARCHIVE_NOT_FOUND"
    finally:
        await client.delete("/sessions/arch")
