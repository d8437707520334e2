#!/usr/bin/env bash
# fastcron_cron_info and fastcron_group_info over an account with more than one page of cronjobs.
set -eux

source ../setup_simulator/simulator.sh
start_simulator

ansible-playbook -i "${INVENTORY_PATH:-localhost,}" story.yml "$@"
