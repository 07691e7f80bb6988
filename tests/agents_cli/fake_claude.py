#!/usr/bin/env python3
"""A stand-in for Claude Code: its screen (input box, working line, permission dialog) and its
hooks, run as Claude Code runs them.

It reads ``--settings FILE`` for its ``hooks`` block and runs each matching command hook through
``sh -c`` with the event's JSON on stdin, with Claude Code's payload shapes (SessionStart,
UserPromptSubmit, PreToolUse, PermissionRequest, Notification, PostToolUse, Stop). A hook that
prints ``hookSpecificOutput.decision.behavior == "allow"`` for a PermissionRequest approves the
call, as in Claude Code; otherwise it draws its permission dialog and waits for 1 (yes) or 2
(no). Prompts: ``run CMD`` asks to run CMD with Bash, ``read PATH`` asks to Read PATH, anything
else is answered at once. Every hook's output is logged to ``$FAKE_AGENT_LOG`` when set. With
``--mcp-config`` (aitui's MCP wiring) it is also an MCP client: see ``fake_mcp_agent.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import termios
import tty
import uuid

SESSION = str(uuid.uuid4())


def hooks_for(settings: dict, event: str, tool: str | None = None) -> list[str]:
    commands = []
    for entry in settings.get("hooks", {}).get(event, []):
        matcher = entry.get("matcher", "")
        if tool is not None and matcher not in ("", "*", tool):
            continue
        commands += [h["command"] for h in entry.get("hooks", []) if h.get("type") == "command"]
    return commands


def run_hooks(settings: dict, event: str, extra: dict, tool: str | None = None) -> list[dict]:
    payload = {
        "session_id": SESSION,
        "transcript_path": "/tmp/t.jsonl",
        "cwd": os.getcwd(),
        "hook_event_name": event,
        **extra,
    }
    outputs = []
    for command in hooks_for(settings, event, tool):
        done = subprocess.run(
            ["sh", "-c", command],
            input=json.dumps(payload),
            text=True,
            capture_output=True,
            timeout=30,
        )
        log = os.environ.get("FAKE_AGENT_LOG")
        if log:
            with open(log, "a") as f:
                f.write(
                    json.dumps({"event": event, "rc": done.returncode, "stdout": done.stdout})
                    + "\n"
                )
        if done.stdout.strip():
            with contextlib.suppress(ValueError):
                outputs.append(json.loads(done.stdout))
    return outputs


def one_key() -> str:
    """One key, as Claude Code's dialogs take it (no Enter needed)."""
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        return os.read(fd, 1).decode("utf-8", "replace")
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def box(text: str = "") -> None:
    sys.stdout.write("\x1b[2J\x1b[H")
    sys.stdout.write("─" * 50 + "\r\n")  # its input box, as Claude Code 2.1 draws it
    sys.stdout.write("❯\u00a0" + text + "\r\n")
    sys.stdout.write("─" * 50 + "\r\n")
    sys.stdout.write("  ? for shortcuts\r\n")
    sys.stdout.flush()


def main() -> int:
    args = sys.argv[1:]
    settings: dict = {}
    if "--settings" in args:
        with open(args[args.index("--settings") + 1]) as f:
            settings = json.load(f)
    run_hooks(settings, "SessionStart", {"source": "resume" if "--continue" in args else "startup"})
    if "--continue" in args:
        print("(resumed the last conversation)\r")
    box()
    for line in sys.stdin:
        prompt = line.strip()
        if prompt == "/exit":
            run_hooks(settings, "SessionEnd", {"reason": "prompt_input_exit"})
            return 0
        run_hooks(settings, "UserPromptSubmit", {"prompt": prompt})
        sys.stdout.write("✻ Working… (esc to interrupt)\r\n")
        sys.stdout.flush()
        word, _, rest = prompt.partition(" ")
        result = "done: " + prompt
        active = "--mcp-config" in args and not os.environ.get("FAKE_MCP_PASSIVE")
        if active and word in ("aitui:", "say", "submit"):
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            from fake_mcp_agent import turn

            result = turn(args[args.index("--mcp-config") + 1], prompt)
        elif word in ("run", "read"):
            tool, tool_input = (
                ("Bash", {"command": rest, "description": "a command"})
                if word == "run"
                else ("Read", {"file_path": rest})
            )
            use = {"tool_name": tool, "tool_input": tool_input, "tool_use_id": "toolu_01"}
            run_hooks(settings, "PreToolUse", use, tool)
            outputs = run_hooks(
                settings, "PermissionRequest", {**use, "permission_suggestions": []}, tool
            )
            allowed = any(
                o.get("hookSpecificOutput", {}).get("decision", {}).get("behavior") == "allow"
                for o in outputs
            )
            if not allowed:
                run_hooks(
                    settings,
                    "Notification",
                    {
                        "message": f"Claude needs your permission to use {tool}",
                        "notification_type": "permission_prompt",
                    },
                )
                sys.stdout.write(
                    f"{tool}({rest})\r\nDo you want to proceed?\r\n"
                    "❯ 1. Yes\r\n  2. No, and tell Claude what to do differently\r\n"
                    " Esc to cancel · Tab to amend\r\n"
                )
                sys.stdout.flush()
                allowed = one_key() in ("\r", "\n", "1")  # Esc or 2 says no
            result = ("ran: " if allowed else "refused: ") + rest
            if allowed:
                run_hooks(settings, "PostToolUse", {**use, "tool_response": {}}, tool)
        run_hooks(settings, "Stop", {"stop_hook_active": False})
        box()
        sys.stdout.write("● " + result + "\r\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
