"""Package managers: npm (yarn, pnpm), pip (uv) and apt.

Kept: the outcome (``Successfully installed ...``, ``added 103 packages``, apt's
``N upgraded, M newly installed`` and the ``Setting up`` lines of the packages named on the
command line), every error line (``ERROR:``, ``npm error``, ``E:``) and pip's conflict
explanation, unique warnings. Folded: downloads, progress bars, HTTP fetches, unpacking,
triggers, repeated warnings of one template.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from aitui.core.compress.generic import ERROR_RE, error_lines
from aitui.core.compress.hints import Hints
from aitui.core.compress.text import Out, template

# ------------------------------------------------------------------------------------- npm
_NPM_NOISE_RE = re.compile(
    r"^npm (?:http|timing|sill(?:y)?|verb(?:ose)?|info)\b|^(?:npm )?(?:GET|POST) \d{3} |^\s*$|"
    r"^(?:reify|idealTree|fetch|extract|preinstall|build|sill)[: ]"
)
_NPM_KEEP_RE = re.compile(
    r"^(?:added|removed|changed|updated|up to date|audited|found \d+ vulnerabilit|"
    r"\d+ (?:\w+ )?(?:severity )?vulnerabilit|npm (?:error|ERR!)|error |ERR_|Done in|"
    r"success |\+ \S+@|Packages: |Progress: resolved .* done|dependencies:|devDependencies:)"
)
_NPM_WARN_RE = re.compile(r"^npm (?:warn|WARN) (\S+)")


def compress_npm(lines: list[str], hints: Hints) -> list[str]:
    out = Out()
    warn_kinds: dict[str, int] = {}
    errors = error_lines(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if line.startswith("npm http "):
            out.tally("npm log line")
            continue
        if _NPM_KEEP_RE.match(stripped) or (i in errors and not _NPM_NOISE_RE.match(line)):
            out.keep(line)
            continue
        w = _NPM_WARN_RE.match(line)
        if not stripped:
            continue
        if w:
            kind = w.group(1)
            warn_kinds[kind] = warn_kinds.get(kind, 0) + 1
            if warn_kinds[kind] <= 2:
                out.keep(line)
            else:
                out.drop(f"npm warn {kind} line")
        elif _NPM_NOISE_RE.match(line):
            out.tally("npm log line")
        elif "funding" in line or "npm fund" in line:
            out.drop("funding line")
        elif stripped.startswith(("Run `npm audit", "To address", "npm audit fix")):
            out.drop("audit hint")
        else:
            out.keep(line)
    return out.result()


# ------------------------------------------------------------------------------------- pip
_PIP_NOISE_RE = re.compile(
    r"^\s*(?:Collecting|Downloading|Using cached|Processing|Obtaining|Looking in|"
    r"Requirement already satisfied|Installing collected packages|Building wheels? for|"
    r"Created wheel|Stored in directory|Preparing metadata|Getting requirements|"
    r"Installing build dependencies|Installing backend dependencies|Building editable|"
    r"Checking if build backend|Attempting uninstall|Found existing installation|"
    r"Uninstalling |Successfully uninstalled|Running setup\.py|Downloaded |Resolved \d+|"
    r"Prepared \d+|Installed \d+|Audited \d+|Using Python|Creating virtual|Building |Built |"
    r"Uninstalled \d+|Updating |Updated |Fetching|INFO: pip is looking|INFO: This is taking)"
    r"|^\s*[━─█▏▎▍▌▋▊▉ ]+\s+[\d.]+/[\d.]+\s*\w*B\b|^\s*\[notice\]|^\s*[-+] \S+==\S+$"
)
_PIP_KEEP_RE = re.compile(
    r"^(?:Successfully installed|Successfully built|ERROR:|error:|Would install|"
    r"Installed \d+ packages?|\s*(?:×|│|╰─>) |note: |hint: |The conflict is caused by:|"
    r"Uninstalled \d+ packages?)"
)


def compress_pip(lines: list[str], hints: Hints) -> list[str]:
    out = Out()
    repeated = repeated_templates(lines, lambda ln: ln.startswith(("WARNING:", "DEPRECATION:")))
    in_conflict = False
    in_subprocess = 0
    for line in lines:
        stripped = line.strip()
        if in_conflict:
            if line.startswith("    ") and stripped:
                out.keep(line)
                continue
            in_conflict = False
        if stripped.startswith("The conflict is caused by"):
            in_conflict = True
            out.keep(line)
        elif _PIP_KEEP_RE.match(line):
            out.keep(line)
            if "[" in line and "lines of output]" in line:
                in_subprocess = 1
        elif in_subprocess and line.startswith(("      ", "  │")):
            if ERROR_RE.search(line):
                out.keep(line)
            else:
                out.drop("line of build output|lines of build output")
        elif not stripped:
            in_subprocess = 0
        elif _PIP_NOISE_RE.match(line):
            in_subprocess = 0
            out.drop("download/progress line")
        elif stripped.startswith(("WARNING:", "DEPRECATION:")):
            if template(line) in repeated:
                out.drop("repeated warning")
            else:
                out.keep(line)
        elif re.match(r"^\d+\. ", stripped) or stripped.startswith("To fix this you could"):
            out.drop("advice line")
        else:
            out.keep(line)
    return out.result()


# ------------------------------------------------------------------------------------- apt
_APT_NOISE_RE = re.compile(
    r"^(?:Get:\d+|Hit:\d+|Ign:\d+|Fetched |Reading package lists|Building dependency tree|"
    r"Reading state information|Selecting previously unselected|\(Reading database|"
    r"Preparing to unpack|Unpacking |update-alternatives:|Processing triggers for|"
    r"debconf:|Need to get|After this operation|Created symlink|Adding |Removing |"
    r"Calculating upgrade|Scanning |Running hooks|invoke-rc\.d|Setting up |"
    r"Suggested packages:|Recommended packages:|The following)"
)
_APT_LIST_RE = re.compile(r"^  \S")
_APT_KEEP_RE = re.compile(
    r"^(?:E: |W: |Err:|\d+ upgraded, |dpkg: error|Errors were encountered|"
    r"The following packages have unmet|Unable to|Package \S+ is not available)"
)
_SETTING_UP_RE = re.compile(r"^Setting up ([^\s:]+)(?::\w+)? \(")


def compress_apt(lines: list[str], hints: Hints) -> list[str]:
    named: set[str] = set()
    for prog in ("apt-get", "apt", "aptitude"):
        named.update(a.split("=")[0] for a in hints.args_of(prog) if not a.startswith("-"))
    out = Out()
    in_list = False
    errors = error_lines(lines)
    for i, line in enumerate(lines):
        su = _SETTING_UP_RE.match(line)
        named_setup = su is not None and su.group(1) in named
        if named_setup or _APT_KEEP_RE.match(line):
            out.keep(line)
            in_list = False
        elif line.endswith(":") and line.startswith(("The following", "Suggested", "Recommended")):
            in_list = True
            out.tally("package list line")
        elif in_list and _APT_LIST_RE.match(line):
            out.tally("package list line")
        elif _APT_NOISE_RE.match(line) or not line.strip():
            in_list = False
            if line.strip():
                out.tally("progress line")
        elif i in errors:
            out.keep(line)
        else:
            in_list = False
            out.tally("other line")
    return out.result()


# ------------------------------------------------------------------------------------- shared
def repeated_templates(
    lines: list[str], wanted: Callable[[str], bool], min_count: int = 3
) -> set[str]:
    """Templates (``shape``) of the wanted lines that occur ``min_count`` times or more."""
    counts: dict[str, int] = {}
    for line in lines:
        if wanted(line):
            key = template(line)
            counts[key] = counts.get(key, 0) + 1
    return {key for key, n in counts.items() if n >= min_count}
