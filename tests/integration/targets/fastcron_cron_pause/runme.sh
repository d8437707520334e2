#!/usr/bin/env bash
# The fastcron_cron_pause story against each way the service may answer with cronjob
# objects: every field (echo), the object table only (no_echo), exactly the fields of the
# vendor's examples (examples).
set -eux

source ../setup_simulator/simulator.sh
start_simulator

# The field modes concern the service and the module code, not Ansible: the oldest supported
# ansible-core runs the story once, in the mode farthest from the default.
if python -c 'import sys, ansible.release as r; sys.exit(tuple(map(int, r.__version__.split(".")[:2])) >= (2, 17))'; then
    modes=(examples)
else
    modes=(echo no_echo examples)
fi
for mode in "${modes[@]}"; do
    ansible-playbook -i "${INVENTORY_PATH:-localhost,}" story.yml -e "field_mode=$mode" "$@"
done
