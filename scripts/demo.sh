#!/usr/bin/env bash
# Demonstrate the collection end to end against the local FastCron API simulator:
#   1. build the collection and install it into .venv/collections;
#   2. start tests/simulator/fastcron_simulator.py on a free port (stopped on exit, always);
#   3. run demo/site.yml twice: the first run creates the groups and cron jobs, the second
#      must change nothing (every "changed=" in its PLAY RECAP is 0), or the demo fails.
#
#   scripts/demo.sh [extra ansible-playbook arguments, e.g. --diff or -v]
#
# Ansible keeps its state (temporary files, galaxy cache) in build/demo/ansible, not in
# ~/.ansible.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PLAYBOOK="$REPO_ROOT/demo/site.yml"
SIMULATOR="$REPO_ROOT/tests/simulator/fastcron_simulator.py"
# The simulator's default API token (it accepts nothing else unless told otherwise).
DEMO_TOKEN=0123456789abcdef0123456789abcdef
COLLECTIONS_DIR="$VENV_DEV/collections"
# Ansible's own directory (instead of ~/.ansible) and its temporary files, which default to
# ~/.ansible/tmp on the managed host: localhost, with the real HOME.
DEMO_ANSIBLE_HOME="$BUILD_DIR/demo/ansible"

header() {
    printf '\n######## %s\n\n' "$*"
}

SIMULATOR_PID=""
WORK_DIR=""
cleanup() {
    if [ -n "$SIMULATOR_PID" ]; then
        kill "$SIMULATOR_PID" 2>/dev/null || true
        wait "$SIMULATOR_PID" 2>/dev/null || true
    fi
    if [ -n "$WORK_DIR" ]; then
        rm -rf "$WORK_DIR"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# check_recap LOGFILE: fail unless every host in the PLAY RECAP of LOGFILE has changed=0.
check_recap() {
    local recap
    recap="$(sed -n '/^PLAY RECAP/,$p' "$1" | grep -E 'changed=[0-9]+' || true)"
    if [ -z "$recap" ]; then
        die "no PLAY RECAP found in the second run's output"
    fi
    if grep -E 'changed=[1-9][0-9]*' <<<"$recap" >/dev/null; then
        log "$recap"
        die "the second run changed something: the playbook is not idempotent"
    fi
}

main() {
    [ -f "$PLAYBOOK" ] || die "demo playbook $PLAYBOOK not found"
    [ -f "$SIMULATOR" ] || die "simulator $SIMULATOR not found"

    "$REPO_ROOT/scripts/bootstrap.sh"
    export PATH="$VENV_DEV/bin:$PATH"
    export ANSIBLE_HOME="$DEMO_ANSIBLE_HOME"
    export ANSIBLE_LOCAL_TEMP="$ANSIBLE_HOME/tmp" ANSIBLE_REMOTE_TEMP="$ANSIBLE_HOME/tmp"
    mkdir -p "$ANSIBLE_HOME"
    WORK_DIR="$(mktemp -d)"

    header "Building the collection and installing it into $COLLECTIONS_DIR"
    (cd "$REPO_ROOT" && ansible-galaxy collection build --force --output-path "$WORK_DIR")
    ansible-galaxy collection install --force -p "$COLLECTIONS_DIR" \
        "$WORK_DIR/$COLLECTION_NAMESPACE-$COLLECTION_NAME"-*.tar.gz
    export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS_DIR"
    # The play targets the implicit localhost; no need to say so twice per run.
    export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false

    header "Starting the FastCron API simulator"
    # Every field comes back (--fields echo), so that the second run compares every option the
    # playbook sets (headers, username, timeout...), not only those of the vendor's example objects.
    python "$SIMULATOR" --port 0 --port-file "$WORK_DIR/port" --fields echo >"$WORK_DIR/simulator.log" 2>&1 &
    SIMULATOR_PID=$!
    local waited=0
    while [ ! -s "$WORK_DIR/port" ]; do
        if ! kill -0 "$SIMULATOR_PID" 2>/dev/null || [ "$waited" -ge 100 ]; then
            cat "$WORK_DIR/simulator.log" >&2
            die "the simulator did not start within 10 s"
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    local port
    port="$(cat "$WORK_DIR/port")"
    export FASTCRON_API_URL="http://127.0.0.1:$port/api/v1"
    export FASTCRON_API_TOKEN="$DEMO_TOKEN"
    log "FASTCRON_API_URL=$FASTCRON_API_URL"

    cd "$REPO_ROOT"
    header "First run: creates the account's groups and cronjobs"
    ansible-playbook "$PLAYBOOK" "$@"

    header "Second run: nothing to change (changed=0)"
    ansible-playbook "$PLAYBOOK" "$@" | tee "$WORK_DIR/second-run.log"
    check_recap "$WORK_DIR/second-run.log"
    header "Demo passed: the second run changed nothing"
}

main "$@"
