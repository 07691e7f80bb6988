"""A lower bound on a text's token count, without tokenizing it.

``compress`` must never return more tokens than it was given, so when the result is over a
third of the input it counted both (``api._never_more``). tiktoken counts ~10 MB/s here: on
listings, ``find``, shell sessions and tracebacks counting the input was up to 60% of a call.
When the result's real count is at most a floor of the input's, the input's count can only be
larger and is not needed: the answer is the same, no figure is estimated.

The floor. tiktoken cuts text into pieces with its pattern (``tokens._O200K_PATTERN``,
``_CL100K_PATTERN``) and encodes each piece into at least one token, so the number of pieces
is a floor. On ASCII text (where ``\\p{L}`` is ``[A-Za-z]``, ``\\p{N}`` ``[0-9]`` and ``\\s``
the six ASCII spaces) a piece is letters (after at most one character that is no letter,
digit or line break; before an ``'s``-like suffix), one to three digits, punctuation (after an
optional space; before line breaks and, o200k, slashes) or whitespace. Each of these lies in a
piece that holds none of the others:

- the first character of a run of letters and digits after whitespace or at the start;
- the first character of a run of punctuation, except a ``/`` right after a line break (the
  piece before may end with it) and a ``'`` before a letter or digit (a contraction, in the
  letters' piece): those are subtracted, and a ``/`` run followed by letters is added back
  once (it stands for the letters' piece); letters after other punctuation are not counted
  (one punctuation character may be their piece's prefix);
- a letter right after a digit, a digit right after a letter, and one per four digits of a
  run (a piece holds three at most);
- a line break right after a letter or digit (punctuation's piece may take the one after
  it), and the blanks before the last of two or more before a letter, digit or punctuation
  (``\\s+(?!\\S)`` leaves the last blank to the next piece).

The three groups are added in stages, each a floor of its own, and the caller's ``enough``
stops them early. Each count is a ``bytes.count`` over the text mapped to classes by
``bytes.translate``: ~0.1 ms for 6 KB, where counting its tokens takes ~1 ms.
``tests/compress/test_token_floor.py`` checks the floor against tiktoken's own pieces (its
pattern run by ``regex``) and real counts of both encodings, on every corpus file and line
and on generated text; dropping any one exception makes it fail.
"""

from __future__ import annotations

import string

from aitui.core.tokens import _CL100K_PATTERN, _O200K_PATTERN, ENCODINGS

_ALNUM = (string.ascii_letters + string.digits).encode()
_SPACE = b" \t\x0b\x0c\r\n"  # ASCII White_Space, tiktoken's \s on ASCII


def _table(classes: dict[bytes, bytes], default: bytes) -> bytes:
    table = bytearray(default * 256)
    for chars, cls in classes.items():
        for ch in chars:
            table[ch] = cls[0]
    return bytes(table)


#: alphanumeric ``a``, punctuation ``p``, whitespace `` `` (every non-ASCII byte is ``p``:
#: the floor is only taken of ASCII text)
_RUNS = _table({_ALNUM: b"a", _SPACE: b" "}, b"p")
#: what the ``/`` and ``'`` rules need: ``a``, newline ``n``, ``/``, ``'`` kept, the rest ``.``
_EDGES = _table({_ALNUM: b"a", b"\r\n": b"n", b"/": b"/", b"'": b"'"}, b".")
#: letters ``l``, digits ``d``, the rest `` ``
_KINDS = _table({string.ascii_letters.encode(): b"l", string.digits.encode(): b"d"}, b" ")
#: alphanumeric ``a``, newline ``n``, other whitespace ``s``, punctuation ``.``
_GAPS = _table({_ALNUM: b"a", b"\r\n": b"n", b" \t\x0b\x0c": b"s"}, b".")
_PATTERNS = (_O200K_PATTERN, _CL100K_PATTERN)


def token_floor(text: str, encoding: str, enough: int | None = None) -> int:
    """At most ``count_tokens(text, encoding)``; 0 when it cannot be judged (a non-ASCII
    text, or an encoding whose pattern is not one of the two shipped ones). With ``enough``
    it may stop adding once it is at least that much (each stage is a floor of its own)."""
    spec = ENCODINGS.get(encoding)
    if spec is None or spec.pat_str not in _PATTERNS or not text.isascii():
        return 0
    data = text.encode("ascii")
    runs = data.translate(_RUNS)
    floor = runs.count(b" a") + runs.count(b" p") + runs.count(b"ap") + (runs[:1] in (b"a", b"p"))
    if "'" in text or "\n/" in text or "\r/" in text:  # rare: their counts only then
        edges = data.translate(_EDGES)
        floor -= edges.count(b"'a") + edges.count(b"n/") - edges.count(b"n/a")
    if enough is not None and floor >= enough:
        return floor
    # a letter after a digit, or a digit after a letter, starts a piece; so does every third
    # digit of a run (at least one per four: ``\p{N}{1,3}``)
    kinds = data.translate(_KINDS)
    floor += kinds.count(b"ld") + kinds.count(b"dl") + kinds.count(b"dddd")
    if enough is not None and floor >= enough:
        return floor
    # whitespace pieces: a line break after a letter or digit (punctuation's piece may take
    # it), and the blanks before the last of two or more before a word or punctuation
    gaps = data.translate(_GAPS)
    return floor + gaps.count(b"an") + gaps.count(b"ssa") + gaps.count(b"ss.")
