"""Signal-first compression: the lines that carry a failure survive, wherever they are.

The logs are built like real GitHub Actions job logs (timestamped lines, ``##[group]Run``
steps, an ``##[error]`` annotation closing the failed step) with the signals the issue names
as lost by the earlier compressor placed in the middle of thousands of lines of noise.
"""

from __future__ import annotations

import re

import pytest

from aitui.core.compress import compress
from aitui.core.tokens import count_tokens

STAMP = "2026-04-23T08:38:17.8953892Z "


def stamped(lines: list[str]) -> str:
    return "\ufeff" + "\n".join(STAMP + line for line in lines) + "\n"


def noise(n: int, what: str = "Downloading") -> list[str]:
    return [f"{what} package-{i}-1.{i % 7}.0.tar.gz ({i * 13 % 900} kB)" for i in range(n)]


def job(failing_step: list[str], command: str) -> str:
    lines = ["Current runner version: '2.333.1'", "##[group]Runner Image", "Image: ubuntu-24.04"]
    lines += ["##[endgroup]", "Complete job name: tests (ubuntu, 3.12)"]
    lines += ["##[group]Run actions/checkout@v4", "with:", "  fetch-depth: 1", "##[endgroup]"]
    lines += noise(2500, "Receiving objects")
    lines += ["##[group]Run pip install -r requirements.txt", "pip install -r requirements.txt"]
    lines += ["shell: /usr/bin/bash -e {0}", "##[endgroup]"]
    lines += noise(3000)
    lines += [f"##[group]Run {command}", command, "shell: /usr/bin/bash -e {0}", "##[endgroup]"]
    lines += failing_step
    lines += ["##[error]Process completed with exit code 1.", "Post job cleanup."]
    lines += noise(300, "Cleaning")
    return stamped(lines)


def mypy_step() -> list[str]:
    errors = [
        f'pandas/core/arrays/arrow/array.py:{100 + i}: error: Module has no attribute "f{i}"'
        "  [attr-defined]"
        for i in range(279)
    ]
    return [
        "mypy.....................................................................Failed",
        "- hook id: mypy",
        "- exit code: 1",
        'pandas/compat/pyarrow.py:76: error: Module has no attribute "is_null"  [attr-defined]',
        *errors,
        "Found 279 errors in 9 files (checked 1458 source files)",
        *noise(400, "Checking"),
    ]


def jest_step() -> list[str]:
    return [
        "fatal: detected dubious ownership in repository at '/work'",
        *noise(1500, "Compiling"),
        "No tests found, exiting with code 1",
        *noise(800, "Compiling"),
        "examples/with-jest/__tests__/index.test.tsx failed to pass within 2 retries",
        "    at async runTest (/work/run-tests.js:927:29)",
        *noise(600, "Compiling"),
    ]


def pytest_step() -> list[str]:
    passing = [f"tests/test_mod{i}.py::test_case_{i} PASSED" for i in range(2000)]
    return [
        *passing[:1000],
        "=================================== FAILURES ===================================",
        "_________________________ test_no_truststore_can_install _________________________",
        "E       AssertionError: Script returned code: 1",
        "tests/lib/__init__.py:681: AssertionError",
        *passing[1000:],
        "=========================== short test summary info ============================",
        "FAILED tests/functional/test_truststore.py::test_no_truststore_can_install[GitHub]",
        "= 1 failed, 1080 passed, 34 skipped in 759.43s (0:12:39) =",
    ]


CASES = {
    "mypy": (
        mypy_step(),
        "pre-commit run --all-files",
        [
            'pandas/compat/pyarrow.py:76: error: Module has no attribute "is_null"',
            "Found 279 errors in 9 files (checked 1458 source files)",
            "mypy.....................................................................Failed",
        ],
    ),
    "jest": (
        jest_step(),
        "node run-tests.js --type unit",
        [
            "fatal: detected dubious ownership in repository at '/work'",
            "No tests found, exiting with code 1",
            "examples/with-jest/__tests__/index.test.tsx failed to pass within 2 retries",
            "/work/run-tests.js:927",
        ],
    ),
    "pytest": (
        pytest_step(),
        "nox -s test-3.12",
        [
            "E       AssertionError: Script returned code: 1",
            "tests/lib/__init__.py:681: AssertionError",
            "FAILED tests/functional/test_truststore.py::test_no_truststore_can_install[GitHub]",
            "1 failed, 1080 passed, 34 skipped",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_failure_survives_a_long_ci_log(name: str) -> None:
    step, command, signals = CASES[name]
    raw = job(step, command)
    result = compress(raw)
    assert result.kind == "github-actions"
    text = result.text
    for signal in signals:
        assert signal in text, f"{signal!r} lost"
    # the failing step and its command, the annotation; timestamps stripped
    assert f"##[group]Run {command}" in text
    assert "##[error]Process completed with exit code 1." in text
    assert STAMP.strip() not in text
    assert count_tokens(text) < 0.1 * count_tokens(raw)


def test_repeats_of_one_error_keep_the_first_and_are_counted() -> None:
    raw = job(mypy_step(), "pre-commit run --all-files")
    text = compress(raw).text
    kept = [ln for ln in text.splitlines() if "[attr-defined]" in ln]
    assert 2 <= len(kept) < 140  # the first ones, not all 280
    assert kept[0].startswith("pandas/compat/pyarrow.py:76:")
    counted = [int(n.replace(",", "")) for n in re.findall(r"([\d,]+) error-like lines", text)]
    assert sum(counted) >= 279 - len(kept)


def test_dropped_runs_say_what_they_were_and_where() -> None:
    raw = job(jest_step(), "node run-tests.js")
    text = compress(raw).text
    gaps = re.findall(
        r"\[\.\.\. ([\d,]+) lines \(L(\d+)-(\d+)\) of ([^,]+), ([^.]+) \.\.\.\]", text
    )
    assert gaps
    for count, first, last, _what, _errors in gaps:
        assert int(count.replace(",", "")) == int(last) - int(first) + 1
    whats = {what for *_, what, _ in gaps}
    assert "pip download progress" in whats
    assert any(errors == "0 errors" for *_, errors in gaps)
    # the line numbers are the raw log's: the numbered line is where the summary says
    raw_lines = raw.split("\n")
    count, first, last, *_ = gaps[0]
    assert int(last) <= len(raw_lines)


def test_the_middle_of_an_unknown_output_is_searched_too() -> None:
    lines = [f"worker {i % 5}: processed batch {i} in {i % 97} ms" for i in range(20000)]
    lines[9000] = "Segmentation fault (core dumped)"
    lines[9001] = "worker 3: exited with signal 11"
    text = compress("\n".join(lines), command="./run-batch").text
    assert "Segmentation fault (core dumped)" in text
    assert "worker 3: exited with signal 11" in text


def test_a_short_output_is_kept_whole() -> None:
    words = ["alpha", "beta ok", "gamma: 3 items", "delta (skipped)", "epsilon -> done"]
    raw = "\n".join(f"{words[i % 5]} {'x' * (i % 4)} {i}" if i % 3 else "" for i in range(30))
    raw = "\n".join(ln for ln in raw.split("\n") if ln)
    assert compress(raw, command="./check").text == raw


def test_unknown_tools_get_the_generic_detector() -> None:
    body = [f"frobnicating widget {i} ({i % 13} sprockets)" for i in range(3000)]
    body[1234] = "frob: cannot open /etc/frob.conf: Permission denied"
    result = compress("\n".join(body), command="frobnicate --all", exit_code=2)
    assert result.kind == "generic"
    assert "frob: cannot open /etc/frob.conf: Permission denied" in result.text
    assert result.text.endswith("[exit status 2]")


def test_caret_notation_escapes_are_removed() -> None:
    line = "^[[31mFAILED^[[0m tests/a.py::^[[1mtest_x[GitHub]^[[0m - AssertionError: boom"
    text = compress("\n".join([*noise(3000), line]), command="pytest").text
    assert "FAILED tests/a.py::test_x[GitHub] - AssertionError: boom" in text


def test_buildkit_failed_step_keeps_its_header_and_error() -> None:
    lines = [f"#{n} [stage-{n} 1/3] RUN make -j4 target-{n}" for n in range(1, 70)]
    lines += [f"#{n % 69 + 1} {n * 0.01:.3f} compiling unit {n}" for n in range(4000)]
    lines += [
        "#72 [nydus 1/2] RUN wget https://example.invalid/nydus-static-v2.4.0.tgz",
        "#72 0.112 Connecting to example.invalid (203.0.113.9:443)",
        "#72 0.149 wget: server returned error: HTTP/1.1 502 Bad Gateway or Proxy Error",
        '#72 ERROR: process "/bin/bash -c wget $URL" did not complete successfully: exit code: 1',
        *[f"#{n} CANCELED" for n in range(1, 60)],
        "Dockerfile:336",
        'ERROR: failed to solve: process "/bin/bash -c wget $URL" did not complete successfully',
    ]
    text = compress("\n".join(lines), command="docker buildx bake integration-tests").text
    assert "#72 [nydus 1/2] RUN wget https://example.invalid/nydus-static-v2.4.0.tgz" in text
    assert "wget: server returned error: HTTP/1.1 502 Bad Gateway or Proxy Error" in text
    assert "Dockerfile:336" in text
    assert "ERROR: failed to solve" in text
