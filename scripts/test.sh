#!/usr/bin/env bash
# Run the whole test suite of the collection, or some of its steps:
#
#   scripts/test.sh                   every step
#   scripts/test.sh sanity units      just those steps
#   scripts/test.sh --list            the step names
#
# It first runs scripts/bootstrap.sh (seconds when the environments are up to date). Each step
# prints a header and its elapsed time; a failing step does not stop the others. At the end
# comes a summary table and the line "N passed, M failed" (counting steps); the exit code is
# non-zero when any step failed.
#
# The suite depends on nothing outside the clone: it runs with a HOME of its own (build/home,
# emptied first) and Ansible paths under build/, and it resolves fastcron.cloud.* from
# build/collections, installed from the built artifact. Its last check, "isolation", fails if
# the run created, changed or removed anything in ~/.ansible of the user who started it.
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STEPS=(simulator sanity units integration live lint docs changelog build importer ee molecule)

# Oldest ansible-core (2.16) runs on Python 3.11; the main environment on 3.12.
DEV_PYTHON=3.12
OLDEST_PYTHON=3.11

# The suite's own HOME, emptied at the start of every run, and the Ansible content it runs
# against: fastcron.cloud installed from the artifact built from the working tree.
SUITE_HOME="$BUILD_DIR/home"
SUITE_COLLECTIONS="$BUILD_DIR/collections"
# What ~/.ansible of the invoking user held before the run (see isolate, check_isolation).
REAL_ANSIBLE_DIR=""
REAL_ANSIBLE_BEFORE="$BUILD_DIR/real-ansible-home.before"

# A step's scratch directory under build/, emptied first.
scratch_dir() {
    local dir="$BUILD_DIR/$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    printf '%s\n' "$dir"
}

# in_venv VENV COMMAND...: run COMMAND with VENV's bin directory first on PATH.
in_venv() {
    local venv="$1"
    shift
    PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv" "$@"
}

# ansible_test VENV ARGS...: run VENV's ansible-test in the staged copy. It reports a run that
# found nothing to test only as a warning, with exit code 0: count that as a failure.
ansible_test() {
    ansible_test_in "$STAGE_DIR" "$@"
}

# ansible_test_in DIR VENV ARGS...: the same in another staged copy.
ansible_test_in() {
    local dir="$1" venv="$2" output rc=0
    shift 2
    output="$(mktemp)"
    (cd "$dir" && in_venv "$venv" ansible-test "$@" --color no) 2>&1 | tee "$output" || rc=$?
    if [ "$rc" = 0 ] && grep -q 'All targets skipped' "$output"; then
        log "ERROR: ansible-test $1 found nothing to test"
        rc=1
    fi
    rm -f "$output"
    return "$rc"
}

# build_artifact DIR: build the collection from the working tree into DIR, print the tarball.
# Built from the repository itself (not the staged copy) so that galaxy.yml's build_ignore is
# tested against a real working tree with its virtual environments, caches and build output.
build_artifact() {
    local dir="$1"
    (cd "$REPO_ROOT" && in_venv "$VENV_DEV" ansible-galaxy collection build --force --output-path "$dir" >&2)
    ls "$dir"/"$COLLECTION_NAMESPACE"-"$COLLECTION_NAME"-*.tar.gz
}

# --- isolation from the invoking user's home -------------------------------------------

# snapshot_tree DIR: print one line per file, directory or link under DIR (DIR itself
# included): its path, type, mode, size, modification and change times (a link: its target);
# "absent" if there is no DIR. Two snapshots differ when anything in DIR was created, written,
# removed, renamed or chmod-ed.
snapshot_tree() {
    if [ ! -e "$1" ] && [ ! -L "$1" ]; then
        printf 'absent: %s\n' "$1"
        return 0
    fi
    find -H "$1" \( -type l -printf '%p -> %l %m %T@ %C@\n' \) -o -printf '%p %y %m %s %T@ %C@\n' 2>&1 \
        | LC_ALL=C sort
}

# isolate: switch this process (and so every step) to a HOME and Ansible paths inside the
# clone, after noting what it still needs from the real environment: the pyenv root (which
# defaults to the real ~/.pyenv) and the real interpreters. Snapshots ~/.ansible first.
isolate() {
    local real_home="${HOME:?HOME is not set}" root="" name
    mkdir -p "$SUITE_HOME"
    if [ "$(cd "$real_home" 2>/dev/null && pwd -P)" = "$(cd "$SUITE_HOME" && pwd -P)" ]; then
        die "HOME is already the suite's own home ($SUITE_HOME); run from a normal HOME"
    fi
    REAL_ANSIBLE_DIR="$real_home/.ansible"
    snapshot_tree "$REAL_ANSIBLE_DIR" >"$REAL_ANSIBLE_BEFORE"

    if [ -z "${PYENV_ROOT:-}" ]; then
        if command -v pyenv >/dev/null 2>&1; then
            root="$(pyenv root 2>/dev/null || true)"
        fi
        root="${root:-$real_home/.pyenv}"
        if [ -d "$root" ]; then
            export PYENV_ROOT="$root"
        fi
    fi
    # Real interpreters first on PATH (ansible-test looks for python3.X; see lib.sh).
    use_real_pythons

    # Settings of the invoking shell would point Ansible and molecule elsewhere.
    for name in $(compgen -e); do
        case "$name" in
            ANSIBLE_*|MOLECULE_*) log "isolate: ignoring $name from the environment"; unset "$name" ;;
        esac
    done
    rm -rf "$SUITE_HOME"
    mkdir -p "$SUITE_HOME"
    export HOME="$SUITE_HOME"
    export XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache" \
        XDG_DATA_HOME="$HOME/.local/share" XDG_STATE_HOME="$HOME/.local/state"
    # pip's downloads outlive the emptied HOME, so that the next run need not fetch them again.
    export PIP_CACHE_DIR="$BUILD_DIR/cache/pip"
    # An empty configuration file keeps /etc/ansible/ansible.cfg out (the fresh HOME has no
    # ~/.ansible.cfg); molecule and ansible-test point ANSIBLE_CONFIG at their own.
    printf '# Empty: Ansible defaults. Written by scripts/test.sh.\n' >"$HOME/ansible.cfg"
    export ANSIBLE_CONFIG="$HOME/ansible.cfg"
    export ANSIBLE_HOME="$HOME/.ansible"
    export ANSIBLE_LOCAL_TEMP="$ANSIBLE_HOME/tmp" ANSIBLE_REMOTE_TEMP="$ANSIBLE_HOME/tmp"
    export ANSIBLE_ROLES_PATH="$ANSIBLE_HOME/roles"
    export ANSIBLE_COLLECTIONS_PATH="$SUITE_COLLECTIONS"
    log "isolate: HOME=$HOME ANSIBLE_HOME=$ANSIBLE_HOME ANSIBLE_COLLECTIONS_PATH=$ANSIBLE_COLLECTIONS_PATH"
    log "isolate: $REAL_ANSIBLE_DIR must stay as it is (checked at the end)"
}

# ansible-test downloads get_pip_<pip version>.py from the internet to bootstrap pip into the
# virtual environments it makes, and keeps it in ~/.ansible/test/cache; that host is not
# reachable here. Put the offline stand-in there, in the suite's HOME, under every name that
# the installed ansible-test versions ask for. The pip version comes from ansible-test itself
# (get_venv_packages), so a new ansible-core pin needs no edit here.
install_get_pip_standins() {
    local venv python_versions pip_version cache="$HOME/.ansible/test/cache"
    python_versions="$(available_pythons | tr '\n' ' ')"
    mkdir -p "$cache"
    for venv in "$VENV_DEV" "$VENV_OLDEST"; do
        # shellcheck disable=SC2086  # the version list is meant to be split into arguments
        "$venv/bin/python" - $python_versions <<'EOF' | sort -u | while read -r pip_version; do
import re
import sys
import types

import ansible_test._internal.python_requirements as python_requirements

for version in sys.argv[1:]:
    try:
        print(python_requirements.get_venv_packages(types.SimpleNamespace(version=version))['pip'])
    except Exception:  # older or newer ansible-test internals: read the default from the source
        with open(python_requirements.__file__, encoding='utf-8') as source:
            print(re.search(r"pip='([0-9.]+)'", source.read()).group(1))
EOF
            cp "$REPO_ROOT/scripts/get_pip_standin.py" "$cache/get_pip_${pip_version//./_}.py" || return 1
            log "bootstrap: ansible-test pip bootstrap for pip $pip_version: $cache/get_pip_${pip_version//./_}.py"
        done || return 1
    done
    compgen -G "$cache/get_pip_*.py" >/dev/null || die "no ansible-test pip bootstrap stand-in written to $cache"
}

# install_suite_collection: build the artifact and install it into build/collections, where
# ANSIBLE_COLLECTIONS_PATH points: ansible-lint's syntax-check and molecule resolve
# fastcron.cloud.* there (ansible-test uses its staged copy instead).
install_suite_collection() {
    local scratch tarball
    scratch="$(scratch_dir collection)" || return 1
    tarball="$(build_artifact "$scratch")" || return 1
    rm -rf "$SUITE_COLLECTIONS"
    in_venv "$VENV_DEV" ansible-galaxy collection install -p "$SUITE_COLLECTIONS" "$tarball" >/dev/null || return 1
    [ -f "$SUITE_COLLECTIONS/ansible_collections/$COLLECTION_NAMESPACE/$COLLECTION_NAME/MANIFEST.json" ] \
        || die "$COLLECTION_NAMESPACE.$COLLECTION_NAME did not install into $SUITE_COLLECTIONS"
    log "bootstrap: $COLLECTION_NAMESPACE.$COLLECTION_NAME installed from $(basename "$tarball") into $SUITE_COLLECTIONS"
}

# Explicit returns: each part's failure stops the bootstrap with its own status.
bootstrap() {
    "$REPO_ROOT/scripts/bootstrap.sh" || return 1
    install_get_pip_standins || return 1
    install_suite_collection
}

# check_isolation: the run must leave ~/.ansible of the invoking user as it found it.
check_isolation() {
    local after
    after="$(mktemp)"
    snapshot_tree "$REAL_ANSIBLE_DIR" >"$after"
    if ! cmp -s "$REAL_ANSIBLE_BEFORE" "$after"; then
        log "ERROR: the run changed $REAL_ANSIBLE_DIR; before (-) and after (+), as path type mode size mtime ctime:"
        diff -u "$REAL_ANSIBLE_BEFORE" "$after" | tail -n +3 | head -n 60 >&2
        log "Something used the real HOME instead of $SUITE_HOME (or another process wrote there meanwhile)."
        rm -f "$after"
        return 1
    fi
    rm -f "$after"
    if [ -e "$REAL_ANSIBLE_DIR" ] || [ -L "$REAL_ANSIBLE_DIR" ]; then
        log "ok: $REAL_ANSIBLE_DIR unchanged ($(wc -l <"$REAL_ANSIBLE_BEFORE") entries compared)"
    else
        log "ok: $REAL_ANSIBLE_DIR still does not exist"
    fi
}

# --- steps ----------------------------------------------------------------------------

step_simulator() {
    [ -d "$REPO_ROOT/tests/simulator" ] || die "tests/simulator/ does not exist"
    cd "$REPO_ROOT"
    # no cache directory in the working tree (-p no:cacheprovider)
    in_venv "$VENV_DEV" python -m pytest -q -p no:cacheprovider tests/simulator
}

step_sanity() {
    local ignores
    # Findings are fixed, never ignored: no tests/sanity/ignore-*.txt (nor skip-*.txt).
    ignores="$(find "$REPO_ROOT/tests/sanity" -maxdepth 1 -type f \( -name 'ignore-*' -o -name 'skip-*' \) 2>/dev/null)" || true
    if [ -n "$ignores" ]; then
        log "ERROR: sanity ignore/skip files are not allowed; fix the findings instead:"
        log "$ignores"
        return 1
    fi
    stage
    # Without --python, ansible-test runs the per-Python tests (compile, import) on every
    # Python that ansible-core supports and that it finds on PATH (the real interpreters, see
    # use_real_pythons), skipping the missing ones with a warning, and every other test once
    # on the controller (.venv, Python 3.12).
    log "--- ansible-test sanity; Pythons found: $(available_pythons | tr '\n' ' ')"
    ansible_test "$VENV_DEV" sanity --venv
}

step_units() {
    local failed=0
    stage
    log "--- ansible-test units, newest ansible-core, Python $DEV_PYTHON"
    ansible_test "$VENV_DEV" units --venv --python "$DEV_PYTHON" || failed=1
    log "--- ansible-test units, oldest ansible-core, Python $OLDEST_PYTHON"
    ansible_test "$VENV_OLDEST" units --venv --python "$OLDEST_PYTHON" || failed=1
    return "$failed"
}

step_integration() {
    local failed=0 oldest_log oldest_pid oldest_copy
    stage
    # The oldest ansible-core runs the targets at the same time, from a copy of its own (each
    # ansible-test run writes into its tree): a story mostly waits on one process at a time,
    # so the two runs share the machine's cores instead of taking turns.
    oldest_log="$(scratch_dir integration-oldest)/log"
    # Each run would make the SSH key ansible-test keeps in ~/.ansible/test if it were missing;
    # made here once, so that the two do not both write it.
    if [ ! -f "$HOME/.ansible/test/id_rsa" ]; then
        mkdir -p "$HOME/.ansible/test"
        ssh-keygen -m PEM -q -t rsa -N '' -f "$HOME/.ansible/test/id_rsa" </dev/null
    fi
    oldest_copy="$BUILD_DIR/oldest/ansible_collections/$COLLECTION_NAMESPACE/$COLLECTION_NAME"
    (
        stage_into "$oldest_copy"
        ansible_test_in "$oldest_copy" "$VENV_OLDEST" integration --local --python "$OLDEST_PYTHON"
    ) >"$oldest_log" 2>&1 &
    oldest_pid=$!
    # --local: the targets run with the environment's own interpreter (which has requests);
    # ansible-test points ANSIBLE_COLLECTIONS_PATH at the staged tree and puts "python" and
    # "ansible-playbook" for that interpreter first on PATH inside runme.sh.
    log "--- ansible-test integration, newest ansible-core, Python $DEV_PYTHON"
    ansible_test "$VENV_DEV" integration --local --python "$DEV_PYTHON" || failed=1
    log "--- ansible-test integration, oldest ansible-core, Python $OLDEST_PYTHON (ran alongside)"
    wait "$oldest_pid" || failed=1
    cat "$oldest_log"
    return "$failed"
}

# The live stories (tests/live/): against the FastCron service only when FASTCRON_LIVE_TOKEN is
# set (else the runner says that they were skipped), and always against the simulator with its
# rate limit off, so that they cannot rot between live runs.
step_live() {
    local scratch
    scratch="$(scratch_dir live)"
    cd "$REPO_ROOT"
    in_venv "$VENV_DEV" tests/live/run.sh </dev/null 2>&1 | tee "$scratch/run.log"
    if [ -z "${FASTCRON_LIVE_TOKEN:-}" ]; then
        grep -q '^live stories skipped: FASTCRON_LIVE_TOKEN is not set' "$scratch/run.log" \
            || die "tests/live/run.sh did not say why the live stories were skipped"
    fi
    # The live probe: the open questions a few requests answer (against the simulator it runs
    # in the simulator step, under each switch).
    in_venv "$VENV_DEV" timeout 600 python tests/live/probe.py </dev/null 2>&1 | tee "$scratch/probe.log" || return 1
    if [ -z "${FASTCRON_LIVE_TOKEN:-}" ]; then
        grep -q '^live probe skipped: FASTCRON_LIVE_TOKEN is not set' "$scratch/probe.log" \
            || die "tests/live/probe.py did not say why it skipped"
    fi
    in_venv "$VENV_DEV" timeout 600 tests/live/run.sh --simulator </dev/null
}

step_lint() {
    cd "$REPO_ROOT"
    # --offline: never fetch schemas, collections or requirements; no stdin so that nothing
    # can wait for an answer; a time limit so that nothing can hang the run.
    ANSIBLE_LINT_SKIP_SCHEMA_UPDATE=1 in_venv "$VENV_DEV" timeout 900 \
        ansible-lint --profile production --offline --nocolor </dev/null
}

step_docs() {
    local scratch tarball module name failed=0 output
    stage
    log "--- antsibull-docs lint-collection-docs --plugin-docs"
    (cd "$STAGE_DIR" && in_venv "$VENV_DEV" antsibull-docs lint-collection-docs --plugin-docs .) || failed=1

    log "--- ansible-doc of every module, from the installed artifact"
    scratch="$(scratch_dir docs)"
    tarball="$(build_artifact "$scratch")"
    ANSIBLE_COLLECTIONS_PATH="$scratch/collections" in_venv "$VENV_DEV" \
        ansible-galaxy collection install --force -p "$scratch/collections" "$tarball" >/dev/null
    set -- "$REPO_ROOT"/plugins/modules/*.py
    [ -e "$1" ] || die "no modules in plugins/modules/"
    for module in "$@"; do
        name="$(basename "$module" .py)"
        if output="$(ANSIBLE_COLLECTIONS_PATH="$scratch/collections" in_venv "$VENV_DEV" \
            ansible-doc "$COLLECTION_NAMESPACE.$COLLECTION_NAME.$name" 2>&1 >/dev/null)" \
            && ! grep -q -E 'ERROR|WARNING' <<<"$output"; then
            log "ok: ansible-doc $COLLECTION_NAMESPACE.$COLLECTION_NAME.$name"
        else
            log "FAILED: ansible-doc $COLLECTION_NAMESPACE.$COLLECTION_NAME.$name"
            log "$output"
            failed=1
        fi
    done
    return "$failed"
}

step_changelog() {
    cd "$REPO_ROOT"
    in_venv "$VENV_DEV" antsibull-changelog lint
    in_venv "$VENV_DEV" antsibull-changelog lint-changelog-yaml --strict changelogs/changelog.yaml
}

step_build() {
    local scratch tarball
    scratch="$(scratch_dir dist)"
    tarball="$(build_artifact "$scratch")"
    log "built $tarball"
    in_venv "$VENV_DEV" python "$REPO_ROOT/scripts/check_artifact.py" "$tarball"
    ANSIBLE_COLLECTIONS_PATH="$scratch/collections" in_venv "$VENV_DEV" \
        ansible-galaxy collection install --force -p "$scratch/collections" "$tarball"
    [ -f "$scratch/collections/ansible_collections/$COLLECTION_NAMESPACE/$COLLECTION_NAME/MANIFEST.json" ] \
        || die "the installed collection has no MANIFEST.json"
}

step_importer() {
    local scratch tarball rc=0
    scratch="$(scratch_dir importer)"
    tarball="$(build_artifact "$scratch")"
    cd "$scratch"
    # The configuration turns off ansible-test (it would want a container engine) and keeps
    # ansible-lint offline.
    GALAXY_IMPORTER_CONFIG="$REPO_ROOT/scripts/galaxy-importer.cfg" \
        in_venv "$VENV_IMPORTER" timeout 900 python -m galaxy_importer.main "$tarball" </dev/null \
        2>&1 | tee "$scratch/importer.log" || rc=$?
    [ "$rc" = 0 ] || die "galaxy-importer exited with $rc"
    # galaxy-importer reports some problems as ERROR lines and still exits 0.
    if grep -E '^(ERROR|CRITICAL)|\bERROR:' "$scratch/importer.log" >/dev/null; then
        die "galaxy-importer reported errors (see above)"
    fi
}

# An AWX / Automation Platform execution environment made with ansible-builder, without a
# container engine: the artifact's introspection, and the build context of the documented
# definition, with the collection from Galaxy and from the artifact (scripts/check_ee.py).
step_ee() {
    local scratch tarball
    scratch="$(scratch_dir ee)"
    tarball="$(build_artifact "$scratch")"
    in_venv "$VENV_DEV" python "$REPO_ROOT/scripts/check_ee.py" "$tarball" "$scratch"
}

step_molecule() {
    cd "$REPO_ROOT"
    if [ ! -d extensions/molecule/default ]; then
        die "no scenario: extensions/molecule/default/ does not exist"
    fi
    # From the collection root, molecule runs the scenarios in extensions/molecule/*/.
    in_venv "$VENV_DEV" timeout 1800 molecule test --all </dev/null
}

# --- runner ---------------------------------------------------------------------------

RESULT_NAMES=()
RESULT_STATES=()
RESULT_TIMES=()

now() {
    printf '%s\n' "${EPOCHREALTIME/,/.}"
}

elapsed_since() {
    awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'
}

# run_step NAME COMMAND...: run COMMAND in a subshell with errexit on, record the outcome.
run_step() {
    local name="$1" start rc seconds state
    shift
    printf '\n==== %s %s\n' "$name" "$(printf '=%.0s' $(seq 1 $((60 - ${#name}))))"
    start="$(now)"
    (
        set -euo pipefail
        "$@"
    )
    rc=$?
    seconds="$(elapsed_since "$start")"
    if [ "$rc" = 0 ]; then state=passed; else state="FAILED (exit $rc)"; fi
    printf '==== %s: %s in %s s\n' "$name" "$state" "$seconds"
    RESULT_NAMES+=("$name")
    RESULT_STATES+=("$([ "$rc" = 0 ] && echo passed || echo failed)")
    RESULT_TIMES+=("$seconds")
    return "$rc"
}

summary() {
    local i passed=0 failed=0
    printf '\n%-12s %-8s %8s\n' step result seconds
    printf '%-12s %-8s %8s\n' ------------ -------- --------
    for i in "${!RESULT_NAMES[@]}"; do
        printf '%-12s %-8s %8s\n' "${RESULT_NAMES[$i]}" "${RESULT_STATES[$i]}" "${RESULT_TIMES[$i]}"
        if [ "${RESULT_STATES[$i]}" = passed ]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
        fi
    done
    printf '\n%d passed, %d failed\n' "$passed" "$failed"
    [ "$failed" = 0 ]
}

main() {
    local step selected=()
    for step in "$@"; do
        case "$step" in
            --list) printf '%s\n' "${STEPS[@]}"; return 0 ;;
            -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; return 0 ;;
        esac
        if ! declare -F "step_$step" >/dev/null; then
            die "unknown step '$step' (steps: ${STEPS[*]})"
        fi
        selected+=("$step")
    done
    if [ "${#selected[@]}" = 0 ]; then
        selected=("${STEPS[@]}")
    fi

    isolate
    # run_step is never called where its status is tested (if, ||, &&): there bash would
    # ignore errexit inside the step too, and a step would pass on its last command alone.
    run_step bootstrap bootstrap
    if [ "${RESULT_STATES[-1]}" != passed ]; then
        log "bootstrap failed: not running the steps"
        run_step isolation check_isolation
        summary
        return 1
    fi
    # Plain output in logs (molecule colours whenever TERM says xterm, even into a pipe).
    if [ ! -t 1 ]; then
        export NO_COLOR=1 ANSIBLE_NOCOLOR=1
    fi

    for step in "${selected[@]}"; do
        run_step "$step" "step_$step"
    done
    run_step isolation check_isolation
    summary
}

main "$@"
