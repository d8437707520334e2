"""Check the files inside a built collection artifact.

Usage: python scripts/check_artifact.py dist/fastcron-cloud-X.Y.Z.tar.gz

Fails (exit code 1) when the tarball holds a path that must not ship (virtual environments,
build output, caches, test output, development scripts, other tarballs) or lacks a path
that must ship. Prints every problem found, then a one-line verdict.
"""

from __future__ import annotations

import fnmatch
import sys
import tarfile

# Directories (as path parts from the collection root) whose contents must not ship.
STRAY_DIRECTORIES = (
    ('.ansible',),
    ('tests', 'output'),
    ('build',),
    ('.git',),
    ('scripts',),
    ('.ci',),
    ('.nox',),
    ('noxfile.py',),
    ('antsibull-nox.toml',),
    ('ruff.toml',),
    ('ansible.cfg',),
)
# File or directory names that must not ship at any depth.
STRAY_NAME_PATTERNS = (
    '.venv*',
    '__pycache__',
    '*.pyc',
    '.pytest_cache',
    '*.tar.gz',
    '.git',
)

# Paths that must be in the artifact: a directory prefix ends with '/'.
REQUIRED = (
    'MANIFEST.json',
    'FILES.json',
    'README.md',
    'LICENSE',
    'meta/runtime.yml',
    'meta/execution-environment.yml',
    'requirements.txt',
    'plugins/modules/',
)


def normalise(name):
    """Return a member name without a leading './' or '/'."""
    while name.startswith('./'):
        name = name[2:]

    return name.strip('/')


def stray_reason(path):
    """Return why the path must not ship, or None."""
    parts = path.split('/')

    for prefix in STRAY_DIRECTORIES:
        if tuple(parts[: len(prefix)]) == prefix:
            return 'under %s/' % '/'.join(prefix)

    for part in parts:
        for pattern in STRAY_NAME_PATTERNS:
            if fnmatch.fnmatch(part, pattern):
                return 'matches %s' % pattern

    return None


def is_present(required, paths):
    """Return True when the required file, or a file under the required directory, is present."""
    if required.endswith('/'):
        return any(path.startswith(required) and len(path) > len(required) for path in paths)

    return required in paths


def check(tarball):
    """Return the list of problems found in the tarball."""
    with tarfile.open(tarball, 'r:gz') as archive:
        members = archive.getmembers()

    paths = set()
    problems = []

    for member in members:
        path = normalise(member.name)

        if not path:
            continue

        paths.add(path)
        reason = stray_reason(path)

        if reason:
            problems.append('stray path %s (%s)' % (path, reason))

        if member.issym() or member.islnk():
            problems.append('link in artifact: %s -> %s' % (path, member.linkname))

    for required in REQUIRED:
        if not is_present(required, paths):
            problems.append('missing required path %s' % required)

    return problems, len(paths)


def main(argv):
    """Check each tarball named on the command line."""
    if len(argv) < 2:
        sys.stderr.write('usage: python %s COLLECTION_TARBALL...\n' % argv[0])
        return 2

    failed = False

    for tarball in argv[1:]:
        problems, count = check(tarball)

        for problem in problems:
            print('%s: %s' % (tarball, problem))

        if problems:
            failed = True
            print('%s: FAILED, %d problem(s) in %d paths' % (tarball, len(problems), count))
        else:
            print('%s: ok, %d paths, no stray files, required paths present' % (tarball, count))

    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
