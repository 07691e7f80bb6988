#!/usr/bin/env python3
"""A stand-in for the Codex CLI: its screen and its ``notify`` program, as Codex runs them.

``-c notify=[...]`` (a TOML array, as Codex takes it) names the program; at the end of each
turn it is run with one more argument, the JSON Codex gives it (``{"type":
"agent-turn-complete", "thread-id", "turn-id", "cwd", "input-messages",
"last-assistant-message"}``). A prompt draws Codex's working line ("esc to interrupt") until
the next line is typed, then the turn completes.
"""

from __future__ import annotations

import json
import subprocess
import sys


def main() -> int:
    args = sys.argv[1:]
    notify: list[str] = []
    while "-c" in args:
        at = args.index("-c")
        key, _, value = args[at + 1].partition("=")
        if key == "notify":
            notify = json.loads(value)
        del args[at : at + 2]
    sys.stdout.write("\x1b[2J\x1b[H› Ask Codex to do anything\r\n\r\n  100% context left\r\n")
    sys.stdout.flush()
    for turn, line in enumerate(sys.stdin, 1):
        prompt = line.strip()
        sys.stdout.write("\x1b[2J\x1b[H• Working (0s • esc to interrupt)\r\n")
        sys.stdout.flush()
        sys.stdin.readline()  # the turn ends when the next line comes
        if notify:
            payload = {
                "type": "agent-turn-complete",
                "thread-id": "t-1",
                "turn-id": str(turn),
                "cwd": ".",
                "input-messages": [prompt],
                "last-assistant-message": f"did {prompt}",
            }
            subprocess.run([*notify, json.dumps(payload)], timeout=30)
        sys.stdout.write(
            f"\x1b[2J\x1b[H• did {prompt}\r\n› Ask Codex to do anything\r\n"
            "\r\n  99% context left\r\n"
        )
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
