"""A session asked for with auto-accept on must be an agent: only an agent's hooks ask, so a
shell given the policy dropped it while ``POST /host/sessions`` answered 200, and the caller
believed it on."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitui.core.autoaccept import AutoAcceptConfig
from aitui.core.errors import ConfigError
from aitui.core.host import SessionHost
from aitui.core.hosting import NewSession

ON = AutoAcceptConfig(enabled=True, risk_threshold=3)


async def test_auto_accept_on_for_a_shell_is_refused_and_nothing_starts(tmp_path: Path) -> None:
    host = SessionHost(profiles_dir=tmp_path)
    try:
        with pytest.raises(ConfigError, match="auto-accept needs an agent"):
            await host.create(NewSession(name="sh", directory=tmp_path, auto_accept=ON))
        assert host.sessions() == []
        # Off, it asks for nothing: as without the field.
        off = AutoAcceptConfig(enabled=False)
        key = await host.create(NewSession(name="sh", directory=tmp_path, auto_accept=off))
        assert host.info(key) is not None
        # An agent by its profile takes it.
        agent = await host.create(
            NewSession(name="ag", directory=tmp_path, agent="shell", auto_accept=ON)
        )
        assert host.auto_accept(agent) == ON
    finally:
        await host.close()
