"""Each parser on real outputs captured here (``capture_samples.py``), not the dev corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aitui.core.compress import compress
from aitui.core.tokens import count_tokens

SAMPLES = Path(__file__).resolve().parent / "samples"

#: sample -> (expected kind, strings that must survive, strings that must be folded away)
EXPECTED: dict[str, tuple[str, list[str], list[str]]] = {
    "pytest_failures": (
        "pytest",
        [
            "FAILED tests/test_calc.py::test_ratio - ZeroDivisionError: division by zero",
            "FAILED tests/test_calc.py::test_parse",
            "E       AssertionError: assert {'a': 1, 'b': 2} == {'a': 1, 'b': 3}",
            "calc.py:5: ZeroDivisionError",
            "tests/test_calc.py:12: AssertionError",
            "2 failed, 520 passed, 1 skipped",
        ],
        ["tests/test_more.py ....", "platform linux"],
    ),
    "pytest_pass": ("pytest", ["400 passed"], ["...................."]),
    "unittest_failures": (
        "unittest",
        [
            "FAIL: test_split (test_strings.Strings.test_split)",
            "ERROR: test_missing (test_strings.Strings.test_missing)",
            "AssertionError: Lists differ: ['a', 'b'] != ['a', 'b', 'c']",
            "NameError: name 'undefined_name' is not defined",
            "Ran 43 tests",
            "FAILED (failures=1, errors=1)",
        ],
        ["test_n12 (test_strings.Numbers.test_n12) ... ok"],
    ),
    "python_traceback": (
        "traceback",
        [
            "FileNotFoundError: [Errno 2] No such file or directory: 'missing.json'",
            "RuntimeError: configuration could not be loaded",
            "The above exception was the direct cause of the following exception:",
            "line 4, in load",
        ],
        [],
    ),
    "gcc_errors": (
        "gcc",
        [
            "main.c:4:17: error: too many arguments to function ‘count’",
            "main.c:6:12: error: ‘undefined_var’ undeclared",
            "[-Wconversion]",
            "[-Wunused-variable]",
            "[-Wformat=]",
        ],
        [],
    ),
    "make_errors": (
        "make",
        [
            "main.c:4:17: error: too many arguments to function ‘count’",
            "extra.c:1:32: error: expected ‘;’ before ‘}’ token",
            "make: *** [<builtin>: main.o] Error 1",
            "make: Target 'all' not remade because of errors.",
        ],
        [],
    ),
    "cmake_build": (
        "cmake",
        ["Built target core", "Built target tool", "Built target other", "[-Wsign-conversion]"],
        ["-- Detecting C compiler ABI info", "Building C object"],
    ),
    "cargo_build_errors": (
        "cargo",
        [
            "error[E0308]: mismatched types",
            "src/lib.rs:7:13",
            "warning: unused variable: `unused`",
            "error: could not compile `demo` (lib) due to 1 previous error",
        ],
        [],
    ),
    "cargo_test_failure": (
        "cargo-test",
        [
            "test tests::area_7 ... FAILED",
            "panicked at src/lib.rs:28:15",
            "test result: FAILED. 29 passed; 1 failed",
        ],
        ["test tests::area_12 ... ok"],
    ),
    "mypy_errors": (
        "mypy",
        [
            'pkg/bad.py:8: error: Incompatible return value type (got "str", expected "int")',
            "Found 4 errors in 1 file",
        ],
        [],
    ),
    "ruff_errors": ("ruff", ["F401", "pkg/bad.py:1:8", "Found"], []),
    "git_log_graph": (
        "git-log",
        ["Update notes 59: adjust section 3", "Merge branch topic14", "Update notes 0"],
        ["|/"],
    ),
    "git_log_full": ("git-log", ["Update notes 59: adjust section 3"], ["Author: Dev", "Date:"]),
    "git_diff": ("git-diff", ["notes_0.txt", "notes_3.txt", "+changed 0 0"], ["index "]),
    "git_status": (
        "git-status",
        ["modified:   notes_0.txt", "deleted:    notes_3.txt", "new_file.txt"],
        ['(use "git restore'],
    ),
    "ls_lR": (
        "ls",
        ["dir0/sub0:", "dir2/sub2:", "cannot access 'missing'", "file1.py"],
        ["-rw-r--r--"],
    ),
    "find_files": ("find", ["./dir0/sub2/file3.py", "more paths omitted"], []),
    "json_pip_list": ("json", ['"name": "pip"'], []),
    "node_crash": (
        "node",
        ["TypeError: Cannot read properties of undefined (reading 'name')", "at parseUser"],
        [],
    ),
    "pip_install_local": (
        "pip",
        ["error: subprocess-exited-with-error", "error: invalid command 'bdist_wheel'"],
        ["writing dependency_links"],
    ),
    "pip_install_missing": (
        "pip",
        [
            "ERROR: Could not find a version that satisfies the requirement requests==2.31.0",
            "ERROR: No matching distribution found for requests==2.31.0",
        ],
        [],
    ),
    "npm_install_offline": ("npm", ["npm error code ENOTCACHED"], []),
}


def load(name: str) -> tuple[bytes, str, int]:
    meta = json.loads((SAMPLES / f"{name}.json").read_text())
    return (SAMPLES / f"{name}.log").read_bytes(), meta["command"], meta["exit_code"]


def test_every_sample_has_expectations() -> None:
    captured = {p.stem for p in SAMPLES.glob("*.log")}
    assert captured == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample(name: str) -> None:
    data, command, exit_code = load(name)
    kind, kept, folded = EXPECTED[name]
    result = compress(data, command=command, exit_code=exit_code, count=True)
    assert result.kind == kind
    text = " ".join(result.text.split())
    for needle in kept:
        assert " ".join(needle.split()) in text, f"{needle!r} lost"
    for needle in folded:
        assert needle not in result.text, f"{needle!r} not folded"
    assert result.compressed_tokens is not None and result.raw_tokens is not None
    # Never more tokens than given: an output compression cannot shrink comes back as it was.
    assert result.compressed_tokens <= result.raw_tokens
    if exit_code and result.text != data.decode("utf-8", "replace"):
        assert result.text.endswith(f"[exit status {exit_code}]")


@pytest.mark.parametrize("name", ["pytest_failures", "pytest_pass", "cmake_build", "git_log_full"])
def test_long_outputs_shrink(name: str) -> None:
    data, command, exit_code = load(name)
    result = compress(data, command=command, exit_code=exit_code)
    assert count_tokens(result.text) < 0.5 * count_tokens(data)


def test_same_sample_without_command_is_detected_from_content() -> None:
    for name, kind in [
        ("pytest_failures", "pytest"),
        ("unittest_failures", "unittest"),
        ("git_diff", "git-diff"),
        ("cargo_build_errors", "cargo"),
        ("mypy_errors", "mypy"),
        ("json_pip_list", "json"),
    ]:
        data, _, _ = load(name)
        assert compress(data).kind == kind, name


def test_deterministic() -> None:
    for name in EXPECTED:
        data, command, exit_code = load(name)
        assert compress(data, command, exit_code) == compress(data, command, exit_code)
