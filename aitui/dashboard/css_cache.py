"""Parsed Textual CSS kept for the life of the process, not of one stylesheet.

Textual caches the rules parsed from each CSS source per ``Stylesheet`` instance, and makes
new instances on every ``copy()`` and ``reparse()`` (a theme applied, a screen's CSS added).
So every dashboard started in a process parses all of its CSS (the app's ``.tcss`` and the
``DEFAULT_CSS`` of every widget class: ~110 sources) again, although nothing about it changed:
12% of a warm dashboard child's start to its first frame (505 -> 446 M instructions with this
cache, callgrind; the child is forked per ``aitui`` from a process that has already run a
dashboard, ``aitui.cli.warm_server``).

``share_parsed_css()`` wraps the parser Textual's stylesheets call with a cache keyed by
everything the result depends on: the source text, where it was read from, its scope and
defaults flag, its tie breaker, and the theme's variables (as tokens). The rule sets are
shared between stylesheets exactly as Textual already shares them between the parses of one
stylesheet (they are not changed after parsing). A parse that raises is not cached.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

import textual.css.parse as textual_parse
import textual.css.stylesheet as textual_stylesheet
from textual.css.model import RuleSet
from textual.css.tokenizer import Token
from textual.css.types import CSSLocation

#: Sources times themes kept; a dashboard has ~110 sources, a theme switch adds as many.
MAX_ENTRIES = 1024

_parsed: OrderedDict[tuple[object, ...], tuple[RuleSet, ...]] = OrderedDict()
#: The last variables' tokens seen and their key (a theme's tokens are one dict, asked for
#: once per source): kept referenced, so its ``id`` cannot be reused while it is here.
_last_tokens: tuple[dict[str, list[Token]] | None, tuple[object, ...]] = (None, ())
_textual_parse = textual_parse.parse


def _tokens_key(tokens: dict[str, list[Token]] | None) -> tuple[object, ...]:
    global _last_tokens
    if tokens is None:
        return ()
    if _last_tokens[0] is not tokens:
        _last_tokens = (tokens, tuple((name, tuple(values)) for name, values in tokens.items()))
    return _last_tokens[1]


def parse(
    scope: str,
    css: str,
    read_from: CSSLocation,
    variables: dict[str, str] | None = None,
    variable_tokens: dict[str, list[Token]] | None = None,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
) -> Iterable[RuleSet]:
    """Textual's ``parse``, remembered across stylesheets (same arguments, same rules)."""
    key = (
        scope,
        css,
        read_from,
        tuple(sorted(variables.items())) if variables is not None else None,
        _tokens_key(variable_tokens),
        is_default_rules,
        tie_breaker,
    )
    rules = _parsed.get(key)
    if rules is None:
        rules = tuple(
            _textual_parse(
                scope,
                css,
                read_from,
                variables=variables,
                variable_tokens=variable_tokens,
                is_default_rules=is_default_rules,
                tie_breaker=tie_breaker,
            )
        )
        _parsed[key] = rules
        while len(_parsed) > MAX_ENTRIES:
            _parsed.popitem(last=False)
    else:
        _parsed.move_to_end(key)
    return iter(rules)


def share_parsed_css() -> None:
    """Make Textual's stylesheets parse through the shared cache (idempotent)."""
    textual_stylesheet.parse = parse  # type: ignore[attr-defined]


def parsed_count() -> int:
    """How many parsed sources are kept (for tests)."""
    return len(_parsed)
