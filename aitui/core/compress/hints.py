"""What the command line tells about its output: the programs run and their sub-commands."""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache

# Wrappers that run another program: skipped to find the real one.
_WRAPPERS = {
    "sudo",
    "env",
    "time",
    "nice",
    "nohup",
    "exec",
    "command",
    "builtin",
    "stdbuf",
    "timeout",
    "npx",
    "pnpx",
    "bunx",
    "xargs",
    "watch",
    "caffeinate",
    "ionice",
    "doas",
    "chronic",
}
_RUNNERS = {  # "<runner> run X", "<runner> exec X"
    "uv",
    "poetry",
    "pipenv",
    "pdm",
    "hatch",
    "rye",
    "pixi",
    "conda",
    "mamba",
    "bundle",
}
_OPERATORS = re.compile(r"\s*(?:&&|\|\||;|\||\n)\s*")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_PYTHON = re.compile(r"^python(?:\d+(?:\.\d+)?)?$|^pypy\d*$|^py$")


def _tokens(segment: str) -> list[str]:
    try:
        return shlex.split(segment, comments=False)
    except ValueError:
        return segment.split()


def _program(tokens: list[str]) -> list[str]:
    """Strip assignments, wrappers and runners; ``python -m X`` becomes ``X``."""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        name = os.path.basename(tok)
        if _ASSIGNMENT.match(tok):
            i += 1
        elif name in _WRAPPERS:
            i += 1
            while i < len(tokens) and tokens[i].startswith("-"):
                i += 1
            if name == "timeout" and i < len(tokens) and tokens[i][:1].isdigit():
                i += 1
        elif name in _RUNNERS and i + 1 < len(tokens) and tokens[i + 1] in ("run", "exec"):
            i += 2
            while i < len(tokens) and tokens[i].startswith("-"):
                i += 1
        elif _PYTHON.match(name) and i + 2 < len(tokens) and tokens[i + 1] == "-m":
            return [tokens[i + 2], *tokens[i + 3 :]]
        else:
            return [name, *tokens[i + 1 :]]
    return []


@lru_cache(maxsize=512)
def _segments(command: str) -> tuple[tuple[str, ...], ...]:
    """The programs of a command line (parsed once per command: an agent repeats them)."""
    segments: list[tuple[str, ...]] = []
    for part in _OPERATORS.split(command.strip()):
        prog = _program(_tokens(part)) if part else []
        if prog:
            segments.append(tuple(prog))
    return tuple(segments)


@dataclass(frozen=True)
class Hints:
    """The command line and exit status a compressor may use (both optional)."""

    command: str | None = None
    exit_code: int | None = None
    segments: tuple[tuple[str, ...], ...] = field(default=())
    #: Token budget of the compressed output (``None``: the default, which grows with size).
    budget: int | None = None

    @classmethod
    def of(
        cls, command: str | None, exit_code: int | None = None, budget: int | None = None
    ) -> Hints:
        segments = _segments(command) if command else ()
        return cls(command=command, exit_code=exit_code, segments=segments, budget=budget)

    @property
    def programs(self) -> list[str]:
        return [seg[0] for seg in self.segments]

    def subcommand(self, program: str) -> str | None:
        """First non-option argument given to ``program`` (``git -C x log`` -> ``log``)."""
        for seg in self.segments:
            if seg[0] != program:
                continue
            args = list(seg[1:])
            i = 0
            while i < len(args):
                arg = args[i]
                if arg in ("-C", "-c", "--git-dir", "--work-tree", "--prefix", "-w"):
                    i += 2
                    continue
                if not arg.startswith("-"):
                    return arg
                i += 1
        return None

    def args_of(self, program: str) -> list[str]:
        for seg in self.segments:
            if seg[0] == program:
                return list(seg[1:])
        return []
