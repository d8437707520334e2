#!/usr/bin/env bash
# The fastcron_group story against the local FastCron API simulator.
set -eux

source ../setup_simulator/simulator.sh
# Against FastCron (FASTCRON_LIVE_TOKEN: tests/live/README.md) only the live story runs.
if against_fastcron; then
    live_story live.yml "$@"
    exit 0
fi
start_simulator

inventory=${INVENTORY_PATH:-localhost,}
ansible-playbook -i "$inventory" story.yml "$@"

# A wrong token fails clearly, and no output at any verbosity shows it.
output=$(mktemp)
ansible-playbook -i "$inventory" bad_token.yml -vvv "$@" >"$output" 2>&1 || { cat "$output"; exit 1; }
if grep -q 'WRONGwrongWRONGwrongWRONGwrong00' "$output"; then
    echo "the token leaked into the output" >&2
    exit 1
fi
rm -f "$output"
