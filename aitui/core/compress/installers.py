"""Verbose installers and builders folded: pip -v/-vv/-vvv, npm/pnpm/yarn verbose, cargo -v,
gradle, maven, docker build/buildx.

In verbose mode these tools print thousands of lines an agent never reads (every link pip
looked at, every HTTP request, every task gradle ran, every layer docker pulled) around the few
that matter: the outcome, the errors with their context, the summary. ``fold_verbose`` keeps
the tool's outcome lines and every line with a failure signal (``signals.py``) plus its
context, and counts the rest in placeholders named after what they were
(``[... 3,412 verbose pip lines omitted ...]``), so the failure of a verbose run survives and
its success costs a few lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from aitui.core.compress.hints import Hints
from aitui.core.compress.signals import LOCATION, STRONG, add_context, score_lines
from aitui.core.compress.text import Out, plural

#: Flags that make a tool verbose.
_VERBOSE_FLAG_RE = re.compile(
    r"^(?:-v+|--verbose|-d+|--debug|--loglevel(?:=(?:verbose|silly|debug|info|http|timing))?|"
    r"--log-level(?:=debug)?|--progress=plain|-X|--info)$"
)

_PIP_OUTCOME_RE = re.compile(
    r"^(?:Successfully installed|Successfully built|Successfully uninstalled|ERROR:|error:|"
    r"Would install|Installed \d+ packages?|\s*(?:×|│|╰─>) |note: |hint: |"
    r"The conflict is caused by:|    The user requested|    \S+ \d\S* depends on)"
)
_NPM_OUTCOME_RE = re.compile(
    r"^(?:added|removed|changed|updated|up to date|audited|found \d+ vulnerabilit|"
    r"\d+ (?:\w+ )?(?:severity )?vulnerabilit|npm (?:error|ERR!)|error |Done in|success |"
    r"\+ \S+@|Packages: |Progress: resolved .* done|dependencies:|devDependencies:|"
    r"npm (?:verbose|info) (?:exit|ok)\b)"
)
_CARGO_OUTCOME_RE = re.compile(
    r"^\s*(?:Finished|error(?:\[E\d+\])?:|warning: unused|warning: .* generated|"
    r"test result:|Running `target|Installed |Replaced )"
)
_GRADLE_OUTCOME_RE = re.compile(
    r"^(?:BUILD (?:SUCCESSFUL|FAILED)|FAILURE: |\* What went wrong:|\* Try:|> Task \S+ FAILED|"
    r"\d+ actionable tasks?:|Execution failed for task|e: |w: \S+:\d|\d+ tests? completed)"
)
_MAVEN_OUTCOME_RE = re.compile(
    r"^\[(?:INFO|ERROR|WARNING)\] (?:BUILD (?:SUCCESS|FAILURE)|Tests run:|Total time:|"
    r"Failed to execute|ERROR|COMPILATION ERROR|\d+ errors?|Reactor Summary|"
    r"-> \[Help|Building \S+ \S+$|Results:|Failures:|Errors:)|^\[ERROR\]"
)
_DOCKER_OUTCOME_RE = re.compile(
    r"^(?:#\d+ (?:ERROR|DONE [\d.]+s$|naming to|writing image|\[[^\]]+\] (?:RUN|COPY|ADD|FROM)\b)|"
    r"ERROR: |Successfully built|Successfully tagged|Step \d+/\d+ :|"
    r"The command .* returned a non-zero code|=> ERROR|=> => naming to|Dockerfile:\d+)"
)

#: kind -> (outcome lines always kept, the label of what is folded)
FOLDERS: dict[str, tuple[re.Pattern[str], str]] = {
    "pip-verbose": (_PIP_OUTCOME_RE, "verbose pip line"),
    "npm-verbose": (_NPM_OUTCOME_RE, "verbose npm line"),
    "cargo-verbose": (_CARGO_OUTCOME_RE, "verbose cargo line"),
    "gradle": (_GRADLE_OUTCOME_RE, "gradle line"),
    "maven": (_MAVEN_OUTCOME_RE, "maven line"),
    "docker": (_DOCKER_OUTCOME_RE, "docker build line"),
}


def is_verbose(hints: Hints, program: str) -> bool:
    """Whether ``program`` was run with a verbose flag (``-vv``, ``--loglevel=silly``...)."""
    args = hints.args_of(program)
    return any(_VERBOSE_FLAG_RE.match(a) for a in args) or "--loglevel" in args


def fold_verbose(lines: list[str], kind: str) -> list[str]:
    """Outcome and failure lines (with context) kept, everything else counted."""
    keep_re, label = FOLDERS[kind]
    scores = score_lines(lines)
    add_context(lines, scores, before=2, after=2)
    out = Out()
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        # every outcome pattern is ^-led: matched at the start, not searched along the line
        if keep_re.match(line) or scores.get(i, 0) >= min(STRONG, LOCATION + 10):
            out.keep(line)
        else:
            out.drop(label)
    return out.result()


_CARGO_NOISE_RE = re.compile(
    r"^\s*(?:Running `|Fresh |Dirty |Compiling |Checking |Downloaded |Downloading |"
    r"Updating |Locking |Adding |Blocking |Unpacking )|^\[[\w-]+ [\d.]+[^\]]*\] "
)


def compress_cargo_verbose(lines: list[str], hints: Hints) -> list[str]:
    """``cargo -v/-vv``: rustc command lines and build-script output counted, the rest to the
    cargo compressor (its diagnostics keep their source snippets)."""
    from aitui.core.compress.rust import compress_cargo

    kept: list[str] = []
    noise = 0
    for line in lines:
        if _CARGO_NOISE_RE.match(line):
            noise += 1
        else:
            kept.append(line)
    out = compress_cargo(kept, hints)
    if noise:
        out.append(f"[... {plural(noise, 'verbose cargo line')} omitted ...]")
    return out


def folder(kind: str) -> Callable[[list[str], Hints], list[str]]:
    """The compressor of one folded kind (for the registry)."""
    if kind == "cargo-verbose":
        return compress_cargo_verbose

    def compress(lines: list[str], hints: Hints) -> list[str]:
        return fold_verbose(lines, kind)

    return compress
