# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""fastcron_cron_pause over real HTTP against the simulator."""

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron_pause
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live

pytestmark = pytest.mark.http  # every test here talks real HTTP to the simulator


@pytest.fixture
def account(simulator, monkeypatch):
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0})
    admin(
        simulator,
        '/seed',
        {
            'crons': [
                {'name': 'report', 'url': 'https://x.test/report'},
                {'name': 'twin', 'url': 'https://x.test/a'},
                {'name': 'twin', 'url': 'https://x.test/b'},
            ]
        },
    )
    admin(simulator, '/requests', method='DELETE')
    return simulator


def run(account, monkeypatch, check_mode=False, **args):
    return run_live(
        monkeypatch, fastcron_cron_pause.main, dict(args, api_url=account.url, api_retries=1), check_mode=check_mode
    )


def stored(account, name='report'):
    return next(cron for cron in admin(account, '/state')['crons'] if cron['name'] == name)


def requests(account, function=None):
    return [entry for entry in admin(account, '/requests') if function is None or entry['function'] == function]


def test_a_pause_by_name_sends_the_duration_in_its_normal_form(account, monkeypatch):
    before = admin(account, '/clock')['now']
    result = run(account, monkeypatch, name='report', **{'for': ' 2  Hours '})
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    cron = stored(account)
    assert [(entry['function'], entry['params']) for entry in requests(account)] == [
        ('cron_list', {'keyword': 'report', 'page': 1, 'token': '***'}),
        ('cron_pause', {'id': cron['id'], 'for': '2 hours', 'token': '***'}),
    ]
    assert 7200 <= cron['pauseUntil'] - before < 7260
    assert result['cron']['id'] == cron['id']
    assert 'diff' not in result


@pytest.mark.parametrize('paused_status, status_name', [(5, 'unknown'), (0, 'active'), (1, 'disabled')])
def test_the_result_is_the_cronjob_as_returned_whatever_status_it_reports(
    account, monkeypatch, paused_status, status_name
):
    admin(account, '/config', {'paused_status': paused_status})
    cron_id = stored(account)['id']
    result = run(account, monkeypatch, id=cron_id, **{'for': '1 day'})
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert (result['cron']['status'], result['cron']['status_name']) == (paused_status, status_name)
    assert [entry['function'] for entry in requests(account)] == ['cron_get', 'cron_pause']


def test_left_out_the_duration_is_not_sent(account, monkeypatch):
    result = run(account, monkeypatch, name='report')
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert [entry['params'] for entry in requests(account, 'cron_pause')] == [
        {'id': stored(account)['id'], 'token': '***'}
    ]
    assert stored(account)['pauseUntil'] is not None


def test_pausing_again_is_a_change_again(account, monkeypatch):
    first = run(account, monkeypatch, name='report', **{'for': '15 minutes'})
    again = run(account, monkeypatch, name='report', **{'for': '15 minutes'})
    assert (first['changed'], again['changed']) == (True, True)
    assert len(requests(account, 'cron_pause')) == 2


def test_check_mode_finds_the_cronjob_and_asks_for_nothing(account, monkeypatch):
    result = run(account, monkeypatch, check_mode=True, name='report', **{'for': '1 hour'})
    assert (result['failed'], result['changed']) == (False, True)
    assert (result['cron']['id'], result['cron']['status_name']) == (stored(account)['id'], 'active')  # as looked up
    assert [entry['function'] for entry in requests(account)] == ['cron_list']
    assert stored(account)['pauseUntil'] is None


@pytest.mark.parametrize(
    'args, message',
    [
        ({'name': 'nobody'}, "No cronjob has the name 'nobody'"),
        ({'id': 999999}, "No cronjob has the id 999999"),
        ({'name': 'twin'}, '2 cronjobs are named'),
    ],
)
def test_no_single_cronjob_fails_without_a_pause(account, monkeypatch, args, message):
    result = run(account, monkeypatch, **dict(args, **{'for': '1 hour'}))
    assert (result['failed'], result['changed']) == (True, False)
    assert message in result['msg']
    assert requests(account, 'cron_pause') == []


@pytest.mark.parametrize(
    'fault', [{'kind': 'drop', 'after_processing': True}, {'kind': '502', 'after_processing': True}, {'kind': 'drop'}]
)
def test_a_pause_whose_answer_is_lost_is_sent_again(account, monkeypatch, fault):
    admin(account, '/faults', dict(fault, function='cron_pause'))
    result = run(account, monkeypatch, name='report', **{'for': '1 hour'})
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert len(requests(account, 'cron_pause')) == 2
    assert result['cron']['id'] == stored(account)['id']
    assert stored(account)['pauseUntil'] is not None


def test_a_pause_the_service_refuses_fails_naming_function_and_code(account, monkeypatch):
    admin(account, '/config', {'error_status': True})
    monkeypatch.setattr(fastcron_cron_pause, 'duration_problem', lambda value: None)  # past the module's own check
    monkeypatch.setattr(fastcron_cron_pause, 'duration', lambda value: 'whenever')
    result = run(account, monkeypatch, name='report', **{'for': 'x'})
    assert (result['failed'], result['changed']) == (True, False)
    assert (result['api_function'], result['api_code']) == ('cron_pause', 20)
    assert 'cron_pause' in result['msg'] and "'for'" in result['msg']
