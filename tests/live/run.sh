#!/usr/bin/env bash
# The live stories: the collection's modules against the real FastCron service, to check what
# the collection assumes about it (see tests/live/README.md).
#
#   FASTCRON_LIVE_TOKEN=... tests/live/run.sh [ansible-playbook options]
#       Runs every story of tests/live/stories/, one after the other, against the service, then
#       checks that nothing named with the run's prefix is left. FASTCRON_LIVE_URL sets another
#       endpoint (default https://www.fastcron.com/api/v1). Without FASTCRON_LIVE_TOKEN the
#       stories are skipped, and the exit status is 0.
#
#   tests/live/run.sh --simulator [ansible-playbook options]
#       Runs the same stories against the local FastCron API simulator with its rate limit off,
#       all at once, each with a token of its own (scripts/test.sh, step "live"), so that they
#       cannot rot between live runs.
#
# Either way it ends with what the service answered where its API reference is silent.
# Needs ansible-playbook on PATH, and fastcron.cloud where Ansible looks for collections.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEFAULT_API_URL=https://www.fastcron.com/api/v1
STORIES=("$HERE"/stories/*.yml)
# Every object a story makes carries this prefix, unique to the run.
PREFIX="fcl-live-$(date -u +%Y%m%d-%H%M%S)-$((RANDOM % 9000 + 1000))-"
LOGS=""
PASSED=0
FAILED=()

cleanup() {
    if declare -F stop_simulator >/dev/null; then
        stop_simulator
    fi
    if [ -n "$LOGS" ]; then
        rm -rf "$LOGS"
    fi
}

# play TOKEN URL PLAYBOOK [ansible-playbook options]: one playbook against one endpoint.
play() {
    local token="$1" url="$2" playbook="$3"
    shift 3
    FASTCRON_API_TOKEN="$token" FASTCRON_API_URL="$url" \
        ansible-playbook -i localhost, "$playbook" -e "live_prefix=$PREFIX" "$@"
}

record() {
    local name="$1" rc="$2"
    if [ "$rc" = 0 ]; then
        PASSED=$((PASSED + 1))
    else
        FAILED+=("$name")
    fi
}

# findings: the answers the stories recorded (debug messages starting "service answered:").
findings() {
    printf '\n==== What the %s answered where the API reference is silent\n' "$1"
    grep -h -o '"msg": "service answered: .*"' "$LOGS"/*.log | sed -e 's/^"msg": "service answered: /- /' -e 's/"$//' -e 's/\\"/"/g' || true
}

summary() {
    printf '\n==== live stories: %d of %d passed (prefix %s)\n' "$PASSED" "$((PASSED + ${#FAILED[@]}))" "$PREFIX"
    if [ "${#FAILED[@]}" -gt 0 ]; then
        printf 'FAILED: %s\n' "${FAILED[*]}"
        return 1
    fi
}

# Against the service: one story after the other (one account, one request a second).
live() {
    local story name rc url="${FASTCRON_LIVE_URL:-$DEFAULT_API_URL}"
    printf 'Live stories against %s; every object they make is named %s...\n' "$url" "$PREFIX"
    for story in "${STORIES[@]}" "$HERE/leftovers.yml"; do
        name="$(basename "$story" .yml)"
        printf '\n==== %s\n' "$name"
        rc=0
        play "$FASTCRON_LIVE_TOKEN" "$url" "$story" "$@" 2>&1 | tee "$LOGS/$name.log" || rc=$?
        record "$name" "$rc"
    done
    findings service
    summary
}

# Against the simulator: every story at once, each with a token of its own, so that each has a
# rate gate of its own on this machine (the simulator counts none: its rate limit is off).
simulated() {
    local index=0 story name rc tokens=() pids=()
    # shellcheck source=tests/integration/targets/setup_simulator/simulator.sh
    . "$HERE/../integration/targets/setup_simulator/simulator.sh"
    for story in "${STORIES[@]}"; do
        index=$((index + 1))
        tokens+=("$(printf 'livestory%023d' "$index")")
    done
    # shellcheck disable=SC2046  # one --token option per story
    start_simulator --rate-limit 0 $(printf -- '--token %s ' "${tokens[@]}")
    trap cleanup EXIT  # start_simulator set its own; cleanup stops the simulator too
    printf 'Live stories against the simulator at %s; every object they make is named %s...\n' "$FASTCRON_API_URL" "$PREFIX"
    for index in "${!STORIES[@]}"; do
        play "${tokens[$index]}" "$FASTCRON_API_URL" "${STORIES[$index]}" "$@" \
            >"$LOGS/$(basename "${STORIES[$index]}" .yml).log" 2>&1 &
        pids+=("$!")
    done
    for index in "${!STORIES[@]}"; do
        name="$(basename "${STORIES[$index]}" .yml)"
        rc=0
        wait "${pids[$index]}" || rc=$?
        if [ "$rc" = 0 ]; then
            printf '%s: ok (%s)\n' "$name" "$(grep -o 'ok=[0-9]* *changed=[0-9]*' "$LOGS/$name.log" | tail -n 1)"
        else
            printf '\n==== %s FAILED:\n' "$name"
            cat "$LOGS/$name.log"
        fi
        record "$name" "$rc"
    done
    rc=0
    play "$FASTCRON_API_TOKEN" "$FASTCRON_API_URL" "$HERE/leftovers.yml" "$@" >"$LOGS/leftovers.log" 2>&1 || rc=$?
    if [ "$rc" = 0 ]; then
        printf 'leftovers: none\n'
    else
        cat "$LOGS/leftovers.log"
    fi
    record leftovers "$rc"
    findings "simulator"
    summary
}

main() {
    if [ "${1:-}" = --simulator ]; then
        shift
        LOGS="$(mktemp -d)"
        trap cleanup EXIT
        simulated "$@"
        return
    fi
    if [ -z "${FASTCRON_LIVE_TOKEN:-}" ]; then
        printf 'live stories skipped: FASTCRON_LIVE_TOKEN is not set. Set it to the API token of a scratch\n'
        printf 'FastCron account (never one whose cronjobs matter) to run them against the service;\n'
        printf 'see tests/live/README.md.\n'
        return 0
    fi
    LOGS="$(mktemp -d)"
    trap cleanup EXIT
    live "$@"
}

main "$@"
