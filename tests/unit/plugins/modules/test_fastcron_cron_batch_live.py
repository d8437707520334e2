# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""fastcron_cron_batch's batch writes under lost answers, over real HTTP against the simulator.

A lost cron_batch_add answer is never resent: one listing adopts what it made, or
the task fails saying that a rerun adopts or creates it. Whatever the fault, a rerun
converges to exactly one cronjob per entry, and a third run changes nothing.
"""

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron_batch
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.test_fault_matrix import (
    API_TIMEOUT,
    RETRIES,
    SLOW,
    wait_for_slow_answers,
)

pytestmark = pytest.mark.http  # every test here talks real HTTP to the simulator

NAMES = ['batch-a', 'batch-b', 'batch-c']
CREATE = [{'name': name, 'url': 'https://example.com/%s' % name, 'timeout': 60} for name in NAMES] + [
    {'name': 'kept', 'url': 'https://example.com/kept'}
]

# fault -> whether the task adopts what the lost answer made (else it fails, saying that it may still be created)
ADD_FAULTS = {
    'dropped before processing': ({'kind': 'drop'}, False),
    'dropped after processing': ({'kind': 'drop', 'after_processing': True}, True),
    '502 before processing': ({'kind': '502'}, False),
    '502 after processing': ({'kind': '502', 'after_processing': True}, True),
    # The listing comes before the slow request is processed; it lands afterwards, once.
    'slow past api_timeout, before processing': ({'kind': 'slow', 'delay': SLOW}, False),
    'slow past api_timeout, after processing': ({'kind': 'slow', 'delay': SLOW, 'after_processing': True}, True),
}
DELETE_FAULTS = {
    'dropped after processing': {'kind': 'drop', 'after_processing': True},
    '502 after processing': {'kind': '502', 'after_processing': True},
    'dropped before processing': {'kind': 'drop'},
    'slow past api_timeout, after processing': {'kind': 'slow', 'delay': SLOW, 'after_processing': True},
}


@pytest.fixture
def account(simulator, monkeypatch):
    """An account holding the group ops, with 'kept' in it and 'outside' outside it."""
    no_throttle(monkeypatch)
    admin(
        simulator, '/reset', {'rate_limit': 0, 'timeout_cap': None}
    )  # no plan cap: the entries ask for a timeout of 60
    group = admin(simulator, '/seed', {'groups': [{'name': 'ops'}]})['groups'][0]['id']
    admin(
        simulator,
        '/seed',
        {
            'crons': [
                {'name': 'kept', 'url': 'https://example.com/kept', 'group': group},
                {'name': 'outside', 'url': 'https://example.com/outside'},
            ]
        },
    )

    def run(args):
        return run_live(
            monkeypatch,
            fastcron_cron_batch.main,
            dict(args, api_url=simulator.url, api_timeout=API_TIMEOUT, api_retries=RETRIES),
        )

    def names():
        return sorted(cron['name'] for cron in admin(simulator, '/state')['crons'])

    def calls(function):
        return [entry for entry in admin(simulator, '/requests') if entry['function'] == function]

    return run, names, calls


@pytest.mark.parametrize('scope', [None, 'ops'])
@pytest.mark.parametrize('fault', list(ADD_FAULTS))
def test_a_lost_batch_add_answer_never_makes_a_duplicate(simulator, account, fault, scope):
    run, names, calls = account
    args = {'crons': CREATE} if scope is None else {'crons': CREATE, 'group': scope, 'purge': True}
    spec, adopted = ADD_FAULTS[fault]
    admin(simulator, '/faults', dict(spec, function='cron_batch_add'))

    result = run(args)
    wait_for_slow_answers(simulator)
    assert len(calls('cron_batch_add')) == 1, 'a batch add was sent again'
    if adopted:
        assert (result['failed'], result['changed']) == (False, True), result.get('msg')
        assert sorted(cron['name'] for cron in result['created']) == NAMES
        assert all(isinstance(cron['id'], int) for cron in result['crons'])
    else:
        assert (result['failed'], result['changed']) == (True, False), result.get('msg')
        assert "the create of cronjobs 'batch-a', 'batch-b', 'batch-c' may still take effect" in result['msg']
        assert 'Run the task again' in result['msg']
        assert result['api_function'] == 'cron_batch_add'

    admin(simulator, '/faults', method='DELETE')
    rerun = run(args)
    assert not rerun['failed'], rerun['msg']
    assert names() == sorted([*NAMES, 'kept', 'outside'])
    again = run(args)
    assert (again['failed'], again['changed']) == (False, False), again.get('msg')
    assert [cron['name'] for cron in again['crons']] == [*NAMES, 'kept']


@pytest.mark.parametrize('fault', list(DELETE_FAULTS))
def test_a_lost_batch_delete_answer_is_settled_by_a_listing(simulator, account, fault):
    run, names, _calls = account
    admin(simulator, '/faults', dict(DELETE_FAULTS[fault], function='cron_batch_delete'))
    args = {'group': 'ops', 'purge': True, 'crons': [{'name': 'outside', 'state': 'absent'}]}
    result = run(args)
    wait_for_slow_answers(simulator)
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert sorted(cron['name'] for cron in result['deleted']) == ['kept']
    assert names() == ['outside']
    again = run(args)
    assert (again['failed'], again['changed']) == (False, False), again.get('msg')


def test_a_purge_never_reaches_outside_its_group(simulator, account):
    run, names, calls = account
    result = run({'group': 'ops', 'purge': True, 'crons': []})
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert names() == ['outside']
    assert [entry['params']['id'] for entry in calls('cron_batch_delete')] == [
        [cron['id'] for cron in result['deleted']]
    ]
