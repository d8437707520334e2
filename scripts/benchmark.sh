#!/usr/bin/env bash
# Benchmark the collection against the local FastCron API simulator at its real rate limit
# (one request a second): requests, refused requests, wall time and its ratio to the floor,
# for looped fastcron_cron, fastcron_cron_batch and plain ansible.builtin.uri tasks. Not part
# of the test suite; the whole set takes about 40 minutes. See docs/benchmark.md.
#
#   scripts/benchmark.sh                  every workload at full size; writes docs/benchmark.md
#   scripts/benchmark.sh cron-20 batch    a subset; writes build/benchmark/benchmark.md
#   scripts/benchmark.sh --quick          every workload at small sizes, to try it
#   scripts/benchmark.sh --list           the workloads
#   scripts/benchmark.sh --masking        module CPU of a no-op batch of 2000 and 10000 entries with
#                                         secrets (a minute); masking must stay linear
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/test.sh" -s build >/dev/null
exec "$root/build/venvs/dev/bin/python" "$root/scripts/benchmark.py" "$@"
