"""Whether a configured key is one the dashboard can ever receive.

``[keys]`` in ``config.toml`` names Textual keys (``ctrl+right_square_bracket``,
``ctrl+pagedown``, ``alt+a``). A name Textual never reports (``zz+q``, ``ctrl+zz``) used to be
bound as given, and the binding never fired: a prefix set so locked the user out of every
prefix command. Such a key is reported on the status line and the default is used.
"""

from __future__ import annotations

from textual.keys import Keys, key_to_character

from aitui.core.settings import DEFAULT_KEYS

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
#: The keys Textual names that are not characters (``pagedown``, ``f5``, ``escape``...).
_NAMED = frozenset(key.value.rpartition("+")[2] for key in Keys)


def key_problem(key: str) -> str | None:
    """What is wrong with ``key`` as a Textual key (``None``: nothing). Several keys may be
    given, comma-separated, as in Textual's bindings."""
    for chord in key.split(","):
        *modifiers, base = chord.strip().split("+")
        unknown = [m for m in modifiers if m not in _MODIFIERS]
        if unknown:
            return f"has an unknown modifier {unknown[0]!r} (ctrl, shift, alt, meta, super)"
        if not base:
            return "names no key"
        if len(base) > 1 and base not in _NAMED and key_to_character(base) is None:
            return (
                f"names no key Textual knows ({base!r}; a character, or a name such as"
                " pagedown, f5, escape, right_square_bracket)"
            )
    return None


def usable_keys(configured: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The keys to bind (a bad one replaced by its default) and what was wrong."""
    keys, problems = dict(configured), []
    for name, key in configured.items():
        problem = key_problem(key)
        if problem is not None:
            default = DEFAULT_KEYS[name]
            problems.append(f"keys.{name} = {key!r} {problem}; using {default}")
            keys[name] = default
    return keys, problems
