# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The client over real HTTP, against the local FastCron API simulator."""

from __future__ import annotations

import multiprocessing

import pytest

from ansible_collections.fastcron.cloud.plugins.module_utils.client import FastCronApiError, FastCronClient, RateGate
from ansible_collections.fastcron.cloud.tests.simulator.fastcron_simulator import LatencyProxy
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import TOKEN, admin

pytestmark = pytest.mark.http  # every test here talks real HTTP to the simulator


@pytest.fixture
def api(simulator, tmp_path):
    admin(simulator, '/reset', {'rate_limit': 0})
    gate = RateGate('test', interval=0, directory=str(tmp_path))
    return FastCronClient(TOKEN, simulator.url, timeout=5, retries=3, gate=gate, sleep=lambda seconds: None)


def test_token_travels_in_header_and_json_body_only(simulator, api):
    api.call('group_add', {'name': 'backups'})
    entry = admin(simulator, '/requests')[-1]
    assert entry['function'] == 'group_add'
    assert entry['http_method'] == 'POST'
    assert sorted(entry['token_via']) == ['header', 'json']


def test_bad_token_raises_code_11_without_the_token(simulator, tmp_path):
    wrong = 'WRONG' * 6 + 'xx'
    api = FastCronClient(wrong, simulator.url, gate=RateGate('t', interval=0, directory=str(tmp_path)))
    with pytest.raises(FastCronApiError) as caught:
        api.call('cron_list')
    assert caught.value.code == 11
    assert caught.value.message == 'Invalid API token, user not found.'
    assert wrong not in str(caught.value)


def test_rate_limit_answers_are_retried(simulator, api):
    admin(simulator, '/faults', {'kind': '503', 'count': 2})
    assert api.call('group_list') == []
    statuses = [entry['http_status'] for entry in admin(simulator, '/requests')]
    assert statuses == [503, 503, 200]


def test_non_json_answer_is_an_error_naming_the_status(simulator, api):
    admin(simulator, '/faults', {'kind': 'non_json', 'count': 1})
    with pytest.raises(FastCronApiError) as caught:
        api.call('group_list')
    assert caught.value.http_status == 200
    assert '<html>Oops</html>' in str(caught.value)


def test_a_create_whose_answer_is_lost_is_not_sent_again(simulator, api):
    admin(simulator, '/faults', {'kind': 'drop', 'count': 1, 'function': 'group_add', 'after_processing': True})
    with pytest.raises(FastCronApiError) as caught:
        api.call('group_add', {'name': 'once'}, resend=False)
    assert caught.value.maybe_processed is True
    assert [item['name'] for item in admin(simulator, '/state')['groups']] == ['once']
    assert [entry['function'] for entry in admin(simulator, '/requests')] == ['group_add']


def _list_groups(url, directory, count):
    api = FastCronClient(TOKEN, url, retries=0, gate=RateGate('shared', directory=directory))
    for _dummy in range(count):
        api.call('group_list')


def test_parallel_processes_stay_under_the_rate_limit(simulator, tmp_path):
    admin(simulator, '/reset', {'rate_limit': 1.0})
    workers = [
        multiprocessing.get_context('spawn').Process(target=_list_groups, args=(simulator.url, str(tmp_path), 2))
        for dummy in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert [worker.exitcode for worker in workers] == [0, 0]
    statuses = [entry['http_status'] for entry in admin(simulator, '/requests')]
    assert statuses == [200, 200, 200, 200]


def test_no_request_is_refused_behind_a_slow_network(simulator, tmp_path):
    # A new connection costs a round trip more than a reused one, so the second request
    # travels faster than the first: timed from starts, it would arrive too early.
    admin(simulator, '/reset', {'rate_limit': 1.0})
    proxy = LatencyProxy(simulator.port, delay=0.1)
    try:
        url = 'http://127.0.0.1:%d/api/v1' % proxy.port
        api = FastCronClient(TOKEN, url, retries=0, gate=RateGate('latency', directory=str(tmp_path)))
        for _dummy in range(4):
            api.call('group_list')
    finally:
        proxy.close()
    assert [entry['http_status'] for entry in admin(simulator, '/requests')] == [200, 200, 200, 200]


def test_a_refusal_does_not_use_up_api_retries(simulator, tmp_path):
    admin(simulator, '/reset', {'rate_limit': 0})
    admin(simulator, '/faults', {'kind': '503', 'count': 4})
    gate = RateGate('refusals', interval=0.05, directory=str(tmp_path))
    api = FastCronClient(TOKEN, simulator.url, retries=0, gate=gate)
    assert api.call('group_list') == []
    assert [entry['http_status'] for entry in admin(simulator, '/requests')] == [503, 503, 503, 503, 200]
    assert gate.interval < 0.05 * 2**4  # slowed by each refusal, and on its way back after the answer


def test_past_api_retry_timeout_the_error_says_how_long_it_waited_and_how_many_refusals(simulator, tmp_path):
    admin(simulator, '/reset', {'rate_limit': 0})
    admin(simulator, '/faults', {'kind': '503', 'count': 100})
    gate = RateGate('budget', interval=0.05, directory=str(tmp_path))
    api = FastCronClient(TOKEN, simulator.url, retries=1, retry_timeout=3, gate=gate)
    with pytest.raises(FastCronApiError) as caught:
        api.call('group_list')
    refused = [entry for entry in admin(simulator, '/requests') if entry['http_status'] == 503]
    error = caught.value
    assert (error.http_status, error.refusals, error.attempts) == (503, len(refused), len(refused))
    assert len(refused) > 1 + 1  # more refusals than api_retries would have allowed
    # It stopped when the next turn could pass the budget (the last answer may take a moment more).
    assert error.elapsed <= 3.5 and error.elapsed + gate.next_wait > 3.0
    assert (
        'failed with HTTP status 503: the service refused the request %d times (rate limit: other clients use '
        'this account too) and it waited %.1f s for a turn; the next one would come after api_retry_timeout (3 s).'
        % (len(refused), error.elapsed)
    ) in str(error)


def _list_groups_alone(url, directory, count, queue):
    api = FastCronClient(TOKEN, url, retries=0, gate=RateGate('own', directory=directory))
    for _dummy in range(count):
        api.call('group_list')
    queue.put('done')


def test_processes_with_separate_gates_all_get_through_at_the_rate_limit(simulator, tmp_path):
    # Two controllers that share no state folder: each is refused now and then, none fails.
    admin(simulator, '/reset', {'rate_limit': 1.0})
    queue = multiprocessing.get_context('spawn').Queue()
    workers = [
        multiprocessing.get_context('spawn').Process(
            target=_list_groups_alone, args=(simulator.url, str(tmp_path / str(number)), 3, queue)
        )
        for number in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    statuses = [entry['http_status'] for entry in admin(simulator, '/requests')]
    assert statuses.count(200) == 6
