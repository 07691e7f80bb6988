"""``SessionConfig.compress_output`` and ``parse_output``: what ``execute`` adds to its result."""

from __future__ import annotations

from tests.conftest import SessionFactory

SCRIPT = (
    'for i in $(seq 1 400); do echo "checking module_$i.py"; done; '
    "echo 'pkg/bad.py:8: error: Incompatible return value type  [return-value]'; "
    "echo 'FAILED tests/test_bad.py::test_ratio - ZeroDivisionError'; "
    "echo 'Found 1 error in 1 file (checked 400 source files)'; false"
)


async def test_compressed_and_parsed_output(make_session: SessionFactory) -> None:
    session = await make_session("bash", compress_output=True, parse_output=True)
    result = await session.execute(SCRIPT)
    assert result.exit_code == 1
    assert result.compressed_output is not None
    assert len(result.compressed_output) < len(result.output) / 4
    assert "pkg/bad.py:8: error: Incompatible return value type" in result.compressed_output
    assert result.compressed_output.endswith("[exit status 1]")
    parsed = result.parsed
    assert parsed is not None
    assert parsed.failed and parsed.exit_code == 1
    assert any("Incompatible return value type" in e for e in parsed.errors)
    assert "Found 1 error in 1 file (checked 400 source files)" in parsed.summary
    assert "tests/test_bad.py::test_ratio" in parsed.failed_tests
    assert "pkg/bad.py:8" in parsed.locations
    assert parsed.to_dict()["failed"] is True


async def test_off_by_default(make_session: SessionFactory) -> None:
    session = await make_session("bash")
    result = await session.execute("echo hi")
    assert result.compressed_output is None and result.parsed is None
