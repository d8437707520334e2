# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import multiprocessing
import os

import pytest
import requests

from ansible_collections.fastcron.cloud.plugins.module_utils import client as client_module
from ansible_collections.fastcron.cloud.plugins.module_utils.client import FastCronApiError, FastCronClient, RateGate

TOKEN = 'a' * 8 + 'SECRET' + 'b' * 18


class FakeResponse:
    def __init__(self, status_code=200, body=None, text=None, headers=None):
        self.status_code = status_code
        self.text = text if text is not None else json.dumps(body)
        self.headers = headers or {}

    def json(self):
        return json.loads(self.text)


def success(data):
    return FakeResponse(body={'status': 'success', 'code': 0, 'data': data})


class FakeSession:
    """Stands in for requests.Session: records what would go on the wire."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.sent = []
        self.headers = {}
        self.verify = True

    def post(self, url, json=None, timeout=None):  # pylint: disable=redefined-outer-name
        self.sent.append({'url': url, 'json': json, 'headers': dict(self.headers), 'timeout': timeout})
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class NoWaitGate:
    def __init__(self):
        self.waits = 0

    def wait(self):
        self.waits += 1


@pytest.fixture
def sleeps(monkeypatch):
    recorded = []
    monkeypatch.setattr(client_module.random, 'uniform', lambda low, high: high)
    return recorded


def make_client(answers, sleeps, **kwargs):
    api = FastCronClient(TOKEN, 'https://api.example.test/api/v1/', gate=NoWaitGate(), sleep=sleeps.append, **kwargs)
    api.session = FakeSession(answers)
    return api


def test_success_returns_data_and_sends_token_in_header_and_body_only(sleeps):
    api = make_client([success({'id': 7, 'name': 'backups'})], sleeps, timeout=12)
    assert api.call('group_get', {'id': 7}) == {'id': 7, 'name': 'backups'}
    sent = api.session.sent[0]
    assert sent['url'] == 'https://api.example.test/api/v1/group_get'
    assert TOKEN not in sent['url']
    assert sent['json'] == {'id': 7, 'token': TOKEN}
    assert sent['timeout'] == 12
    assert FastCronClient(TOKEN, 'http://x').session.headers['Authorization'] == 'Bearer ' + TOKEN
    assert api.gate.waits == 1


def test_error_envelope_names_function_code_and_message(sleeps):
    api = make_client([FakeResponse(body={'status': 'error', 'code': 11, 'message': 'Invalid API token, user not found.'})], sleeps)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    error = caught.value
    assert (error.function, error.code, error.message) == ('cron_list', 11, 'Invalid API token, user not found.')
    assert str(error) == 'FastCron API function cron_list failed with code 11: Invalid API token, user not found.'
    assert sleeps == []  # an API error is an answer, not a reason to retry


def test_non_json_answer_fails_with_status_and_token_free_excerpt(sleeps):
    api = make_client([FakeResponse(text='<html>proxy error for %s</html>' % TOKEN)], sleeps)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_get', {'id': 1})
    assert caught.value.http_status == 200
    assert 'not JSON' in str(caught.value)
    assert '<html>proxy error for ********</html>' in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_long_bodies_are_cut_in_error_text(sleeps):
    api = make_client([FakeResponse(status_code=404, text='x' * 5000)], sleeps)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_get', {'id': 1})
    assert caught.value.http_status == 404
    assert len(str(caught.value)) < 400


def test_rate_limit_503_is_retried_with_growing_capped_backoff(sleeps):
    answers = [FakeResponse(503, text='503 Service Temporarily Unavailable')] * 4 + [success([])]
    api = make_client(answers, sleeps, retries=5, retry_max_delay=5)
    assert api.call('cron_list') == []
    assert sleeps == [1, 2, 4, 5]
    assert len(api.session.sent) == 5
    assert api.gate.waits == 5  # every attempt waits its turn at the gate


def test_retry_after_header_is_honoured_and_capped(sleeps):
    answers = [FakeResponse(503, text='busy', headers={'Retry-After': '3'}),
               FakeResponse(503, text='busy', headers={'Retry-After': '120'}), success([])]
    api = make_client(answers, sleeps, retry_max_delay=30)
    api.call('group_list')
    assert sleeps == [3, 30]


def test_gives_up_after_the_configured_retries(sleeps):
    api = make_client([FakeResponse(503, text='503 Service Temporarily Unavailable')] * 3, sleeps, retries=2)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    assert caught.value.http_status == 503
    assert len(api.session.sent) == 3


@pytest.mark.parametrize('status', [500, 502, 504])
def test_other_server_errors_are_retried(sleeps, status):
    api = make_client([FakeResponse(status, text='<html>bad gateway</html>'), success({'id': 1})], sleeps)
    assert api.call('cron_get', {'id': 1}) == {'id': 1}


def test_client_errors_are_not_retried(sleeps):
    api = make_client([FakeResponse(404, text='not here')], sleeps)
    with pytest.raises(FastCronApiError):
        api.call('cron_get', {'id': 1})
    assert len(api.session.sent) == 1


def test_connection_errors_are_retried_and_never_show_the_token(sleeps):
    error = requests.exceptions.ConnectionError('reset by peer while sending token=%s' % TOKEN)
    api = make_client([error, error], sleeps, retries=1)
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    assert TOKEN not in str(caught.value)
    assert 'ConnectionError' in str(caught.value)
    assert len(api.session.sent) == 2


def test_lost_create_answer_is_recovered_instead_of_sent_twice(sleeps):
    created = {'id': 9, 'name': 'backups'}
    lookups = []

    def recover():
        lookups.append(1)
        return created

    api = make_client([requests.exceptions.ReadTimeout('read timed out')], sleeps)
    assert api.call('group_add', {'name': 'backups'}, recover=recover) == created
    assert len(api.session.sent) == 1
    assert lookups == [1]


def test_lost_create_answer_is_resent_when_nothing_was_created(sleeps):
    api = make_client([FakeResponse(502, text='bad gateway'), success({'id': 3})], sleeps)
    assert api.call('cron_add', {'url': 'https://x'}, recover=lambda: None) == {'id': 3}
    assert len(api.session.sent) == 2


def test_rate_limited_create_is_resent_without_lookup(sleeps):
    def recover():
        raise AssertionError('a refused request cannot have created anything')

    api = make_client([FakeResponse(503, text='busy'), success({'id': 3})], sleeps)
    assert api.call('cron_add', {'url': 'https://x'}, recover=recover) == {'id': 3}


def _take_turn(directory, interval, queue):
    gate = RateGate('shared', interval=interval, directory=directory)
    gate.wait()
    with open(gate.path) as handle:
        queue.put(float(handle.read()))


def test_gate_spaces_request_starts_across_processes(tmp_path):
    interval = 0.4
    queue = multiprocessing.get_context('spawn').Queue()
    workers = [multiprocessing.get_context('spawn').Process(target=_take_turn, args=(str(tmp_path), interval, queue)) for dummy in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    starts = sorted(queue.get(timeout=5) for dummy in workers)
    assert starts[1] - starts[0] >= interval
    assert starts[2] - starts[1] >= interval


def test_gate_waits_only_for_what_is_left_of_the_interval(tmp_path):
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        now[0] += seconds

    gate = RateGate('k', interval=1.0, directory=str(tmp_path), sleep=sleep, clock=lambda: now[0])
    gate.wait()
    now[0] += 0.25
    gate.wait()
    now[0] += 5
    gate.wait()
    assert slept == [0.75]
    assert oct(os.stat(gate.path).st_mode & 0o777) == '0o600'


def test_gate_is_keyed_by_token_and_url():
    first = FastCronClient('token-one', 'https://a.test/api/v1')
    assert first.gate.path == FastCronClient('token-one', 'https://a.test/api/v1/').gate.path
    assert first.gate.path != FastCronClient('token-two', 'https://a.test/api/v1').gate.path
    assert first.gate.path != FastCronClient('token-one', 'https://b.test/api/v1').gate.path
    assert 'token-one' not in first.gate.path
