"""Agent commands: ``aitui profiles``, ``answer``, ``auto-accept`` and ``decisions``.

Each is one request to the server's HTTP API over its socket, as the scripting commands are
(same exit statuses, same ``--json``); an agent is a session started with ``aitui new NAME
--agent PROFILE``.
"""

from __future__ import annotations

import argparse
import functools
import time
from typing import Any

from aitui.cli.script_output import OK, emit
from aitui.cli.scripting import add_command, client_for, session_path


def register(subparsers: Any) -> None:
    add = functools.partial(add_command, subparsers)

    add(
        "profiles",
        run_profiles,
        "list the agent profiles `aitui new --agent` takes",
        "The shipped profiles and yours (in the config dir's profiles/), with how each "
        "reports its state: its hooks (claude, codex, aider) or only its screen (none).",
    )
    answer = add(
        "answer",
        run_answer,
        "approve, deny or interrupt an agent with its own keys",
        "Press the keys the agent's profile gives for ACTION (e.g. Enter to approve Claude "
        "Code's permission prompt, Esc to deny or interrupt it).",
    )
    answer.add_argument("name", metavar="NAME")
    answer.add_argument("action", choices=("approve", "deny", "interrupt"))
    policy = add(
        "auto-accept",
        run_auto_accept,
        "show or set an agent's auto-accept policy",
        "With no option, print the policy. A permission request the agent's hook reports is "
        "approved when its risk (0 reading ... 10 destructive; docs/auto-accept.md) is at most "
        "the threshold and it touches no protected pattern; otherwise it is left to you.",
    )
    policy.add_argument("name", metavar="NAME")
    switch = policy.add_mutually_exclusive_group()
    switch.add_argument("--on", dest="enabled", action="store_const", const=True)
    switch.add_argument("--off", dest="enabled", action="store_const", const=False)
    policy.add_argument("--threshold", type=int, metavar="N", help="highest risk approved (0-10)")
    policy.add_argument(
        "--protect", action="append", metavar="GLOB", help="a protected pattern (repeatable)"
    )
    policy.add_argument("--clear-protected", action="store_true", help="forget the patterns")
    decisions = add(
        "decisions",
        run_decisions,
        "what the auto-accept policy decided for an agent, and why",
        "Every permission request the policy saw (the last 200), oldest first.",
    )
    decisions.add_argument("name", metavar="NAME")
    hook = subparsers.add_parser(
        "hook",
        help="report an agent's hook event to the server (what its wired hooks run)",
        description="Read the payload (stdin for Claude Code's events, the last argument for "
        "Codex's notify) and report EVENT for the session in AITUI_SESSION. Sessions started "
        "with --agent run the same code as `python -m aitui.client.hook`, which starts "
        "faster. Prints an approval in Claude Code's form when the policy gives one; exits 0 "
        "whatever happens, so an agent is never stopped by it.",
    )
    hook.add_argument("event", metavar="EVENT")
    hook.add_argument("payload", nargs="?", metavar="JSON")
    hook.set_defaults(func=run_hook)


def run_hook(args: argparse.Namespace) -> int:
    from aitui.client.hook import main

    return main([args.event, *([args.payload] if args.payload is not None else [])])


def run_profiles(args: argparse.Namespace) -> int:
    reply = client_for(args, start=True).request("GET", "/profiles")
    if args.json:
        emit(reply)
        return OK
    rows = reply["profiles"]
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        command = " ".join(row["command"]) or "(your shell)"
        source = (
            f"its hooks ({row['hooks']})"
            if row["hooks"] != "none"
            else "shell integration"
            if not row["command"]
            else "its screen"
        )
        print(f"{row['name'].ljust(width)}  {row['title']}: {command}; state from {source}")
    return OK


def run_answer(args: argparse.Namespace) -> int:
    path = session_path(args.name, "/answer")
    reply = client_for(args).request("POST", path, {"action": args.action})
    if args.json:
        emit(reply)
    return OK


def run_auto_accept(args: argparse.Namespace) -> int:
    client = client_for(args)
    path = session_path(args.name, "/auto-accept")
    policy = client.request("GET", path)
    changed = args.enabled is not None or args.threshold is not None
    if args.enabled is not None:
        policy["enabled"] = args.enabled
    if args.threshold is not None:
        policy["risk_threshold"] = args.threshold
    if args.clear_protected:
        policy["protected_patterns"], changed = [], True
    if args.protect:
        policy["protected_patterns"] = [*policy["protected_patterns"], *args.protect]
        changed = True
    if changed:
        policy = client.request("POST", path, policy)
    if args.json:
        emit(policy)
    else:
        state = "on" if policy["enabled"] else "off"
        protected = ", ".join(policy["protected_patterns"]) or "none"
        print(f"auto-accept {state}: risk up to {policy['risk_threshold']}; protected: {protected}")
    return OK


def run_decisions(args: argparse.Namespace) -> int:
    reply = client_for(args).request("GET", session_path(args.name, "/decisions"))
    if args.json:
        emit(reply)
        return OK
    for row in reply["decisions"]:
        when = time.strftime("%H:%M:%S", time.localtime(row["at"]))
        verdict = "approved" if row["approved"] else "left to you"
        print(f"{when}  {verdict:<11}  risk {row['risk']:>2}  {row['subject']}  ({row['reason']})")
    return OK
