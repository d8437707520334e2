# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Measure the window in which two controllers that share nothing both create one name.

Usage: python scripts/create_race.py [--trials N] [--offsets 0,1,2,...] [--rate-limit SECONDS]

Each trial starts the local simulator's account empty and runs ``fastcron_cron`` (state=present,
one name) in two processes with separate temporary and state folders, the second OFFSET seconds
after the first, and counts the cronjobs of that name afterwards: two are a duplicate.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(REPO_ROOT, '..', '..', '..'))
sys.path.insert(0, COLLECTIONS_ROOT)

from ansible_collections.fastcron.cloud.tests.simulator.fastcron_simulator import Simulator  # noqa: E402
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import TOKEN, admin  # noqa: E402

MODULE = 'ansible_collections.fastcron.cloud.plugins.modules.fastcron_cron'


def start(url, folder, offset_from):
    """Start one module run in a process of its own, with folders of its own."""
    os.makedirs(os.path.join(folder, 'tmp'))
    arguments = os.path.join(folder, 'args.json')
    with open(arguments, 'w', encoding='utf-8') as handle:
        json.dump(
            {
                'ANSIBLE_MODULE_ARGS': {
                    'name': 'race',
                    'url': 'https://example.com/race',
                    'api_url': url,
                    'api_token': TOKEN,
                }
            },
            handle,
        )
    env = dict(
        os.environ,
        TMPDIR=os.path.join(folder, 'tmp'),
        FASTCRON_STATE_DIR=os.path.join(folder, 'state'),
        PYTHONPATH=COLLECTIONS_ROOT,
    )
    delay = offset_from - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    return subprocess.Popen(
        [sys.executable, '-m', MODULE, arguments], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=folder
    )


def trial(simulator, offset, root, rate_limit):
    admin(simulator, '/reset', {'rate_limit': rate_limit})
    begin = time.monotonic() + 0.2
    first = start(simulator.url, os.path.join(root, 'a'), begin)
    second = start(simulator.url, os.path.join(root, 'b'), begin + offset)
    outputs = [
        json.loads(process.communicate()[0].decode('utf-8').strip().splitlines()[-1]) for process in (first, second)
    ]
    made = sum(1 for cron in admin(simulator, '/state')['crons'] if cron['name'] == 'race')
    log = admin(simulator, '/requests')
    failed = [output.get('msg') for output in outputs if output.get('failed')]
    return made, failed, sum(1 for entry in log if entry['http_status'] == 503)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--trials', type=int, default=5)
    parser.add_argument('--offsets', default='0,0.5,1,1.5,2,3,4,6')
    parser.add_argument('--rate-limit', type=float, default=1.0)
    args = parser.parse_args()
    offsets = [float(value) for value in args.offsets.split(',')]
    print('| start offset s | trials | duplicates | failed runs | refused (503) |')
    print('| ---: | ---: | ---: | ---: | ---: |')
    with Simulator(tokens=[TOKEN], rate_limit=args.rate_limit) as simulator:
        for offset in offsets:
            duplicates = failures = refused = 0
            for _dummy in range(args.trials):
                with tempfile.TemporaryDirectory(prefix='race-') as root:
                    made, failed, refusals = trial(simulator, offset, root, args.rate_limit)
                duplicates += made > 1
                failures += len(failed)
                refused += refusals
            print('| %.1f | %d | %d | %d | %d |' % (offset, args.trials, duplicates, failures, refused), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
