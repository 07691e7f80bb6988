"""The reference's ccswarm example, with real commands in a temporary git repository.

Run: ``python examples/ccswarm_example.py``. It creates a workspace with a ``frontend``
directory of a few hundred files, starts a frontend agent (React/TypeScript) and a backend
agent, shows the auto-accept policy's decisions on some tool calls, runs real commands in the
frontend agent's shell, submits a task that only the frontend agent can take, and prints the
agent's performance figures, all computed from real token counts.
"""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
from pathlib import Path

from aitui.ccswarm import (
    AutoAcceptConfig,
    Backend,
    CcswarmConfig,
    Frontend,
    SessionManagerAdapter,
)

COMMANDS = ["ls -la", "git status --untracked-files=all", "ls -laR src"]


def make_workspace(root: Path) -> Path:
    frontend = root / "frontend"
    for n in range(60):
        component = frontend / "src" / "components" / f"Widget{n:02d}"
        component.mkdir(parents=True)
        (component / "index.tsx").write_text(f"export const Widget{n:02d} = () => null;\n")
        (component / "style.css").write_text(".widget { display: block; }\n")
    (frontend / "package.json").write_text('{"name": "frontend", "private": true}\n')
    (root / "backend").mkdir()
    git = ["git", "-c", "user.name=example", "-c", "user.email=example@localhost"]
    subprocess.run([*git, "init", "-q", str(root)], check=True)
    subprocess.run([*git, "-C", str(root), "add", "frontend/package.json"], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-qm", "start"], check=True)
    return frontend


async def main(root: Path) -> None:
    make_workspace(root)
    config = CcswarmConfig(workspace_root=root, shell="bash")
    async with SessionManagerAdapter(config) as adapter:
        agent = await adapter.create_agent_session(
            "frontend-agent-001",
            Frontend(framework="react", languages=("typescript", "css")),
            root / "frontend",
            "Frontend development agent specialized in React/TypeScript",
            True,
        )
        backend = await adapter.create_agent_session(
            "backend-agent-001", Backend(language="python"), "backend"
        )
        agent.configure_auto_accept(
            AutoAcceptConfig(
                enabled=True, risk_threshold=3, protected_patterns=("package.json", "*.env")
            )
        )
        await agent.start()
        await backend.start()
        for each in adapter.list_agents():
            print(f"Agent {each.name}: {', '.join(each.capabilities)}")

        for tool, tool_input in [
            ("Read", {"file_path": "src/components/Widget00/index.tsx"}),
            ("Edit", {"file_path": "package.json", "old_string": "true", "new_string": "false"}),
            ("Bash", {"command": "rm -rf node_modules"}),
        ]:
            decision = agent.assess(tool, tool_input)
            verdict = "approve" if decision.approve else "ask"
            print(f"Auto-accept {verdict}: {decision.reason}")

        for command in COMMANDS:
            result = await agent.execute_command(command)
            lines = result.output.count("\n")
            print(f"$ {command} -> exit {result.exit_code}, {lines} lines")

        task = await adapter.submit_task("Create the login component", ["frontend", "react"])
        holder = adapter.agent_for(task.task.id)
        print(f"Task '{task.task.description}' -> {holder.name if holder else 'nobody'}")

        stats = await agent.get_performance_stats()
        print(f"Token savings: {stats.token_savings_percentage:.1f}%")
        print(f"Context compression ratio: {stats.compression_ratio:.2f}")
        print(f"Commands executed: {stats.commands_executed}")
        print(f"Commands recorded in the context: {stats.commands_recorded}")
        print(f"Output tokens raw: {stats.raw_output_tokens}")
        print(f"Output tokens compressed: {stats.compressed_output_tokens}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="ccswarm-example-") as workspace:
        asyncio.run(main(Path(workspace)))
