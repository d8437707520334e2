# Shared helpers for the scripts in this directory. Source it, do not run it:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables are used by the scripts that source this file

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

COLLECTION_NAMESPACE=fastcron
COLLECTION_NAME=cloud

# Virtual environments (all git-ignored through /.venv*/).
VENV_DEV="$REPO_ROOT/.venv"                 # Python 3.12, newest ansible-core: the main one
VENV_OLDEST="$REPO_ROOT/.venv-oldest"       # Python 3.11, oldest ansible-core that meta/runtime.yml admits
VENV_IMPORTER="$REPO_ROOT/.venv-importer"   # galaxy-importer, whose pins would hold back the main venv

# Everything generated lives under build/ (git-ignored, left out of the artifact).
BUILD_DIR="$REPO_ROOT/build"
# ansible-test only works on a collection that sits at .../ansible_collections/<ns>/<name>
# in a real directory (not behind a symlink), so the working tree is copied there.
STAGE_DIR="$BUILD_DIR/ansible_collections/$COLLECTION_NAMESPACE/$COLLECTION_NAME"
# Directory of symlinks to the real interpreters (see use_real_pythons).
PYTHONS_DIR="$BUILD_DIR/pythons"

# Python versions that the modules are tested on, when present on the machine.
# ansible-core 2.21 supports 3.9-3.11 as targets and 3.12+ as controller as well.
TARGET_PYTHONS=(3.9 3.10 3.11 3.12 3.13)

log() {
    printf '%s\n' "$*" >&2
}

die() {
    log "ERROR: $*"
    exit 1
}

# find_python VERSION: print the path of a real (non-shim) interpreter for VERSION, e.g. 3.12,
# or return 1. pyenv's shims only forward to whichever version is selected, so they are no
# use to tools that look for "python3.X" by name; prefer the pyenv installation directly.
find_python() {
    local version="$1" root="" candidate=""
    if command -v pyenv >/dev/null 2>&1; then
        root="$(pyenv root 2>/dev/null || true)"
    fi
    root="${root:-${PYENV_ROOT:-$HOME/.pyenv}}"
    if [ -d "$root/versions" ]; then
        # highest patch release first (3.12.10 sorts after 3.12.9)
        candidate="$(find "$root/versions" -mindepth 3 -maxdepth 3 -path "$root/versions/$version.*/bin/python$version" 2>/dev/null \
            | sort -V | tail -n 1)"
    fi
    if [ -z "$candidate" ] && command -v "python$version" >/dev/null 2>&1; then
        candidate="python$version"
    fi
    [ -n "$candidate" ] || return 1
    # Resolve a shim or a wrapper to the interpreter it ends up running, and check that it runs.
    "$candidate" -c 'import sys; print(sys.executable)' 2>/dev/null || return 1
}

# use_real_pythons: put symlinks named python3.X to the real interpreters first on PATH.
# ansible-test searches PATH for "python3.X"; pyenv's shims answer to every name but fail
# for versions that are not selected, so ansible-test would see none but the current one.
# Symlinks in a separate directory (rather than the pyenv bin directories themselves) keep
# "python3", "pip" and friends pointing where they pointed before.
use_real_pythons() {
    local version python
    mkdir -p "$PYTHONS_DIR"
    for version in "${TARGET_PYTHONS[@]}"; do
        if python="$(find_python "$version")"; then
            ln -sfn "$python" "$PYTHONS_DIR/python$version"
        else
            rm -f "$PYTHONS_DIR/python$version"
        fi
    done
    case ":$PATH:" in
        *":$PYTHONS_DIR:"*) ;;
        *) PATH="$PYTHONS_DIR:$PATH" ;;
    esac
    export PATH
}

# available_pythons [MIN]: print the versions of TARGET_PYTHONS present on this machine.
available_pythons() {
    local version
    for version in "${TARGET_PYTHONS[@]}"; do
        if find_python "$version" >/dev/null; then
            printf '%s\n' "$version"
        fi
    done
}

# stage: copy the working tree (tracked files plus untracked files that are not ignored)
# into $STAGE_DIR, which is emptied first, and make it a git repository of its own (nothing committed). ansible-test lists a collection's files through
# the nearest enclosing git repository: without one there it would find this repository,
# in which build/ is ignored, see no files at all and skip every test. The copied .gitignore
# then keeps ansible-test's own output (tests/output/) out of the tests.
stage() {
    stage_into "$STAGE_DIR"
}

# stage_into DEST: the same, into another .../ansible_collections/<namespace>/<name> path.
stage_into() {
    local dest="$1"
    case "$dest" in
        */ansible_collections/*/*) ;;
        *) die "stage: $dest is not an .../ansible_collections/<namespace>/<name> path" ;;
    esac
    rm -rf "$dest"
    mkdir -p "$dest"
    # Deleted-but-not-yet-committed files are still listed by ls-files; skip what is gone.
    (cd "$REPO_ROOT" && git ls-files -z -co --exclude-standard) \
        | (cd "$REPO_ROOT" && while IFS= read -r -d '' path; do
               if [ -e "$path" ] || [ -L "$path" ]; then printf '%s\0' "$path"; fi
           done) \
        | (cd "$REPO_ROOT" && xargs -0 -r cp --parents -P -p -t "$dest" --)
    git -C "$dest" -c init.defaultBranch=main init -q
}
