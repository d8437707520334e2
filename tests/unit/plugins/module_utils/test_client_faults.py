# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Refusals against the time budget, Retry-After, and connection failures that say why (no network)."""

from __future__ import annotations

import socket

import pytest
import requests
import urllib3

from ansible_collections.fastcron.cloud.plugins.module_utils import client as client_module
from ansible_collections.fastcron.cloud.plugins.module_utils.client import FastCronApiError, retry_after_seconds
from ansible_collections.fastcron.cloud.tests.unit.plugins.module_utils.test_client import (
    NoWaitGate,
    answer_in_turn,
    make_client,
    reply,
    success,
)


class Clock:
    """Time that passes only when something waits."""

    def __init__(self):
        self.now = 1000.0

    def sleep(self, seconds):
        self.now += seconds

    def __call__(self):
        return self.now


class PacedGate(NoWaitGate):
    """A gate whose every turn after the first waits ``next_wait`` seconds of the clock."""

    def __init__(self, clock, next_wait):
        super().__init__(next_wait)
        self.clock = clock

    def turn(self):
        if self.waits:
            self.clock.sleep(self.next_wait)
        return super().turn()


@pytest.fixture
def sleeps(monkeypatch):
    recorded = []
    monkeypatch.setattr(client_module.random, 'uniform', lambda low, high: high)
    return recorded


def paced_client(answers, clock, next_wait, transport, **kwargs):
    answer_in_turn(transport, answers)
    return client_module.FastCronClient(
        't' * 32,
        'https://api.example.test/api/v1',
        gate=PacedGate(clock, next_wait),
        sleep=clock.sleep,
        clock=clock,
        **kwargs,
    )


def test_refusals_are_waited_out_within_the_budget_and_then_the_call_succeeds(transport):
    clock = Clock()
    api = paced_client(
        [reply(503, text='busy')] * 6 + [success({'id': 1})], clock, 10, transport, retries=0, retry_timeout=100
    )
    assert api.call('cron_get', {'id': 1}) == {'id': 1}
    assert clock.now - 1000 == 60


def test_past_the_budget_the_error_says_how_long_it_waited_and_how_many_refusals_it_saw(transport):
    clock = Clock()
    api = paced_client(
        [reply(503, text='503 Service Temporarily Unavailable')] * 10, clock, 10, transport, retries=5, retry_timeout=25
    )
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    error = caught.value
    assert (error.http_status, error.attempts, error.refusals, error.maybe_processed) == (503, 3, 3, False)
    assert str(error) == (
        'FastCron API function cron_list failed with HTTP status 503: the service refused the request 3 times (rate '
        'limit: other clients use this account too) and it waited 20.0 s for a turn; the next one would come after '
        'api_retry_timeout (25 s). Raise api_retry_timeout, or let fewer controllers use the account at once '
        '(3 attempts in 20.0 s, 3 refused with HTTP 503)'
    )
    assert len(transport.request_history) == 3


def test_a_budget_of_zero_fails_at_the_first_refusal(transport):
    clock = Clock()
    api = paced_client([reply(503, text='busy')], clock, 1.02, transport, retry_timeout=0)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    assert caught.value.refusals == 1


def test_the_budget_also_bounds_the_retries_of_other_faults(sleeps, transport):
    api = make_client([reply(502, text='bad gateway')] * 3, sleeps, transport, retries=5, retry_timeout=1)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    assert 'no time left to retry within api_retry_timeout (1 s)' in str(caught.value)
    assert sleeps == [] and len(transport.request_history) == 1


@pytest.mark.parametrize(
    'header, seconds',
    [
        ('7', 7.0),
        ('0', 0.0),
        ('-3', 0.0),
        ('2.5', 2.5),
        ('Fri, 04 Dec 2026 05:00:30 GMT', 30.0),
        ('Fri, 04 Dec 2026 04:59:00 GMT', 0.0),
        # The two obsolete forms of an HTTP date that a recipient must still read (RFC 9110, 5.6.7).
        ('Friday, 04-Dec-26 05:00:30 GMT', 30.0),
        ('Fri Dec  4 05:00:30 2026', 30.0),
        ('soon', None),
        ('', None),
        (None, None),
    ],
)
def test_retry_after_is_read_in_seconds_or_as_an_http_date(header, seconds):
    now = 1796360400.0  # Fri, 04 Dec 2026 05:00:00 GMT
    assert retry_after_seconds(header, now=now) == seconds


def wrapped(reason):
    """A requests ConnectionError as requests raises it: around urllib3's MaxRetryError around ``reason``."""
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, '/api/v1/cron_list', reason))


def resolver_failure(code, text):
    cause = socket.gaierror(code, text)
    try:
        raise urllib3.exceptions.NameResolutionError('api.example.invalid', None, cause) from cause
    except urllib3.exceptions.NameResolutionError as exc:
        return wrapped(exc)


def refused_connection():
    cause = ConnectionRefusedError(111, 'Connection refused')
    try:
        raise urllib3.exceptions.NewConnectionError(None, 'Failed to establish a new connection') from cause
    except urllib3.exceptions.NewConnectionError as exc:
        return wrapped(exc)


def test_a_host_name_that_does_not_exist_fails_at_the_first_attempt(sleeps, transport):
    api = make_client([resolver_failure(socket.EAI_NONAME, 'Name or service not known')], sleeps, transport)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    assert str(caught.value) == (
        'FastCron API function cron_list failed: the host name api.example.test does not exist (DNS: Name or service '
        'not known); not retried, as no retry fixes a wrong name: check api_url (1 attempt in 0.0 s)'
    )
    assert sleeps == [] and caught.value.maybe_processed is False


def test_a_resolver_that_fails_for_the_moment_is_retried(sleeps, transport):
    answers = [resolver_failure(socket.EAI_AGAIN, 'Temporary failure in name resolution')] * 2 + [success([])]
    api = make_client(answers, sleeps, transport)
    assert api.call('cron_list') == []
    assert sleeps == [1, 2]


def test_a_refused_connection_gets_short_retries(sleeps, transport):
    api = make_client([refused_connection()] * 6, sleeps, transport, retries=5)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_add', {'url': 'https://x'}, resend=False)  # never reached: sent again even so
    assert sleeps == [0.5, 1.0, 2.0, 2.0, 2.0]
    message = str(caught.value)
    assert 'connection refused by api.example.test: nothing accepts connections there' in message
    assert 'api_retries (5) used up (6 attempts in ' in message


@pytest.mark.parametrize(
    'error, words, retried, processed',
    [
        (
            requests.exceptions.ConnectTimeout('connect timed out'),
            'timed out after 30 s connecting to api.example.test',
            True,
            False,
        ),
        (
            requests.exceptions.ReadTimeout('read timed out'),
            'no answer from api.example.test within 30 s (api_timeout)',
            True,
            True,
        ),
        (
            requests.exceptions.SSLError('certificate verify failed: self-signed certificate'),
            'TLS failure talking to api.example.test: certificate verify failed: self-signed certificate',
            False,
            False,
        ),
        (
            requests.exceptions.ProxyError('Unable to connect to proxy'),
            'the proxy between this controller and api.example.test failed: Unable to connect to proxy',
            True,
            True,
        ),
    ],
    ids=['connect-timeout', 'read-timeout', 'tls', 'proxy'],
)
def test_each_connection_failure_names_its_cause_and_the_attempts(sleeps, transport, error, words, retried, processed):
    api = make_client([error, error], sleeps, transport, retries=1)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    message = str(caught.value)
    assert words in message
    assert ('(2 attempts in ' if retried else '(1 attempt in ') in message
    assert caught.value.maybe_processed is processed
