#!/usr/bin/env bash
# Copy the working tree (tracked files plus untracked files that are not git-ignored) into
# build/ansible_collections/fastcron/cloud, emptied first, make it a git repository of its
# own (nothing committed; see lib.sh) and print that path.
#
# ansible-test needs the collection at .../ansible_collections/<namespace>/<name> in a real
# directory (it refuses symlinks); run it from there:
#   cd "$(scripts/stage.sh)" && ansible-test sanity --venv --python 3.12
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

stage
printf '%s\n' "$STAGE_DIR"
