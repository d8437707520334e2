#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module CPU of a no-op fastcron_cron_batch over N cronjobs, against the simulator.

The simulator runs in a process of its own without its rate limit, so the CPU time
measured here is the module's alone: argument checks, plan, diff and result.

    PYTHONPATH=<folder holding ansible_collections> python scripts/batch_plan_cpu.py 2000 10000
"""

from __future__ import annotations

import contextlib
import json
import os
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


def main(sizes):
    for size in sizes:
        with simulator() as base:
            admin(base, '/reset', {'rate_limit': 0})
            admin(base, '/seed', {'generate': {'count': size, 'prefix': 'job'}})
            crons = [
                {'name': 'job-%04d' % number, 'url': 'https://example.com/job/%d' % number}
                for number in range(1, size + 1)
            ]
            seconds, result = run_batch(base, crons)
            assert not result.get('failed') and not result['changed'], result.get('msg')
            print('%6d entries: %.2f s module CPU' % (size, seconds))


if __name__ == '__main__':
    main([int(size) for size in sys.argv[1:]] or [2000, 10000])
