#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs nox and antsibull-nox (pinned by
# requirements/nox*.txt) into build/venvs/nox and runs every session of noxfile.py, three at a
# time. Arguments go to nox: `scripts/test.sh -s units-2.21`, `scripts/test.sh --list`.
# Ends with the line "N passed, M failed" (sessions); the exit status is non-zero on a failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/build/venvs/nox"
report="$root/build/nox-report.json"

# Any Python 3.9+ runs nox (a pyenv shim may name a version it cannot run: try each);
# noxfile.py finds the interpreters of the sessions itself.
for python in python3.12 python3.13 python3.11 python3; do
    if "$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then break; fi
done
stamp="$(cat "$root"/requirements/nox.txt "$root"/requirements/nox.lock.txt | sha256sum | cut -d ' ' -f 1)"
if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q -r "$root/requirements/nox.txt" -c "$root/requirements/nox.lock.txt"
    printf '%s\n' "$stamp" >"$venv/.requirements.sha256"
fi

cd "$root"
rc=0
rm -f "$report"
"$venv/bin/nox" --report "$report" "$@" || rc=$?
if [ -f "$report" ] && [ "$*" != --list ] && [ "$*" != -l ]; then
    "$venv/bin/python" - "$report" <<'EOF'
import json, sys
sessions = json.load(open(sys.argv[1]))["sessions"]
print(f"\n{'session':<22} {'result':<8} {'seconds':>8}")
for s in sessions:
    print(f"{s['name']:<22} {s['result']:<8} {s.get('duration') or 0:>8.0f}")
passed = sum(s["result"] == "success" for s in sessions)
skipped = sum(s["result"] == "skipped" for s in sessions)
print(f"\n{passed} passed, {len(sessions) - passed - skipped} failed")
EOF
fi
exit "$rc"
