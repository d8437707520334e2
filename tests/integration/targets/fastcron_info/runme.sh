#!/usr/bin/env bash
# fastcron_cron_info and fastcron_group_info over an account with more than one page of cronjobs.
set -eux

source ../setup_simulator/simulator.sh
# Against FastCron (FASTCRON_LIVE_TOKEN: tests/live/README.md) only the live story runs.
if against_fastcron; then
    live_story live.yml "$@"
    exit 0
fi
start_simulator

ansible-playbook -i "${INVENTORY_PATH:-localhost,}" story.yml "$@"
