# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import contextlib
import email.utils
import fcntl
import json
import multiprocessing
import os
import time

import pytest
import requests
import requests_mock
import urllib3

from ansible_collections.fastcron.cloud.plugins.module_utils import client as client_module
from ansible_collections.fastcron.cloud.plugins.module_utils.client import FastCronApiError, FastCronClient, RateGate

TOKEN = 'a' * 8 + 'SECRET' + 'b' * 18


def reply(status_code=200, body=None, text=None, headers=None):
    """One answer of the fake transport: a requests-mock response with a JSON ``body`` or a ``text``."""
    return {
        'status_code': status_code,
        'text': text if text is not None else json.dumps(body),
        'headers': headers or {},
    }


def success(data):
    return reply(body={'status': 'success', 'code': 0, 'data': data})


class NoWaitGate:
    """A gate that never waits; records the outcomes the client reports."""

    def __init__(self, next_wait=1.0):
        self.waits = 0
        self.next_wait = next_wait
        self.outcomes = []

    def turn(self):
        self.waits += 1
        return contextlib.nullcontext()

    def accepted(self):
        self.outcomes.append('accepted')

    def refused(self, retry_after=None):
        self.outcomes.append(('refused', retry_after))


@pytest.fixture
def sleeps(monkeypatch):
    recorded = []
    monkeypatch.setattr(client_module.random, 'uniform', lambda low, high: high)
    return recorded


def answer_in_turn(transport, answers):
    """Every POST gets the next of ``answers`` (replies, or exceptions raised instead of an answer)."""
    transport.post(requests_mock.ANY, [answer if isinstance(answer, dict) else {'exc': answer} for answer in answers])


def make_client(answers, sleeps, transport, **kwargs):
    answer_in_turn(transport, answers)
    return FastCronClient(TOKEN, 'https://api.example.test/api/v1/', gate=NoWaitGate(), sleep=sleeps.append, **kwargs)


def test_success_returns_data_and_sends_token_in_header_and_body_only(sleeps, transport):
    api = make_client([success({'id': 7, 'name': 'backups'})], sleeps, transport, timeout=12)
    assert api.call('group_get', {'id': 7}) == {'id': 7, 'name': 'backups'}
    sent = transport.request_history[0]
    assert sent.url == 'https://api.example.test/api/v1/group_get'
    assert TOKEN not in sent.url
    assert sent.json() == {'id': 7, 'token': TOKEN}
    assert sent.timeout == 12
    assert sent.headers['Authorization'] == 'Bearer ' + TOKEN
    assert FastCronClient(TOKEN, 'http://x').session.headers['Authorization'] == 'Bearer ' + TOKEN
    assert api.gate.waits == 1


def test_error_envelope_names_function_code_and_message(sleeps, transport):
    api = make_client(
        [reply(body={'status': 'error', 'code': 11, 'message': 'Invalid API token, user not found.'})],
        sleeps,
        transport,
    )
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    error = caught.value
    assert (error.function, error.code, error.message) == ('cron_list', 11, 'Invalid API token, user not found.')
    assert str(error) == 'FastCron API function cron_list failed with code 11: Invalid API token, user not found.'
    assert sleeps == []  # an API error is an answer, not a reason to retry


def test_non_json_answer_fails_with_status_and_token_free_excerpt(sleeps, transport):
    api = make_client([reply(text='<html>proxy error for %s</html>' % TOKEN)], sleeps, transport)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_get', {'id': 1})
    assert caught.value.http_status == 200
    assert 'not JSON' in str(caught.value)
    assert '<html>proxy error for ********</html>' in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_long_bodies_are_cut_in_error_text(sleeps, transport):
    api = make_client([reply(status_code=404, text='x' * 5000)], sleeps, transport)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_get', {'id': 1})
    assert caught.value.http_status == 404
    assert len(str(caught.value)) < 400


def test_refusals_are_sent_again_without_using_up_retries_or_sleeping_outside_the_gate(sleeps, transport):
    answers = [reply(503, text='503 Service Temporarily Unavailable')] * 4 + [success([])]
    api = make_client(answers, sleeps, transport, retries=0)
    assert api.call('cron_list') == []
    assert sleeps == []  # the gate waits out the slowed pace before the next attempt
    assert len(transport.request_history) == 5
    assert api.gate.waits == 5  # every attempt waits its turn at the gate
    assert api.gate.outcomes == [('refused', None)] * 4 + ['accepted']


def test_retry_after_of_a_refusal_goes_to_the_gate_and_of_a_5xx_to_the_backoff(sleeps, transport):
    answers = [
        reply(503, text='busy', headers={'Retry-After': '3'}),
        reply(502, text='busy', headers={'Retry-After': '120'}),
        success([]),
    ]
    api = make_client(answers, sleeps, transport, retry_max_delay=30)
    api.call('group_list')
    assert api.gate.outcomes == [('refused', 3.0), 'accepted', 'accepted']
    assert sleeps == [30]


@pytest.mark.parametrize(
    'http_date',
    [lambda moment: email.utils.formatdate(moment, usegmt=True), lambda moment: time.asctime(time.gmtime(moment))],
    ids=['imf-fixdate', 'asctime'],
)
def test_retry_after_as_an_http_date_is_honoured(sleeps, transport, http_date):
    answers = [
        reply(503, text='busy', headers={'Retry-After': http_date(time.time() + 20)}),
        reply(502, text='busy', headers={'Retry-After': http_date(time.time() + 10)}),
        success([]),
    ]
    api = make_client(answers, sleeps, transport, retry_max_delay=30)
    api.call('group_list')
    (refused, retry_after), accepted = api.gate.outcomes[0], api.gate.outcomes[1:]
    assert (refused, accepted) == ('refused', ['accepted', 'accepted'])
    assert 17 < retry_after <= 20  # the date is whole seconds, and the test takes a moment
    assert len(sleeps) == 1 and 7 < sleeps[0] <= 10


def test_gives_up_after_the_configured_retries(sleeps, transport):
    api = make_client([reply(502, text='bad gateway')] * 3, sleeps, transport, retries=2)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    assert caught.value.http_status == 502
    assert len(transport.request_history) == 3
    assert 'api_retries (2) used up (3 attempts in ' in str(caught.value)


@pytest.mark.parametrize('status', [500, 502, 504])
def test_other_server_errors_are_retried(sleeps, transport, status):
    api = make_client([reply(status, text='<html>bad gateway</html>'), success({'id': 1})], sleeps, transport)
    assert api.call('cron_get', {'id': 1}) == {'id': 1}


def test_client_errors_are_not_retried(sleeps, transport):
    api = make_client([reply(404, text='not here')], sleeps, transport)
    with pytest.raises(FastCronApiError):
        api.call('cron_get', {'id': 1})
    assert len(transport.request_history) == 1


def test_connection_errors_are_retried_and_never_show_the_token(sleeps, transport):
    error = requests.exceptions.ConnectionError('reset by peer while sending token=%s' % TOKEN)
    api = make_client([error, error], sleeps, transport, retries=1)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    assert TOKEN not in str(caught.value)
    assert 'the connection to api.example.test was lost before an answer' in str(caught.value)
    assert len(transport.request_history) == 2


@pytest.mark.parametrize(
    'lost',
    [
        requests.exceptions.ReadTimeout('read timed out'),
        requests.exceptions.ConnectionError('Connection aborted.'),
        reply(500, text='oops'),
        reply(502, text='bad gateway'),
        reply(504, text='gateway time-out'),
    ],
    ids=['read-timeout', 'dropped', '500', '502', '504'],
)
def test_a_request_that_may_have_been_processed_is_not_resent_when_resending_is_unsafe(sleeps, transport, lost):
    api = make_client([lost], sleeps, transport)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_add', {'url': 'https://x'}, resend=False)
    assert caught.value.maybe_processed is True
    assert len(transport.request_history) == 1


def test_a_request_that_may_have_been_processed_is_resent_when_safe(sleeps, transport):
    api = make_client([reply(502, text='bad gateway'), success({'id': 3})], sleeps, transport)
    assert api.call('cron_edit', {'id': 3, 'name': 'x'}) == {'id': 3}
    assert len(transport.request_history) == 2


def test_refused_or_unsent_requests_are_resent_even_when_resending_is_unsafe(sleeps, transport):
    refused = requests.exceptions.ConnectionError(
        urllib3.exceptions.MaxRetryError(None, '/', urllib3.exceptions.NewConnectionError(None, 'Connection refused'))
    )
    answers = [
        reply(503, text='busy'),
        refused,
        requests.exceptions.ConnectTimeout('connect timed out'),
        success({'id': 3}),
    ]
    api = make_client(answers, sleeps, transport)
    assert api.call('cron_add', {'url': 'https://x'}, resend=False) == {'id': 3}
    assert len(transport.request_history) == 4


def test_an_uncertain_attempt_stays_uncertain_through_later_refusals(sleeps, transport):
    answers = [reply(500, text='oops'), reply(503, text='busy'), reply(503, text='busy')]
    api = make_client(answers, sleeps, transport, retries=2, retry_timeout=3)
    api.gate.next_wait = 5  # the slowed pace would pass the budget
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_edit', {'id': 3})
    assert caught.value.http_status == 503
    assert caught.value.maybe_processed is True
    assert (caught.value.attempts, caught.value.refusals) == (2, 1)


def test_a_rate_limit_past_the_budget_was_never_processed(sleeps, transport):
    api = make_client([reply(503, text='busy')] * 2, sleeps, transport, retries=1, retry_timeout=1)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_add', {'url': 'https://x'}, resend=False)
    assert caught.value.maybe_processed is False


@pytest.mark.parametrize('status', [200, 400, 401, 404, 409, 500, 502])
def test_an_error_envelope_is_an_api_error_whatever_the_http_status(sleeps, transport, status):
    api = make_client(
        [reply(status, body={'status': 'error', 'code': 30, 'message': 'Cronjob 5 not found'})], sleeps, transport
    )
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_get', {'id': 5})
    assert (caught.value.code, caught.value.message, caught.value.http_status) == (30, 'Cronjob 5 not found', status)
    assert caught.value.maybe_processed is False
    assert len(transport.request_history) == 1  # an answer of the service, not a reason to retry


def test_a_json_answer_that_is_no_envelope_is_uncertain_and_not_retried(sleeps, transport):
    api = make_client([reply(200, body={'hello': 'proxy'})], sleeps, transport)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_delete', {'id': 5})
    assert 'not an API envelope' in str(caught.value)
    assert caught.value.maybe_processed is True
    assert len(transport.request_history) == 1


@pytest.mark.parametrize('validate_certs', [True, False])
def test_validate_certs_is_passed_with_every_request(sleeps, transport, monkeypatch, validate_certs):
    # requests ignores Session.verify when REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE is set.
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/etc/pki/bundle.pem')
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    api = make_client([reply(503, text='busy'), success([])], sleeps, transport, validate_certs=validate_certs)
    api.call('group_list')
    verified = '/etc/pki/bundle.pem' if validate_certs else False  # requests puts the bundle in place of True
    assert [sent.verify for sent in transport.request_history] == [verified, verified]


@pytest.mark.parametrize('offset', range(-len(TOKEN) - 1, 2))
def test_no_part_of_the_token_survives_the_cut_of_an_excerpt(sleeps, transport, offset):
    # The token starts at every position around the 200-character cut.
    start = client_module.BODY_EXCERPT_LENGTH + offset
    text = 'x' * start + TOKEN + 'y' * 300
    api = make_client([reply(404, text=text)], sleeps, transport)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_get', {'id': 1})
    message = str(caught.value)
    for length in range(4, len(TOKEN) + 1):
        assert TOKEN[:length] not in message


@pytest.mark.parametrize(
    'error',
    [
        requests.exceptions.InvalidHeader('bad header'),
        UnicodeEncodeError('latin-1', 'x', 0, 1, 'no'),
        requests.exceptions.InvalidURL('bad url'),
    ],
    ids=['invalid-header', 'unicode', 'invalid-url'],
)
def test_a_request_that_cannot_be_built_fails_at_once_without_a_traceback(sleeps, transport, error):
    api = make_client([error], sleeps, transport)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    assert 'could not be sent' in str(caught.value)
    assert caught.value.maybe_processed is False
    assert len(transport.request_history) == 1


def _take_turn(directory, interval, queue):
    gate = RateGate('shared', interval=interval, directory=directory)
    with gate.turn():
        queue.put(time.time())


def test_gate_spaces_request_starts_across_processes(tmp_path):
    interval = 0.4
    queue = multiprocessing.get_context('spawn').Queue()
    workers = [
        multiprocessing.get_context('spawn').Process(target=_take_turn, args=(str(tmp_path), interval, queue))
        for dummy in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    starts = sorted(queue.get(timeout=5) for dummy in workers)
    assert starts[1] - starts[0] >= interval
    assert starts[2] - starts[1] >= interval


def test_gate_counts_the_interval_from_the_previous_answer(tmp_path):
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        now[0] += seconds

    gate = RateGate('k', interval=1.0, directory=str(tmp_path), sleep=sleep, clock=lambda: now[0])
    with gate.turn():
        now[0] += 0.4  # the answer takes 0.4 s
    now[0] += 0.25
    with gate.turn():
        pass
    now[0] += 5
    with gate.turn():
        pass
    assert slept == [0.75]
    assert oct(os.stat(gate.path).st_mode & 0o777) == '0o660'  # a folder given is shared by its group


def test_a_request_holds_the_gate_until_its_answer(tmp_path):
    gate = RateGate('held', interval=0, directory=str(tmp_path))
    with gate.turn():
        other = os.open(gate.path, os.O_RDWR)
        with pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(other)


def test_gate_is_keyed_by_token_and_url():
    first = FastCronClient('token-one', 'https://a.test/api/v1')
    assert first.gate.path == FastCronClient('token-one', 'https://a.test/api/v1/').gate.path
    assert first.gate.path != FastCronClient('token-two', 'https://a.test/api/v1').gate.path
    assert first.gate.path != FastCronClient('token-one', 'https://b.test/api/v1').gate.path
    assert 'token-one' not in first.gate.path
