# shellcheck shell=bash
# Sourced by runme.sh of the targets, by tests/live/run.sh and by scripts/demo.sh: the one way
# to point playbooks at an API.
#
#   start_simulator [simulator flags...]
#       starts the local FastCron API simulator on a free port and exports FASTCRON_API_URL,
#       FASTCRON_API_TOKEN (the simulator's default token) and FASTCRON_SIM_ADMIN; it is
#       stopped on exit.
#   against_fastcron
#       true when FASTCRON_LIVE_TOKEN is set: then it points the modules at FastCron
#       (FASTCRON_LIVE_URL, default https://www.fastcron.com/api/v1) with that token.
#   live_story PLAYBOOK [ansible-playbook args...]
#       runs a story that runs against FastCron as well as against the simulator: it makes
#       only objects named with its live_prefix and deletes them in always:.

# ansible-test passes HOME but not ANSIBLE_REMOTE_TEMP, and Ansible expands the default
# remote_tmp (~/.ansible/tmp) as ~<remote user>, which is the passwd home, not $HOME: keep
# the modules' temporary files under the HOME the targets run with.
export ANSIBLE_REMOTE_TEMP="$HOME/.ansible/tmp"

find_simulator() {
    # ansible-test runs targets from a temporary copy; the collection itself is on
    # ANSIBLE_COLLECTIONS_PATH. Run by hand, the file sits three folders up.
    local entry
    local IFS=:
    for entry in ${ANSIBLE_COLLECTIONS_PATH:-} ${ANSIBLE_COLLECTIONS_PATHS:-}; do
        if [ -f "$entry/ansible_collections/fastcron/cloud/tests/simulator/fastcron_simulator.py" ]; then
            echo "$entry/ansible_collections/fastcron/cloud/tests/simulator/fastcron_simulator.py"
            return 0
        fi
    done
    local here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    if [ -f "$here/../../../simulator/fastcron_simulator.py" ]; then
        echo "$here/../../../simulator/fastcron_simulator.py"
        return 0
    fi
    echo "fastcron_simulator.py not found" >&2
    return 1
}

stop_simulator() {
    if [ -n "${SIMULATOR_PID:-}" ]; then
        kill "$SIMULATOR_PID" 2>/dev/null || true
        wait "$SIMULATOR_PID" 2>/dev/null || true
        SIMULATOR_PID=
    fi
    if [ -n "${SIMULATOR_DIR:-}" ]; then
        rm -rf "$SIMULATOR_DIR"
    fi
}

# simulator_token: the simulator's default token, from the simulator itself.
simulator_token() {
    local script
    script=$(find_simulator) || return 1
    "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" -c \
        'import sys; sys.path.insert(0, sys.argv[1]); from fastcron_sim.common import DEFAULT_TOKEN; print(DEFAULT_TOKEN)' \
        "$(dirname "$script")"
}

start_simulator() {
    local script python
    script=$(find_simulator) || return 1
    python=${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}
    SIMULATOR_TOKEN=$(simulator_token) || return 1
    SIMULATOR_DIR=$(mktemp -d)
    "$python" "$script" --port 0 --port-file "$SIMULATOR_DIR/port" "$@" \
        >"$SIMULATOR_DIR/out.log" 2>&1 &
    SIMULATOR_PID=$!
    trap stop_simulator EXIT
    local tries=0
    while [ ! -s "$SIMULATOR_DIR/port" ]; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ] || ! kill -0 "$SIMULATOR_PID" 2>/dev/null; then
            echo "the simulator did not start:" >&2
            cat "$SIMULATOR_DIR/out.log" >&2
            return 1
        fi
        sleep 0.1
    done
    local port
    port=$(cat "$SIMULATOR_DIR/port")
    export FASTCRON_API_URL="http://127.0.0.1:$port/api/v1"
    export FASTCRON_API_TOKEN="$SIMULATOR_TOKEN"
    export FASTCRON_SIM_ADMIN="http://127.0.0.1:$port/_admin"
}

# check_no_leak PLAYBOOK [ansible-playbook args...]: run PLAYBOOK at -vvv with --diff and fail
# if its output shows the API token or any value containing LEAKCHECK-pass.
check_no_leak() {
    local playbook="$1" output
    shift
    output=$(mktemp)
    ansible-playbook -i "${INVENTORY_PATH:-localhost,}" "$playbook" -vvv --diff "$@" >"$output" 2>&1 || { cat "$output"; return 1; }
    if grep -E "LEAKCHECK-pass|$FASTCRON_API_TOKEN" "$output"; then
        echo "a secret leaked into the output" >&2
        return 1
    fi
    rm -f "$output"
}

against_fastcron() {
    # runme.sh traces its commands (set -x): the token must not show in the trace.
    local traced=false live=false
    case $- in *x*) traced=true; set +x ;; esac
    if [ -n "${FASTCRON_LIVE_TOKEN:-}" ]; then
        live=true
        export FASTCRON_API_TOKEN="$FASTCRON_LIVE_TOKEN"
        export FASTCRON_API_URL="${FASTCRON_LIVE_URL:-https://www.fastcron.com/api/v1}"
    fi
    if $traced; then set -x; fi
    $live
}

# Every object a live story makes carries this prefix; tests/live/run.sh sets one for its run.
LIVE_PREFIX=${FASTCRON_LIVE_PREFIX:-fcl-live-$(date -u +%Y%m%d-%H%M%S)-$((RANDOM % 9000 + 1000))-}

live_story() {
    local playbook="$1"
    shift
    ansible-playbook -i "${INVENTORY_PATH:-localhost,}" "$playbook" -e "live_prefix=$LIVE_PREFIX" "$@"
}
