"""Regenerate ``tests/compress/samples/`` by running real tools on small generated projects.

    .venv/bin/python tests/compress/capture_samples.py [NAME...]

Each sample is ``NAME.log`` (the raw bytes the command wrote: stdout and stderr as a terminal
shows them, ANSI kept when the tool colours) and ``NAME.json`` (command, exit code). Tools that
are not installed are skipped. Nothing here reaches the network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent / "samples"
VENV_BIN = Path(sys.executable).parent


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))


def run(name: str, command: str, cwd: Path, env: dict[str, str] | None = None) -> None:
    full_env = dict(os.environ, LC_ALL="C.UTF-8", **(env or {}))
    full_env["PATH"] = f"{VENV_BIN}:{full_env['PATH']}"
    proc = subprocess.run(
        command,
        shell=True,
        cwd=cwd,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=600,
        check=False,
    )
    (HERE / f"{name}.log").write_bytes(proc.stdout)
    meta = {"command": command, "exit_code": proc.returncode}
    (HERE / f"{name}.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"{name}: exit {proc.returncode}, {len(proc.stdout)} bytes")


def pytest_samples(tmp: Path) -> None:
    write(
        tmp,
        {
            "calc.py": """
            def add(a, b):
                return a + b

            def ratio(a, b):
                return a / b

            def parse(text):
                return {k: int(v) for k, v in (p.split("=") for p in text.split(","))}
        """,
            "tests/test_calc.py": """
            import pytest
            from calc import add, parse, ratio

            @pytest.mark.parametrize("a", range(120))
            def test_add(a):
                assert add(a, 1) == a + 1

            def test_ratio():
                assert ratio(1, 0) == 0

            def test_parse():
                assert parse("a=1,b=2") == {"a": 1, "b": 3}

            @pytest.mark.skip(reason="not ready")
            def test_later():
                pass
        """,
            "tests/test_more.py": """
            import pytest

            @pytest.mark.parametrize("n", range(400))
            def test_square(n):
                assert n * n >= 0
        """,
        },
    )
    run("pytest_failures", "python -m pytest --color=yes -p no:cacheprovider tests", tmp)
    run("pytest_pass", "python -m pytest -p no:cacheprovider tests/test_more.py", tmp)


def unittest_sample(tmp: Path) -> None:
    numbers = "".join(
        f"    def test_n{i}(self):\n        self.assertTrue({i} >= 0)\n\n" for i in range(40)
    )
    (tmp / "test_strings.py").write_text(
        "import unittest\n\n\n"
        "class Strings(unittest.TestCase):\n"
        "    def test_upper(self):\n"
        "        self.assertEqual('abc'.upper(), 'ABC')\n\n"
        "    def test_split(self):\n"
        "        self.assertEqual('a b'.split(), ['a', 'b', 'c'])\n\n"
        "    def test_missing(self):\n"
        "        return undefined_name\n\n\n"
        "class Numbers(unittest.TestCase):\n" + numbers
    )
    run("unittest_failures", "python -m unittest -v test_strings", tmp)


def traceback_sample(tmp: Path) -> None:
    write(
        tmp,
        {
            "app.py": """
            import json

            def load(path):
                with open(path) as handle:
                    return json.load(handle)

            def main():
                try:
                    load("missing.json")
                except FileNotFoundError as exc:
                    raise RuntimeError("configuration could not be loaded") from exc

            main()
        """,
        },
    )
    run("python_traceback", "python app.py", tmp)


def gcc_samples(tmp: Path) -> None:
    if not shutil.which("gcc"):
        return
    write(
        tmp,
        {
            "util.c": """
            #include <string.h>
            int count(const char *s) {
                int n = strlen(s);
                unsigned u = n;
                return u;
            }
            int unused(int x) { int y; return x; }
        """,
            "main.c": """
            #include <stdio.h>
            int count(const char *s);
            int main(void) {
                int total = count("abc", 2);
                printf("%s\\n", total);
                return undefined_var;
            }
        """,
            "extra.c": """
            int extra(int a) { return a * 2 }
        """,
            "Makefile": """
            CFLAGS = -Wall -Wextra -Wconversion
            all: app
            app: util.o main.o extra.o
            \t$(CC) -o $@ $^
        """.replace("\\t", "\t"),
        },
    )
    run("gcc_errors", "gcc -Wall -Wextra -Wconversion -c util.c main.c", tmp)
    run("make_errors", "make -k", tmp)


def cmake_sample(tmp: Path) -> None:
    if not shutil.which("cmake"):
        return
    write(
        tmp,
        {
            "CMakeLists.txt": """
            cmake_minimum_required(VERSION 3.13)
            project(demo C)
            add_library(core STATIC core.c)
            add_executable(tool tool.c)
            target_link_libraries(tool core)
            add_executable(other other.c)
        """,
            "core.c": "int core(int a) { unsigned b = a; return b; }\n",
            "tool.c": "int core(int); int main(void) { return core(1); }\n",
            "other.c": "int main(void) { int x; return 0; }\n",
        },
    )
    run(
        "cmake_build",
        "cmake -S . -B _build -DCMAKE_C_FLAGS='-Wall -Wextra -Wsign-conversion' && "
        "cmake --build _build",
        tmp,
    )


def cargo_samples(tmp: Path) -> None:
    if not shutil.which("cargo"):
        return
    write(
        tmp,
        {
            "Cargo.toml": """
            [package]
            name = "demo"
            version = "0.1.0"
            edition = "2021"
        """,
            "src/lib.rs": """
            pub fn area(w: u32, h: u32) -> u32 {
                let unused = 3;
                w * h
            }

            pub fn half(x: u64) -> u32 {
                x / 2
            }

            #[cfg(test)]
            mod tests {
                use super::*;
            """
            + "".join(
                f"    #[test]\n    fn area_{i}() {{ assert_eq!(area({i}, 1), {i}); }}\n"
                for i in range(30)
            )
            + """
            }
        """,
        },
    )
    run("cargo_build_errors", "cargo build --offline --color always", tmp)
    lib = (tmp / "src/lib.rs").read_text().replace("    x / 2\n", "    (x / 2) as u32\n")
    lib = lib.replace("area(7, 1), 7)", "area(7, 1), 8)")
    (tmp / "src/lib.rs").write_text(lib)
    run("cargo_test_failure", "cargo test --offline", tmp)


def python_linters(tmp: Path) -> None:
    write(
        tmp,
        {
            "pkg/__init__.py": "",
            "pkg/bad.py": """
            import os, sys
            from typing import List

            def total(items: List[int]) -> int:
                result = 0
                for i in range(len(items)):
                    result += items[i]
                return str(result)

            def greet(name):
                return "hi " + name

            class Box:
                size: int = "big"

                def grow(self, by: int) -> None:
                    self.size += by
                    return self.size
        """,
        },
    )
    run("mypy_errors", "mypy --strict --no-incremental pkg", tmp)
    run("ruff_errors", "ruff check --no-cache --select E,F,W,B,UP,SIM,ANN pkg", tmp)


def git_samples(tmp: Path) -> None:
    env = {
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.invalid",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.invalid",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    script = ["git init -q -b main ."]
    for i in range(60):
        script.append(
            f"printf 'line {i}\\n' >> notes_{i % 7}.txt && git add -A && "
            f"git commit -q -m 'Update notes {i}: adjust section {i % 7}'"
        )
        if i % 15 == 14:
            script.append(
                f"git checkout -q -b topic{i} && printf 'x\\n' > topic{i}.txt && git add -A && "
                f"git commit -q -m 'Add topic {i}' && git checkout -q main && "
                f"git merge -q --no-ff -m 'Merge branch topic{i}' topic{i}"
            )
    subprocess.run(
        " && ".join(script), shell=True, cwd=tmp, env=dict(os.environ, **env), check=True
    )
    run("git_log_graph", "git log --oneline --graph", tmp, env)
    run("git_log_full", "git log -n 25", tmp, env)
    for i in range(7):
        with open(tmp / f"notes_{i}.txt", "a") as handle:
            handle.write("".join(f"changed {i} {k}\n" for k in range(12)))
    (tmp / "notes_3.txt").unlink()
    (tmp / "new_file.txt").write_text("fresh\n")
    run("git_diff", "git diff", tmp, env)
    run("git_status", "git status", tmp, env)


def listing_samples(tmp: Path) -> None:
    for d in range(6):
        for s in range(3):
            folder = tmp / f"dir{d}" / f"sub{s}"
            folder.mkdir(parents=True, exist_ok=True)
            for f in range(5):
                (folder / f"file{f}.{'py' if f % 2 else 'txt'}").write_text("x" * (f * 300))
    run("ls_lR", "ls -lR --time-style=long-iso dir0 dir1 dir2 missing", tmp)
    run("find_files", "find . -type f -name '*.py' -size +100c", tmp)


def json_sample(tmp: Path) -> None:
    run("json_pip_list", "python -m pip list --format=json", tmp)
    run("json_pip_inspect", "python -m pip inspect", tmp)


def node_sample(tmp: Path) -> None:
    if not shutil.which("node"):
        return
    write(
        tmp,
        {
            "crash.js": """
            function parseUser(raw) { return raw.profile.name.trim(); }
            const users = [{ profile: { name: " a " } }, {}];
            console.log(users.map(parseUser));
        """,
        },
    )
    run("node_crash", "node crash.js", tmp)


def package_samples(tmp: Path) -> None:
    write(
        tmp,
        {
            "proj/pyproject.toml": """
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "tinyproj"
            version = "0.1.0"
        """,
            "proj/tinyproj/__init__.py": "VALUE = 1\n",
        },
    )
    run(
        "pip_install_local",
        "python -m pip install --no-index --no-build-isolation --target _target ./proj",
        tmp,
    )
    run(
        "pip_install_missing",
        "python -m pip install --no-index 'requests==2.31.0' 'urllib3==1.20'",
        tmp,
    )
    if shutil.which("npm"):
        write(tmp, {"package.json": '{"name": "demo", "version": "1.0.0"}\n'})
        run("npm_install_offline", "npm install --offline left-pad@1.3.0", tmp)


SAMPLES: dict[str, Callable[[Path], None]] = {
    "pytest": pytest_samples,
    "unittest": unittest_sample,
    "traceback": traceback_sample,
    "gcc": gcc_samples,
    "cmake": cmake_sample,
    "cargo": cargo_samples,
    "linters": python_linters,
    "git": git_samples,
    "listing": listing_samples,
    "json": json_sample,
    "node": node_sample,
    "packages": package_samples,
}


def main(argv: list[str]) -> int:
    HERE.mkdir(parents=True, exist_ok=True)
    for name, capture in SAMPLES.items():
        if argv and name not in argv:
            continue
        with tempfile.TemporaryDirectory(prefix=f"aitui-sample-{name}-") as tmp:
            capture(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
