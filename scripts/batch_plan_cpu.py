#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module CPU and peak memory of a no-op fastcron_cron_batch over N cronjobs, against the simulator.

The simulator runs in a process of its own without its rate limit, so the CPU time
measured here is the module's alone: argument checks, plan, diff and result. Each size
runs in a process of its own, whose peak resident memory (RSS) is reported beside it, and
each size after the first says how much it grew against the one before.

    PYTHONPATH=<folder holding ansible_collections> python scripts/batch_plan_cpu.py [--secrets] [N ...]

Without N: 1000, 2000, 10000 and 50000. ``--secrets`` gives every entry (and the cronjob
it converges) a password and an Authorization header, which the module masks in its output.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.fastcron.cloud.plugins.module_utils import client as client_module
from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron_batch

TOKEN = '0123456789abcdef0123456789abcdef'
SIMULATOR = os.path.join(os.path.dirname(__file__), '..', 'tests', 'simulator', 'fastcron_simulator.py')


class Exited(Exception):
    pass


@contextlib.contextmanager
def simulator():
    with tempfile.TemporaryDirectory() as folder:
        port_file = os.path.join(folder, 'port')
        process = subprocess.Popen(
            [sys.executable, SIMULATOR, '--rate-limit', '0', '--port-file', port_file], stdout=subprocess.DEVNULL
        )
        try:
            for _dummy in range(100):
                if os.path.exists(port_file):
                    break
                time.sleep(0.1)
            with open(port_file) as handle:
                yield 'http://127.0.0.1:%s' % handle.read().strip()
        finally:
            process.terminate()
            process.wait()


def admin(base, path, body):
    request = urllib.request.Request(
        base + '/_admin' + path,
        data=json.dumps(body).encode(),
        method='POST',
        headers={'Content-Type': 'application/json'},
    )
    with urllib.request.urlopen(request, timeout=600) as answer:
        return json.loads(answer.read() or b'null')


def run_batch(base, crons):
    """CPU seconds of one run of the module's main(), and its result."""

    def leave(module, **result):
        raise Exited(result)

    basic.AnsibleModule.exit_json = basic.AnsibleModule.fail_json = leave
    client_module.RateGate.turn = lambda self: contextlib.nullcontext()
    args = {'api_token': TOKEN, 'api_url': base + '/api/v1', 'crons': crons, '_ansible_diff': True}
    start = time.process_time()
    try:
        with patch_module_args(args):
            fastcron_cron_batch.main()
    except Exited as exited:
        return time.process_time() - start, exited.args[0]
    raise AssertionError('the module did not exit')


def entries(size, secrets):
    crons = []
    for number in range(1, size + 1):
        cron = {'name': 'job-%04d' % number, 'url': 'https://example.com/job/%d' % number}
        if secrets:
            cron.update(
                password='pw-%05d-secret' % number, http_headers={'Authorization': 'Bearer tok-%05d-secret' % number}
            )
        crons.append(cron)
    return crons


def measure(size, secrets):
    """One size, in this process: (module CPU seconds, peak RSS in MiB)."""
    with simulator() as base:
        admin(base, '/reset', {'rate_limit': 0, 'fields': 'echo'})
        crons = entries(size, secrets)
        seeded = [
            dict(
                name=cron['name'],
                url=cron['url'],
                password=cron.get('password'),
                httpHeaders='Authorization: %s' % cron['http_headers']['Authorization'] if secrets else None,
            )
            for cron in crons
        ]
        admin(
            base,
            '/seed',
            {'crons': [{key: value for key, value in cron.items() if value is not None} for cron in seeded]},
        )
        seconds, result = run_batch(base, crons)
        assert not result.get('failed') and not result['changed'], result.get('msg')
        assert 'secret' not in json.dumps(result), 'a credential shows in the result'
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv):
    secrets = '--secrets' in argv
    if '--one' in argv:
        print(json.dumps(measure(int(argv[argv.index('--one') + 1]), secrets)))
        return
    sizes = [int(size) for size in argv if size.isdigit()] or [1000, 2000, 10000, 50000]
    previous = None
    print(
        'no-op batch%s: entries, module CPU, peak RSS, growth against the size before'
        % (' (a password and an Authorization header each)' if secrets else '')
    )
    for size in sizes:
        command = [sys.executable, __file__, '--one', str(size)] + (['--secrets'] if secrets else [])
        seconds, rss = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        growth = (
            '' if previous is None else '  CPU x %.2f for x %.1f entries' % (seconds / previous[1], size / previous[0])
        )
        print('%6d entries: %6.2f s module CPU, %6.0f MiB peak RSS%s' % (size, seconds, rss, growth))
        previous = (size, seconds)


if __name__ == '__main__':
    main(sys.argv[1:])
