# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""fastcron_cron_run refuses only what the reference says cannot work, over real HTTP.

The reference says that disabled cronjobs cannot be run and that JSON is a payload
for POST, PUT and PATCH; it does not say that objects carry httpMethod (its examples
do not), nor what other statuses mean for a run.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron_run
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live

pytestmark = pytest.mark.http


@pytest.fixture
def account(simulator, monkeypatch):
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0})
    admin(
        simulator,
        '/seed',
        {
            'crons': [
                {'name': 'post', 'url': 'https://x.test/post', 'httpMethod': 'POST'},
                {'name': 'get', 'url': 'https://x.test/get', 'httpMethod': 'GET'},
                {'name': 'off', 'url': 'https://x.test/off', 'status': 1},
                {'name': 'failed', 'url': 'https://x.test/failed', 'status': 4},
            ]
        },
    )
    admin(simulator, '/requests', method='DELETE')
    return simulator


def run(account, monkeypatch, **args):
    return run_live(monkeypatch, fastcron_cron_run.main, dict(args, api_url=account.url, api_retries=1))


def runs_of(account, name):
    return next(cron['runs'] for cron in admin(account, '/state')['crons'] if cron['name'] == name)


def writes(account):
    return [entry['function'] for entry in admin(account, '/requests') if entry['write']]


def test_a_json_payload_goes_to_a_cronjob_whose_method_the_service_does_not_report(account, monkeypatch):
    admin(account, '/config', {'fields': 'examples'})  # the vendor's example objects: no httpMethod
    result = run(account, monkeypatch, name='post', payload={'shop': 'eu'})
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert 'http_method' not in result['cron'] and result['cron']['name'] == 'post'
    assert [run_['payload'] for run_ in runs_of(account, 'post')] == [json.dumps({'shop': 'eu'})]


def test_a_json_payload_for_a_reported_get_cronjob_fails_before_the_run(account, monkeypatch):
    admin(account, '/config', {'fields': 'echo'})
    result = run(account, monkeypatch, name='get', payload='{"a": 1}')
    assert (result['failed'], result['changed']) == (True, False)
    assert 'payload: FastCron takes JSON only for POST, PUT and PATCH cronjobs' in result['msg']
    assert writes(account) == []


def test_a_disabled_cronjob_fails_before_the_run(account, monkeypatch):
    result = run(account, monkeypatch, name='off')
    assert (result['failed'], result['changed']) == (True, False)
    assert 'is disabled; FastCron does not run disabled cronjobs' in result['msg']
    assert writes(account) == []


@pytest.mark.parametrize('status', [4, 5])
def test_other_statuses_are_left_to_the_service_to_answer(account, monkeypatch, status):
    name = 'failed'
    if status == 5:  # paused: the simulator reports 5 while a pause lasts
        name = 'get'
        cron_id = next(cron['id'] for cron in admin(account, '/state')['crons'] if cron['name'] == 'get')
        admin(account, '/config', {'paused_status': 5})
        run_live(
            monkeypatch,
            __import__(
                'ansible_collections.fastcron.cloud.plugins.modules.fastcron_cron_pause', fromlist=['main']
            ).main,
            dict(id=cron_id, api_url=account.url),
        )
        admin(account, '/requests', method='DELETE')
    result = run(account, monkeypatch, name=name)
    assert writes(account) == ['cron_run']  # asked for: the service decides
    assert (result['failed'], result['changed']) == (True, False)
    assert result['api_function'] == 'cron_run' and 'cron_run' in result['msg']


@pytest.mark.parametrize(
    'run_at',
    ['\u00b2', '\u0661\u0667\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660', '\uff11\uff17\uff10\uff10', '12\u00b3'],
)
def test_run_at_of_digits_other_than_ascii_is_refused_naming_run_at(account, monkeypatch, run_at):
    result = run(account, monkeypatch, name='get', run_at=run_at)
    assert (result['failed'], result['changed']) == (True, False)
    assert result['msg'] == 'run_at must be a Unix timestamp or an ISO 8601 date and time, got %r.' % run_at
    assert admin(account, '/requests') == []


def test_run_at_of_ascii_digits_is_a_timestamp(account, monkeypatch):
    result = run(account, monkeypatch, name='get', run_at=' 1893488400 ')
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert [run_['time'] for run_ in runs_of(account, 'get')] == [1893488400]
