"""Parsed CSS is shared between stylesheets with the same theme, never across themes."""

from __future__ import annotations

import textual.css.parse as textual_parse
import textual.css.stylesheet as textual_stylesheet
from textual.css.stylesheet import Stylesheet

from aitui.dashboard import css_cache
from aitui.dashboard.app import AituiApp

CSS = "Static { color: $text; background: $surface; }"


def stylesheet(variables: dict[str, str]) -> Stylesheet:
    sheet = Stylesheet(variables=variables)
    sheet.add_source(CSS, read_from=("test.tcss", ""))
    sheet.parse()
    return sheet


def test_the_dashboard_installs_the_shared_parser() -> None:
    AituiApp()
    assert textual_stylesheet.parse is css_cache.parse


def test_same_theme_shares_rules_another_theme_parses_its_own() -> None:
    css_cache.share_parsed_css()
    dark = {"text": "#ffffff", "surface": "#000000"}
    light = {"text": "#000000", "surface": "#ffffff"}
    first, second = stylesheet(dict(dark)), stylesheet(dict(dark))
    assert first.rules[0] is second.rules[0]  # parsed once for both
    other = stylesheet(light)
    assert other.rules[0] is not first.rules[0]
    # and what is shared is what Textual's own parser makes of it
    plain = list(
        textual_parse.parse("", CSS, ("test.tcss", ""), variable_tokens=first._variable_tokens)
    )
    assert [r.css for r in first.rules] == [r.css for r in plain]
    assert [r.css for r in other.rules] != [r.css for r in plain]


def test_a_parse_error_is_not_cached_and_still_raises() -> None:
    css_cache.share_parsed_css()
    before = css_cache.parsed_count()
    sheet = Stylesheet(variables={})
    sheet.add_source("Static { color: $nowhere; }", read_from=("bad.tcss", ""))
    try:
        sheet.parse()
    except Exception as exc:  # Textual's own error for an undefined variable
        assert "nowhere" in str(exc) or "variable" in str(exc).lower()
    else:
        raise AssertionError("an undefined variable must fail to parse")
    assert css_cache.parsed_count() == before
