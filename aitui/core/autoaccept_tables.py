"""Which shell commands are which, for the auto-accept rules (``aitui.core.autoaccept_rules``).

Kept apart so the lists can be read (and compared with docs/auto-accept.md) at a glance.
"""

from __future__ import annotations


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


READ_ONLY = _set(
    "ls cat head tail grep egrep fgrep rg find pwd echo printf wc true false which type stat "
    "file du df cut diff date whoami basename dirname realpath readlink test [ [[ cd pushd "
    "popd for read sleep :"
)
#: Read-only commands whose arguments are not files they read.
NO_PATHS = _set(
    "echo printf pwd true false which type date whoami basename dirname test [ [[ for read sleep :"
)
WRITERS = _set("touch mkdir cp mv rm rmdir ln tee")
SHELLS = _set("sh bash zsh dash ksh fish")
INTERPRETERS = _set("python python3 perl ruby node")
PRIVILEGE = _set("sudo su doas pkexec")
POWER = _set("shutdown reboot halt poweroff")
#: Options of each wrapper: (those taking a value, flags). Any other option makes the rest
#: rated from every word on, the riskiest winning (``env -i rm -rf x`` is still rm -r).
WRAPPER_OPTIONS = {
    "env": (_set("-u --unset -C --chdir"), _set("-i -0 --ignore-environment --null -v")),
    "nohup": (_set(""), _set("")),
    "time": (_set("-o -f"), _set("-p -v -a")),
    "nice": (_set("-n --adjustment"), _set("")),
    "ionice": (_set("-c -n -p"), _set("-t")),
    "stdbuf": (_set("-i -o -e"), _set("")),
    "timeout": (_set("-s -k --signal --kill-after"), _set("--preserve-status --foreground -v")),
    "command": (_set(""), _set("-p")),
    "builtin": (_set(""), _set("")),
    "exec": (_set("-a"), _set("-c -l")),
    "xargs": (_set("-I -n -P -L -d -E -s -a"), _set("-0 -r -t -p -x --null")),
}
STEERING = _set(
    "PATH BASH_ENV ENV PROMPT_COMMAND IFS PYTHONPATH PYTHONSTARTUP PYTHONHOME NODE_OPTIONS "
    "NODE_PATH PERL5OPT PERL5LIB RUBYOPT PAGER EDITOR VISUAL SHELLOPTS BASHOPTS"
)
KEYWORDS = _set("if then else elif do while until ! { } time")
CLOSERS = _set("fi done esac }")
GIT_READ = _set("status diff log show")
GIT_SAFE_OPTIONS = frozenset({"--no-pager", "-P", "--no-optional-locks"})
BUILD_SUBCOMMANDS = {
    "npm": {"test", "t"},
    "yarn": {"test", "build"},
    "pnpm": {"test", "build"},
    "cargo": {"build", "test", "check", "b", "t"},
    "go": {"test", "build", "vet"},
}
BUILD_RUN_SCRIPTS = frozenset({"build", "test", "lint"})
ROOTISH = frozenset({"/", "/*", "~", "~/", "~/*", "$HOME", "*", ".", "..", "./*"})
