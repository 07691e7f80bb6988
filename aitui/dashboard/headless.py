"""Headless scenarios: run the dashboard without a terminal and save SVG screenshots.

``aitui --headless --scenario FILE.toml --screenshot OUT.svg`` opens the sessions a scenario lists
(live commands, or asciicast recordings replayed for determinism), performs its steps (keys,
typed text, waits for screen text, screenshots) and writes a final screenshot. The same scenario
objects feed the snapshot tests, and ``screenshots/`` is regenerated from ``screenshots/*.toml``
with ``make screenshots``.

Scenario format::

    size = [120, 36]            # columns, rows
    theme = "aitui-dark"
    panels = true
    [[session]]                 # replayed: cast = path (relative to the scenario file)
    name = "vim"
    cast = "../tests/fixtures/casts/vim.cast"
    role = "frontend"
    exit_code = 0               # optional: the recorded program exited with this code
    ai = true                   # optional: its recorded commands feed an AI context
    [[session]]                 # live: command (default: your shell), cwd
    name = "shell"
    command = "bash"
    [[step]]
    press = ["ctrl+right_square_bracket", "g"]   # or: type = "echo hi\\n", wait_text = "hi",
                                                 # show = 2, screenshot = "x.svg", theme = "...",
                                                 # task = {description = "...", needs = ["qa"],
                                                 #         priority = "High"}, broadcast = "..."
    [[step]]                    # what agents do (their tools): by session name, tasks by
    task = { description = "...", needs = ["backend"], from = "qa" }   # description
    claim = "..."               # or: done = {task = "...", summary = "..."},
                                # fail = {task = "...", error = "..."},
                                # send = {from = "qa", to = "backend", text = "..."}
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from aitui.core import asciicast
from aitui.core.agents import AgentId, Message, MessageType, Task, TaskInfo, TaskPriority
from aitui.core.config import SessionConfig
from aitui.core.coordination import Coordination
from aitui.core.replay import ReplaySession
from aitui.core.settings import Settings
from aitui.dashboard.app import AituiApp

STEP_KEYS = {
    "press",
    "type",
    "wait_text",
    "show",
    "screenshot",
    "theme",
    "timeout",
    "task",
    "broadcast",
    "claim",
    "done",
    "fail",
    "send",
}


#: A scenario's top-level keys, and a ``[[session]]``'s (a misspelt one, ``[[sessions]]``, was
#: ignored and the screenshot taken without it).
SCENARIO_KEYS = {"size", "theme", "panels", "session", "step"}
SESSION_KEYS = {"name", "cast", "role", "ai", "exit_code", "cwd", "command"}


class ScenarioError(ValueError):
    """A scenario file is invalid; the message names the file and the key or step."""


@dataclass
class Replay:
    source: ReplaySession
    chunks: list[bytes]
    exit_code: int | None


@dataclass
class Scenario:
    path: Path
    size: tuple[int, int] = (120, 36)
    theme: str | None = None
    panels: bool = True
    sessions: list[SessionConfig | Replay] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)


def load_cast(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, output chunks) of an asciicast v2 file; ``ScenarioError`` on bad input."""
    try:
        cast = asciicast.load(path)
    except (OSError, asciicast.AsciicastError) as exc:
        raise ScenarioError(str(exc)) from None
    return cast.width, cast.height, [text.encode("utf-8") for text in cast.output()]


def load_scenario(path: Path) -> Scenario:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(f"{path}: {exc}") from None
    unknown = set(data) - SCENARIO_KEYS
    if unknown:
        raise ScenarioError(
            f"{path}: unknown keys {sorted(unknown)} (known: {', '.join(sorted(SCENARIO_KEYS))})"
        )
    scenario = Scenario(path=path)
    size = data.get("size", [120, 36])
    if not (isinstance(size, list) and len(size) == 2 and all(isinstance(v, int) for v in size)):
        raise ScenarioError(f"{path}: 'size' must be [columns, rows], got {size!r}")
    scenario.size = (size[0], size[1])
    scenario.theme = _theme(data.get("theme"), f"{path}: ")
    scenario.panels = bool(data.get("panels", True))
    for index, spec in enumerate(data.get("session", []), start=1):
        if not isinstance(spec, dict):
            raise ScenarioError(f"{path}: session {index} must be a [[session]] table")
        unknown = set(spec) - SESSION_KEYS
        if unknown:
            raise ScenarioError(f"{path}: session {index}: unknown keys {sorted(unknown)}")
        scenario.sessions.append(_session(path, index, spec))
    for index, step in enumerate(data.get("step", []), start=1):
        unknown = set(step) - STEP_KEYS
        if unknown:
            raise ScenarioError(f"{path}: step {index}: unknown keys {sorted(unknown)}")
        _theme(step.get("theme"), f"{path}: step {index}: ")
        scenario.steps.append(step)
    return scenario


def _theme(name: Any, where: str) -> str | None:
    """``name`` if it is a theme's (or None); ``ScenarioError`` saying which there are."""
    from aitui.dashboard.theming import theme_names

    if name is None:
        return None
    names = theme_names()
    if isinstance(name, str) and name in names:
        return name
    raise ScenarioError(f"{where}'theme' must be one of {', '.join(names)}, got {name!r}")


def _session(path: Path, index: int, spec: dict[str, Any]) -> SessionConfig | Replay:
    name = spec.get("name", f"session-{index}")
    if "cast" in spec:
        width, height, chunks = load_cast((path.parent / spec["cast"]).resolve())
        source = ReplaySession(
            name, height, width, role=spec.get("role"), ai_features=bool(spec.get("ai", False))
        )
        return Replay(source, chunks, spec.get("exit_code"))
    cwd = Path(spec.get("cwd", ".")).expanduser()
    return SessionConfig(
        name=name,
        shell_command=spec.get("command"),
        working_directory=(path.parent / cwd).resolve(),
        agent_role=spec.get("role"),
    )


def build_app(scenario: Scenario, settings: Settings | None = None) -> AituiApp:
    settings = settings or Settings()
    if scenario.theme:
        settings.theme = scenario.theme
    settings.show_panels = scenario.panels
    items = [s.source if isinstance(s, Replay) else s for s in scenario.sessions]
    # Frozen clocks: snapshots must not depend on when they are taken.
    coordination = Coordination(time_format=lambda _: "--:--:--")
    return AituiApp(settings=settings, sessions=items, clock=lambda: 0.0, coordination=coordination)


async def play(pilot: Pilot[Any], scenario: Scenario) -> None:
    """Feed the recordings, then perform the steps."""
    app = pilot.app
    assert isinstance(app, AituiApp)
    for item in scenario.sessions:
        if isinstance(item, Replay):
            item.source.feed_all(item.chunks)
            if item.exit_code is not None:
                item.source.finish(item.exit_code)
    await pilot.pause()
    for step in scenario.steps:
        await _step(pilot, app, scenario, step)
    await pilot.pause()


async def _step(pilot: Pilot[Any], app: AituiApp, scenario: Scenario, step: dict[str, Any]) -> None:
    if "press" in step:
        await pilot.press(*step["press"])
    if "type" in step:
        keys = ["enter" if ch == "\n" else ch for ch in step["type"]]
        await pilot.press(*keys)
    if "show" in step:
        app.action_goto(int(step["show"]))
    if "theme" in step:
        app.theme = step["theme"]
    if "task" in step and "from" not in step["task"]:
        spec = step["task"]
        await app.host.submit_task(
            spec["description"], list(spec.get("needs", [])), spec.get("priority", "Medium")
        )
    if {"task", "claim", "done", "fail", "send"} & step.keys():
        await _agent_step(app, step)
    if "broadcast" in step:
        await app.host.broadcast(step["broadcast"], "Normal")
    if "wait_text" in step:
        await _wait_text(pilot, app, step["wait_text"], float(step.get("timeout", 10)))
    if "screenshot" in step:
        await pilot.pause()
        app.save_screenshot(str(scenario.path.parent / step["screenshot"]))


async def _agent_step(app: AituiApp, step: dict[str, Any]) -> None:
    """What an agent does through its tools, straight on the dashboard's coordination."""
    assert app.local_host is not None
    coordination = app.local_host.coordination
    distributor = coordination.distributor

    def task(description: str) -> TaskInfo:
        found = [i for i in distributor.list_tasks() if i.task.description == description]
        if not found:
            raise ScenarioError(f"no task {description!r}")
        return found[0]

    def agent(name: str) -> AgentId:
        found = coordination.agent_named(name)
        if found is None:
            raise ScenarioError(f"no agent {name!r}")
        return found

    if "from" in step.get("task", {}):
        spec = step["task"]
        agent(spec["from"])
        submitted = Task(
            spec["description"],
            list(spec.get("needs", [])),
            TaskPriority(spec.get("priority", "Medium")),
            metadata={"submitted_by": spec["from"]},
        )
        await distributor.submit_task(submitted)
        await distributor.distribute_tasks()
    if "claim" in step:
        await distributor.start_task(task(step["claim"]).task.id)
    if "done" in step:
        info = task(step["done"]["task"])
        await distributor.complete_task(info.task.id, {"summary": step["done"]["summary"]})
    if "fail" in step:
        await distributor.fail_task(task(step["fail"]["task"]).task.id, step["fail"]["error"])
    if "send" in step:
        spec = step["send"]
        sender = agent(spec["from"])
        message = Message(sender, MessageType.DATA_SHARE, {"text": spec["text"]})
        await coordination.coordinator.send_message(sender, agent(spec["to"]), message)


async def _wait_text(pilot: Pilot[Any], app: AituiApp, text: str, timeout: float) -> None:
    view = app.view(app.current)
    for _ in range(int(timeout / 0.05)):
        if view is not None and text in view.source.screen.text():  # type: ignore[attr-defined]
            return
        await pilot.pause(0.05)
    raise ScenarioError(f"timed out after {timeout:g}s waiting for {text!r} on the screen")


def run_scenario(path: Path, screenshot: Path | None, settings: Settings | None = None) -> int:
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        print(f"aitui: {exc}", file=sys.stderr)
        return 2
    app = build_app(scenario, settings)
    failure: list[BaseException] = []

    async def pilot_script(pilot: Pilot[object]) -> None:
        try:
            await play(pilot, scenario)
            if screenshot is not None:
                app.save_screenshot(str(screenshot))
        except Exception as exc:  # reported below, after the app has shut down cleanly
            failure.append(exc)
        await app.action_quit()

    app.run(headless=True, size=scenario.size, auto_pilot=pilot_script)
    if failure:
        print(f"aitui: scenario {path} failed: {failure[0]}", file=sys.stderr)
        return 1
    return 0
