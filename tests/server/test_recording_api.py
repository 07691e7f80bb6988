"""Recording over HTTP: start, look, stop; the file (chosen by the server, in its data dir)
replays to the session's screen; clear errors for the wrong moment."""

from __future__ import annotations

from pathlib import Path

import httpx

from aitui.core.asciicast import load
from tests.server.helpers import Server


async def test_record_a_session_over_http(
    client: httpx.AsyncClient, server: Server, session_name: str
) -> None:
    url = f"/sessions/{session_name}/recording"
    assert (await client.get(url)).json()["code"] == "NO_RECORDING"
    assert (await client.delete(url)).status_code == 404

    started = await client.post(url, json={})
    assert started.status_code == 200, started.text
    path = Path(started.json()["path"])
    assert started.json()["active"] is True
    assert path.parent == server.workdir / "data" / "recordings"
    again = await client.post(url, json={})
    assert again.status_code == 409 and again.json()["code"] == "ALREADY_RECORDING"

    done = await client.post(
        f"/sessions/{session_name}/execute", json={"command": "echo recorded-$((6 * 7))"}
    )
    assert done.json()["output"].strip() == "recorded-42"
    stopped = await client.delete(url)
    assert stopped.status_code == 200 and stopped.json()["active"] is False
    assert stopped.json()["error"] is None
    assert (await client.get(url)).json()["path"] == str(path)
    assert "recorded-42" in "".join(load(path).output())
