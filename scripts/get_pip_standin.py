"""Offline stand-in for the ``get-pip.py`` script that ansible-test downloads.

ansible-test bootstraps pip into every virtual environment it creates (``--venv``, and the
per-test environments of ``sanity``) by running ``~/.ansible/test/cache/get_pip_<version>.py``,
and downloads that file from a host outside the package registries when it is missing.
Where only the package registries are reachable that download fails, so
the ansible-test sessions of ``noxfile.py`` copy this file there (in the suite's own HOME) under the names that
the installed ansible-test versions ask for.

ansible-test runs it as ``python get_pip_X_Y.py [pip options] pip==X.Y [...] [--no-setuptools]
[--no-wheel]``. Like the real script, it installs pip into the interpreter running it: first
the copy bundled with Python (``ensurepip``), which then installs the requested packages from
the configured package index.
"""

from __future__ import annotations

import re
import subprocess
import sys

try:
    from importlib.metadata import PackageNotFoundError, distribution
except ImportError:  # Python < 3.8, which ansible-core 2.16+ does not need here
    distribution = None

# get-pip.py options that pip itself does not know, and the package each one leaves out.
GET_PIP_ONLY_OPTIONS = {
    '--no-setuptools': 'setuptools',
    '--no-wheel': 'wheel',
}


def run(args):
    """Run python with the given arguments and exit on failure."""
    command = [sys.executable, *args]
    result = subprocess.call(command)

    if result != 0:
        sys.stderr.write('get-pip stand-in: command failed with exit code %d: %s\n' % (result, ' '.join(command)))
        sys.exit(result)


def is_installed(name):
    """Return True when the distribution is installed in this interpreter's environment."""
    if distribution is None:
        return True

    try:
        distribution(name)
    except PackageNotFoundError:
        return False

    return True


def main():
    """Install pip with ensurepip, then the requested packages with that pip."""
    args = sys.argv[1:]
    left_out = [GET_PIP_ONLY_OPTIONS[arg] for arg in args if arg in GET_PIP_ONLY_OPTIONS]
    pip_args = [arg for arg in args if arg not in GET_PIP_ONLY_OPTIONS]

    run(['-m', 'ensurepip'])
    run(['-m', 'pip', 'install', *pip_args])

    # ensurepip also installs setuptools on Python < 3.12; the real script would not.
    requested = [re.split(r'[<>=!~ \[]', arg)[0].lower() for arg in pip_args]
    unwanted = [name for name in left_out if name not in requested and is_installed(name)]

    if unwanted:
        run(['-m', 'pip', 'uninstall', '--yes', '--quiet', *unwanted])


if __name__ == '__main__':
    main()
