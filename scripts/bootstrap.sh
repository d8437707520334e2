#!/usr/bin/env bash
# Create or update the development environments of this collection.
#
#   scripts/bootstrap.sh          create/update .venv, .venv-oldest and .venv-importer
#   scripts/bootstrap.sh --lock   re-resolve requirements/*.txt and rewrite requirements/*.lock.txt
#
# Idempotent: a virtual environment whose stamp file matches the hash of its interpreter and
# requirement files is left alone, so a second run takes a couple of seconds. A changed
# requirement file recreates that environment from scratch.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REQ_DIR="$REPO_ROOT/requirements"
LOG_DIR="$BUILD_DIR/logs"

# name  directory  python  requirements
ENVIRONMENTS=(
    "dev      $VENV_DEV      3.12 $REQ_DIR/dev.txt"
    "oldest   $VENV_OLDEST   3.11 $REQ_DIR/oldest.txt"
    "importer $VENV_IMPORTER 3.12 $REQ_DIR/importer.txt"
)

# pip_quiet LOGFILE ARGS...: run pip, keeping its output in LOGFILE and showing it on failure.
# (This machine's pip configuration names local package directories that do not all exist,
# so pip prints a warning per package; the log keeps the console readable.)
pip_quiet() {
    local logfile="$1"
    shift
    if ! "$@" >>"$logfile" 2>&1; then
        tail -n 40 "$logfile" >&2
        die "pip failed, full log: $logfile"
    fi
}

requirements_hash() {
    local python="$1" requirements="$2" lock="${2%.txt}.lock.txt"
    {
        printf '%s\n' "$python"
        "$python" -c 'import sys; print(sys.version)'
        cat "$REQ_DIR/pip.txt" "$requirements"
        if [ -f "$lock" ]; then cat "$lock"; fi
    } | sha256sum | cut -d ' ' -f 1
}

ensure_venv() {
    local name="$1" dir="$2" version="$3" requirements="$4"
    local python lock="${4%.txt}.lock.txt" stamp="$2/.requirements.sha256" want start logfile
    python="$(find_python "$version")" || die "no Python $version found (pyenv or python$version on PATH)"
    want="$(requirements_hash "$python" "$requirements")"
    if [ -x "$dir/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        log "bootstrap: $name environment up to date ($dir)"
        return 0
    fi
    start=$SECONDS
    logfile="$LOG_DIR/pip-$name.log"
    : >"$logfile"
    log "bootstrap: creating $name environment ($dir, Python $version, $(basename "$requirements"))"
    rm -rf "$dir"
    "$python" -m venv "$dir"
    pip_quiet "$logfile" "$dir/bin/python" -m pip install -r "$REQ_DIR/pip.txt"
    if [ -f "$lock" ]; then
        pip_quiet "$logfile" "$dir/bin/python" -m pip install -r "$requirements" -c "$lock"
    else
        pip_quiet "$logfile" "$dir/bin/python" -m pip install -r "$requirements"
    fi
    printf '%s\n' "$want" >"$stamp"
    log "bootstrap: $name environment ready in $((SECONDS - start)) s"
}

# lock_venv: resolve the requirements afresh in a scratch environment and freeze the result.
lock_venv() {
    local name="$1" version="$3" requirements="$4"
    local python lock="${4%.txt}.lock.txt" scratch logfile
    python="$(find_python "$version")" || die "no Python $version found"
    scratch="$(mktemp -d)"
    logfile="$LOG_DIR/pip-lock-$name.log"
    : >"$logfile"
    log "bootstrap: resolving $(basename "$requirements") on Python $version"
    "$python" -m venv "$scratch/venv"
    pip_quiet "$logfile" "$scratch/venv/bin/python" -m pip install -r "$REQ_DIR/pip.txt"
    pip_quiet "$logfile" "$scratch/venv/bin/python" -m pip install -r "$requirements"
    {
        printf '# Every package of the %s environment, as resolved from %s on Python %s.\n' \
            "$name" "$(basename "$requirements")" "$version"
        printf '# Used as pip constraints by scripts/bootstrap.sh; regenerate with: scripts/bootstrap.sh --lock\n'
        "$scratch/venv/bin/python" -m pip freeze --all --exclude-editable 2>/dev/null | grep -v -E '^(pip|setuptools|wheel)=='
    } >"$lock"
    rm -rf "$scratch"
    log "bootstrap: wrote $lock"
}

# ansible-test sanity runs shellcheck over the shell scripts when it is installed, and skips
# that test otherwise. Install it from Debian's packages when missing and when we may.
ensure_shellcheck() {
    if command -v shellcheck >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        log "bootstrap: WARNING: shellcheck is missing (install it); ansible-test sanity will skip the shellcheck test"
        return 0
    fi
    log "bootstrap: installing shellcheck with apt-get"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends shellcheck; } \
        >"$LOG_DIR/apt-shellcheck.log" 2>&1 </dev/null; then
        tail -n 20 "$LOG_DIR/apt-shellcheck.log" >&2
        log "bootstrap: WARNING: could not install shellcheck; ansible-test sanity will skip the shellcheck test"
    fi
}

main() {
    local entry name dir version requirements start=$SECONDS
    mkdir -p "$LOG_DIR"
    if [ "${1:-}" = "--lock" ]; then
        for entry in "${ENVIRONMENTS[@]}"; do
            # shellcheck disable=SC2086  # split the table row into its fields
            lock_venv $entry
        done
    elif [ $# -gt 0 ]; then
        die "usage: $0 [--lock]"
    fi
    for entry in "${ENVIRONMENTS[@]}"; do
        read -r name dir version requirements <<<"$entry"
        ensure_venv "$name" "$dir" "$version" "$requirements"
    done
    ensure_shellcheck
    log "bootstrap: done in $((SECONDS - start)) s"
}

main "$@"
