#!/usr/bin/env bash
# The live stories: the integration targets against the real FastCron service, to check what the
# collection assumes about it (see tests/live/README.md).
#
#   FASTCRON_LIVE_TOKEN=... tests/live/run.sh [ansible-playbook options]
#       Runs, one after the other, every target of tests/integration/targets/ that has a live
#       story (live.yml) against the service, then checks that nothing named with the run's
#       prefix is left. FASTCRON_LIVE_URL sets another endpoint (default
#       https://www.fastcron.com/api/v1). Without FASTCRON_LIVE_TOKEN nothing runs; exit 0.
#
#   tests/live/run.sh --simulator [ansible-playbook options]
#       The same against the local FastCron API simulator with its rate limit off, every
#       target at once, each with a token of its own, so that the runner cannot rot between
#       live runs.
#
# Either way it ends with what the service answered where its API reference is silent.
# Needs ansible-playbook on PATH, and fastcron.cloud where Ansible looks for collections.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARGETS_DIR="$(cd "$HERE/../integration/targets" && pwd)"
# shellcheck source=tests/integration/targets/setup_simulator/simulator.sh
. "$TARGETS_DIR/setup_simulator/simulator.sh"
# Every object a story makes carries this prefix, unique to the run (simulator.sh made it).
export FASTCRON_LIVE_PREFIX="$LIVE_PREFIX"
TARGETS=()
for story in "$TARGETS_DIR"/*/live.yml; do
    TARGETS+=("$(basename "$(dirname "$story")")")
done
LOGS="$(mktemp -d)"
PASSED=0
FAILED=()

cleanup() {
    stop_simulator
    rm -rf "$LOGS"
}
trap cleanup EXIT

# story TARGET [ansible-playbook options]: the target's runme.sh, in live mode.
story() {
    local target="$1"
    shift
    (cd "$TARGETS_DIR/$target" && ./runme.sh "$@")
}

record() {
    if [ "$2" = 0 ]; then PASSED=$((PASSED + 1)); else FAILED+=("$1"); fi
}

leftovers() {
    local rc=0
    FASTCRON_API_TOKEN="$FASTCRON_LIVE_TOKEN" FASTCRON_API_URL="$FASTCRON_LIVE_URL" \
        ansible-playbook -i localhost, "$HERE/leftovers.yml" -e "live_prefix=$LIVE_PREFIX" "$@" \
        >"$LOGS/leftovers.log" 2>&1 || rc=$?
    if [ "$rc" = 0 ]; then printf 'leftovers: none\n'; else cat "$LOGS/leftovers.log"; fi
    record leftovers "$rc"
}

# findings: the answers the stories recorded (debug messages starting "service answered:").
findings() {
    printf '\n==== What the %s answered where the API reference is silent\n' "$1"
    grep -h -o '"msg": "service answered: .*"' "$LOGS"/*.log | sed -e 's/^"msg": "service answered: /- /' -e 's/"$//' -e 's/\\"/"/g' || true
}

summary() {
    printf '\n==== live stories: %d of %d passed (prefix %s)\n' "$PASSED" "$((PASSED + ${#FAILED[@]}))" "$LIVE_PREFIX"
    if [ "${#FAILED[@]}" -gt 0 ]; then
        printf 'FAILED: %s\n' "${FAILED[*]}"
        return 1
    fi
}

# Against the service: one story after the other (one account, one request a second).
live() {
    local target rc
    export FASTCRON_LIVE_URL="${FASTCRON_LIVE_URL:-https://www.fastcron.com/api/v1}"
    printf 'Live stories against %s; every object they make is named %s...\n' "$FASTCRON_LIVE_URL" "$LIVE_PREFIX"
    for target in "${TARGETS[@]}"; do
        printf '\n==== %s\n' "$target"
        rc=0
        story "$target" "$@" 2>&1 | tee "$LOGS/$target.log" || rc=$?
        record "$target" "$rc"
    done
    leftovers "$@"
    findings service
    summary
}

# Against the simulator: every story at once, each with a token of its own, so that each has a
# rate gate of its own on this machine (the simulator counts none: its rate limit is off).
simulated() {
    local index target rc tokens=() pids=() flags=()
    for index in "${!TARGETS[@]}"; do
        tokens+=("$(printf 'livestory%023d' "$((index + 1))")")
        flags+=(--token "${tokens[$index]}")
    done
    start_simulator --rate-limit 0 --token "$(simulator_token)" "${flags[@]}"
    export FASTCRON_LIVE_URL="$FASTCRON_API_URL"
    printf 'Live stories against the simulator at %s; every object they make is named %s...\n' "$FASTCRON_LIVE_URL" "$LIVE_PREFIX"
    for index in "${!TARGETS[@]}"; do
        FASTCRON_LIVE_TOKEN="${tokens[$index]}" story "${TARGETS[$index]}" "$@" >"$LOGS/${TARGETS[$index]}.log" 2>&1 &
        pids+=("$!")
    done
    for index in "${!TARGETS[@]}"; do
        target="${TARGETS[$index]}"
        rc=0
        wait "${pids[$index]}" || rc=$?
        if [ "$rc" = 0 ]; then
            printf '%s: ok (%s)\n' "$target" "$(grep -o 'ok=[0-9]* *changed=[0-9]*' "$LOGS/$target.log" | tail -n 1)"
        else
            printf '\n==== %s FAILED:\n' "$target"
            cat "$LOGS/$target.log"
        fi
        record "$target" "$rc"
    done
    FASTCRON_LIVE_TOKEN="$FASTCRON_API_TOKEN" leftovers "$@"
    findings simulator
    summary
}

main() {
    if [ "${1:-}" = --simulator ]; then
        shift
        simulated "$@"
        return
    fi
    if [ -z "${FASTCRON_LIVE_TOKEN:-}" ]; then
        printf 'live stories skipped: FASTCRON_LIVE_TOKEN is not set. Set it to the API token of a scratch\n'
        printf 'FastCron account (never one whose cronjobs matter) to run them against the service;\n'
        printf 'see tests/live/README.md.\n'
        return 0
    fi
    live "$@"
}

main "$@"
