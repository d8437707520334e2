#!/usr/bin/env bash
# The fastcron_cron story, once against a service that echoes delay, username,
# userAgent and keyword back in cronjob objects, and once against one that does not.
set -eux

source ../setup_simulator/simulator.sh
start_simulator

for echo_write_only in true false; do
    ansible-playbook -i "${INVENTORY_PATH:-localhost,}" story.yml -e "echo_write_only=$echo_write_only" "$@"
done
