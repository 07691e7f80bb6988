"""Which kind of output this is: from the command line first, then from the text itself."""

from __future__ import annotations

import re

from aitui.core.compress.hints import Hints
from aitui.core.compress.installers import is_verbose
from aitui.core.compress.scan import LineStartSearch, top_level_alternatives

# kind -> the compressor that handles it (see api.COMPRESSORS)
_PROGRAM_KINDS: dict[str, str] = {
    "pytest": "pytest",
    "py.test": "pytest",
    "unittest": "unittest",
    "nose2": "unittest",
    "trial": "unittest",
    "rustc": "rustc",
    "gcc": "gcc",
    "g++": "gcc",
    "cc": "gcc",
    "c++": "gcc",
    "clang": "gcc",
    "clang++": "gcc",
    "make": "make",
    "gmake": "make",
    "ninja": "make",
    "cmake": "cmake",
    "meson": "make",
    "tsc": "tsc",
    "vue-tsc": "tsc",
    "eslint": "eslint",
    "mypy": "mypy",
    "dmypy": "mypy",
    "ruff": "ruff",
    "flake8": "ruff",
    "pylint": "ruff",
    "pyright": "mypy",
    "pycodestyle": "ruff",
    "pyflakes": "ruff",
    "ls": "ls",
    "exa": "ls",
    "eza": "ls",
    "find": "find",
    "fd": "find",
    "fdfind": "find",
    "locate": "find",
    "jq": "json",
    "node": "node",
    "deno": "node",
    "bun": "node",
}
_SHELLS = {"bash", "zsh", "sh", "fish", "dash", "ksh", "script"}
_TRIVIAL = {"cd", "source", ".", "export", "set", "echo", "true", "mkdir", "pushd", "popd"}
_NPM_INSTALL = {
    "install",
    "i",
    "ci",
    "add",
    "update",
    "upgrade",
    "uninstall",
    "remove",
    "rm",
    "audit",
    "dedupe",
    "prune",
    "up",
    "isntall",
}
_PIP_INSTALL = {"install", "uninstall", "download", "wheel", "sync", "add", "remove", "lock"}


def kind_from_command(hints: Hints) -> str | None:
    for seg in hints.segments:
        prog = seg[0]
        args = seg[1:]
        if prog in _TRIVIAL:
            continue
        kind = _segment_kind(prog, args, hints)
        if kind:
            return kind
    return None


def _segment_kind(prog: str, args: tuple[str, ...], hints: Hints) -> str | None:
    sub = hints.subcommand(prog)
    if prog in _PROGRAM_KINDS:
        return _PROGRAM_KINDS[prog]
    if re.match(r"^(?:\S+-)?(?:gcc|g\+\+|clang(?:\+\+)?)(?:-\d+(?:\.\d+)*)?$", prog):
        return "gcc"
    if prog == "cargo":
        if sub in ("test", "nextest", "bench"):
            return "cargo-test"
        return "cargo-verbose" if is_verbose(hints, prog) else "cargo"
    if prog in ("npm", "yarn", "pnpm"):
        if sub in _NPM_INSTALL or (prog == "yarn" and sub is None):
            return "npm-verbose" if is_verbose(hints, prog) else "npm"
        return None
    if prog in ("pip", "pip3", "pipx") or (prog == "uv" and sub in ("pip", "sync", "add")):
        if sub in ("inspect",) or "--format=json" in args or "json" in args:
            return "json"
        if prog == "uv" or sub in _PIP_INSTALL:
            return "pip-verbose" if is_verbose(hints, prog) else "pip"
        return None
    if prog in ("gradle", "gradlew"):
        return "gradle"
    if prog in ("mvn", "mvnw"):
        return "maven"
    if prog in ("docker", "podman", "buildah") and (
        sub in ("build", "buildx", "bake", "bud") or "build" in args
    ):
        return "docker"
    if prog in ("apt", "apt-get", "aptitude"):
        return "apt"
    if prog == "go":
        return "gotest" if sub == "test" else ("make" if sub in ("build", "vet") else None)
    if prog == "git":
        if sub in ("log", "shortlog", "reflog"):
            return "git-log"
        if sub in ("diff", "show"):
            return "git-diff"
        if sub == "status":
            return "git-status"
        return None
    if prog in _SHELLS and ("-i" in args or "-l" in args or not args):
        return "shell"
    return None


_SNIFFERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "pytest",
        re.compile(r"^=+ test session starts =+$|^=+ (?:\d+ (?:passed|failed)).* in [\d.]+s"),
    ),
    ("unittest", re.compile(r"^Ran \d+ tests? in [\d.]+s$")),
    ("cargo-test", re.compile(r"^running \d+ tests?$|^test result: (?:ok|FAILED)\.")),
    ("cargo", re.compile(r"^\s+Compiling \S+ v\d|^error\[E\d{4}\]: ")),
    (
        "gotest",
        re.compile(r"^(?:--- (?:FAIL|PASS): |=== RUN |ok\s+\S+\s+[\d.]+s$|FAIL\s+\S+\s+[\d.]+s$)"),
    ),
    ("git-diff", re.compile(r"^diff --git ")),
    ("git-log", re.compile(r"^commit [0-9a-f]{40}")),
    ("tsc", re.compile(r"\(\d+,\d+\): error TS\d+:|:\d+:\d+ - error TS\d+:")),
    ("eslint", re.compile(r"^\s+\d+:\d+\s+(?:error|warning)\s+\S")),
    ("mypy", re.compile(r"^\S+\.pyi?:\d+: (?:error|note):|^Found \d+ errors? in \d+ files?")),
    ("gcc", re.compile(r"^\S+:\d+:\d+: (?:fatal error|error|warning):")),
    ("npm-verbose", re.compile(r"^npm (?:verbose|silly) ")),
    ("npm", re.compile(r"^npm (?:warn|WARN|error|ERR!|http|notice) ")),
    ("gradle", re.compile(r"^> Task :\S|^BUILD (?:SUCCESSFUL|FAILED) in \d")),
    ("maven", re.compile(r"^\[INFO\] (?:BUILD (?:SUCCESS|FAILURE)|Building \S|--- \S)")),
    (
        "docker",
        re.compile(r"^#\d+ \[internal\] load build definition|^Step \d+/\d+ : FROM "),
    ),
    ("pip-verbose", re.compile(r"^Created temporary directory: |^\s+Found link https?:")),
    (
        "pip",
        re.compile(r"^(?:Collecting \S|Successfully installed |Requirement already satisfied: )"),
    ),
    ("apt", re.compile(r"^(?:Reading package lists|Setting up \S+ \(|Get:\d+ )")),
    ("traceback", re.compile(r"^Traceback \(most recent call last\):")),
]
PROMPT_RE = re.compile(
    r"^(?:\([^()\s]+\) )?(?:\[?[\w.-]+@[\w.-]+[: ][^\s$#]*\]?[$#%]|[\w.~/-]*\s?[$#%❯➜»>]) (\S.*)$"
)


SNIFF_CHARS = 200_000
_PROMPT_M = re.compile(PROMPT_RE.pattern, re.M)
_SNIFFERS_M = [(kind, re.compile(p.pattern, re.M)) for kind, p in _SNIFFERS]


class _Needs:
    """``pattern.search``, skipped when the text lacks a literal every match holds."""

    def __init__(self, literal: str, pattern: re.Pattern[str]) -> None:
        assert all(literal in a for a in top_level_alternatives(pattern.pattern))
        self.literal = literal
        self.pattern = pattern

    def search(self, text: str) -> bool:
        return self.literal in text and self.pattern.search(text) is not None


def _line_start(pattern: re.Pattern[str]) -> LineStartSearch | _Needs:
    if all(a.startswith("^") for a in top_level_alternatives(pattern.pattern)):
        return LineStartSearch(pattern)
    return _Needs("error TS", pattern)  # tsc's, the only one that is not ^-led


#: The same searches, each ``^``-led one matched only at line starts (``LineStartSearch``):
#: 21 patterns tried at every character were ~40% of a small file's time.
_PROMPT_FAST = LineStartSearch(_PROMPT_M)
_SNIFFERS_FAST = [(kind, _line_start(p)) for kind, p in _SNIFFERS_M]
#: Every match of ``PROMPT_RE`` holds its prompt sign and the blank after it: a text with
#: none of these has no prompt (35 of the 62 corpus and test logs; the search is ~0.5 µs a
#: line, 40 µs of a 6 KB cmake log).
_PROMPT_SIGNS = tuple(f"{sign} " for sign in "$#%❯➜»>")


def _prompt_sign(text: str) -> bool:
    return any(map(text.__contains__, _PROMPT_SIGNS))


def _sniffed(lines: list[str]) -> tuple[str | None, str]:
    """("json", "") for a JSON document, else (None, the text the sniffers read): the first and
    last 2,000 lines, cut to ``SNIFF_CHARS`` at each end (bounded cost, whatever the lines'
    lengths)."""
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    last = next((ln.strip() for ln in reversed(lines) if ln.strip()), "")
    if first.startswith(("{", "[")) and last.endswith(("}", "]")):
        return "json", ""
    sample = lines if len(lines) <= 4000 else lines[:2000] + lines[-2000:]
    text = "\n".join(sample)
    if len(text) > 2 * SNIFF_CHARS:
        text = text[:SNIFF_CHARS] + "\n" + text[-SNIFF_CHARS:]
    return None, text


def kind_from_content(lines: list[str]) -> str | None:
    if not lines:
        return None
    kind, text = _sniffed(lines)
    if kind is not None:
        return kind
    head = text[:200_000]
    if _prompt_sign(head):
        prompt = _PROMPT_FAST.search(head)  # two prompts (finditer's first two matches): a shell
        if prompt is not None and _PROMPT_FAST.search(head, prompt.end()) is not None:
            return "shell"
    for kind, pattern in _SNIFFERS_FAST:
        if pattern.search(text):
            return kind
    return None


def kind_from_content_plain(lines: list[str]) -> str | None:
    """``kind_from_content`` with every pattern searched the plain way (for the tests)."""
    if not lines:
        return None
    kind, text = _sniffed(lines)
    if kind is not None:
        return kind
    for count, _ in enumerate(_PROMPT_M.finditer(text[:200_000]), 1):
        if count >= 2:
            return "shell"
    for kind, pattern in _SNIFFERS_M:
        if pattern.search(text):
            return kind
    return None


_TEST_KINDS = {"pytest", "unittest", "cargo-test", "gotest"}


def detect_kind(hints: Hints, lines: list[str]) -> str:
    """The kind of output: command first; content decides when the command says little."""
    by_command = kind_from_command(hints)
    if by_command in (None, "make", "cmake", "node"):
        by_content = kind_from_content(lines)
        if by_command is None and by_content:
            return by_content
        if by_command is not None and by_content in _TEST_KINDS | {"traceback"}:
            return by_content
    return by_command or "generic"
