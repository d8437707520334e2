#!/usr/bin/env bash
# fastcron_cron_run: a run of a manual cronjob with a payload (the live story), against FastCron
# when FASTCRON_LIVE_TOKEN is set, else against the local FastCron API simulator.
set -eux

source ../setup_simulator/simulator.sh
if ! against_fastcron; then
    start_simulator
fi
live_story live.yml "$@"
