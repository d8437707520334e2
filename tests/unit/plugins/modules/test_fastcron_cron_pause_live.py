# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""fastcron_cron_pause passes on every duration of the reference's kind, over real HTTP, and refuses
before any request only what cannot be one."""

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron_pause
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live

pytestmark = pytest.mark.http


@pytest.fixture
def account(simulator, monkeypatch):
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0})
    admin(simulator, '/seed', {'crons': [{'name': 'report', 'url': 'https://x.test/report'}]})
    admin(simulator, '/requests', method='DELETE')
    return simulator


def run(account, monkeypatch, **args):
    return run_live(monkeypatch, fastcron_cron_pause.main, dict(args, api_url=account.url, api_retries=1))


def stored(account):
    return next(cron for cron in admin(account, '/state')['crons'] if cron['name'] == 'report')


def requests(account, function=None):
    return [entry for entry in admin(account, '/requests') if function is None or entry['function'] == function]


@pytest.mark.parametrize(
    'duration, sent',
    [
        ('1 week', '1 week'),
        ('30 seconds', '30 seconds'),
        ('1 hour 30 minutes', '1 hour 30 minutes'),
        (' 2  Months  1 Day', '2 months 1 day'),
        ('1minute', '1 minute'),
    ],
)
def test_the_durations_of_the_reference_are_sent_whole_and_taken(account, monkeypatch, duration, sent):
    before = admin(account, '/clock')['now']
    result = run(account, monkeypatch, name='report', **{'for': duration})
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert [entry['params']['for'] for entry in requests(account, 'cron_pause')] == [sent]
    assert stored(account)['pauseUntil'] > before


@pytest.mark.parametrize(
    'duration, message',
    [
        ('', 'for must not be empty'),
        ('   ', 'for must not be empty'),
        ('1 hour\n30 minutes', 'for must be one line without control characters'),
        ('1 hour\x07', 'for must be one line without control characters'),
        ('1 hour\t', 'for must be one line without control characters'),
        ('1 day ' * 40, 'for must be at most 200 characters'),
        ('1' + '0' * 19 + ' days', 'for: each number must be at most 100000, got 10000000000000000000.'),
        ('100001 seconds', 'for: each number must be at most 100000'),
        ('0 minutes', 'for must be a time above zero'),
        ('0 hours 0 minutes', 'for must be a time above zero'),
        ('1.5 hours', 'for must be one or more terms of a whole number and a unit'),
        ('an hour', 'for must be one or more terms'),
        ('15', 'for must be one or more terms'),
        ('hours', 'for must be one or more terms'),
        ('-1 day', 'for must be one or more terms'),
        ('+1 day', 'for must be one or more terms'),
        ('1 year', 'for must be one or more terms'),
        ('1 hour, 30 minutes', 'for must be one or more terms'),
        ('\u0661 hour', 'for must be one or more terms'),
        ('next friday', 'for must be one or more terms'),
    ],
)
def test_what_is_no_duration_fails_before_any_request(account, monkeypatch, duration, message):
    result = run(account, monkeypatch, name='report', **{'for': duration})
    assert (result['failed'], result['changed']) == (True, False)
    assert result['msg'].startswith(message), result['msg']
    assert requests(account) == []
