#!/usr/bin/env bash
# The fastcron_cron story, once against a service that echoes delay, username,
# userAgent and keyword back in cronjob objects, and once against one that does not.
set -eux

source ../setup_simulator/simulator.sh
start_simulator

for echo_write_only in true false; do
    ansible-playbook -i "${INVENTORY_PATH:-localhost,}" story.yml -e "echo_write_only=$echo_write_only" "$@"
done

# Check mode on an empty account, and API errors with 200 and with 4xx statuses.
ansible-playbook -i "${INVENTORY_PATH:-localhost,}" check_fresh.yml "$@"
for error_status in false true; do
    ansible-playbook -i "${INVENTORY_PATH:-localhost,}" errors.yml -e "error_status=$error_status" "$@"
done

# Eight hosts that delegate the same cronjob to the controller at once create it once.
ansible-playbook -i concurrent.ini -f 8 concurrent.yml "$@"

# Passwords and the token show in no output, even at -vvv with --diff.
output=$(mktemp)
ansible-playbook -i "${INVENTORY_PATH:-localhost,}" no_leak.yml -vvv --diff "$@" >"$output" 2>&1 || { cat "$output"; exit 1; }
if grep -E "LEAKCHECK-pass|$FASTCRON_API_TOKEN" "$output"; then
    echo "a secret leaked into the output" >&2
    exit 1
fi
rm -f "$output"
