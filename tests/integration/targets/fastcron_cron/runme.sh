#!/usr/bin/env bash
# The fastcron_cron story against the simulator: cronjob objects with exactly the fields of
# the vendor's examples (examples) and with every field (echo).
set -eux

source ../setup_simulator/simulator.sh
# Against FastCron (FASTCRON_LIVE_TOKEN: tests/live/README.md) only the live story runs.
if against_fastcron; then
    live_story live.yml "$@"
    exit 0
fi
start_simulator

story() {
    ansible-playbook -i "${INVENTORY_PATH:-localhost,}" story.yml "$@"
}

# The story runs in the default field mode (the vendor's example objects) and in the one
# farthest from it (every field echoed); the oldest supported ansible-core runs it once.
# The other readings (no_echo, a keyword search that ignores names, a group look-up that
# ignores case) are cells of tests/simulator/matrix.py, which runs the module tests over
# real HTTP under each, in seconds rather than a story of minutes each.
if python -c 'import sys, ansible.release as r; sys.exit(tuple(map(int, r.__version__.split(".")[:2])) >= (2, 17))'; then
    ways=("field_mode=examples")
    error_statuses=(true)
else
    ways=("field_mode=examples" "field_mode=echo")
    error_statuses=(false true)
fi
for way in "${ways[@]}"; do
    story -e "$way" "$@"
done

# Check mode on an empty account, and API errors with 200 and with 4xx statuses.
ansible-playbook -i "${INVENTORY_PATH:-localhost,}" check_fresh.yml "$@"
for error_status in "${error_statuses[@]}"; do
    ansible-playbook -i "${INVENTORY_PATH:-localhost,}" errors.yml -e "error_status=$error_status" "$@"
done

# Twenty forks that delegate the same cronjob to the controller at once create it once,
# without a failed task or a refused request at the real rate limit.
ansible-playbook -i concurrent.ini -f 20 concurrent.yml "$@"

# Passwords and the token show in no output, even at -vvv with --diff.
check_no_leak no_leak.yml "$@"
