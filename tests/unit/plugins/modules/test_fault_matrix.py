# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every write under every fault, over real HTTP against the simulator.

``MATRIX`` is the documented outcome of each cell; docs/fault-matrix.md is
rendered from it (a test keeps the two equal; regenerate with
``python tests/unit/plugins/modules/test_fault_matrix.py`` from the collection
root). Each cell runs the module once with the fault, checks the result and
the account, then reruns it without faults: the rerun must converge to
exactly one object in the requested state, and a third run must change nothing.
"""

from __future__ import annotations

import os
import socket
import time

import pytest
from ansible.module_utils.ansible_release import __version__ as ansible_version

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron, fastcron_group
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live

COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
MATRIX_DOC = os.path.join(COLLECTION_ROOT, 'docs', 'fault-matrix.md')

API_TIMEOUT = 1
SLOW = 1.6  # seconds a slow answer takes: past API_TIMEOUT
RETRIES = 2

# name: (module, the arguments, the function that writes, what is seeded first)
OPERATIONS = {
    'create': (fastcron_cron, {'name': 'matrix', 'url': 'https://example.com/m'}, 'cron_add', None),
    'update': (fastcron_cron, {'name': 'matrix', 'timeout': 60}, 'cron_edit', 'cron'),
    'disable': (fastcron_cron, {'name': 'matrix', 'enabled': False}, 'cron_disable', 'cron'),
    'delete': (fastcron_cron, {'name': 'matrix', 'state': 'absent'}, 'cron_delete', 'cron'),
    'group create': (fastcron_group, {'name': 'matrix'}, 'group_add', None),
    'group delete': (fastcron_group, {'name': 'matrix', 'state': 'absent'}, 'group_delete', 'group'),
}

# name: the fault queued for the write function (None: the API URL points at a closed port)
FAULTS = {
    '503 once': {'kind': '503', 'count': 1},
    # A refusal uses up no retry: the cell runs with an api_retry_timeout shorter than the slowed pace.
    '503 past the budget': {'kind': '503', 'count': RETRIES + 1},
    '500 before processing': {'kind': '500'},
    '500 after processing': {'kind': '500', 'after_processing': True},
    '502 before processing': {'kind': '502'},
    '502 after processing': {'kind': '502', 'after_processing': True},
    '504 before processing': {'kind': '504'},
    '504 after processing': {'kind': '504', 'after_processing': True},
    'dropped before processing': {'kind': 'drop'},
    'dropped after processing': {'kind': 'drop', 'after_processing': True},
    'non-JSON before processing': {'kind': 'non_json'},
    'non-JSON after processing': {'kind': 'non_json', 'after_processing': True},
    'slow past api_timeout, before processing': {'kind': 'slow', 'delay': SLOW},
    'slow past api_timeout, after processing': {'kind': 'slow', 'delay': SLOW, 'after_processing': True},
    'connection refused': None,
}

OK, FAILED = 'ok', 'failed'
# Messages, by the policy that produced them.
LOST_CREATE = 'may still take effect'
MAYBE_APPLIED = 'may have applied it'
REFUSED = 'HTTP status 503'
NO_ANSWER = 'connection refused by'


# (operation, fault) -> (task result, changed, message fragment or '', the account afterwards)
MATRIX = {}


def _fill():
    applied = {
        'create': 'one cronjob',
        'update': 'timeout 60',
        'disable': 'disabled',
        'delete': 'no cronjob',
        'group create': 'one group',
        'group delete': 'no group',
    }
    unchanged = {
        'create': 'no cronjob',
        'update': 'timeout 30',
        'disable': 'active',
        'delete': 'one cronjob',
        'group create': 'no group',
        'group delete': 'one group',
    }
    creates = ('create', 'group create')
    for operation in OPERATIONS:
        is_create = operation in creates
        for fault in FAULTS:
            if fault == '503 once':
                cell = (OK, True, '', applied[operation])
            elif fault == '503 past the budget':
                cell = (FAILED, False, REFUSED, unchanged[operation])
            elif fault == 'connection refused':
                # Nothing reaches the service: the look-up before the write fails already.
                cell = (FAILED, False, NO_ANSWER, unchanged[operation])
            elif fault.startswith('non-JSON'):
                after = fault.endswith('after processing')
                if is_create:
                    # Not sent again; the look-up adopts what the service made, else the task fails.
                    cell = (
                        (OK, True, '', applied[operation])
                        if after
                        else (FAILED, False, LOST_CREATE, unchanged[operation])
                    )
                elif operation.endswith('delete'):
                    # A failed delete confirms absence.
                    cell = (
                        (OK, True, '', applied[operation])
                        if after
                        else (FAILED, False, MAYBE_APPLIED, unchanged[operation])
                    )
                else:
                    # Not retried (a stranger answered); the outcome is unknown, said so.
                    cell = (FAILED, False, MAYBE_APPLIED, applied[operation] if after else unchanged[operation])
            elif fault == 'slow past api_timeout, before processing' and is_create:
                # Not sent again; the look-up comes before the slow create lands, which then lands once.
                cell = (FAILED, False, LOST_CREATE, applied[operation])
            elif fault.endswith('before processing') and is_create:
                cell = (FAILED, False, LOST_CREATE, unchanged[operation])
            else:
                # Resent (edits, toggles, deletes) or adopted after one look-up (creates).
                cell = (OK, True, '', applied[operation])
            MATRIX[(operation, fault)] = cell


_fill()


def render_matrix():
    lines = [
        '# Fault matrix',
        '',
        'What a task does when a write meets a fault, as tested by',
        '`tests/unit/plugins/modules/test_fault_matrix.py` over real HTTP against the simulator',
        '(api_retries %d, api_timeout %d s, a slow answer %.1f s). Generated from that test; do not edit.'
        % (RETRIES, API_TIMEOUT, SLOW),
        '',
        'Policies: a **create** is never sent again once the service may have acted on it; one',
        'look-up by name adopts what it made, else the task fails and says that a rerun adopts or',
        'creates it. An **edit**, **enable** or **disable** is sent again (resending is harmless). A',
        '**delete** is sent again, and when it still fails, absence is confirmed by a look-up: gone',
        'means done. Refused requests (503) are always sent again, within `api_retry_timeout` (the',
        '503 cell runs with 1 s, less than the pace after a refusal), without using up `api_retries`;',
        'requests that never reached the service are always sent again, within `api_retries`.',
        '`changed` is true only after a write that succeeded.',
        '',
        'In every cell, a rerun without the fault converges to exactly one object in the requested',
        'state (no duplicate), and a third run reports no change.',
        '',
        '| operation | fault | task | changed | message says | account afterwards |',
        '| --- | --- | --- | --- | --- | --- |',
    ]
    for (operation, fault), (outcome, changed, message, account) in MATRIX.items():
        lines.append(
            '| %s | %s | %s | %s | %s | %s |'
            % (operation, fault, outcome, str(changed).lower(), '"%s"' % message if message else '', account)
        )
    lines.append('')
    lines.append('%d cells.' % len(MATRIX))
    return '\n'.join(lines) + '\n'


def closed_port_url():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    return 'http://127.0.0.1:%d/api/v1' % port


def account(simulator, operation):
    """The account as the matrix describes it."""
    state = admin(simulator, '/state')
    if operation.startswith('group'):
        groups = [group for group in state['groups'] if group['name'] == 'matrix']
        return {0: 'no group', 1: 'one group'}.get(len(groups), '%d groups' % len(groups))
    crons = [cron for cron in state['crons'] if cron['name'] == 'matrix']
    if operation in ('create', 'delete') or len(crons) != 1:
        return {0: 'no cronjob', 1: 'one cronjob'}.get(len(crons), '%d cronjobs' % len(crons))
    if operation == 'update':
        return 'timeout %d' % crons[0]['timeout']
    return 'active' if crons[0]['status'] == 0 else 'disabled'


def wait_for_slow_answers(simulator):
    """Let a slow request that is still being served finish before the account is read."""
    deadline = time.time() + SLOW + 2
    while time.time() < deadline:
        if all(entry['http_status'] is not None for entry in admin(simulator, '/requests')):
            return
        time.sleep(0.05)


# The cells exercise the client, the policies and the simulator, none of which depends on
# ansible-core: the newest runs them all, the oldest (the suite runs both) the first of each operation.
OLDEST_ANSIBLE = tuple(int(part) for part in ansible_version.split('.')[:2]) < (2, 17)


@pytest.mark.http
@pytest.mark.parametrize('operation, fault', list(MATRIX), ids=['%s / %s' % cell for cell in MATRIX])
def test_fault_matrix_cell(simulator, monkeypatch, operation, fault):
    if OLDEST_ANSIBLE and fault != '503 once':
        pytest.skip('run with the newest ansible-core')
    no_throttle(monkeypatch)
    module, args, function, seeded = OPERATIONS[operation]
    # The object table's fields: the update compares the timeout, which the vendor's examples lack;
    # and no plan cap, which would keep the timeout of 60 from taking whatever the fault.
    admin(simulator, '/reset', {'rate_limit': 0, 'fields': 'no_echo', 'timeout_cap': None})
    if seeded == 'cron':
        admin(simulator, '/seed', {'crons': [{'name': 'matrix', 'url': 'https://example.com/m', 'timeout': 30}]})
    elif seeded == 'group':
        admin(simulator, '/seed', {'groups': [{'name': 'matrix'}]})
    connection = dict(api_url=simulator.url, api_timeout=API_TIMEOUT, api_retries=RETRIES)
    if fault == '503 past the budget':
        connection['api_retry_timeout'] = 1
    if FAULTS[fault] is None:
        connection['api_url'] = closed_port_url()
    else:
        admin(simulator, '/faults', dict(FAULTS[fault], function=function))

    result = run_live(monkeypatch, module.main, dict(args, **connection))
    wait_for_slow_answers(simulator)

    outcome, changed, message, afterwards = MATRIX[(operation, fault)]
    assert (OK if not result['failed'] else FAILED, result['changed']) == (outcome, changed), result.get('msg')
    assert message in result.get('msg', ''), result.get('msg')
    if result['failed']:
        assert result['api_function'], result
        assert 'Traceback' not in result['msg']
    assert account(simulator, operation) == afterwards

    admin(simulator, '/faults', method='DELETE')
    connection['api_url'] = simulator.url
    rerun = run_live(monkeypatch, module.main, dict(args, **connection))
    assert not rerun['failed'], rerun['msg']
    converged = {
        'create': 'one cronjob',
        'update': 'timeout 60',
        'disable': 'disabled',
        'delete': 'no cronjob',
        'group create': 'one group',
        'group delete': 'no group',
    }
    assert account(simulator, operation) == converged[operation]
    again = run_live(monkeypatch, module.main, dict(args, **connection))
    assert (again['failed'], again['changed']) == (False, False)


def test_the_documented_matrix_is_the_tested_one():
    with open(MATRIX_DOC, encoding='utf-8') as handle:
        assert handle.read() == render_matrix(), 'docs/fault-matrix.md is stale: regenerate it (see this file)'


if __name__ == '__main__':
    with open(MATRIX_DOC, 'w', encoding='utf-8') as handle:
        handle.write(render_matrix())
