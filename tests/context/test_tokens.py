"""Token counting: equal to tiktoken's own encodings, offline, verified, incremental."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import tiktoken
from hypothesis import given, settings
from hypothesis import strategies as st

from aitui.core import tokens
from aitui.core.errors import ConfigError
from aitui.core.tokens import StreamTokenCounter, count_tokens, get_encoding, load_ranks

# tiktoken's own download URLs; its cache stores each file under the sha1 of the URL.
CACHE_NAMES = {
    "cl100k_base": "9b5ad71b2ce5302211f9c61530b329a4922fc6a4",
    "o200k_base": "fb374d419588a4632f3f557e76b4b70aebbca790",
}
ENCODINGS = sorted(CACHE_NAMES)
CORPUS = Path(__file__).resolve().parents[1] / "compress" / "samples"

TEXTS = [
    "",
    "hello world",
    "  leading spaces\n\n\ttabs and\r\nCRLF\r\n",
    "<|endoftext|> is ordinary text here",
    "unicode: héllo wörld ✖ ⠙ 日本語 🎉",
    "path/to/file.py:12:5: error: Incompatible types [assignment]\n" * 20,
    "x" * 10_000,
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tiktoken.Encoding]]:
    """tiktoken.get_encoding itself, fed the shipped files through its cache directory."""
    cache = tmp_path_factory.mktemp("tiktoken-cache")
    for name, key in CACHE_NAMES.items():
        shutil.copyfile(tokens.DATA_DIR / f"{name}.tiktoken", cache / key)
    mp = pytest.MonkeyPatch()
    mp.setenv("TIKTOKEN_CACHE_DIR", str(cache))
    try:
        yield {name: tiktoken.get_encoding(name) for name in ENCODINGS}
    finally:
        mp.undo()


@pytest.mark.parametrize("name", ENCODINGS)
@pytest.mark.parametrize("text", TEXTS)
def test_counts_equal_tiktoken(
    reference: dict[str, tiktoken.Encoding], name: str, text: str
) -> None:
    ref = reference[name]
    assert count_tokens(text, name) == len(ref.encode(text, disallowed_special=()))
    assert get_encoding(name).encode_ordinary(text) == ref.encode_ordinary(text)


@pytest.mark.parametrize("name", ENCODINGS)
def test_counts_equal_tiktoken_on_real_logs(
    reference: dict[str, tiktoken.Encoding], name: str
) -> None:
    for log in sorted(CORPUS.glob("*.log")):
        text = log.read_bytes().decode("utf-8", "replace")
        assert count_tokens(text, name) == len(reference[name].encode_ordinary(text)), log.name


def test_bytes_are_decoded() -> None:
    assert count_tokens("héllo".encode()) == count_tokens("héllo")


def test_loading_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    tokens._build.cache_clear()
    assert count_tokens("offline", "cl100k_base") > 0
    assert count_tokens("offline", "o200k_base") > 0


def test_checksum_is_verified(tmp_path: Path) -> None:
    data = (tokens.DATA_DIR / "cl100k_base.tiktoken").read_bytes()
    (tmp_path / "cl100k_base.tiktoken").write_bytes(data[:-10] + b"AAAA 99999\n")
    with pytest.raises(ConfigError, match="corrupt"):
        load_ranks("cl100k_base", tmp_path)
    with pytest.raises(ConfigError, match="missing"):
        load_ranks("o200k_base", tmp_path)


def test_shipped_checksums_file_matches() -> None:
    sums: dict[str, str] = {}
    for line in (tokens.DATA_DIR / "SHA256SUMS").read_text().splitlines():
        digest, filename = line.split()
        sums[filename] = digest
    for name, spec in tokens.ENCODINGS.items():
        assert sums[spec.filename] == spec.sha256, name


def test_unknown_encoding() -> None:
    with pytest.raises(ConfigError, match="unknown token encoding"):
        count_tokens("x", "p50k_base")


chunks = st.lists(st.binary(max_size=64) | st.text(max_size=64).map(str.encode), max_size=40)


@settings(max_examples=200, deadline=None)
@given(chunks, st.sampled_from(ENCODINGS))
def test_stream_counter_equals_one_shot_count(parts: list[bytes], name: str) -> None:
    counter = StreamTokenCounter(name)
    for part in parts:
        counter.feed(part)
        assert counter.total >= counter.committed
    total = counter.flush()
    assert total == count_tokens(b"".join(parts), name)


def test_stream_counter_on_real_log_in_small_chunks() -> None:
    data = (CORPUS / "pytest_failures.log").read_bytes()
    counter = StreamTokenCounter()
    running = []
    for i in range(0, len(data), 37):
        running.append(counter.feed(data[i : i + 37]))
    assert running[-1] == count_tokens(data)  # the pending tail is counted too
    assert counter.flush() == count_tokens(data)
    # most of the text was committed on the way, not re-encoded at the end
    assert counter.committed == count_tokens(data)


def test_stream_counter_commits_incrementally(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = StreamTokenCounter()
    encoded: list[int] = []
    enc = counter._enc
    original = enc.encode_ordinary

    def spy(text: str) -> list[int]:
        encoded.append(len(text))
        return original(text)

    monkeypatch.setattr(enc, "encode_ordinary", spy)
    for i in range(200):
        counter.feed(f"line {i} of output\n".encode())
        _ = counter.total
    # every character is encoded about once, not the whole history on every chunk
    assert sum(encoded) < 3 * sum(len(f"line {i} of output\n") for i in range(200))
