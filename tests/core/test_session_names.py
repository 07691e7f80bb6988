"""One naming rule for every way a session gets a name: created or renamed, over any path.

The dashboard's rename and new-session dialogs used to take any text (a name with spaces and
a slash, which `aitui send NAME` cannot address and a recording's file name cannot hold),
while the CLI and the HTTP routes refused it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.core.errors import InvalidNameError
from aitui.core.names import check_name
from tests.core.test_restore import new, open_host

BAD = ["bad name", "a/b", "-flag", ".hidden", "x" * 65, "tab\there", "ünï"]


@pytest.mark.parametrize("name", BAD)
def test_names_outside_the_rule_are_refused_saying_the_rule(name: str) -> None:
    with pytest.raises(InvalidNameError, match="1-64 characters of A-Z a-z 0-9"):
        check_name(name)


@pytest.mark.parametrize("name", ["a", "shell-1", "api.v2", "A_b-3", "9" * 64])
def test_names_inside_the_rule_pass(name: str) -> None:
    assert check_name(name) == name


async def test_the_host_refuses_a_bad_name_at_creation_and_rename_and_keeps_the_old(
    tmp_path: Path,
) -> None:
    host = await open_host(tmp_path / "records.db")
    try:
        with pytest.raises(InvalidNameError):
            await host.create(new(tmp_path, "bad name/"))
        assert host.sessions() == []
        key = await host.create(new(tmp_path, "good", ai=False))
        with pytest.raises(InvalidNameError):
            await host.rename(key, "still bad/")
        assert [info.name for info in host.sessions()] == ["good"]
        await host.rename(key, "better")
        assert [info.name for info in host.sessions()] == ["better"]
    finally:
        await host.close()
