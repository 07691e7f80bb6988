"""SessionContext: the reference API, every strategy's guarantees, the archive, statistics."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aitui.core.config import CompressionStrategy, ContextConfig
from aitui.core.context import Message, MessageRole, SessionContext
from aitui.core.errors import ConfigError
from aitui.core.stats import ContextStatsChanged, OverallStatsChanged, StatsAggregator
from aitui.core.tokens import count_tokens

SAMPLES = Path(__file__).resolve().parents[1] / "compress" / "samples"
STRATEGIES = list(CompressionStrategy)


def make(
    strategy: CompressionStrategy = CompressionStrategy.SLIDING_WINDOW, **kw: object
) -> SessionContext:
    config = ContextConfig(compression_strategy=strategy, **kw)  # type: ignore[arg-type]
    return SessionContext(config, session_id="s-1")


def words(n: int, tag: str = "w") -> str:
    return " ".join(f"{tag}{i}" for i in range(n))


# ----------------------------------------------------------------------------- Message
def test_message_counts_tokens_when_not_given() -> None:
    msg = Message(MessageRole.USER, "Implement a REST API for user management")
    assert msg.token_count == count_tokens(msg.content)
    assert Message(MessageRole.USER, "x", token_count=8).token_count == 8
    assert Message("assistant", "y").role is MessageRole.ASSISTANT  # type: ignore[arg-type]
    assert MessageRole("Tool") is MessageRole.TOOL
    assert str(MessageRole.SYSTEM) == "System"


def test_context_recounts_with_its_encoding() -> None:
    ctx = make(encoding="cl100k_base")
    text = "unicode ✖ 日本語 " * 30
    msg = ctx.add_message(Message(MessageRole.USER, text))
    assert msg.token_count == count_tokens(text, "cl100k_base")
    assert ctx.get_total_tokens() == msg.token_count


def test_invalid_config() -> None:
    with pytest.raises(ConfigError):
        SessionContext(ContextConfig(max_tokens=0))
    with pytest.raises(ConfigError):
        SessionContext(ContextConfig(encoding="nope"))


# ----------------------------------------------------------------------------- reference API
def test_reference_api() -> None:
    ctx = make(max_tokens=10_000)
    ctx.add_message(Message(MessageRole.USER, "Implement a REST API", token_count=8))
    ctx.add_message(role=MessageRole.ASSISTANT, content="I'll help you implement a REST API.")
    ctx.add_message(role="tool", content="cargo build completed successfully")
    assert ctx.get_message_count() == 3
    assert ctx.get_total_tokens() == sum(m.tokens for m in ctx.messages)
    assert [m.role for m in ctx.get_recent_messages(2)] == [MessageRole.ASSISTANT, MessageRole.TOOL]
    assert ctx.get_recent_messages(0) == []
    within = ctx.get_messages_within_limit(ctx.messages[-1].tokens + ctx.messages[-2].tokens)
    assert [m.id for m in within] == [m.id for m in ctx.messages[-2:]]
    assert ctx.get_messages_within_limit(0) == []
    assert ctx.compress_context() is False  # nothing to do under the threshold
    summary = ctx.get_summary()
    assert (summary.total_messages, summary.total_tokens) == (3, ctx.get_total_tokens())
    assert summary.compression_ratio == ctx.get_compression_ratio() == 0.0


def test_compression_triggers_automatically_at_threshold() -> None:
    ctx = make(max_tokens=200, compression_threshold=0.5, preserve_recent_count=1)
    seen = []
    for i in range(10):
        ctx.add_message(Message(MessageRole.USER, words(20, f"m{i}-")))
        seen.append(ctx.get_total_tokens())
        assert ctx.get_total_tokens() <= 100 or len(ctx.messages) == 1
    assert ctx.stats().compressions >= 1
    assert ctx.get_compression_ratio() > 0.5


# ----------------------------------------------------------------------------- guarantees
def check_guarantees(ctx: SessionContext, added: list[Message]) -> None:
    cfg = ctx.config
    ids = [m.id for m in ctx.messages]
    system = [m for m in added if m.role is MessageRole.SYSTEM]
    if cfg.preserve_system_messages:
        for m in system:
            assert m.id in ids, "system message lost"
    others = [
        m for m in added if not (cfg.preserve_system_messages and m.role is MessageRole.SYSTEM)
    ]
    recent = others[-cfg.preserve_recent_count :] if cfg.preserve_recent_count else []
    for m in recent:
        assert m.id in ids, "recent message lost"
        kept = next(x for x in ctx.messages if x.id == m.id)
        assert kept.content == m.content, "recent message changed"
    preserved = sum(m.tokens for m in system if cfg.preserve_system_messages) + sum(
        m.tokens for m in recent
    )
    if preserved <= cfg.max_tokens:
        assert ctx.get_total_tokens() <= cfg.max_tokens
        assert not ctx.is_over_limit()
    else:
        assert ctx.is_over_limit() and ctx.get_summary().over_limit and ctx.stats().over_limit
        kept_system = {m.id for m in system} if cfg.preserve_system_messages else set()
        assert set(ids) == {m.id for m in recent} | kept_system
    assert ctx.get_total_tokens() == sum(m.tokens for m in ctx.messages)
    # nothing lost: every message is in the context or in the archive, unchanged
    for m in added:
        if m.id not in ids:
            archived = ctx.get_archived(m.id)
            assert archived is not None and archived.content == m.content


message_specs = st.lists(
    st.tuples(st.sampled_from(list(MessageRole)), st.integers(min_value=1, max_value=120)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    message_specs,
    st.sampled_from(STRATEGIES),
    st.integers(min_value=50, max_value=600),
    st.integers(min_value=0, max_value=5),
    st.booleans(),
)
def test_strategy_guarantees(
    specs: list[tuple[MessageRole, int]],
    strategy: CompressionStrategy,
    max_tokens: int,
    recent: int,
    keep_system: bool,
) -> None:
    ctx = make(
        strategy,
        max_tokens=max_tokens,
        preserve_recent_count=recent,
        preserve_system_messages=keep_system,
    )
    added = []
    for i, (role, size) in enumerate(specs):
        added.append(ctx.add_message(Message(role, words(size, f"{i}x"))))
    ctx.compress_context()
    check_guarantees(ctx, added)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_preserved_set_larger_than_the_limit(strategy: CompressionStrategy) -> None:
    ctx = make(strategy, max_tokens=100, preserve_recent_count=2)
    added = [ctx.add_message(Message(MessageRole.SYSTEM, words(30, "sys")))]
    for i in range(6):
        added.append(ctx.add_message(Message(MessageRole.USER, words(60, f"u{i}"))))
    ctx.compress_context()
    check_guarantees(ctx, added)
    assert ctx.is_over_limit()
    assert [m.id for m in ctx.messages] == [added[0].id, added[-2].id, added[-1].id]


def test_sliding_window_archives_oldest_first() -> None:
    ctx = make(CompressionStrategy.SLIDING_WINDOW, max_tokens=1000, preserve_recent_count=2)
    added = [ctx.add_message(Message(MessageRole.USER, words(100, f"u{i}"))) for i in range(12)]
    remaining = [m.id for m in ctx.messages]
    archived = [m.id for m in added if m.id not in remaining]
    assert archived == [m.id for m in added[: len(archived)]]
    assert all(ctx.get_archived(i) is not None for i in archived)


def test_summarize_output_shortens_old_tool_output_first() -> None:
    ctx = make(CompressionStrategy.SUMMARIZE_OUTPUT, max_tokens=2000, preserve_recent_count=1)
    long_output = "\n".join(f"line {i} result {i * 7}" for i in range(300))
    tool = ctx.add_message(Message(MessageRole.TOOL, long_output))
    ctx.add_message(Message(MessageRole.USER, "and now?"))
    # 300 lines are over the threshold (80% of 2000): the old output was shortened
    assert tool.tokens > 1600 >= ctx.get_total_tokens()
    short = next(m for m in ctx.messages if m.role is MessageRole.TOOL)
    assert short.id != tool.id and "lines archived" in short.content
    assert [m.content for m in ctx.expand(short.id)] == [long_output]
    assert ctx.restore(short.id)
    assert any(m.id == tool.id for m in ctx.messages)


def test_summaries_round_trip_through_the_archive() -> None:
    ctx = make(CompressionStrategy.AGGRESSIVE, max_tokens=400, preserve_recent_count=1)
    added = [ctx.add_message(Message(MessageRole.USER, words(40, f"u{i}"))) for i in range(8)]
    summary = next(m for m in ctx.messages if "summary_of" in m.metadata)
    direct = ctx.expand(summary.id)
    assert summary.content.startswith(f"[Summary of {len(direct)} earlier messages")
    originals = ctx.expand(summary.id, recursive=True)
    assert originals and {m.id for m in originals} <= {a.id for a in added}
    assert [m.id for m in originals] == [a.id for a in added if a.id in {o.id for o in originals}]
    originals = direct
    before = ctx.get_message_count()
    assert ctx.restore(summary.id)
    assert ctx.get_message_count() == before - 1 + len(originals)
    assert ctx.get_total_tokens() == sum(m.tokens for m in ctx.messages)
    assert not ctx.restore("no-such-id")


def test_summarization_model_is_used_and_may_fail() -> None:
    calls: list[str] = []

    def model(text: str) -> str:
        calls.append(text)
        return "the user asked for many things"

    ctx = make(
        CompressionStrategy.SUMMARIZE_OUTPUT,
        max_tokens=300,
        preserve_recent_count=1,
        summarization_model=model,
    )
    for i in range(8):
        ctx.add_message(Message(MessageRole.USER, words(30, f"u{i}")))
    assert calls
    assert any("the user asked for many things" in m.content for m in ctx.messages)

    def broken(text: str) -> str:
        raise RuntimeError("model down")

    ctx2 = make(
        CompressionStrategy.SUMMARIZE_OUTPUT,
        max_tokens=300,
        preserve_recent_count=1,
        summarization_model=broken,
    )
    added = [ctx2.add_message(Message(MessageRole.USER, words(30, f"u{i}"))) for i in range(8)]
    ctx2.compress_context()
    check_guarantees(ctx2, added)


# ----------------------------------------------------------------------------- record_command
def test_record_command_adds_a_compressed_tool_message() -> None:
    raw = (SAMPLES / "pytest_failures.log").read_bytes()
    ctx = make(CompressionStrategy.SUMMARIZE_OUTPUT, max_tokens=50_000)
    events: list[ContextStatsChanged] = []
    unsubscribe = ctx.subscribe(events.append)
    msg = ctx.record_command("python -m pytest tests", raw, 1, execution_time_ms=1750.0)
    assert msg.role is MessageRole.TOOL
    assert msg.content.startswith("$ python -m pytest tests\n")
    assert "FAILED tests/test_calc.py::test_ratio" in msg.content
    meta = msg.metadata
    # Counted with the same "$ command" framing as the compressed message.
    assert meta["raw_tokens"] == count_tokens(b"$ python -m pytest tests\n" + raw)
    assert meta["compressed_tokens"] == msg.tokens < meta["raw_tokens"]
    assert meta["kind"] == "pytest" and meta["exit_code"] == 1
    archived = ctx.get_archived(meta["raw_id"])
    assert archived is not None and raw.decode() in archived.content
    stats = ctx.stats()
    assert stats.commands_seen == 1
    assert stats.raw_output_tokens == meta["raw_tokens"]
    assert stats.compressed_output_tokens == msg.tokens
    assert stats.output_savings_percent > 80
    assert events and events[-1].stats == stats and events[-1].reason == "message"
    unsubscribe()
    ctx.record_command("git status", b"On branch main\n", 0)
    assert len(events) == 1 or events[-1].stats.commands_seen == 1


def test_feed_output_counts_incrementally() -> None:
    ctx = make()
    data = (SAMPLES / "cargo_test_failure.log").read_bytes()
    for i in range(0, len(data), 100):
        ctx.feed_output(data[i : i + 100])
    assert ctx.stats().streamed_output_tokens == count_tokens(data)


def test_aggregator_sums_sessions() -> None:
    agg = StatsAggregator()
    got: list[OverallStatsChanged] = []
    agg.subscribe(got.append)
    a, b = SessionContext(session_id="a"), SessionContext(session_id="b")
    detach_a = agg.attach(a)
    agg.attach(b)
    a.record_command("ls", b"file1\nfile2\n", 0)
    b.record_command("make", (SAMPLES / "make_errors.log").read_bytes(), 2)
    overall = agg.overall()
    assert overall.sessions == 2 and overall.commands_seen == 2
    assert overall.raw_output_tokens == a.stats().raw_output_tokens + b.stats().raw_output_tokens
    assert got[-1].overall == overall and got[-1].session == b.stats()
    detach_a()
    assert agg.overall().sessions == 1
    a.record_command("ls", b"x\n", 0)
    assert agg.overall().commands_seen == 1


def test_clear() -> None:
    ctx = make()
    ctx.add_message(role="user", content="hello")
    ctx.clear()
    assert ctx.get_message_count() == 0 and ctx.get_total_tokens() == 0
    assert ctx.archived_messages() == []


def test_compression_never_grows_a_tool_message() -> None:
    """A tiny output whose compressed form is not smaller goes in as it was printed."""
    ctx = SessionContext(ContextConfig(max_tokens=10_000))
    msg = ctx.record_command("grep -n TODO app.py", "", 1)
    assert msg.tokens <= msg.metadata["raw_tokens"]
    stats = ctx.stats()
    assert stats.compressed_output_tokens <= stats.raw_output_tokens


def test_raw_outputs_kept_for_recall_are_bounded() -> None:
    """A long-lived agent session must not keep every output it ever saw: the oldest raw
    outputs go beyond ``raw_archive_chars``; their Tool messages stay in the context."""
    ctx = SessionContext(ContextConfig(max_tokens=100_000, raw_archive_chars=2_000))
    outputs = [f"line {i}\n" * 80 for i in range(6)]  # ~560 characters each
    messages = [ctx.record_command(f"job {i}", out, 0) for i, out in enumerate(outputs)]
    kept = [ctx.get_archived(m.metadata["raw_id"]) for m in messages]
    assert [k is not None for k in kept] == [False, False, False, True, True, True]
    assert kept[-1] is not None and kept[-1].content == f"$ job 5\n{outputs[5]}"
    assert ctx.raw_outputs_dropped == 3
    assert all(m in ctx.messages for m in messages)
    assert sum(len(k.content) for k in kept if k is not None) <= 2_000


def test_a_raw_archive_limit_of_zero_keeps_none() -> None:
    ctx = SessionContext(ContextConfig(raw_archive_chars=0))
    message = ctx.record_command("ls", "a\nb\n", 0)
    assert ctx.get_archived(message.metadata["raw_id"]) is None
    with pytest.raises(ConfigError, match="raw_archive_chars"):
        SessionContext(ContextConfig(raw_archive_chars=-1))
