"""INTELLIGENT compression of a context, compressed blocks that name their raw output, and
``summarization_model`` by name against a local fake OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from aitui.core.config import CompressionStrategy, ContextConfig
from aitui.core.context import Message, MessageRole, SessionContext
from aitui.core.errors import ConfigError
from aitui.core.tokens import count_tokens


def failing_log(n: int = 4000) -> str:
    lines = [f"Downloading dependency-{i}-2.{i % 9}.1.tar.gz ({i % 700} kB)" for i in range(n)]
    lines[n // 2] = "ERROR: No matching distribution found for frobnicate==9.9"
    lines.append("Found 3 errors in 2 files (checked 40 source files)")
    return "\n".join(lines)


def test_record_command_names_the_archive_of_the_raw_output() -> None:
    ctx = SessionContext(ContextConfig(max_tokens=200_000), session_id="s1")
    message = ctx.record_command("./install.sh", failing_log(), 1)
    raw_id = message.metadata["raw_id"]
    assert f"[raw output: archive {raw_id}, GET /sessions/s1/context/archive/{raw_id}" in (
        message.content
    )
    archived = ctx.get_archived(raw_id)
    assert archived is not None and "frobnicate==9.9" in archived.content


def test_intelligent_recompresses_old_outputs_within_a_budget() -> None:
    config = ContextConfig(
        max_tokens=3000,
        compression_strategy=CompressionStrategy.INTELLIGENT,
        preserve_recent_count=1,
    )
    ctx = SessionContext(config, session_id="s2")
    first = ctx.record_command("./install.sh", failing_log(), 1)
    before = first.tokens
    for i in range(3):
        ctx.add_message(Message(MessageRole.USER, f"look at step {i} " + "detail " * 400))
    messages = ctx.messages
    tool = [m for m in messages if m.role is MessageRole.TOOL]
    assert ctx.get_total_tokens() <= config.max_tokens
    if tool:  # re-compressed in place: the failure survived, the original is archived
        (recompressed,) = tool
        assert recompressed.tokens < before
        assert "ERROR: No matching distribution found for frobnicate==9.9" in recompressed.content
        assert recompressed.metadata["output_budget"] == 300
        assert [m.id for m in ctx.expand(recompressed.id)] == [first.id]
    else:  # summarised afterwards: the summary stands for it
        assert any("Summary of" in m.content for m in messages)
    assert ctx.get_summary().strategy is CompressionStrategy.INTELLIGENT


def test_intelligent_keeps_the_failure_when_only_recompression_is_needed() -> None:
    config = ContextConfig(
        max_tokens=2500,
        compression_strategy=CompressionStrategy.INTELLIGENT,
        preserve_recent_count=1,
    )
    ctx = SessionContext(config)
    ctx.record_command("./install.sh", failing_log(20_000), 1)
    ctx.add_message(Message(MessageRole.USER, "what failed?"))
    ctx.add_message(Message(MessageRole.USER, "and why? " + "context " * 300))
    tool = [m for m in ctx.messages if m.role is MessageRole.TOOL]
    assert tool, "the tool message was re-compressed, not dropped"
    assert "frobnicate==9.9" in tool[0].content
    assert "Found 3 errors in 2 files" in tool[0].content
    assert count_tokens(tool[0].content) <= 300 + 12  # its budget, plus the "$ command" line


# ----------------------------------------------------------------------------- fake endpoint
class FakeOpenAI(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []
    status = 200
    #: When set, each request waits for it before answering (an endpoint that takes its time).
    gate: threading.Event | None = None

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length))
        FakeOpenAI.requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
        )
        if FakeOpenAI.gate is not None:
            FakeOpenAI.gate.wait(30)
        if FakeOpenAI.status != 200:
            self.send_response(FakeOpenAI.status)
            self.end_headers()
            return
        reply = {"choices": [{"message": {"role": "assistant", "content": "- MODEL SUMMARY"}}]}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[str]:
    FakeOpenAI.requests = []
    FakeOpenAI.status = 200
    FakeOpenAI.gate = None
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        if FakeOpenAI.gate is not None:
            FakeOpenAI.gate.set()
        server.shutdown()
        server.server_close()


def summarising(**config: Any) -> SessionContext:
    ctx = SessionContext(
        ContextConfig(
            max_tokens=1000,
            compression_strategy=CompressionStrategy.SUMMARIZE_OUTPUT,
            preserve_recent_count=1,
            **config,
        )
    )
    for i in range(10):
        ctx.add_message(Message(MessageRole.USER, f"request {i}: " + "please do it " * 30))
    return ctx


def summaries(ctx: SessionContext) -> list[str]:
    return [m.content for m in ctx.messages if m.content.startswith("[Summary of")]


def test_a_model_name_calls_the_configured_endpoint(
    endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AITUI_TEST_SUMMARY_KEY", "sk-test-123")
    ctx = summarising(
        summarization_model="tiny-summarizer",
        summarization_base_url=endpoint,
        summarization_api_key_env="AITUI_TEST_SUMMARY_KEY",
    )
    assert FakeOpenAI.requests
    request = FakeOpenAI.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test-123"
    assert request["body"]["model"] == "tiny-summarizer"
    assert "request 0" in request["body"]["messages"][-1]["content"]
    (summary, *_) = summaries(ctx)
    assert "summary by tiny-summarizer" in summary.splitlines()[0]
    assert "- MODEL SUMMARY" in summary


def test_a_failing_endpoint_falls_back_to_the_built_in_summary(endpoint: str) -> None:
    FakeOpenAI.status = 500
    ctx = summarising(summarization_model="tiny-summarizer", summarization_base_url=endpoint)
    assert FakeOpenAI.requests and FakeOpenAI.requests[0]["auth"] is None
    (summary, *_) = summaries(ctx)
    assert "built-in extractive summary: the model failed" in summary
    assert "- user: request 0" in summary


def test_a_model_name_without_endpoint_says_the_summary_is_built_in() -> None:
    ctx = summarising(summarization_model="gpt-4o-mini")
    (summary, *_) = summaries(ctx)
    assert re.search(r"built-in extractive summary: model 'gpt-4o-mini' has no", summary)


def test_without_a_model_the_summary_says_it_is_built_in() -> None:
    (summary, *_) = summaries(summarising())
    assert "built-in extractive summary]" in summary.splitlines()[0]


def test_the_key_itself_is_refused_in_the_config() -> None:
    with pytest.raises(ConfigError, match="environment variable"):
        SessionContext(ContextConfig(summarization_api_key_env="sk-live-abc123"))


def test_a_missing_key_variable_falls_back(
    endpoint: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("AITUI_TEST_NO_SUCH_KEY", raising=False)
    ctx = summarising(
        summarization_model="m",
        summarization_base_url=endpoint,
        summarization_api_key_env="AITUI_TEST_NO_SUCH_KEY",
    )
    assert not FakeOpenAI.requests  # nothing sent without the key
    assert "the model failed" in summaries(ctx)[0]
    assert "AITUI_TEST_NO_SUCH_KEY is not set" in caplog.text


async def answered(ctx: SessionContext) -> None:
    """Until the model's answer is in the context (its "summary" change)."""
    done = asyncio.Event()
    unsubscribe = ctx.subscribe(lambda event: done.set() if event.reason == "summary" else None)
    try:
        await asyncio.wait_for(done.wait(), 20)
    finally:
        unsubscribe()


async def test_on_an_event_loop_the_endpoint_answers_later_without_blocking_it(
    endpoint: str,
) -> None:
    """A session's context compresses in the loop's reader callback: there the request went
    out and the loop waited for the answer (every session, the HTTP API and the dashboards
    with it), up to ``summarization_timeout``. Now the built-in summary goes in at once and
    the model's takes its place when it answers. The endpoint here answers only once the
    context has been compressed: calling it in place would wait out the 5 s timeout and
    give the failed model's summary."""
    FakeOpenAI.gate = threading.Event()
    ctx = summarising(
        summarization_model="tiny-summarizer",
        summarization_base_url=endpoint,
        summarization_timeout=5,
    )
    (interim,) = [m for m in ctx.messages if m.content.startswith("[Summary of")]
    assert "built-in extractive summary until tiny-summarizer answers]" in interim.content
    assert "- user: request 0" in interim.content
    FakeOpenAI.gate.set()
    await answered(ctx)
    (summary,) = [m for m in ctx.messages if m.content.startswith("[Summary of")]
    assert summary.id == interim.id  # the archive's originals still point at it
    assert "summary by tiny-summarizer]" in summary.content.splitlines()[0]
    assert "- MODEL SUMMARY" in summary.content
    assert ctx.expand(summary.id) and ctx.get_total_tokens() == sum(m.tokens for m in ctx.messages)
    assert summary.tokens == count_tokens(summary.content)


async def test_on_an_event_loop_a_failing_endpoint_leaves_the_built_in_summary(
    endpoint: str,
) -> None:
    FakeOpenAI.status = 500
    ctx = summarising(summarization_model="tiny-summarizer", summarization_base_url=endpoint)
    await answered(ctx)
    (summary, *_) = summaries(ctx)
    assert "built-in extractive summary: the model failed" in summary
    assert "- user: request 0" in summary
