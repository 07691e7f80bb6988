"""Rating a shell command line for auto-accept (the rules are in ``aitui.core.autoaccept``).

The line is cut into simple commands the way a shell would: command substitutions
(``$(...)``, backticks, ``<(...)``) are taken out and rated as commands of their own, then
``shlex`` splits the rest into words and operators (``;``, ``&&``, ``||``, ``|``, ``&``,
newlines, parentheses, redirections). The line's risk is that of its riskiest part. Text is
never dropped: whatever is not understood is rated as an unknown command, and a line ``shlex``
cannot read (an unclosed quote) raises ``Unreadable``. Errors lean one way: a quoted ``';'``
is taken for an operator, a heredoc's body for commands; both can only raise the risk.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from aitui.core.autoaccept_paths import SAFE_DEVICES, in_git_dir, is_inside, resolve
from aitui.core.autoaccept_rules import Finding, rate_words

#: What a substitution becomes in the outer line: a word with ``$``, so its place is unknown.
SUBSTITUTION = "$__substitution__"
PUNCTUATION = ";&|<>()\n"
_OPERATORS = sorted(
    [
        "&&",
        "||",
        "|&",
        ";;",
        ">>",
        ">|",
        "&>>",
        "&>",
        ">&",
        "<&",
        "<>",
        "<<<",
        "<<-",
        "<<",
        *PUNCTUATION,
    ],
    key=len,
    reverse=True,
)
_SEPARATORS = {"&&", "||", "|", "|&", "&", ";", ";;", "\n", "(", ")"}
_WRITES = {">", ">>", ">|", "&>", "&>>", "<>"}
MAX_DEPTH = 8


class Unreadable(ValueError):
    """The command line cannot be split as a shell would (the message says why)."""


@dataclass
class Verdict:
    finding: Finding
    #: Every word of every command (substitutions and ``sh -c`` scripts included), each with
    #: the directory it is relative to: what protected patterns are matched against.
    words: list[tuple[str, Path | None]] = field(default_factory=list)


def assess_command(command: str, working_directory: Path, cwd: Path | None = None) -> Verdict:
    """Rate ``command`` run in ``cwd`` (default: the working directory, already resolved)."""
    verdict = Verdict(Finding(0, "nothing to run"))
    base = working_directory if cwd is None else cwd
    verdict.finding = _line(command, base, working_directory, verdict, 0)
    return verdict


def _line(text: str, cwd: Path | None, wd: Path, verdict: Verdict, depth: int) -> Finding:
    if depth > MAX_DEPTH:
        raise Unreadable("commands nested too deeply")
    outer, inners = split_substitutions(text.replace("\\\n", ""))
    findings = [_line(inner, cwd, wd, verdict, depth + 1) for inner in inners]
    findings += _commands(outer, cwd, wd, verdict, depth)
    if not findings:
        raise Unreadable("no command in it")
    return max(findings, key=lambda f: f.risk)  # the first of the riskiest


def _commands(text: str, cwd: Path | None, wd: Path, verdict: Verdict, depth: int) -> list[Finding]:
    findings: list[Finding] = []
    words: list[str] = []
    upstream: list[str] = []  # names of the commands piped into this one
    stack: list[Path | None] = []
    tokens = _tokens(text)
    i = 0

    def finish(separator: str) -> None:
        nonlocal cwd, words, upstream
        if words:
            verdict.words.extend((w, cwd) for w in words)

            def nested(script: str, base: Path | None) -> Finding:
                return _line(script, base, wd, verdict, depth + 1)

            findings.append(rate_words(words, upstream, cwd, wd, nested))
            cwd = _after_cd(words, cwd)
            upstream = [*upstream, os.path.basename(words[0])] if separator in ("|", "|&") else []
        elif separator not in ("|", "|&"):
            upstream = []
        words = []

    while i < len(tokens):
        token = tokens[i]
        if not _is_operator(token):
            words.append(token)
            i += 1
            continue
        for op in _split_operator(token):
            if op in _SEPARATORS:
                finish(op)
                if op == "(":
                    stack.append(cwd)
                elif op == ")" and stack:
                    cwd = stack.pop()
                continue
            if i + 1 >= len(tokens) or _is_operator(tokens[i + 1]):
                raise Unreadable(f"the redirection {op} has no target")
            target = tokens[i + 1]
            tokens[i + 1] = ""  # consumed (an empty token is skipped below)
            verdict.words.append((target, cwd))
            findings.append(_redirection(op, target, cwd, wd))
        i += 1
        while i < len(tokens) and tokens[i] == "":
            i += 1
    finish(";")
    return findings


def _redirection(op: str, target: str, cwd: Path | None, wd: Path) -> Finding:
    if op in ("<<", "<<-", "<<<", "<&") or (op == ">&" and (target.isdigit() or target == "-")):
        return Finding(0, f"redirection {op}{target}")
    if target in SAFE_DEVICES or target.startswith("/dev/fd/"):
        return Finding(0, f"redirection to {target}")
    path = resolve(target, cwd, shell=True)
    if op == "<":
        if is_inside(path, wd):
            return Finding(1, f"reads {target} inside the working directory")
        return Finding(5, f"redirection < reads outside the working directory ({target})")
    if in_git_dir(path, wd):
        return Finding(8, f"redirection {op} writes inside .git ({target})")
    if is_inside(path, wd):
        return Finding(3, f"redirection {op} writes inside the working directory ({target})")
    return Finding(9, f"redirection {op} writes outside the working directory ({target})")


def _after_cd(words: list[str], cwd: Path | None) -> Path | None:
    """The directory later commands run in, after ``cd``/``pushd`` (unknown for ``cd -``)."""
    if os.path.basename(words[0]) not in ("cd", "pushd", "popd"):
        return cwd
    args = [w for w in words[1:] if not w.startswith("-") or w == "-"]
    if words[0] == "popd" or (args and args[0] == "-"):
        return None
    return resolve(args[0] if args else "~", cwd, shell=True)


def _tokens(text: str) -> list[str]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=PUNCTUATION)
    lexer.whitespace = " \t\r"
    lexer.commenters = ""
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError as exc:
        raise Unreadable(str(exc).lower()) from None


def _is_operator(token: str) -> bool:
    return bool(token) and all(c in PUNCTUATION for c in token)


def _split_operator(token: str) -> list[str]:
    out, i = [], 0
    while i < len(token):
        op = next(o for o in _OPERATORS if token.startswith(o, i))
        out.append(op)
        i += len(op)
    return out


def split_substitutions(text: str) -> tuple[str, list[str]]:
    """``text`` with each command substitution replaced by ``SUBSTITUTION``, and their
    insides (arithmetic ``$((...))`` is not a command: only substitutions nested in it)."""
    out: list[str] = []
    inners: list[str] = []
    i, n, in_double = 0, len(text), False
    while i < n:
        c = text[i]
        if c == "\\":
            out.append(text[i : i + 2])
            i += 2
        elif text.startswith("$'", i) and not in_double:  # ANSI-C quoting: $'it\'s'
            j = i + 2
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise Unreadable("no closing quotation")
            out.append(shlex.quote(_ansi_c(text[i + 2 : j])))
            i = j + 1
        elif c == "'" and not in_double:
            j = text.find("'", i + 1)
            if j < 0:
                raise Unreadable("no closing quotation")
            out.append(text[i : j + 1])
            i = j + 1
        elif c == "`":
            j = i + 1
            while j < n and text[j] != "`":
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise Unreadable("a backtick is not closed")
            inners.append(text[i + 1 : j])
            out.append(SUBSTITUTION)
            i = j + 1
        elif text.startswith("$((", i):
            j = _close(text, i + 2)
            inners.extend(split_substitutions(text[i + 2 : j])[1])
            out.append(SUBSTITUTION)
            i = j + 1
        elif text.startswith("$(", i) or (not in_double and text[i : i + 2] in ("<(", ">(")):
            j = _close(text, i + 2)
            # What runs in >(...) reads the outer command's output, as through a pipe.
            inners.append(("cat | " if c == ">" else "") + text[i + 2 : j])
            out.append(SUBSTITUTION)
            i = j + 1
        else:
            in_double = not in_double if c == '"' else in_double
            out.append(c)
            i += 1
    return "".join(out), inners


def _close(text: str, i: int) -> int:
    """Index of the ``)`` closing the parenthesis opened just before ``i``."""
    depth, in_double, n = 1, False, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "'" and not in_double:
            j = text.find("'", i + 1)
            if j < 0:
                raise Unreadable("no closing quotation")
            i = j + 1
            continue
        if text.startswith("$'", i) and not in_double:
            j = i + 2
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == '"':
            in_double = not in_double
        elif in_double and text.startswith("$(", i):
            i = _close(text, i + 2) + 1
            continue
        elif not in_double and c == "(":
            depth += 1
        elif not in_double and c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise Unreadable("a $( or ( is not closed")


_ESCAPE = re.compile(
    r"\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)", re.S
)
_SIMPLE = dict(zip("abeEfnrtv\\'\"?", "\a\b\x1b\x1b\f\n\r\t\v\\'\"?", strict=True))


def _ansi_c(body: str) -> str:
    """The text of bash's ``$'...'`` string: what its escapes stand for. ``shlex`` does not
    know this quoting, and reading ``$'\\''`` as plain quotes would hide what follows it."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        try:
            if code[0] in "xuU" and len(code) > 1:
                return chr(int(code[1:], 16))
            if code[0] in "01234567":
                return chr(int(code, 8) & 0xFF)
        except (ValueError, OverflowError):
            return match.group(0)
        if code[0] == "c" and len(code) == 2:
            return chr(ord(code[1]) & 0x1F)
        return _SIMPLE.get(code, match.group(0))

    return _ESCAPE.sub(one, body)
