#!/usr/bin/env bash
# The "Quick Start" curl sequence of the ai-session API reference, as written, against a
# running server. Usage: reference_curl.sh BASE_URL PROJECT_DIR
#   BASE_URL     e.g. http://localhost:3000 (the reference's; tests pass a free port)
#   PROJECT_DIR  an existing directory, standing in for the reference's /path/to/project
# Each response is printed and checked; the script exits non-zero at the first surprise.
set -euo pipefail
BASE=${1:-http://localhost:3000}
PROJECT=${2:-$PWD}

check() {  # check LABEL JSON PYTHON-EXPRESSION-ON-r
    python3 -c 'import json, sys
r = json.loads(sys.argv[2])
ok = eval(sys.argv[3])
print(("ok   " if ok else "FAIL ") + sys.argv[1] + ": " + json.dumps(r)[:300])
sys.exit(0 if ok else 1)' "$1" "$2" "$3"
}

# Create a new session
created=$(curl -sS -X POST "$BASE/sessions" \
     -H 'Content-Type: application/json' \
     -d '{
       "name": "dev-session",
       "enable_ai_features": true,
       "working_directory": "'"$PROJECT"'"
     }')
check create "$created" 'r["name"] == "dev-session" and r["status"] == "Running" and len(r["id"]) == 36'

# Execute a command (the reference runs "cargo build"; it may not be installed here, so the
# command's own outcome is not checked, only that the response has the reference's fields)
executed=$(curl -sS -X POST "$BASE/sessions/dev-session/execute" \
     -H 'Content-Type: application/json' \
     -d '{"command": "cargo build"}')
check execute "$executed" 'set(r) >= {"success", "output", "error", "execution_time_ms"} and isinstance(r["exit_code"], int)'

executed=$(curl -sS -X POST "$BASE/sessions/dev-session/execute" \
     -H 'Content-Type: application/json' \
     -d '{"command": "echo line-one; echo line-two"}')
check execute-echo "$executed" 'r["success"] is True and r["output"] == "line-one\nline-two\n"'

# Get session output
output=$(curl -sS "$BASE/sessions/dev-session/output")
check output "$output" 'r["session_name"] == "dev-session" and "line-one\nline-two\n" in r["output"] and r["size_bytes"] > 0'

# List all sessions
listed=$(curl -sS "$BASE/sessions")
check list "$listed" 'r["total"] >= 1 and any(s["name"] == "dev-session" and s["status"] == "Running" for s in r["sessions"])'

# Delete session
deleted=$(curl -sS -X DELETE "$BASE/sessions/dev-session")
check delete "$deleted" '"deleted" in r["message"]'

missing=$(curl -sS "$BASE/sessions/dev-session")
check gone "$missing" 'r["code"] == "SESSION_NOT_FOUND"'
