#!/usr/bin/env bash
# The fastcron_account and fastcron_account_info story against the local FastCron API
# simulator. Account objects do not change with the simulator's field modes: one run.
set -eux

source ../setup_simulator/simulator.sh
start_simulator

ansible-playbook -i "${INVENTORY_PATH:-localhost,}" story.yml "$@"
