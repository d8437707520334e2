#!/usr/bin/env bash
# The credentials a cronjob carries show in no output of a playbook run at -vvv with --diff and
# the invocation injected: not in results, diffs, the invocation, errors (Ansible's own and the
# service's echo of a URL) or debug output; the rest of each cronjob does show, a second run
# changes nothing and a rotated credential is a change (secrets.yml asserts these).
set -eu

source ../setup_simulator/simulator.sh
# Every field comes back: the stories read the headers and the post data the service holds.
start_simulator --fields echo

# ansible-core 2.21 returns the invocation only when asked; older versions always do.
export ANSIBLE_INJECT_INVOCATION=1
output=$(mktemp)
trap 'rm -f "$output"; stop_simulator' EXIT

if ! ansible-playbook -i "${INVENTORY_PATH:-localhost,}" secrets.yml -vvv --diff "$@" >"$output" 2>&1; then
    cat "$output"
    echo "the playbook failed" >&2
    exit 1
fi

status=0
if grep -n -E "SECRET-|$FASTCRON_API_TOKEN" "$output"; then
    echo "a credential shows in the output (lines above)" >&2
    status=1
fi
# The rest of each cronjob shows: host, path, user name, non-secret headers and fields.
for shown in 'app.example.com/hooks/sync' 'https://cron:********@app.example.com' 'api_key=********&team=ops' \
             'team=ops&secret=********' 'Bearer ********' 'X-Team' 'X-Api-Key' 'Cookie' 'app.example.com/hooks/role' \
             '(changed)' '"invocation"'; do
    if ! grep -q -F -- "$shown" "$output"; then
        echo "the output does not show $shown" >&2
        status=1
    fi
done
if ! grep -q -E 'localhost +: ok=[0-9]+ +changed=[0-9]+ +unreachable=0 +failed=0' "$output"; then
    echo "the play recap is not as expected" >&2
    status=1
fi
if [ "$status" -ne 0 ]; then
    cat "$output"
fi
exit "$status"
