"""The reference's own examples, run as written against a server without a token."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from tests.server.helpers import Server

SCRIPT = Path(__file__).with_name("reference_curl.sh")


def test_the_quick_start_curl_sequence(open_server: Server, tmp_path: Path) -> None:
    done = subprocess.run(
        ["bash", str(SCRIPT), open_server.base_url, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok   ") == 7


async def test_the_rust_reqwest_example(open_server: Server, tmp_path: Path) -> None:
    """The same requests, bodies and checks as the reference's reqwest example."""
    project = tmp_path / "rust-project"  # the example's /tmp/rust-project
    project.mkdir()
    async with httpx.AsyncClient(timeout=60) as client:  # no default headers, like reqwest
        base_url = open_server.base_url
        create_response = await client.post(
            f"{base_url}/sessions",
            json={
                "name": "rust-dev",
                "enable_ai_features": True,
                "working_directory": str(project),
            },
        )
        assert create_response.is_success
        exec_response = await client.post(
            f"{base_url}/sessions/rust-dev/execute", json={"command": "cargo --version"}
        )
        result = exec_response.json()
        assert exec_response.is_success
        assert isinstance(result["success"], bool)
        assert isinstance(result["execution_time_ms"], int)
        assert (await client.delete(f"{base_url}/sessions/rust-dev")).is_success
        # The troubleshooting section's connection check.
        assert (await client.get(f"{base_url}/health")).is_success
