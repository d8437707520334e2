# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Measure the window in which two controllers that share nothing both create one name.

Usage: python scripts/create_race.py [--trials N] [--offsets 0,0.25,0.5,...] [--rate-limit SECONDS]
                                     [--module fastcron_cron|fastcron_group]

Each trial starts the local simulator's account empty and runs the module (state=present,
one name) in two processes with separate temporary and state folders, the second OFFSET seconds
after the first, and counts the objects of that name afterwards: two are a duplicate. A duplicate
is caught in the same run when a run failed naming the ids of both. Per offset it prints how
often both created, how often that was caught, the failed runs, the refusals (HTTP 503), the
requests the service accepted, and the time from the first run's first request to the last
create, the widest gap seen between two creates that both took.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(REPO_ROOT, '..', '..', '..'))
sys.path.insert(0, COLLECTIONS_ROOT)

from ansible_collections.fastcron.cloud.tests.simulator.fastcron_simulator import Simulator  # noqa: E402
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import TOKEN, admin  # noqa: E402

MODULES = {
    # module: (its arguments, the /_admin/state key of its objects, its create function)
    'fastcron_cron': ({'name': 'race', 'url': 'https://example.com/race'}, 'crons', 'cron_add'),
    'fastcron_group': ({'name': 'race'}, 'groups', 'group_add'),
}


def start(url, folder, offset_from, module):
    """Start one module run in a process of its own, with folders of its own."""
    os.makedirs(os.path.join(folder, 'tmp'))
    arguments = os.path.join(folder, 'args.json')
    with open(arguments, 'w', encoding='utf-8') as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': dict(MODULES[module][0], api_url=url, api_token=TOKEN)}, handle)
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
        [sys.executable, '-m', 'ansible_collections.fastcron.cloud.plugins.modules.' + module, arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=folder,
    )


def trial(simulator, offset, root, rate_limit, module):
    """One race: (objects made, whether a failed run named all their ids, failed runs, refusals, log)."""
    admin(simulator, '/reset', {'rate_limit': rate_limit})
    begin = time.monotonic() + 0.2
    first = start(simulator.url, os.path.join(root, 'a'), begin, module)
    second = start(simulator.url, os.path.join(root, 'b'), begin + offset, module)
    outputs = [
        json.loads(process.communicate()[0].decode('utf-8').strip().splitlines()[-1]) for process in (first, second)
    ]
    ids = {str(item['id']) for item in admin(simulator, '/state')[MODULES[module][1]] if item['name'] == 'race'}
    failed = [output.get('msg') or '' for output in outputs if output.get('failed')]
    caught = len(ids) > 1 and any(ids <= set(re.findall(r'\d+', msg)) for msg in failed)
    return len(ids), caught, len(failed), admin(simulator, '/requests')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--trials', type=int, default=5)
    parser.add_argument('--offsets', default='0,0.25,0.5,1,1.5,2,3,4')
    parser.add_argument('--rate-limit', type=float, default=1.0)
    parser.add_argument('--module', choices=sorted(MODULES), default='fastcron_cron')
    args = parser.parse_args()
    offsets = [float(value) for value in args.offsets.split(',')]
    create = MODULES[args.module][2]
    print(
        '| start offset s | trials | both created | caught in the same run | failed runs | refused (503) '
        '| requests accepted per trial | widest gap between both creates: s | requests |'
    )
    print('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    with Simulator(tokens=[TOKEN], rate_limit=args.rate_limit) as simulator:
        for offset in offsets:
            duplicates = caught = failures = refused = accepted = 0
            widest = between = None
            for _dummy in range(args.trials):
                with tempfile.TemporaryDirectory(prefix='race-') as root:
                    made, seen, failed, log = trial(simulator, offset, root, args.rate_limit, args.module)
                duplicates += made > 1
                caught += seen
                failures += failed
                refused += sum(1 for entry in log if entry['http_status'] == 503)
                accepted += sum(1 for entry in log if entry['http_status'] == 200)
                creates = [entry for entry in log if entry['function'] == create and entry['code'] == 0]
                if made > 1 and len(creates) > 1:
                    widest = max(widest or 0, creates[-1]['time'] - creates[0]['time'])
                    inside = [entry for entry in log if creates[0]['seq'] < entry['seq'] < creates[-1]['seq']]
                    between = max(between or 0, sum(1 for entry in inside if entry['http_status'] == 200))
            print(
                '| %.2f | %d | %d | %d | %d | %d | %.1f | %s | %s |'
                % (
                    offset,
                    args.trials,
                    duplicates,
                    caught,
                    failures,
                    refused,
                    accepted / float(args.trials),
                    '-' if widest is None else '%.1f' % widest,
                    '-' if between is None else between,
                ),
                flush=True,
            )
    return 0


if __name__ == '__main__':
    sys.exit(main())
