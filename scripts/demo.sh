#!/usr/bin/env bash
# Demonstrate the collection end to end against the local FastCron API simulator:
#   1. set up the development environment and build and install the collection
#      (scripts/test.sh -s build: build/venvs/dev, build/collections), unless nothing changed
#      since the last build;
#   2. start the simulator on a free port (stopped on exit, always);
#   3. run demo/site.yml twice: the first run creates the groups and cron jobs, the second
#      must change nothing (every "changed=" in its PLAY RECAP is 0), or the demo fails.
#
#   scripts/demo.sh [extra ansible-playbook arguments, e.g. --diff or -v]
#
# Ansible keeps its state in build/demo/ansible, not in ~/.ansible.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Build and install only when a file of the clone changed since the last build (or the build is
# missing): a hash of every file git sees, tracked or new, outside the ignored ones. Outside a
# git checkout it builds every time.
stamp_file="$root/build/demo/sources.sha256"
sources_hash() {
    if ! git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
        echo "no git checkout: $(date +%s%N)"
        return
    fi
    git -C "$root" ls-files -z --cached --others --exclude-standard |
        (cd "$root" && xargs -0 sha256sum 2>/dev/null) | sha256sum | cut -d ' ' -f 1
}
stamp="$(sources_hash)"
if [ ! -x "$root/build/venvs/dev/bin/ansible-playbook" ] ||
    [ ! -f "$root/build/collections/ansible_collections/fastcron/cloud/MANIFEST.json" ] ||
    [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
    "$root/scripts/test.sh" -s build >/dev/null
    mkdir -p "$(dirname "$stamp_file")"
    printf '%s\n' "$stamp" >"$stamp_file"
fi

export PATH="$root/build/venvs/dev/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$root/build/collections"
export ANSIBLE_HOME="$root/build/demo/ansible"
export ANSIBLE_LOCAL_TEMP="$ANSIBLE_HOME/tmp" ANSIBLE_REMOTE_TEMP="$ANSIBLE_HOME/tmp"
# The play targets the implicit localhost; no need to say so twice per run.
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
# shellcheck source=tests/integration/targets/setup_simulator/simulator.sh
. "$root/tests/integration/targets/setup_simulator/simulator.sh"
# Every field comes back, so that the second run compares every option the playbook sets
# (headers, username, timeout...), not only those of the vendor's example objects.
start_simulator --fields echo
printf 'FASTCRON_API_URL=%s\n' "$FASTCRON_API_URL"

cd "$root"
printf '\n######## First run: creates the account'"'"'s groups and cronjobs\n\n'
ansible-playbook demo/site.yml "$@"

printf '\n######## Second run: nothing to change (changed=0)\n\n'
second="$(mktemp)"
ansible-playbook demo/site.yml "$@" | tee "$second"
recap="$(sed -n '/^PLAY RECAP/,$p' "$second" | grep -E 'changed=[0-9]+' || true)"
rm -f "$second"
if [ -z "$recap" ] || grep -qE 'changed=[1-9]' <<<"$recap"; then
    printf 'the second run changed something (or printed no recap): the playbook is not idempotent\n' >&2
    exit 1
fi
printf '\n######## Demo passed: the second run changed nothing\n'
