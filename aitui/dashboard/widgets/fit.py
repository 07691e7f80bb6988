"""Shortening text to a width, with an ellipsis that says something was cut."""

from __future__ import annotations


def fit(text: str, width: int) -> str:
    """``text`` if it fits in ``width`` characters, else its start and "…"."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"
