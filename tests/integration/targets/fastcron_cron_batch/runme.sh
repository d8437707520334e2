#!/usr/bin/env bash
# fastcron_cron_batch: the requests of a create, a no-op, a change and a scoped purge of 30 cronjobs.
set -eux

source ../setup_simulator/simulator.sh
# Against FastCron (FASTCRON_LIVE_TOKEN: tests/live/README.md) only the live story runs.
if against_fastcron; then
    live_story live.yml "$@"
    exit 0
fi
start_simulator

ansible-playbook -i "${INVENTORY_PATH:-localhost,}" story.yml "$@"

# Passwords and the token show in no output, even at -vvv with --diff.
check_no_leak no_leak.yml "$@"
