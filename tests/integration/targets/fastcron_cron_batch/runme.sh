#!/usr/bin/env bash
# fastcron_cron_batch: the requests of a create, a no-op, a change and a scoped purge of 30 cronjobs.
set -eux

source ../setup_simulator/simulator.sh
start_simulator

ansible-playbook -i "${INVENTORY_PATH:-localhost,}" story.yml "$@"

# Passwords and the token show in no output, even at -vvv with --diff.
output=$(mktemp)
ansible-playbook -i "${INVENTORY_PATH:-localhost,}" no_leak.yml -vvv --diff "$@" >"$output" 2>&1 || { cat "$output"; exit 1; }
if grep -E "LEAKCHECK-pass|$FASTCRON_API_TOKEN" "$output"; then
    echo "a secret leaked into the output" >&2
    exit 1
fi
rm -f "$output"
