"""Token counting with tiktoken, fully offline.

The BPE rank files of ``o200k_base`` and ``cl100k_base`` ship inside the package
(``aitui/data/tiktoken``) with their SHA-256 sums. They are verified, parsed and turned into a
``tiktoken.Encoding`` with the same pattern and special tokens as tiktoken's own constructors
(``tiktoken_ext/openai_public.py``), so counts equal ``tiktoken.get_encoding(name)``'s. Nothing is
downloaded and nothing is written to tiktoken's cache directory.

``StreamTokenCounter`` counts a stream (a session's output) incrementally: completed text is
encoded once, only the pending tail is re-encoded when a total is asked for.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import tiktoken

from aitui.core.errors import ConfigError

DEFAULT_ENCODING = "o200k_base"
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "tiktoken"

_ENDOFTEXT = "<|endoftext|>"
_FIM_PREFIX = "<|fim_prefix|>"
_FIM_MIDDLE = "<|fim_middle|>"
_FIM_SUFFIX = "<|fim_suffix|>"
_ENDOFPROMPT = "<|endofprompt|>"

_O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)


@dataclass(frozen=True)
class EncodingSpec:
    """What is needed to build one encoding from its shipped rank file."""

    name: str
    filename: str
    sha256: str
    pat_str: str
    special_tokens: dict[str, int]


ENCODINGS: dict[str, EncodingSpec] = {
    "o200k_base": EncodingSpec(
        name="o200k_base",
        filename="o200k_base.tiktoken",
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pat_str=_O200K_PATTERN,
        special_tokens={_ENDOFTEXT: 199999, _ENDOFPROMPT: 200018},
    ),
    "cl100k_base": EncodingSpec(
        name="cl100k_base",
        filename="cl100k_base.tiktoken",
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pat_str=_CL100K_PATTERN,
        special_tokens={
            _ENDOFTEXT: 100257,
            _FIM_PREFIX: 100258,
            _FIM_MIDDLE: 100259,
            _FIM_SUFFIX: 100260,
            _ENDOFPROMPT: 100276,
        },
    ),
}

_load_lock = threading.Lock()


def available_encodings() -> list[str]:
    """Names of the encodings that ship with aitui."""
    return sorted(ENCODINGS)


def _parse_ranks(contents: bytes, source: Path) -> dict[bytes, int]:
    """Parse a ``.tiktoken`` rank file (base64 token, space, rank per line).

    Same format and result as ``tiktoken.load.load_tiktoken_bpe``; parsed here because that
    function also copies the file into tiktoken's cache directory (``/tmp/data-gym-cache``).
    """
    ranks: dict[bytes, int] = {}
    for line in contents.splitlines():
        if not line:
            continue
        try:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
        except ValueError as exc:
            raise ConfigError(f"malformed line {line[:40]!r} in {source}") from exc
    return ranks


def load_ranks(name: str, data_dir: Path | None = None) -> dict[bytes, int]:
    """Read and verify the shipped rank file of encoding ``name``."""
    spec = _spec(name)
    path = (data_dir or DATA_DIR) / spec.filename
    try:
        contents = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"tiktoken rank file for {name} is missing: {path} ({exc})") from exc
    digest = hashlib.sha256(contents).hexdigest()
    if digest != spec.sha256:
        raise ConfigError(
            f"tiktoken rank file {path} is corrupt: SHA-256 {digest}, expected {spec.sha256}"
        )
    return _parse_ranks(contents, path)


def _spec(name: str) -> EncodingSpec:
    try:
        return ENCODINGS[name]
    except KeyError:
        known = ", ".join(available_encodings())
        raise ConfigError(f"unknown token encoding {name!r} (available: {known})") from None


@cache
def _build(name: str) -> tiktoken.Encoding:
    spec = _spec(name)
    return tiktoken.Encoding(
        name=spec.name,
        pat_str=spec.pat_str,
        mergeable_ranks=load_ranks(name),
        special_tokens=dict(spec.special_tokens),
    )


def check_encoding(name: str) -> None:
    """``ConfigError`` unless ``name`` is an encoding aitui ships; nothing is built (building
    one, on its first count, parses its rank file: hundreds of milliseconds)."""
    _spec(name)


_warming: set[str] = set()  # names a thread was started for
_built: set[str] = set()


def warm_encoding(name: str = DEFAULT_ENCODING) -> None:
    """Build ``name`` in a thread of its own, once per process, if it is not built yet: an AI
    session's first finished command counts its output, and on a server that count runs on the
    event loop, where building the encoding (parsing its rank file: 0.3-0.6 s here) would hold
    up every session's screen. A count that comes before the thread is done waits for it."""
    check_encoding(name)
    with _load_lock:
        if name in _warming:
            return
        _warming.add(name)
    threading.Thread(
        target=get_encoding, args=(name,), name=f"aitui-encoding-{name}", daemon=True
    ).start()


def encoding_built(name: str = DEFAULT_ENCODING) -> bool:
    """Whether ``name`` has been built in this process (asking builds nothing)."""
    with _load_lock:
        return name in _built


def get_encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """The named encoding, built once from the shipped files (thread-safe, cached)."""
    check_encoding(name)  # unknown names fail fast with ConfigError
    with _load_lock:
        encoding = _build(name)
        _built.add(name)
        return encoding


def encode(text: str, encoding: str = DEFAULT_ENCODING) -> list[int]:
    """Token ids of ``text``; special-token strings count as ordinary text."""
    return get_encoding(encoding).encode_ordinary(text)


def count_tokens(text: str | bytes, encoding: str = DEFAULT_ENCODING) -> int:
    """Number of tokens of ``text`` (bytes are decoded as UTF-8, invalid bytes replaced)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not text:
        return 0
    return len(get_encoding(encoding).encode_ordinary(text))


def _safe_split(text: str) -> int:
    """Offset up to which ``text`` can be encoded on its own without changing the total.

    tiktoken first cuts text into pieces with a regex and encodes each piece separately, so
    counts add up exactly across a boundary that no piece crosses. With both shipped patterns
    a piece that contains a newline ends at the last newline of its whitespace run, or, after
    punctuation, takes following newlines and (o200k) slashes. So the boundary just after a
    newline is safe when the whitespace that follows holds no other line break and the next
    character is not ``/``. Returns 0 while there is no such boundary (or it cannot be judged
    yet because the text ends in whitespace).
    """
    pos = len(text)
    while pos > 0:
        nl = text.rfind("\n", 0, pos)
        if nl < 0:
            return 0
        j = nl + 1
        if j < len(text) and text[j] != "/":
            while j < len(text) and text[j].isspace() and text[j] not in "\r\n":
                j += 1
            if j < len(text) and text[j] not in "\r\n":
                return nl + 1
        pos = nl
    return 0


class StreamTokenCounter:
    """Counts the tokens of a stream as chunks arrive, without re-encoding what was counted.

    Text is committed (encoded once and added to the total) up to the last safe boundary (a
    newline where tiktoken's pre-tokeniser must cut too); only the rest, usually the current
    line, is kept and re-encoded on demand. The total therefore equals ``count_tokens`` of
    everything fed.
    Bytes are decoded incrementally, so a UTF-8 character split across chunks is handled.
    """

    def __init__(self, encoding: str = DEFAULT_ENCODING, *, max_pending: int = 64 * 1024) -> None:
        self.encoding = encoding
        self._enc = get_encoding(encoding)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._committed = 0
        self._pending = ""
        self._pending_count: int | None = 0
        self._max_pending = max_pending
        self.chars_seen = 0

    def feed(self, chunk: str | bytes) -> int:
        """Add a chunk; returns the running total."""
        text = self._decoder.decode(chunk) if isinstance(chunk, bytes) else chunk
        if text:
            self.chars_seen += len(text)
            self._pending += text
            self._pending_count = None
            self._commit()
        return self.total

    def _commit(self) -> None:
        cut = _safe_split(self._pending)
        if cut == 0 and len(self._pending) > self._max_pending:
            # A huge line without a safe boundary: commit it anyway at a space; the total can
            # then differ from a one-shot count by a token or two at this boundary.
            space = self._pending.rfind(" ", 0, len(self._pending) - 1)
            cut = space if space > 0 else len(self._pending) // 2
        if cut:
            head, self._pending = self._pending[:cut], self._pending[cut:]
            self._committed += len(self._enc.encode_ordinary(head))

    def flush(self) -> int:
        """End of stream: decode any partial character and commit everything."""
        tail = self._decoder.decode(b"", final=True)
        if tail:
            self._pending += tail
            self.chars_seen += len(tail)
        if self._pending:
            self._committed += len(self._enc.encode_ordinary(self._pending))
            self._pending = ""
        self._pending_count = 0
        return self._committed

    @property
    def committed(self) -> int:
        """Tokens of the text already committed."""
        return self._committed

    @property
    def total(self) -> int:
        """Tokens of everything fed so far (the pending tail is encoded once per change)."""
        if self._pending_count is None:
            self._pending_count = (
                len(self._enc.encode_ordinary(self._pending)) if self._pending else 0
            )
        return self._committed + self._pending_count

    def reset(self) -> None:
        self._decoder.reset()
        self._committed = 0
        self._pending = ""
        self._pending_count = 0
        self.chars_seen = 0
