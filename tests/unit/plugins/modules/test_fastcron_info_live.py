# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Adopting an account, over real HTTP against the simulator, whichever fields the service returns.

An account made by hand is exported with as_params and fed back: fastcron_cron_batch
then reports no change and sends no write, for the whole account and group by group.
"""

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.modules import (
    fastcron_cron_batch,
    fastcron_cron_info,
    fastcron_group_info,
)
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live

pytestmark = pytest.mark.http  # every test here talks real HTTP to the simulator

FIELD_MODES = ['echo', 'no_echo', 'examples']
# Fields each mode returns beside those of the reference's examples.
NOT_IN_EXAMPLES = {'timeout', 'instances', 'http_method', 'http_headers'}
ONLY_ECHOED = {'delay', 'username', 'user_agent', 'keyword'}


def seed_account(simulator):
    """Groups (two share a name, one is named with digits) and cronjobs of every kind; returns {name: group id}."""
    groups = admin(
        simulator,
        '/seed',
        {'groups': [{'name': 'ops'}, {'name': 'reports'}, {'name': 'twin'}, {'name': 'twin'}, {'name': '2024'}]},
    )['groups']
    ops, reports, twin_a, twin_b, year = [group['id'] for group in groups]
    crons = [
        {
            'name': 'backup',
            'url': 'https://shop.example.com/cron/backup',
            'expression': '0 3 * * *',
            'group': ops,
            'timezone': 'America/New_York',
            'timeout': 120,
            'instances': 1,
        },
        {
            'name': 'report-post',
            'url': 'https://shop.example.com/report',
            'group': reports,
            'httpMethod': 'POST',
            'postData': '{"format": "pdf", "pages": [1, 2]}',
            'httpHeaders': 'Content-Type: application/json\r\nX-Shop: eu',
            'userAgent': 'shop-cron/2.0',
            'expression': '1 day 17:05',
        },
        {
            'name': 'basic-auth',
            'url': 'https://intranet.example.com/sync',
            'username': 'cron',
            'password': 'LEAKCHECK-pass',
            'keyword': 'SYNC OK',
            'delay': 5,
            'notify': False,
            'httpMethod': 'PUT',
            'postData': 'a=1&b=2',
        },
        {'name': 'switched-off', 'url': 'https://shop.example.com/off', 'status': 1, 'group': ops},
        {'name': 'stopped-by-failures', 'url': 'https://shop.example.com/flaky', 'status': 4, 'fail': 3},
        {'name': 'expired', 'url': 'https://shop.example.com/expired', 'status': 2, 'httpMethod': 'HEAD'},
        {
            'name': 'manual-only',
            'url': 'https://shop.example.com/manual',
            'expression': 'manual',
            'httpMethod': 'DELETE',
        },
        {'name': 'twin-a-job', 'url': 'https://shop.example.com/twin/a', 'group': twin_a},
        {
            'name': 'twin-b-job',
            'url': 'https://shop.example.com/twin/b',
            'group': twin_b,
            'httpMethod': 'PATCH',
            'postData': 'x=1',
        },
        {'name': 'yearly', 'url': 'https://shop.example.com/year', 'group': year, 'expression': '0 0 1 1 *'},
        {'name': 'same-name', 'url': 'https://shop.example.com/same/1'},
        {'name': 'same-name', 'url': 'https://shop.example.com/same/2', 'group': ops, 'status': 1},
        {'url': 'https://shop.example.com/nameless', 'timezone': 'Asia/Tokyo'},
    ]
    admin(simulator, '/seed', {'crons': crons})
    return {'ops': ops, 'reports': reports, 'twin_a': twin_a, 'twin_b': twin_b, '2024': year}


@pytest.fixture(params=FIELD_MODES)
def account(request, simulator, monkeypatch):
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0, 'fields': request.param})
    groups = seed_account(simulator)
    admin(simulator, '/requests', method='DELETE')

    def run(main, args):
        result = run_live(monkeypatch, main, dict(args, api_url=simulator.url))
        assert not result['failed'], result['msg']
        return result

    def requests():
        log = admin(simulator, '/requests')
        admin(simulator, '/requests', method='DELETE')
        return log

    return request.param, groups, run, requests


def test_exported_cronjobs_fed_to_the_batch_change_nothing(account):
    mode, groups, run, requests = account
    exported = run(fastcron_cron_info.main, {'as_params': True})['crons']
    assert [entry['function'] for entry in requests()] == ['cron_list', 'group_list']

    result = run(fastcron_cron_batch.main, {'crons': exported})
    assert result['changed'] is False
    assert (result['created'], result['updated'], result['deleted']) == ([], [], [])
    log = requests()
    assert [entry['function'] for entry in log] == ['cron_list', 'group_list']
    assert not [entry for entry in log if entry['write']]

    by_name = {entry.get('name', 'nameless'): entry for entry in exported}
    assert len(exported) == 13
    assert 'LEAKCHECK-pass' not in repr(exported)
    assert all('password' not in entry and 'status' not in entry and 'fail' not in entry for entry in exported)
    # Groups by name; by id as a string when the name is shared or made of digits; "" for none.
    assert by_name['backup']['group'] == 'ops'
    assert by_name['twin-a-job']['group'] == str(groups['twin_a'])
    assert by_name['twin-b-job']['group'] == str(groups['twin_b'])
    assert by_name['yearly']['group'] == str(groups['2024'])
    assert by_name['basic-auth']['group'] == ''
    # enabled only where the status is 0 or 1.
    assert by_name['backup']['enabled'] is True
    assert by_name['switched-off']['enabled'] is False
    assert 'enabled' not in by_name['stopped-by-failures'] and 'enabled' not in by_name['expired']
    # A name that does not single a cronjob out comes with the id; a blank one is left out.
    same = [entry for entry in exported if entry.get('name') == 'same-name']
    assert len(same) == 2 and all('id' in entry for entry in same)
    assert 'name' not in by_name['nameless'] and isinstance(by_name['nameless']['id'], int)
    assert not any('id' in entry for entry in exported if entry.get('name') not in ('same-name', None))
    assert by_name['basic-auth']['notify'] is False
    assert by_name['nameless']['timezone'] == 'Asia/Tokyo'
    returned = set().union(*exported)
    if mode == 'examples':
        assert not returned & (NOT_IN_EXAMPLES | ONLY_ECHOED)
    else:
        assert by_name['report-post']['http_headers'] == {'Content-Type': 'application/json', 'X-Shop': 'eu'}
        assert by_name['report-post']['http_method'] == 'POST'
        assert by_name['backup']['instances'] == 1
    if mode == 'echo':
        assert (
            by_name['basic-auth']['username'],
            by_name['basic-auth']['keyword'],
            by_name['basic-auth']['delay'],
        ) == ('cron', 'SYNC OK', 5)
        assert by_name['report-post']['user_agent'] == 'shop-cron/2.0'
    else:
        assert not returned & ONLY_ECHOED


def test_exported_groups_and_their_cronjobs_fed_back_group_by_group_change_nothing(account):
    _mode, groups, run, requests = account
    exported = run(fastcron_group_info.main, {'as_params': True, 'cronjobs': True})['groups']
    assert [entry['function'] for entry in requests()] == ['group_list'] + ['group_items'] * 5
    # By id as well where the name is shared, or cannot name the group in a cronjob's group option.
    assert [group.get('id') for group in exported] == [None, None, groups['twin_a'], groups['twin_b'], groups['2024']]
    assert [group['name'] for group in exported] == ['ops', 'reports', 'twin', 'twin', '2024']
    assert [len(group['cronjobs']) for group in exported] == [3, 1, 1, 1, 1]

    for group in exported:
        # As the docs feed it back: the group's id where the export gives one, else its name.
        scope = str(group['id']) if 'id' in group else group['name']
        result = run(fastcron_cron_batch.main, {'group': scope, 'purge': True, 'crons': group['cronjobs']})
        assert (result['changed'], result['deleted']) == (False, []), group
    assert not [entry for entry in requests() if entry['write']]


def test_the_export_of_one_group_or_one_name(account):
    _mode, _groups, run, requests = account
    ops = run(fastcron_cron_info.main, {'as_params': True, 'group': 'ops'})['crons']
    assert sorted(entry['name'] for entry in ops) == ['backup', 'same-name', 'switched-off']
    # Alone in the group, the name singles the cronjob out: no id.
    assert not any('id' in entry for entry in ops)
    assert [entry['function'] for entry in requests()] == ['group_list', 'group_items']
    named = run(fastcron_cron_info.main, {'as_params': True, 'name': 'same-name'})['crons']
    assert len(named) == 2 and all('id' in entry for entry in named)
    assert run(fastcron_cron_batch.main, {'crons': named})['changed'] is False
    assert run(fastcron_cron_batch.main, {'group': 'ops', 'purge': True, 'crons': ops})['changed'] is False
    assert not [entry for entry in requests() if entry['write']]
