#!/usr/bin/env bash
# The fastcron_cron story against each way the service may answer where its reference is
# silent: cronjob objects with every field (echo), without delay, username, userAgent and
# keyword (no_echo), with exactly the fields of the vendor's examples (examples); a keyword
# search that ignores names; a group look-up that ignores case.
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

# These ways concern the service and the module code, not Ansible: the oldest supported
# ansible-core runs the story once, in the field mode farthest from the default, and the
# error story once; the newest runs every way.
if python -c 'import sys, ansible.release as r; sys.exit(tuple(map(int, r.__version__.split(".")[:2])) >= (2, 17))'; then
    ways=("field_mode=examples")
    error_statuses=(true)
else
    ways=("field_mode=echo" "field_mode=no_echo" "field_mode=examples"
          "keyword_ignores_names=true" "group_lookup_ignores_case=true")
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

# The live story, against the simulator.
live_story live.yml "$@"
