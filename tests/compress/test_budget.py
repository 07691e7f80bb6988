"""The token budget: respected in real tokens, the highest-value lines win, never more tokens
than given; verbose installers and builders folded (real logs in ``verbose/``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aitui.cli.compress import main as cli_main
from aitui.core.compress import compress
from aitui.core.compress.budget import default_budget
from aitui.core.tokens import count_tokens

VERBOSE = Path(__file__).parent / "verbose"
SAMPLES = Path(__file__).parent / "samples"


def failing_build(n: int = 6000) -> str:
    lines = [
        f"[{i % 100:3d}%] Building CXX object src/CMakeFiles/core.dir/unit_{i}.cpp.o"
        for i in range(n)
    ]
    lines[n // 2] = "src/unit_3000.cpp:41:7: error: use of undeclared identifier 'frobnicate'"
    lines.append("make[2]: *** [src/CMakeFiles/core.dir/build.make:76: unit_3000.cpp.o] Error 1")
    return "\n".join(lines)


@pytest.mark.parametrize("budget", [64, 100, 300, 1000, 4000])
def test_budget_is_respected_in_real_tokens(budget: int) -> None:
    raw = failing_build()
    for command in (None, "make -j8", "./build.sh"):
        result = compress(raw, command=command, exit_code=2, budget=budget, count=True)
        assert result.compressed_tokens is not None
        assert result.compressed_tokens <= budget
        assert count_tokens(result.text) <= budget
        assert result.budget == budget


def test_the_highest_value_lines_win_under_a_small_budget() -> None:
    text = compress(failing_build(), command="./build.sh", budget=200).text
    assert "error: use of undeclared identifier 'frobnicate'" in text
    assert "make[2]: ***" in text


def test_a_budget_on_a_parser_output_keeps_the_failures() -> None:
    raw = (SAMPLES / "pytest_failures.log").read_bytes()
    full = compress(raw, command="python -m pytest tests", exit_code=1, count=True)
    assert full.compressed_tokens is not None
    small = compress(raw, command="python -m pytest tests", exit_code=1, budget=150, count=True)
    assert small.compressed_tokens is not None and small.compressed_tokens <= 150
    assert "FAILED tests/test_calc.py::test_ratio" in small.text
    assert "2 failed, 520 passed, 1 skipped" in small.text


def test_the_default_budget_grows_with_size_and_spread() -> None:
    assert default_budget(500, 0) is None  # a short output is kept whole
    small, big = default_budget(10_000, 1), default_budget(1_000_000, 1)
    assert small is not None and big is not None and big > small
    spread = default_budget(10_000, 30)
    assert spread is not None and spread > small


def test_the_default_budget_compresses_a_huge_log_hard() -> None:
    raw = failing_build(60_000)
    result = compress(raw, command="./build.sh", count=True)
    assert result.raw_tokens and result.compressed_tokens
    assert result.compressed_tokens < 0.05 * result.raw_tokens
    assert "error: use of undeclared identifier 'frobnicate'" in result.text


def test_a_source_is_named_when_lines_are_left_out() -> None:
    result = compress(failing_build(), command="./build.sh", source="archive abc, GET /x")
    assert result.text.endswith("[raw output: archive abc, GET /x]")
    short = compress("all good\n", command="./build.sh", source="archive abc, GET /x")
    assert "[raw output:" not in short.text


def test_cli_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "build.log"
    log.write_text(failing_build())
    assert cli_main([str(log), "--budget", "120", "--command", "./build.sh"]) == 0
    captured = capsys.readouterr()
    assert count_tokens(captured.out) <= 121  # the final newline
    assert f"[raw output: {log}]" in captured.out
    assert re.search(r"-> [\d,]+ tokens", captured.err)
    with pytest.raises(SystemExit):
        cli_main([str(log), "--budget", "10"])


budgets = st.integers(min_value=64, max_value=3000)
chunks = st.lists(
    st.one_of(
        st.text(max_size=120),
        st.sampled_from(
            [
                "error: something broke",
                "##[error]Process completed with exit code 1.",
                "2026-04-23T08:38:17.8953892Z ##[group]Run pytest",
                "FAILED tests/a.py::test_b - AssertionError",
                "= 3 failed, 1 passed in 0.1s =",
                "    at f (file.js:1:2)",
                "\x1b[31mred\x1b[0m",
                "Downloading x-1.0.tar.gz (12 kB)",
                "x" * 3000,
                "",
            ]
        ),
    ),
    max_size=400,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chunks, budgets, st.sampled_from([None, "pytest", "pip install -vv x", "make", "git log"]))
def test_compress_never_raises_and_respects_the_budget(
    lines: list[str], budget: int, command: str | None
) -> None:
    raw = "\n".join(lines)
    result = compress(raw, command=command, exit_code=1, budget=budget, source="archive z")
    assert count_tokens(result.text) <= budget
    unbudgeted = compress(raw, command=command)
    assert count_tokens(unbudgeted.text) <= count_tokens(raw)


# ----------------------------------------------------------------------------- verbose tools
def verbose(name: str) -> bytes:
    return (VERBOSE / name).read_bytes()


def test_pip_vv_success_is_folded_to_its_outcome() -> None:
    raw = verbose("pip_install_vv.log")
    result = compress(raw, command="pip install -vv requests rich flask", count=True)
    assert result.kind == "pip-verbose"
    assert result.raw_tokens and result.compressed_tokens
    assert result.compressed_tokens < 0.02 * result.raw_tokens
    assert "Successfully installed blinker-1.9.0" in result.text
    assert re.search(r"\[\.\.\. [\d,]+ verbose pip lines omitted \.\.\.\]", result.text)


def test_pip_vv_failure_keeps_the_conflict() -> None:
    raw = verbose("pip_install_vv_conflict.log")
    text = compress(raw, command="pip install -vv requests==2.31.0 urllib3==1.20", exit_code=1).text
    assert "ERROR: Cannot install requests==2.31.0 and urllib3==1.20" in text
    assert "The conflict is caused by:" in text
    assert "requests 2.31.0 depends on urllib3<3 and >=1.21.1" in text
    assert "Found link" not in text


def test_pip_verbose_is_recognised_from_content_too() -> None:
    assert compress(verbose("pip_install_vv.log")).kind == "pip-verbose"


def test_npm_silly_is_folded() -> None:
    result = compress(verbose("npm_install_silly.log"), command="npm install --loglevel=silly a b")
    assert result.kind == "npm-verbose"
    assert "added 2 packages" in result.text
    assert "npm silly" not in result.text.replace("npm silly install-scripts", "")


def test_cargo_vv_keeps_the_diagnostic_and_folds_rustc_lines() -> None:
    text = compress(verbose("cargo_build_vv_error.log"), command="cargo build -vv").text
    assert "error[E0308]: mismatched types" in text
    assert "--> src/main.rs:2:18" in text
    assert "error: could not compile `crate2`" in text
    assert "Running `" not in text


def test_maven_debug_is_folded() -> None:
    raw = verbose("mvn_X_no_pom.log")
    result = compress(raw, command="mvn -X -o package", exit_code=1, count=True)
    assert result.kind == "maven"
    assert "BUILD FAILURE" in result.text
    assert "there is no POM in this directory" in result.text
    assert "Imported:" not in result.text
    assert result.raw_tokens and result.compressed_tokens
    assert result.compressed_tokens < 0.2 * result.raw_tokens


GRADLE = [
    *[f"> Task :lib:compileJava{i} UP-TO-DATE" for i in range(300)],
    "> Task :app:compileKotlin FAILED",
    "e: file:///src/app/Main.kt:12:5 Unresolved reference: frob",
    "FAILURE: Build failed with an exception.",
    "* What went wrong:",
    "Execution failed for task ':app:compileKotlin'.",
    "BUILD FAILED in 14s",
    "42 actionable tasks: 1 executed, 41 up-to-date",
]
DOCKER = [
    '#0 building with "default" instance using docker driver',
    "#1 [internal] load build definition from Dockerfile",
    *[f"#5 sha256:{i:064x} {i}MB / 200MB {i * 0.1:.1f}s" for i in range(400)],
    "#6 [2/3] RUN pip install -r requirements.txt",
    "#6 1.204 ERROR: No matching distribution found for frob==9.9",
    '#6 ERROR: process "/bin/sh -c pip install -r requirements.txt" did not complete '
    "successfully: exit code: 1",
    'ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not '
    "complete successfully: exit code: 1",
]


@pytest.mark.parametrize(
    ("lines", "command", "kind", "needles"),
    [
        (
            GRADLE,
            "./gradlew build",
            "gradle",
            ["> Task :app:compileKotlin FAILED", "Unresolved reference: frob", "BUILD FAILED"],
        ),
        (
            DOCKER,
            "docker build -t app .",
            "docker",
            [
                "#6 [2/3] RUN pip install",
                "No matching distribution found for frob",
                "ERROR: failed to solve",
            ],
        ),
    ],
)
def test_builders_are_folded(lines: list[str], command: str, kind: str, needles: list[str]) -> None:
    raw = "\n".join(lines)
    result = compress(raw, command=command, exit_code=1)
    assert result.kind == kind
    for needle in needles:
        assert needle in result.text
    assert len(result.text.splitlines()) < 20


def test_one_category_match_gives_the_first_category_in_order() -> None:
    from aitui.core.compress import budget
    from tests.compress.test_anchored import corpus_lines

    extra = ["Collecting x", "npm http GET", "Get:1 x", "  Compiling a", "#3 [a] RUN", "ok 1"]
    extra += ["##[group]", "  FOO: 1", "PASSED", "Step 1/2", "[INFO] x", "yarn add"]
    found = set()
    for line in corpus_lines() + extra:
        expected = budget._category_plain(line)
        found.add(expected)
        assert budget.category_of(line) == expected, line
    assert len(found) == len(budget._CATEGORIES) + 1  # every category, and none
