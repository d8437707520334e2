# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""fastcron_cron_run over real HTTP against the simulator."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron_run
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live

pytestmark = pytest.mark.http  # every test here talks real HTTP to the simulator


@pytest.fixture
def account(simulator, monkeypatch):
    no_throttle(monkeypatch)
    # Objects that carry httpMethod: a JSON payload for a reported GET is refused before the run.
    admin(simulator, '/reset', {'rate_limit': 0, 'fields': 'echo'})
    admin(
        simulator,
        '/seed',
        {
            'crons': [
                {'name': 'report', 'url': 'https://x.test/report', 'httpMethod': 'POST'},
                {'name': 'ping', 'url': 'https://x.test/ping'},
                {'name': 'off', 'url': 'https://x.test/off', 'status': 1},
            ]
        },
    )
    return simulator


def run(account, monkeypatch, check_mode=False, **args):
    return run_live(
        monkeypatch, fastcron_cron_run.main, dict(args, api_url=account.url, api_retries=1), check_mode=check_mode
    )


def runs_of(account, name):
    return next(cron['runs'] for cron in admin(account, '/state')['crons'] if cron['name'] == name)


def test_a_run_at_an_iso_time_with_a_dict_payload_is_sent_once_as_json(account, monkeypatch):
    result = run(account, monkeypatch, name='report', run_at='2030-01-01T10:00:00+01:00', payload={'shop': 'eu'})
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert result['run_at'] == {'timestamp': 1893488400, 'iso': '2030-01-01T09:00:00+00:00'}
    assert runs_of(account, 'report') == [{'time': 1893488400, 'payload': json.dumps({'shop': 'eu'})}]
    log = [entry['function'] for entry in admin(account, '/requests')]
    assert log[-1] == 'cron_run' and log.count('cron_run') == 1


def test_a_unix_timestamp_and_a_query_string_payload(account, monkeypatch):
    result = run(account, monkeypatch, name='ping', run_at='1893488400', payload='a=1&b=2')
    assert result['run_at']['timestamp'] == 1893488400
    assert runs_of(account, 'ping') == [{'time': 1893488400, 'payload': 'a=1&b=2'}]


def test_check_mode_asks_for_nothing(account, monkeypatch):
    result = run(account, monkeypatch, check_mode=True, name='ping')
    assert (result['failed'], result['changed']) == (False, True)
    assert runs_of(account, 'ping') == []
    assert [entry for entry in admin(account, '/requests') if entry['write']] == []


@pytest.mark.parametrize(
    'args, message',
    [
        ({'name': 'ping', 'payload': {'a': 1}}, 'FastCron takes JSON only for POST, PUT and PATCH cronjobs'),
        ({'name': 'ping', 'payload': '{"a": 1}'}, 'FastCron takes JSON only for POST, PUT and PATCH cronjobs'),
        ({'name': 'off'}, 'is disabled; FastCron does not run disabled cronjobs.'),
        ({'name': 'nobody'}, "No cronjob has the name 'nobody'"),
        ({'name': 'ping', 'run_at': 'tomorrow'}, 'run_at must be a Unix timestamp or an ISO 8601 date and time'),
    ],
)
def test_what_cannot_run_fails_before_the_run_is_asked_for(account, monkeypatch, args, message):
    result = run(account, monkeypatch, **args)
    assert (result['failed'], result['changed']) == (True, False)
    assert message in result['msg']
    assert [entry for entry in admin(account, '/requests') if entry['write']] == []


@pytest.mark.parametrize(
    'fault', [{'kind': 'drop', 'after_processing': True}, {'kind': '502', 'after_processing': True}, {'kind': 'drop'}]
)
def test_a_run_whose_answer_is_lost_is_never_sent_again(account, monkeypatch, fault):
    admin(account, '/faults', dict(fault, function='cron_run'))
    result = run(account, monkeypatch, name='ping')
    assert (result['failed'], result['changed']) == (True, False)
    assert 'it was not sent again' in result['msg']
    assert [entry['function'] for entry in admin(account, '/requests')].count('cron_run') == 1
    assert len(runs_of(account, 'ping')) == (1 if fault.get('after_processing') else 0)


def test_a_refused_run_is_sent_again(account, monkeypatch):
    admin(account, '/faults', {'kind': '503', 'function': 'cron_run'})
    result = run(account, monkeypatch, name='ping')
    assert (result['failed'], result['changed']) == (False, True)
    assert len(runs_of(account, 'ping')) == 1
