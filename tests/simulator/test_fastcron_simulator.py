# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of the FastCron API simulator over real HTTP, against the API reference."""

import ast
import calendar
import http.client
import importlib
import json
import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlencode, urlsplit

import pytest

try:
    from . import fastcron_simulator as fs
except ImportError:  # collected without its package (for example --import-mode=importlib)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    fs = importlib.import_module('fastcron_simulator')

TOKEN = fs.DEFAULT_TOKEN
REFERENCE_BAD_TOKEN = b'{"message":"Invalid API token, user not found.","status":"error","code":11}'


class Response:
    """A real answer of the simulator over HTTP, read with http.client: no fake. These tests check the
    server itself, with bodies, query strings and headers sent byte for byte as written (form bodies,
    tokens in the query, no Content-Type), and need only the standard library, as the simulator does."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode('utf-8'))


def fetch(method, url, body=None, headers=None, timeout=10):
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + ('?' + parts.query if parts.query else '')
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return Response(resp.status, dict(resp.getheaders()), resp.read())
    finally:
        conn.close()


@pytest.fixture(scope='module')
def sim():
    with fs.Simulator(rate_limit=0) as simulator:
        yield simulator


# Every test starts from the built-in readings, except that cronjob objects carry every field.
DEFAULT_CONFIG = dict(
    fs.SWITCH_DEFAULTS,
    rate_limit=0,
    fields='echo',
    paused_status=5,
    group_lookup_ignores_case=False,
    keyword_ignores_names=False,
    retry_after=None,
    error_status=False,
)


@pytest.fixture(autouse=True)
def _reset(sim):
    admin(sim, 'POST', 'reset', DEFAULT_CONFIG)


def admin(sim, method, route, payload=None):
    body = json.dumps(payload).encode() if payload is not None else None
    resp = fetch(method, '%s/%s' % (sim.admin_url, route), body, {'Content-Type': 'application/json'})
    assert resp.status == 200, resp.body
    return resp.json()


def raw(sim, function, params=None, via='json', token=TOKEN, method='POST'):
    """Call an API function; via is json, form, query or header+json / header+form."""
    params = dict(params or {})
    headers = {}
    query = ''
    ways = via.split('+')
    if token is not None:
        if 'header' in ways:
            headers['Authorization'] = 'Bearer ' + token
        elif 'query' in ways:
            query = urlencode({'token': token})
        else:
            params['token'] = token
    body = None
    if method == 'GET':
        query = urlencode(dict(params, **({'token': token} if 'query' in ways and token else {})))
    elif 'form' in ways:
        body = urlencode(params).encode()
        headers['Content-Type'] = 'application/x-www-form-urlencoded'
    elif params or 'json' in ways:
        body = json.dumps(params).encode()
        headers['Content-Type'] = 'application/json'
    url = '%s/%s%s' % (sim.url, function, '?' + query if query else '')
    return fetch(method, url, body, headers)


def call(sim, function, params=None, via='header+json', **kwargs):
    resp = raw(sim, function, params, via=via, **kwargs)
    assert resp.status == 200, resp.body
    return resp.json()


def ok(sim, function, params=None, **kwargs):
    answer = call(sim, function, params, **kwargs)
    assert answer['status'] == 'success' and answer['code'] == 0, answer
    return answer['data']


def err(sim, function, params=None, **kwargs):
    answer = call(sim, function, params, **kwargs)
    assert answer['status'] == 'error' and set(answer) == {'status', 'code', 'message'}, answer
    return answer['code'], answer['message']


def add(sim, **params):
    params.setdefault('url', 'https://example.com/hook')
    return ok(sim, 'cron_add', params)


# ---------------------------------------------------------------------------
# authentication and envelope


@pytest.mark.parametrize('via', ['header', 'form', 'json', 'query'])
def test_token_placements(sim, via):
    resp = raw(sim, 'cron_list', via=via if via != 'header' else 'header+json')
    assert resp.status == 200
    assert resp.json() == {'data': [], 'status': 'success', 'code': 0}
    entry = admin(sim, 'GET', 'requests')[-1]
    assert entry['token_via'] == [via]


def test_get_with_query_token_and_params(sim):
    job = add(sim, name='by-get')
    resp = raw(sim, 'cron_get', {'id': str(job['id'])}, via='query', method='GET')
    assert resp.json()['data']['name'] == 'by-get'


@pytest.mark.parametrize('token', [None, 'wrong' * 6 + 'xx'])
def test_bad_token_envelope_exactly_like_reference(sim, token):
    resp = raw(sim, 'cron_list', token=token)
    assert resp.status == 200
    assert resp.body == REFERENCE_BAD_TOKEN
    assert admin(sim, 'GET', 'requests')[-1]['code'] == 11


def test_error_status_switch_sends_error_envelopes_with_4xx(sim):
    admin(sim, 'POST', 'config', {'error_status': True})
    assert raw(sim, 'cron_list', token='wrong' * 6 + 'xx').status == 401
    missing = raw(sim, 'cron_get', {'id': 424242}, via='header+json')
    assert (missing.status, missing.json()['code']) == (404, 30)
    assert raw(sim, 'cron_add', {}, via='header+json').status == 400
    assert raw(sim, 'cron_list', via='header+json').status == 200
    admin(sim, 'POST', 'config', {'error_status': False})
    assert raw(sim, 'cron_get', {'id': 424242}, via='header+json').status == 200


def test_tls_serves_https_with_the_given_certificate(tmp_path):
    ssl = pytest.importorskip('ssl')
    cert, key = tmp_path / 'cert.pem', tmp_path / 'key.pem'
    made = subprocess.run(
        [
            'openssl',
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=127.0.0.1',
            '-keyout',
            str(key),
            '-out',
            str(cert),
        ],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip('openssl cannot make a certificate here')
    with fs.Simulator(rate_limit=0, tls_cert=str(cert), tls_key=str(key)) as secure:
        assert secure.url.startswith('https://')
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        conn = http.client.HTTPSConnection('127.0.0.1', secure.port, context=context, timeout=10)
        conn.request(
            'POST',
            '/api/v1/group_list',
            body=json.dumps({'token': TOKEN}),
            headers={'Content-Type': 'application/json'},
        )
        assert json.loads(conn.getresponse().read())['status'] == 'success'
        conn.close()


def test_header_token_takes_precedence(sim):
    headers = {'Authorization': 'Bearer nope', 'Content-Type': 'application/json'}
    resp = fetch('POST', sim.url + '/cron_list', json.dumps({'token': TOKEN}).encode(), headers)
    assert resp.json()['code'] == 11
    assert admin(sim, 'GET', 'requests')[-1]['token_via'] == ['header', 'json']


def test_several_tokens_share_one_account():
    with fs.Simulator(tokens=['a' * 32, 'b' * 32], rate_limit=0) as other:
        ok(other, 'group_add', {'name': 'shared'}, token='a' * 32)
        assert [g['name'] for g in ok(other, 'group_list', token='b' * 32)] == ['shared']
        assert err(other, 'group_list', token=TOKEN)[0] == 11


def test_unknown_and_removed_functions(sim):
    for function in ('cron_batch_edit', 'cron_group_edit', 'nope'):
        code, message = err(sim, function, {'id': 1})
        assert code == fs.CODES['unknown_function'] and function in message


def test_success_envelope_is_json(sim):
    resp = raw(sim, 'account_get', via='header+json')
    assert resp.headers['Content-Type'].startswith('application/json')
    assert set(resp.json()) == {'data', 'status', 'code'}


def test_body_wins_over_query(sim):
    job = add(sim, name='one')
    other = add(sim, name='two')
    body = urlencode({'id': other['id'], 'token': TOKEN}).encode()
    resp = fetch(
        'POST', '%s/cron_get?id=%d' % (sim.url, job['id']), body, {'Content-Type': 'application/x-www-form-urlencoded'}
    )
    assert resp.json()['data']['name'] == 'two'


# ---------------------------------------------------------------------------
# cronjobs


def test_cron_add_defaults(sim):
    job = add(sim)
    assert job == {
        'id': 1000,
        'group': None,
        'expression': '15 minutes',
        'timezone': 'Europe/London',
        'timeout': 30,
        'instances': 0,
        'url': 'https://example.com/hook',
        'httpMethod': 'GET',
        'httpHeaders': '',
        'postData': '',
        'fail': 0,
        'status': 0,
        'name': '',
        'notify': True,
        'priority': 0,
        'points': 1,
        'delay': 0,
        'username': None,
        'userAgent': None,
        'keyword': None,
    }
    stored = admin(sim, 'GET', 'state')['crons'][0]
    assert stored['password'] is None


def test_cron_get_matches_reference_example(sim):
    job = add(sim, url='http://example.com/cron_php', expression='41 3 * * 2', name='weekly')
    data = ok(sim, 'cron_get', {'id': job['id']})
    example = {
        'group': None,
        'expression': '41 3 * * 2',
        'timezone': 'Europe/London',
        'url': 'http://example.com/cron_php',
        'postData': '',
        'fail': 0,
        'status': 0,
        'name': 'weekly',
        'notify': True,
        'points': 1,
    }
    assert {key: data[key] for key in example} == example
    assert isinstance(data['id'], int)
    assert 'password' not in data


def test_form_values_are_coerced(sim):
    data = ok(
        sim,
        'cron_add',
        {
            'url': 'https://example.com/f',
            'timeout': '45',
            'instances': '1',
            'notify': 'false',
            'delay': '3',
            'httpMethod': 'post',
            'postData': 'a=1&b=2',
        },
        via='form',
    )
    assert (data['timeout'], data['instances'], data['notify'], data['delay'], data['httpMethod']) == (
        45,
        1,
        False,
        3,
        'post',
    )
    data = ok(sim, 'cron_edit', {'id': data['id'], 'notify': '1'}, via='form')
    assert data['notify'] is True


@pytest.mark.parametrize(
    'params, code, fragment',
    [
        ({}, 21, "Missing required parameter 'url'"),
        ({'url': ''}, 21, "'url'"),
        ({'url': 'ftp://example.com/'}, 20, "'url'"),
        ({'timeout': 4}, 20, "Invalid value for parameter 'timeout': minimum is 5"),
        ({'timeout': 'abc'}, 20, "'timeout'"),
        ({'instances': 6}, 20, "'instances'"),
        ({'delay': -1}, 20, "'delay'"),
        ({'httpMethod': 'FETCH'}, 20, "'httpMethod'"),
        ({'keyword': 'k' * 101}, 20, "'keyword'"),
        ({'timezone': 'Mars/Olympus'}, 20, "'timezone'"),
        ({'notify': 'maybe'}, 20, "'notify'"),
        ({'group': 999}, 31, "'group'"),
        ({'expression': '60 * * * *'}, 20, "'expression'"),
        ({'expression': '* * * * 0'}, 20, "'expression'"),
        ({'expression': '* * * *'}, 20, "'expression'"),
        ({'expression': '* L * * *'}, 20, "'expression'"),
        ({'expression': '* * R * *'}, 20, "'expression'"),
        ({'expression': '5-1 * * * *'}, 20, "'expression'"),
        ({'expression': 'whenever'}, 20, "'expression'"),
        ({'expression': '2026-02-30 10:00'}, 20, "'expression'"),
        ({'postData': '{"a": '}, 20, "'postData'"),
        ({'httpHeaders': 'no colon here'}, 20, "'httpHeaders'"),
    ],
)
def test_cron_add_validation(sim, params, code, fragment):
    if 'url' not in params and code != 21:
        params['url'] = 'https://example.com/v'
    got_code, message = err(sim, 'cron_add', params)
    assert got_code == code
    assert fragment in message
    assert admin(sim, 'GET', 'state')['crons'] == []


def test_a_url_without_host_is_refused_with_the_url_in_the_message(sim):
    code, message = err(sim, 'cron_add', {'url': 'https:///hook?api_key=k'})
    assert code == 20 and "got 'https:///hook?api_key=k'" in message


@pytest.mark.parametrize(
    'expression, stored',
    [
        ('*/5 * * * *', '*/5 * * * *'),
        ('  0   3 *  * 1-5 ', '0 3 * * 1-5'),
        ('0,30 8-18/2 L 1-12 7', '0,30 8-18/2 L 1-12 7'),
        ('30 7 * 10 Mon', '30 7 * 10 Mon'),
        ('0 9 * JAN-MAR MON-FRI', '0 9 * JAN-MAR MON-FRI'),
        ('R R * * *', 'R R * * *'),
        ('R2 R,1-7 * * *', 'R2 R,1-7 * * *'),
        ('5 minutes', '5 minutes'),
        ('1 hour', '1 hour'),
        ('2 days', '2 days'),
        ('1 day 17:05', '1 day 17:05'),
        ('next Friday 17:05', 'next Friday 17:05'),
        ('first  day of next month 17:05', 'first day of next month 17:05'),
        ('Oct 16, 2024 07:50 PM', 'Oct 16, 2024 07:50 PM'),
        ('2026-12-31 23:59', '2026-12-31 23:59'),
        ('manual', 'manual'),
    ],
)
def test_expressions_accepted_and_normalised(sim, expression, stored):
    assert add(sim, expression=expression)['expression'] == expression
    admin(sim, 'POST', 'config', {'normalise': 'rewrite'})
    assert add(sim, expression=expression)['expression'] == stored


def test_http_headers_stored_as_given(sim):
    headers = 'X-One: 1\r\nX-Two:  two '
    assert add(sim, httpHeaders=headers)['httpHeaders'] == headers


def test_cron_edit_changes_only_sent_options(sim):
    group = ok(sim, 'group_add', {'name': 'g'})
    job = add(sim, name='before', timeout=60, group=group['id'], keyword='OK', password='secret')
    edited = ok(sim, 'cron_edit', {'id': job['id'], 'name': 'after'})
    assert edited == dict(job, name='after')
    assert admin(sim, 'GET', 'state')['crons'][0]['password'] == 'secret'
    for empty in ('', None, 0):
        ok(sim, 'cron_edit', {'id': job['id'], 'group': group['id']})
        assert ok(sim, 'cron_edit', {'id': job['id'], 'group': empty})['group'] is None


def test_cron_edit_errors(sim):
    assert err(sim, 'cron_edit', {'name': 'x'})[0] == 21
    code, message = err(sim, 'cron_edit', {'id': 123, 'name': 'x'})
    assert (code, message) == (30, 'Cronjob 123 not found')
    job = add(sim)
    assert err(sim, 'cron_edit', {'id': job['id'], 'url': ''})[0] == 20


def test_cron_delete_returns_null_id(sim):
    job = add(sim, name='gone')
    deleted = ok(sim, 'cron_delete', {'id': job['id']})
    assert deleted == dict(job, id=None)
    assert err(sim, 'cron_get', {'id': job['id']})[0] == 30


def test_cron_run(sim):
    job = add(sim, httpMethod='POST')
    before = time.time()
    stamp = ok(sim, 'cron_run', {'id': job['id'], 'payload': '{"a": 1}'})
    assert isinstance(stamp, int) and stamp % 60 == 0 and before < stamp <= before + 120
    assert ok(sim, 'cron_run', {'id': job['id'], 'time': 4102444800}) == 4102444800
    runs = admin(sim, 'GET', 'state')['crons'][0]['runs']
    assert runs == [{'time': stamp, 'payload': '{"a": 1}'}, {'time': 4102444800, 'payload': None}]
    ok(sim, 'cron_disable', {'id': job['id']})
    code, message = err(sim, 'cron_run', {'id': job['id']})
    assert code == fs.CODES['cron_not_active'] and str(job['id']) in message
    get_job = add(sim)
    assert err(sim, 'cron_run', {'id': get_job['id'], 'payload': '{"a": 1}'})[0] == 20


def test_cron_next_crontab_every_five_minutes(sim):
    job = add(sim, expression='*/5 * * * *', timezone='UTC')
    times = ok(sim, 'cron_next', {'id': job['id']})
    assert len(times) == 100
    assert all(later - earlier == 300 for earlier, later in zip(times, times[1:]))
    assert times[0] % 300 == 0 and time.time() < times[0] <= time.time() + 300


def test_cron_next_other_schedules(sim):
    now = time.time()
    times = ok(sim, 'cron_next', {'id': add(sim, expression='5 minutes')['id']})
    assert len(times) == 100 and {b - a for a, b in zip(times, times[1:])} == {300}
    assert ok(sim, 'cron_next', {'id': add(sim, expression='manual')['id']}) == []
    assert ok(sim, 'cron_next', {'id': add(sim, expression='2001-01-01 00:00')['id']}) == []
    assert ok(sim, 'cron_next', {'id': add(sim, expression='2099-01-01 00:00', timezone='UTC')['id']}) == [4070908800]
    mondays = ok(sim, 'cron_next', {'id': add(sim, expression='0 0 * * 1', timezone='UTC')['id']})
    assert (
        len(mondays) == 100
        and all(time.gmtime(t).tm_wday == 0 and t % 86400 == 0 for t in mondays)
        and mondays[0] > now
    )
    either = ok(sim, 'cron_next', {'id': add(sim, expression='0 12 13 * 5', timezone='UTC')['id']})
    assert all(time.gmtime(t).tm_mday == 13 or time.gmtime(t).tm_wday == 4 for t in either)
    assert any(time.gmtime(t).tm_mday == 13 and time.gmtime(t).tm_wday != 4 for t in either)
    last = ok(sim, 'cron_next', {'id': add(sim, expression='0 0 L * *', timezone='UTC')['id']})
    assert all(time.gmtime(t + 86400).tm_mday == 1 for t in last)
    rand = add(sim, expression='R R * * *', timezone='UTC')
    daily = ok(sim, 'cron_next', {'id': rand['id']})
    assert len({t % 86400 for t in daily}) == 1
    assert daily == ok(sim, 'cron_next', {'id': rand['id']})


def test_cron_list_paging(sim):
    seeded = admin(sim, 'POST', 'seed', {'generate': {'count': 1500, 'prefix': 'job'}})
    assert seeded['count'] == 1500 and 'crons' not in seeded
    first = ok(sim, 'cron_list')
    second = ok(sim, 'cron_list', {'page': 2})
    assert len(first) == 1000 and len(second) == 500
    ids = [job['id'] for job in first + second]
    assert ids == sorted(ids) and len(set(ids)) == 1500
    assert ok(sim, 'cron_list', {'page': '3'}, via='form') == []
    assert err(sim, 'cron_list', {'page': 0})[0] == 20


def test_cron_list_keyword(sim):
    alpha = add(sim, name='Nightly Backup', url='https://a.example.com/x')
    beta = add(sim, name='other', url='https://b.example.com/BACKUP')
    add(sim, name='third', url='https://c.example.com/')
    assert [j['id'] for j in ok(sim, 'cron_list', {'keyword': 'backup'})] == [alpha['id'], beta['id']]
    assert [j['id'] for j in ok(sim, 'cron_list', {'keyword': str(beta['id'])})] == [beta['id']]
    assert [j['id'] for j in ok(sim, 'cron_list', {'keyword': 'B.EXAMPLE'})] == [beta['id']]


def test_cron_names_not_unique(sim):
    add(sim, name='same')
    add(sim, name='same')
    assert len(ok(sim, 'cron_list', {'keyword': 'same'})) == 2


def test_cron_logs_and_failures(sim):
    job = add(sim)
    admin(
        sim,
        'POST',
        'seed',
        {
            'logs': {
                str(job['id']): [
                    {'output': 'all OK', 'status': 0},
                    {'result': {'output': 'boom', 'status': 1, 'httpStatus': 500, 'error': 'HTTP 500'}},
                ]
            }
        },
    )
    logs = ok(sim, 'cron_logs', {'id': job['id']})
    assert len(logs) == 2
    assert set(logs[0]['result']) == {'output', 'downloaded', 'httpStatus', 'error', 'time', 'executionTime', 'status'}
    assert [i['result']['output'] for i in ok(sim, 'cron_failures', {'id': job['id']})] == ['boom']
    assert [i['result']['output'] for i in ok(sim, 'cron_logs', {'id': job['id'], 'keyword': 'ok'})] == ['all OK']
    assert ok(sim, 'cron_logs', {'id': add(sim)['id']}) == []


def test_batch_add_and_delete_json(sim):
    jobs = ok(
        sim,
        'cron_batch_add',
        {'data': [{'url': 'https://example.com/1', 'name': 'one'}, {'url': 'https://example.com/2', 'timeout': '10'}]},
    )
    assert [(j['name'], j['timeout']) for j in jobs] == [('one', 30), ('', 10)]
    deleted = ok(sim, 'cron_batch_delete', {'id': [j['id'] for j in jobs]})
    assert [d['id'] for d in deleted] == [None, None]
    assert admin(sim, 'GET', 'state')['crons'] == []


def test_batch_add_is_all_or_nothing(sim):
    code, message = err(
        sim,
        'cron_batch_add',
        {'data': [{'url': 'https://example.com/1'}, {'url': 'https://example.com/2', 'timeout': 1}]},
    )
    assert code == 20 and 'data[1]' in message and "'timeout'" in message
    assert admin(sim, 'GET', 'state')['crons'] == []
    job = add(sim)
    assert err(sim, 'cron_batch_delete', {'id': [job['id'], 4242]})[0] == 30
    assert len(admin(sim, 'GET', 'state')['crons']) == 1


def test_batch_arrays_need_json_body(sim):
    job = add(sim)
    assert err(sim, 'cron_batch_add', {'data': '[{"url": "https://example.com/"}]'}, via='header+form')[0] == 20
    assert err(sim, 'cron_batch_delete', {'id': job['id']}, via='header+form')[0] == 20
    resp = fetch(
        'POST', '%s/cron_batch_delete?id=%d' % (sim.url, job['id']), None, {'Authorization': 'Bearer ' + TOKEN}
    )
    assert resp.json()['code'] == 20
    assert err(sim, 'cron_batch_add', {})[0] == 21


def test_cron_limit(sim):
    admin(sim, 'POST', 'seed', {'generate': {'count': fs.ACCOUNT_CRON_LIMIT}})
    assert err(sim, 'cron_add', {'url': 'https://example.com/'})[0] == fs.CODES['cron_limit']


# ---------------------------------------------------------------------------
# statuses (the reference's 2024 values) and pause


def seed_with_status(sim, status):
    return admin(sim, 'POST', 'seed', {'crons': [{'url': 'https://example.com/s', 'status': status}]})['crons'][0]


def test_status_values_of_the_2024_reference():
    assert (fs.STATUS_ACTIVE, fs.STATUS_DISABLED, fs.STATUS_EXPIRED, fs.STATUS_INACTIVE, fs.STATUS_FAILED) == (
        0,
        1,
        2,
        3,
        4,
    )
    assert fs.DEFAULT_PAUSED_STATUS not in fs.STATUSES


@pytest.mark.parametrize('status, after_enable', [(0, 0), (1, 0), (2, 2), (3, 3), (4, 0)])
def test_seeded_status_enable_disable_run(sim, status, after_enable):
    job = seed_with_status(sim, status)
    assert ok(sim, 'cron_get', {'id': job['id']})['status'] == status
    if status:
        code, message = err(sim, 'cron_run', {'id': job['id']})
        assert code == 41 and '(status %d)' % status in message
    assert ok(sim, 'cron_enable', {'id': job['id']})['status'] == after_enable
    answer = call(sim, 'cron_run', {'id': job['id']})
    assert answer['code'] == (41 if after_enable else 0)
    assert ok(sim, 'cron_disable', {'id': job['id']})['status'] == 1
    assert err(sim, 'cron_run', {'id': job['id']})[0] == 41


@pytest.mark.parametrize('status', [-1, 5, 'x'])
def test_seed_takes_only_the_documented_statuses(sim, status):
    resp = fetch(
        'POST',
        sim.admin_url + '/seed',
        json.dumps({'crons': [{'url': 'https://example.com/', 'status': status}]}).encode(),
        {'Content-Type': 'application/json'},
    )
    assert resp.status == 400 and 'status' in resp.json()['error']


@pytest.mark.parametrize('paused_status', [5, 0, 1, 9])
def test_pause_reports_paused_status_until_it_is_over(sim, paused_status):
    admin(sim, 'POST', 'config', {'paused_status': paused_status})
    job = add(sim)
    paused = ok(sim, 'cron_pause', {'id': job['id'], 'for': '15 minutes'})
    assert paused['status'] == paused_status
    assert ok(sim, 'cron_get', {'id': job['id']})['status'] == paused_status
    assert ok(sim, 'cron_list')[0]['status'] == paused_status
    code, message = err(sim, 'cron_run', {'id': job['id']})
    assert code == 41 and 'paused' in message
    stored = admin(sim, 'GET', 'state')['crons'][0]
    assert stored['status'] == paused_status and abs(stored['pauseUntil'] - admin(sim, 'GET', 'clock')['now'] - 900) < 5
    admin(sim, 'POST', 'clock', {'advance': 14 * 60})
    assert ok(sim, 'cron_get', {'id': job['id']})['status'] == paused_status
    admin(sim, 'POST', 'clock', {'advance': 61})
    assert ok(sim, 'cron_get', {'id': job['id']})['status'] == 0
    assert admin(sim, 'GET', 'state')['crons'][0]['pauseUntil'] is None
    assert isinstance(ok(sim, 'cron_run', {'id': job['id']}), int)


@pytest.mark.parametrize('paused_status', [5, 0, 1])
def test_enable_and_disable_clear_a_pause(sim, paused_status):
    admin(sim, 'POST', 'config', {'paused_status': paused_status})
    job = add(sim)
    ok(sim, 'cron_pause', {'id': job['id']})
    assert ok(sim, 'cron_enable', {'id': job['id']})['status'] == 0
    assert admin(sim, 'GET', 'state')['crons'][0]['pauseUntil'] is None
    ok(sim, 'cron_pause', {'id': job['id']})
    assert ok(sim, 'cron_disable', {'id': job['id']})['status'] == 1
    assert admin(sim, 'GET', 'state')['crons'][0]['pauseUntil'] is None
    admin(sim, 'POST', 'clock', {'advance': 7200})
    assert ok(sim, 'cron_get', {'id': job['id']})['status'] == 1


@pytest.mark.parametrize('status, during, after', [(1, 5, 0), (4, 5, 0), (2, 2, 2), (3, 3, 3)])
def test_pause_of_a_job_that_is_not_active(sim, status, during, after):
    job = seed_with_status(sim, status)
    assert ok(sim, 'cron_pause', {'id': job['id'], 'for': '1 hour'})['status'] == during
    admin(sim, 'POST', 'clock', {'advance': 3601})
    assert ok(sim, 'cron_get', {'id': job['id']})['status'] == after


@pytest.mark.parametrize(
    'duration, seconds',
    [
        (None, 3600),
        ('15 minutes', 900),
        ('1 hour', 3600),
        ('1 day', 86400),
        ('2  hours 30 minutes', 9000),
        ('1 week', 604800),
    ],
)
def test_pause_durations(sim, duration, seconds):
    job = add(sim)
    params = {'id': job['id']} if duration is None else {'id': job['id'], 'for': duration}
    ok(sim, 'cron_pause', params, via='header+form')
    pause_until = admin(sim, 'GET', 'state')['crons'][0]['pauseUntil']
    assert abs(pause_until - admin(sim, 'GET', 'clock')['now'] - seconds) < 5


@pytest.mark.parametrize(
    'duration', [15, 1.5, True, ['1 hour'], {'hours': 1}, 'a while', '17:05', 'next Friday', '0 minutes']
)
def test_pause_for_must_be_a_duration_string(sim, duration):
    job = add(sim)
    code, message = err(sim, 'cron_pause', {'id': job['id'], 'for': duration})
    assert code == 20 and "'for'" in message
    assert ok(sim, 'cron_get', {'id': job['id']})['status'] == 0


# ---------------------------------------------------------------------------
# the expression engine (every form the reference accepts), from a fixed time

NOW = calendar.timegm((2024, 10, 16, 12, 0, 0))  # Wednesday 2024-10-16 12:00:00 UTC


def utc(stamps):
    return [time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(stamp)) for stamp in stamps]


@pytest.mark.parametrize(
    'expression, kind, first',
    [
        # crontab, with month and weekday names and ranges of names
        ('*/5 * * * *', 'crontab', ['2024-10-16 12:05:00', '2024-10-16 12:10:00', '2024-10-16 12:15:00']),
        ('30 7 * 10 Mon', 'crontab', ['2024-10-21 07:30:00', '2024-10-28 07:30:00', '2025-10-06 07:30:00']),
        ('30 7 * oct mon', 'crontab', ['2024-10-21 07:30:00', '2024-10-28 07:30:00', '2025-10-06 07:30:00']),
        ('0 9 * JAN-MAR MON-FRI', 'crontab', ['2025-01-01 09:00:00', '2025-01-02 09:00:00', '2025-01-03 09:00:00']),
        ('0 9 * Nov,Dec Sat,Sun', 'crontab', ['2024-11-02 09:00:00', '2024-11-03 09:00:00', '2024-11-09 09:00:00']),
        ('*/20 8 * * SAT-SUN', 'crontab', ['2024-10-19 08:00:00', '2024-10-19 08:20:00', '2024-10-19 08:40:00']),
        ('0 0 L 2 *', 'crontab', ['2025-02-28 00:00:00', '2026-02-28 00:00:00', '2027-02-28 00:00:00']),
        ('30 7 15 10 Mon', 'crontab', ['2024-10-21 07:30:00', '2024-10-28 07:30:00', '2025-10-06 07:30:00']),
        # English time expressions, read like strtotime from the previous run
        ('10 seconds', 'english', ['2024-10-16 12:00:10', '2024-10-16 12:00:20', '2024-10-16 12:00:30']),
        ('30 seconds', 'english', ['2024-10-16 12:00:30', '2024-10-16 12:01:00', '2024-10-16 12:01:30']),
        ('5 minutes', 'english', ['2024-10-16 12:05:00', '2024-10-16 12:10:00', '2024-10-16 12:15:00']),
        ('every 5 minutes', 'english', ['2024-10-16 12:05:00', '2024-10-16 12:10:00', '2024-10-16 12:15:00']),
        ('7 hours', 'english', ['2024-10-16 19:00:00', '2024-10-17 02:00:00', '2024-10-17 09:00:00']),
        ('1 hour 30 minutes', 'english', ['2024-10-16 13:30:00', '2024-10-16 15:00:00', '2024-10-16 16:30:00']),
        ('1 day', 'english', ['2024-10-17 12:00:00', '2024-10-18 12:00:00', '2024-10-19 12:00:00']),
        ('1 day 17:05', 'english', ['2024-10-17 17:05:00', '2024-10-18 17:05:00', '2024-10-19 17:05:00']),
        ('1 day 5:05 PM', 'english', ['2024-10-17 17:05:00', '2024-10-18 17:05:00', '2024-10-19 17:05:00']),
        ('1 day 12:30 am', 'english', ['2024-10-17 00:30:00', '2024-10-18 00:30:00', '2024-10-19 00:30:00']),
        ('2 days 17:05', 'english', ['2024-10-18 17:05:00', '2024-10-20 17:05:00', '2024-10-22 17:05:00']),
        ('1 month 17:05', 'english', ['2024-11-16 17:05:00', '2024-12-16 17:05:00', '2025-01-16 17:05:00']),
        ('2 weeks Friday 17:05', 'english', ['2024-11-01 17:05:00', '2024-11-15 17:05:00', '2024-11-29 17:05:00']),
        (
            'first day of next month 17:05',
            'english',
            ['2024-11-01 17:05:00', '2024-12-01 17:05:00', '2025-01-01 17:05:00'],
        ),
        (
            'last day of next month 17:05',
            'english',
            ['2024-11-30 17:05:00', '2024-12-31 17:05:00', '2025-01-31 17:05:00'],
        ),
        ('next Friday 17:05', 'english', ['2024-10-18 17:05:00', '2024-10-25 17:05:00', '2024-11-01 17:05:00']),
        ('next Friday 7:05 PM', 'english', ['2024-10-18 19:05:00', '2024-10-25 19:05:00', '2024-11-01 19:05:00']),
        ('every Friday', 'english', ['2024-10-18 00:00:00', '2024-10-25 00:00:00', '2024-11-01 00:00:00']),
        ('Wednesday 7pm', 'english', ['2024-10-23 19:00:00', '2024-10-30 19:00:00', '2024-11-06 19:00:00']),
        ('tomorrow noon', 'english', ['2024-10-17 12:00:00', '2024-10-18 12:00:00', '2024-10-19 12:00:00']),
        # one-time dates
        ('Oct 16, 2024 07:50 PM', 'once', ['2024-10-16 19:50:00']),
        ('Oct 16, 2024 07:50 AM', 'once', []),
        ('June 04, 2025 8:15 AM', 'once', ['2025-06-04 08:15:00']),
        ('Feb 14, 2030, 7:30', 'once', ['2030-02-14 07:30:00']),
        ('16 October 2024 19:50', 'once', ['2024-10-16 19:50:00']),
        ('May 20th 2030 8:00 pm', 'once', ['2030-05-20 20:00:00']),
        ('2025-06-04 08:15', 'once', ['2025-06-04 08:15:00']),
        ('2025-06-04T08:15:30', 'once', ['2025-06-04 08:15:30']),
        ('2025-06-04', 'once', ['2025-06-04 00:00:00']),
        ('manual', 'manual', []),
        ('MANUAL', 'manual', []),
    ],
)
def test_engine_next_runs_of_every_form(expression, kind, first):
    assert fs.parse_expression(expression).kind == kind
    runs = fs.next_runs(expression, 'UTC', NOW, seed=1000)
    assert utc(runs[:3]) == first
    assert runs == sorted(set(runs)) and all(run > NOW for run in runs)
    if kind == 'english':
        assert len(runs) == fs.MAX_NEXT_RUNS


@pytest.mark.parametrize(
    'expression, per_day, hours, minutes',
    [
        ('R R * * *', 1, range(24), range(60)),
        ('R2 R,1-7 * * *', 2, range(1, 8), range(60)),
        ('R R3 * * *', 3, range(24), range(60)),
        ('R R4,8-11,13-16 * * *', 4, (8, 9, 10, 11, 13, 14, 15, 16), range(60)),
        ('R,1-7 9 * * *', 1, (9,), range(1, 8)),
    ],
)
def test_engine_random_fields(expression, per_day, hours, minutes):
    runs = fs.next_runs(expression, 'UTC', NOW, seed=1000)
    days = {}
    for run in runs:
        days.setdefault(run // 86400, set()).add(run % 86400)
    full_days = list(days.values())[1:-1]  # the first and the last day may be cut short
    assert full_days and all(times == full_days[0] and len(times) == per_day for times in full_days)
    assert {time.gmtime(run).tm_hour for run in runs} <= set(hours)
    assert {time.gmtime(run).tm_min for run in runs} <= set(minutes)
    assert runs == fs.next_runs(expression, 'UTC', NOW, seed=1000)  # the picks are fixed per cronjob


def test_engine_uses_the_cronjob_time_zone():
    london = fs.next_runs('1 day 17:05', 'Europe/London', NOW)
    assert utc(london[:2]) == ['2024-10-17 16:05:00', '2024-10-18 16:05:00']
    # the clocks go back on 2024-10-27: still 17:05 local time
    assert '2024-10-27 17:05:00' in utc(london) and '2024-10-26 16:05:00' in utc(london)
    cron = fs.next_runs('0 9 * * *', 'America/New_York', NOW)
    assert utc(cron[:2]) == ['2024-10-16 13:00:00', '2024-10-17 13:00:00']


def test_engine_month_overflow_and_long_intervals():
    # like strtotime, 31 January plus one month runs over into March
    end_of_january = calendar.timegm((2025, 1, 31, 7, 0, 0))
    assert utc(fs.next_runs('1 month 08:00', 'UTC', end_of_january)[:2]) == [
        '2025-03-03 08:00:00',
        '2025-04-03 08:00:00',
    ]
    assert utc(fs.next_runs('last day of next month 08:00', 'UTC', end_of_january)[:2]) == [
        '2025-02-28 08:00:00',
        '2025-03-31 08:00:00',
    ]
    assert len(fs.next_runs('1000 years', 'UTC', NOW)) < fs.MAX_NEXT_RUNS


@pytest.mark.parametrize(
    'expression',
    [
        'whenever',
        'every',
        'next',
        '17:05',
        'noon',
        '1 hour 17:05',
        '5 minutes 17:05',
        '0 minutes',
        '-5 minutes',
        '5',
        '5 parsecs',
        'minutes 5',
        'Oct 16 07:50',
        'Oct 32, 2024',
        '2026-02-30 10:00',
        '2025-13-01',
        '13:00 PM',
        '0:30 AM 1 day',
        '1 day 24:00',
        '1 day 17:60',
        'first day of this month 17:05',
        'first day of',
        'Friday Monday',
        '1 day 17:05 18:05',
        'Oct 16, 2024 June 04, 2025',
        '2025-06-04 08:15 1 day',
        'every Oct 16, 2024',
        'next Friday 2025-06-04',
        '10000 years',
        '5 minutes;',
        'DROP TABLE cron',
        '* * * * 0',
        '60 * * * *',
        '* 24 * * *',
        '* * 0 * *',
        '* * * 13 *',
        '* * * *',
        '* * * * * *',
        '1 2 3 4',
        '* L * * *',
        '* * R * *',
        '* * * * R',
        '5-1 * * * *',
        '*/0 * * * *',
        '5/15 * * * *',
        '* * * * FOO',
        '0 9 * MON JAN',
        '0 9 * * JAN',
        '0 9 * JANUARY *',
        '0 9 * * MONDAY',
        'R R9,1-7 * * *',
        'Rx * * * *',
        '1,,2 * * * *',
    ],
)
def test_engine_rejects_garbage(expression):
    with pytest.raises(ValueError):
        fs.parse_expression(fs.normalise_expression(expression))


def test_engine_durations():
    assert fs.duration_end('15 minutes', NOW) == NOW + 900
    assert fs.duration_end('1 hour', NOW) == NOW + 3600
    assert fs.duration_end('1 day', NOW) == NOW + 86400
    assert fs.duration_end('1 hour 30 minutes', NOW + 0.5) == NOW + 5400.5
    assert utc([fs.duration_end('1 month', NOW)]) == ['2024-11-16 12:00:00']
    for text in (
        'a while',
        '17:05',
        'next Friday',
        '0 minutes',
        'every 5 minutes',
        '2025-06-04',
        'first day of next month',
    ):
        with pytest.raises(ValueError):
            fs.duration_end(text, NOW)


# the same forms over the API: cron_add stores them, cron_next lists their runs, garbage gets code 20

ACCEPTED_FORMS = [
    '30 7 * 10 Mon',
    '0 9 * JAN-MAR MON-FRI',
    'R R * * *',
    'R2 R,1-7 * * *',
    'R,1-7 9 * * *',
    '0 0 L * *',
    '10 seconds',
    '5 minutes',
    '1 day 17:05',
    '1 month 17:05',
    '2 weeks Friday 17:05',
    'first day of next month 17:05',
    'next Friday 7:05 PM',
    'every Friday',
    'Oct 16, 2030 07:50 PM',
    'June 04, 2030 8:15 AM',
    '2030-06-04 08:15',
    'manual',
]


@pytest.mark.parametrize('expression', ACCEPTED_FORMS)
def test_api_accepts_every_form(sim, expression):
    job = add(sim, expression=expression)
    assert job['expression'] == expression
    runs = ok(sim, 'cron_next', {'id': job['id']})
    assert runs == sorted(set(runs)) and all(run > time.time() - 1 for run in runs)
    if expression == 'manual':
        assert runs == []
    elif '2030' in expression:
        assert len(runs) == 1
    else:
        assert len(runs) >= 20


@pytest.mark.parametrize(
    'expression', ['whenever', '17:05', '1 hour 17:05', 'Oct 32, 2024', '* * * * FOO', '0 9 * MON JAN', '13:00 PM']
)
def test_api_rejects_garbage_naming_expression(sim, expression):
    code, message = err(sim, 'cron_add', {'url': 'https://example.com/', 'expression': expression})
    assert code == 20 and "'expression'" in message
    job = add(sim)
    code, message = err(sim, 'cron_edit', {'id': job['id'], 'expression': expression})
    assert code == 20 and "'expression'" in message
    assert ok(sim, 'cron_get', {'id': job['id']})['expression'] == '15 minutes'


# ---------------------------------------------------------------------------
# field modes: echo, no_echo, examples (echo_write_only is the older switch)


def test_echo_switch(sim):
    job = add(sim, delay=2, username='u', password='p', userAgent='UA', keyword='kw')
    assert (job['delay'], job['username'], job['userAgent'], job['keyword']) == (2, 'u', 'UA', 'kw')
    assert 'password' not in job
    assert admin(sim, 'POST', 'config', {'echo_write_only': False})['echo_write_only'] is False
    for data in (
        ok(sim, 'cron_get', {'id': job['id']}),
        ok(sim, 'cron_list')[0],
        ok(sim, 'cron_edit', {'id': job['id'], 'delay': 3}),
    ):
        assert not {*fs.ECHO_FIELDS, 'password'} & set(data)
        assert set(data) == set(fs.PUBLIC_FIELDS)
    stored = admin(sim, 'GET', 'state')['crons'][0]
    assert (stored['delay'], stored['password']) == (3, 'p')


def every_cron_answer(sim):
    """(function, cronjobs) for every function that returns cronjobs."""
    group = ok(sim, 'group_add', {'name': 'g'})
    job = add(sim, group=group['id'], delay=2, username='u', password='p', userAgent='UA', keyword='kw')
    answers = [
        ('cron_add', [job]),
        ('cron_get', [ok(sim, 'cron_get', {'id': job['id']})]),
        ('cron_list', ok(sim, 'cron_list')),
    ]
    answers.append(('cron_edit', [ok(sim, 'cron_edit', {'id': job['id'], 'name': 'n'})]))
    for function in ('cron_disable', 'cron_enable', 'cron_pause'):
        answers.append((function, [ok(sim, function, {'id': job['id']})]))
    answers.append(('group_items', ok(sim, 'group_items', {'id': group['id']})))
    batch = ok(
        sim,
        'cron_batch_add',
        {'data': [{'url': 'https://example.com/1'}, {'url': 'https://example.com/2', 'delay': 1}]},
    )
    answers.append(('cron_batch_add', batch))
    answers.append(('cron_batch_delete', ok(sim, 'cron_batch_delete', {'id': [item['id'] for item in batch]})))
    answers.append(('cron_delete', [ok(sim, 'cron_delete', {'id': job['id']})]))
    return answers


@pytest.mark.parametrize(
    'mode, fields',
    [
        ('echo', fs.PUBLIC_FIELDS + fs.ECHO_FIELDS),
        ('no_echo', fs.PUBLIC_FIELDS),
        (
            'examples',
            ('id', 'group', 'expression', 'timezone', 'url', 'postData', 'fail', 'status', 'name', 'notify', 'points'),
        ),
    ],
)
def test_field_modes_in_every_function(sim, mode, fields):
    config = admin(sim, 'POST', 'config', {'fields': mode})
    assert (config['fields'], config['echo_write_only']) == (mode, mode == 'echo')
    answers = every_cron_answer(sim)
    assert len(answers) == 11
    for function, items in answers:
        assert items, function
        for item in items:
            assert list(item) == list(fields), function
    stored = admin(sim, 'GET', 'state')
    assert stored['crons'] == [] and len(stored['groups']) == 1


def test_examples_mode_is_the_reference_example(sim):
    admin(sim, 'POST', 'config', {'fields': 'examples'})
    job = add(
        sim, url='http://example.com/cron_php', expression='41 3 * * 2', name='weekly', timeout=60, httpMethod='POST'
    )
    data = ok(sim, 'cron_get', {'id': job['id']})
    assert data == {
        'id': job['id'],
        'group': None,
        'expression': '41 3 * * 2',
        'timezone': 'Europe/London',
        'url': 'http://example.com/cron_php',
        'postData': '',
        'fail': 0,
        'status': 0,
        'name': 'weekly',
        'notify': True,
        'points': 1,
    }
    stored = admin(sim, 'GET', 'state')['crons'][0]
    assert (stored['timeout'], stored['httpMethod']) == (60, 'POST')


def test_echo_write_only_is_an_alias_of_fields(sim):
    assert admin(sim, 'POST', 'config', {'echo_write_only': False})['fields'] == 'no_echo'
    config = admin(sim, 'POST', 'config', {'echo_write_only': 'true'})
    assert (config['fields'], config['echo_write_only']) == ('echo', True)
    assert admin(sim, 'POST', 'config', {'fields': 'examples'})['echo_write_only'] is False
    assert admin(sim, 'POST', 'config', {'fields': 'examples', 'echo_write_only': False})['fields'] == 'examples'
    assert admin(sim, 'POST', 'reset', {'echo_write_only': True}) == {'ok': True}
    assert admin(sim, 'GET', 'config')['fields'] == 'echo'
    for bad in (
        {'fields': 'examples', 'echo_write_only': True},
        {'fields': 'no_echo', 'echo_write_only': 'true'},
        {'fields': 'all'},
        {'fields': None},
        {'echo_write_only': 'maybe'},
    ):
        resp = fetch('POST', sim.admin_url + '/config', json.dumps(bad).encode(), {'Content-Type': 'application/json'})
        assert resp.status == 400, bad
    assert admin(sim, 'GET', 'config')['fields'] == 'echo'


def test_constructor_switches():
    assert fs.Simulator().config()['fields'] == 'examples'
    assert fs.Simulator(echo_write_only=True).fields == 'echo'
    assert fs.Simulator(echo_write_only=False).fields == 'no_echo'
    assert fs.Simulator(fields='examples').fields == 'examples'
    assert fs.Simulator(fields='examples', echo_write_only=False).fields == 'examples'
    config = fs.Simulator(paused_status=0, group_lookup_ignores_case=True, keyword_ignores_names=True).config()
    assert (config['paused_status'], config['group_lookup_ignores_case'], config['keyword_ignores_names']) == (
        0,
        True,
        True,
    )
    for options in (
        {'fields': 'examples', 'echo_write_only': True},
        {'fields': 'everything'},
        {'paused_status': -1},
        {'paused_status': 'x'},
        {'timezone': 'Mars/Olympus'},
    ):
        with pytest.raises(ValueError):
            fs.Simulator(**options)


# ---------------------------------------------------------------------------
# matching switches: group_lookup_ignores_case, keyword_ignores_names


def test_group_lookup_ignores_case_switch(sim):
    backups = ok(sim, 'group_add', {'name': 'Backups'})
    daily = ok(sim, 'group_add', {'name': ' Daily   Backups '})
    ok(sim, 'group_add', {'name': 'Backups old'})
    assert ok(sim, 'group_lookup', {'name': 'backups'}) == []
    assert ok(sim, 'group_lookup', {'name': 'Daily Backups'}) == []
    assert [g['id'] for g in ok(sim, 'group_lookup', {'name': 'Backups'})] == [backups['id']]
    assert admin(sim, 'POST', 'config', {'group_lookup_ignores_case': True})['group_lookup_ignores_case'] is True
    assert [(g['id'], g['name']) for g in ok(sim, 'group_lookup', {'name': 'backups'})] == [(backups['id'], 'Backups')]
    assert [(g['id'], g['name']) for g in ok(sim, 'group_lookup', {'name': 'DAILY backups'})] == [
        (daily['id'], ' Daily   Backups ')
    ]
    assert [g['id'] for g in ok(sim, 'group_lookup', {'name': '  BACKUPS\t'})] == [backups['id']]
    assert ok(sim, 'group_lookup', {'name': 'backup'}) == []
    admin(sim, 'POST', 'config', {'group_lookup_ignores_case': False})
    assert ok(sim, 'group_lookup', {'name': 'backups'}) == []


def test_keyword_ignores_names_switch(sim):
    named = add(sim, name='Nightly Backup', url='https://a.example.com/x')
    in_url = add(sim, name='other', url='https://b.example.com/BACKUP')

    def found(keyword):
        return [job['id'] for job in ok(sim, 'cron_list', {'keyword': keyword})]

    assert found('backup') == [named['id'], in_url['id']]
    assert found('nightly') == [named['id']]
    assert admin(sim, 'POST', 'config', {'keyword_ignores_names': True})['keyword_ignores_names'] is True
    assert found('backup') == [in_url['id']]
    assert found('nightly') == []
    assert found(str(named['id'])) == [named['id']]
    assert found('A.EXAMPLE') == [named['id']]
    admin(sim, 'POST', 'config', {'keyword_ignores_names': False})
    assert found('nightly') == [named['id']]


# ---------------------------------------------------------------------------
# groups and account


def test_groups(sim):
    first = ok(sim, 'group_add', {'name': 'ops'})
    second = ok(sim, 'group_add', {'name': 'ops'})
    third = ok(sim, 'group_add', {'name': 'dev'})
    assert first == {'id': 100, 'name': 'ops', 'jobCount': 0, 'priority': 0}
    assert [g['id'] for g in ok(sim, 'group_lookup', {'name': 'ops'})] == [first['id'], second['id']]
    assert ok(sim, 'group_lookup', {'name': 'OPS'}) == []
    assert err(sim, 'group_add', {})[0] == 21
    assert ok(sim, 'group_edit', {'id': third['id'], 'name': 'devs'})['name'] == 'devs'
    assert [g['id'] for g in ok(sim, 'group_list')] == [100, 101, 102]
    assert err(sim, 'group_get', {'id': 5})[0] == 31


def test_group_items_delete_vanish_empty(sim):
    keep = ok(sim, 'group_add', {'name': 'keep'})
    gone = ok(sim, 'group_add', {'name': 'gone'})
    empty = ok(sim, 'group_add', {'name': 'empty'})
    jobs = {g['id']: [add(sim, group=g['id'])['id'] for dummy in range(2)] for g in (keep, gone, empty)}
    assert ok(sim, 'group_get', {'id': keep['id']})['jobCount'] == 2
    assert [j['id'] for j in ok(sim, 'group_items', {'id': keep['id']})] == jobs[keep['id']]

    deleted = ok(sim, 'group_delete', {'id': keep['id']})
    assert deleted['id'] is None and deleted['name'] == 'keep'
    assert [ok(sim, 'cron_get', {'id': i})['group'] for i in jobs[keep['id']]] == [None, None]

    vanished = ok(sim, 'group_vanish', {'id': gone['id']})
    assert vanished['id'] is None
    assert all(err(sim, 'cron_get', {'id': i})[0] == 30 for i in jobs[gone['id']])

    emptied = ok(sim, 'group_empty', {'id': empty['id']})
    assert emptied == dict(empty, jobCount=0)
    assert ok(sim, 'group_items', {'id': empty['id']}) == []
    assert [g['id'] for g in ok(sim, 'group_list')] == [empty['id']]
    assert len(ok(sim, 'cron_list')) == 2


def test_account(sim):
    account = ok(sim, 'account_get')
    assert {'id', 'name', 'timezone', 'plan', 'cron', 'memberLimit', 'expiryDate'} <= set(account)
    assert account['timezone'] == 'Europe/London'
    assert ok(sim, 'account_edit', {'timezone': 'America/New_York'})['timezone'] == 'America/New_York'
    assert add(sim)['timezone'] == 'America/New_York'
    assert err(sim, 'account_edit', {'timezone': 'Nowhere/Special'})[0] == 20


# ---------------------------------------------------------------------------
# rate limit


def test_rate_limit(sim):
    admin(sim, 'POST', 'config', {'rate_limit': 0.3})
    assert raw(sim, 'cron_list', via='header+json').status == 200
    refused = raw(sim, 'cron_list', via='header+json')
    assert refused.status == 503
    assert b'503 Service Temporarily Unavailable' in refused.body
    assert not refused.headers['Content-Type'].startswith('application/json')
    assert 'Retry-After' not in refused.headers
    with pytest.raises(ValueError):
        json.loads(refused.body)
    # bad tokens are not limited and do not move the window
    assert raw(sim, 'cron_list', token='x').json()['code'] == 11
    time.sleep(0.32)
    assert raw(sim, 'cron_list', via='header+json').status == 200
    log = admin(sim, 'GET', 'requests')
    assert [(e['http_status'], e['code']) for e in log] == [(200, 0), (503, None), (200, 11), (200, 0)]


def test_refused_requests_do_not_move_the_window(sim):
    admin(sim, 'POST', 'config', {'rate_limit': 0.3})
    assert raw(sim, 'cron_list', via='header+json').status == 200
    time.sleep(0.2)
    assert raw(sim, 'cron_list', via='header+json').status == 503
    time.sleep(0.12)
    assert raw(sim, 'cron_list', via='header+json').status == 200


def test_retry_after_when_configured(sim):
    admin(sim, 'POST', 'config', {'rate_limit': 0.3, 'retry_after': 2})
    raw(sim, 'cron_list', via='header+json')
    refused = raw(sim, 'cron_list', via='header+json')
    assert refused.status == 503 and refused.headers['Retry-After'] == '2'


# ---------------------------------------------------------------------------
# faults


@pytest.mark.parametrize('kind, status', [('503', 503), ('500', 500), ('502', 502), ('504', 504)])
def test_http_error_faults(sim, kind, status):
    admin(sim, 'POST', 'faults', {'kind': kind})
    resp = raw(sim, 'cron_list', via='header+json')
    assert resp.status == status and resp.headers['Content-Type'].startswith('text/html')
    assert raw(sim, 'cron_list', via='header+json').status == 200
    assert [e['http_status'] for e in admin(sim, 'GET', 'requests')] == [status, 200]


def test_non_json_fault(sim):
    admin(sim, 'POST', 'faults', {'kind': 'non_json', 'count': 2})
    for _dummy in range(2):
        resp = raw(sim, 'cron_list', via='header+json')
        assert (resp.status, resp.body, resp.headers['Content-Type']) == (200, b'<html>Oops</html>', 'text/html')
    assert raw(sim, 'cron_list', via='header+json').json()['code'] == 0


def test_slow_fault(sim):
    admin(sim, 'POST', 'faults', {'kind': 'slow', 'delay': 0.3})
    start = time.monotonic()
    assert raw(sim, 'cron_list', via='header+json').json()['code'] == 0
    assert time.monotonic() - start >= 0.3
    admin(sim, 'POST', 'faults', {'kind': 'slow', 'delay': 1.0})
    with pytest.raises(OSError):
        fetch(
            'POST',
            sim.url + '/cron_list',
            b'{}',
            {'Authorization': 'Bearer ' + TOKEN, 'Content-Type': 'application/json'},
            timeout=0.2,
        )


def test_drop_fault(sim):
    admin(sim, 'POST', 'faults', {'kind': 'drop', 'function': 'cron_add'})
    assert raw(sim, 'cron_list', via='header+json').status == 200
    with pytest.raises((http.client.HTTPException, OSError)):
        raw(sim, 'cron_add', {'url': 'https://example.com/'}, via='header+json')
    assert admin(sim, 'GET', 'state')['crons'] == []
    assert admin(sim, 'GET', 'requests')[-1]['http_status'] == 0


def test_fault_after_processing_keeps_the_change(sim):
    admin(sim, 'POST', 'faults', {'kind': '500', 'function': 'cron_add', 'after_processing': True})
    assert raw(sim, 'cron_add', {'url': 'https://example.com/', 'name': 'once'}, via='header+json').status == 500
    assert [c['name'] for c in admin(sim, 'GET', 'state')['crons']] == ['once']
    entry = admin(sim, 'GET', 'requests')[-1]
    assert (entry['http_status'], entry['code'], entry['fault']) == (500, 0, '500')


def test_faults_in_order_and_cleared(sim):
    admin(sim, 'POST', 'faults', {'kind': '502'})
    admin(sim, 'POST', 'faults', {'kind': '504'})
    assert len(admin(sim, 'GET', 'faults')) == 2
    assert raw(sim, 'cron_list', via='header+json').status == 502
    admin(sim, 'DELETE', 'faults')
    assert raw(sim, 'cron_list', via='header+json').status == 200
    resp = fetch('POST', sim.admin_url + '/faults', b'{"kind": "teapot"}', {'Content-Type': 'application/json'})
    assert resp.status == 400


# ---------------------------------------------------------------------------
# request log


def test_request_log(sim):
    ok(sim, 'group_add', {'name': 'x'}, via='header+form')
    ok(sim, 'group_list', via='json')
    ok(sim, 'group_list', via='header+json', token=TOKEN)
    log = admin(sim, 'GET', 'requests')
    assert [e['seq'] for e in log] == [1, 2, 3]
    assert log[0]['function'] == 'group_add' and log[0]['write'] is True and log[0]['token_via'] == ['header']
    assert log[0]['params'] == {'name': 'x'} and log[0]['http_method'] == 'POST' and log[0]['body_format'] == 'form'
    assert log[1]['params'] == {'token': '***'} and log[1]['write'] is False and log[1]['token_via'] == ['json']
    assert TOKEN not in json.dumps(log)
    assert [e['seq'] for e in admin(sim, 'GET', 'requests?since=2')] == [3]
    admin(sim, 'DELETE', 'requests')
    ok(sim, 'group_list')
    assert [e['seq'] for e in admin(sim, 'GET', 'requests')] == [4]


def test_admin_seed_and_state(sim):
    seeded = admin(
        sim,
        'POST',
        'seed',
        {
            'groups': [{'name': 'a'}],
            'crons': [{'url': 'https://example.com/1', 'group': 100, 'status': 1, 'password': 'pw'}],
        },
    )
    assert seeded['groups'][0]['id'] == 100 and seeded['crons'][0]['status'] == 1
    state = admin(sim, 'GET', 'state')
    assert state['groups'][0]['jobCount'] == 1 and state['crons'][0]['password'] == 'pw'
    assert admin(sim, 'GET', 'requests') == []


def test_admin_accepts_templated_strings(sim):
    config = admin(sim, 'POST', 'reset', {'rate_limit': '0', 'echo_write_only': 'False', 'retry_after': '3'})
    assert config == {'ok': True}
    assert admin(sim, 'GET', 'config') == dict(
        fs.SWITCH_DEFAULTS,
        rate_limit=0.0,
        echo_write_only=False,
        fields='no_echo',
        paused_status=5,
        group_lookup_ignores_case=False,
        keyword_ignores_names=False,
        retry_after=3,
        error_status=False,
        tokens=[TOKEN],
    )
    config = admin(
        sim,
        'POST',
        'config',
        {'paused_status': '1', 'group_lookup_ignores_case': 'true', 'keyword_ignores_names': 'yes'},
    )
    assert (config['paused_status'], config['group_lookup_ignores_case'], config['keyword_ignores_names']) == (
        1,
        True,
        True,
    )
    group = admin(sim, 'POST', 'seed', {'groups': [{'name': 'bulk'}]})['groups'][0]
    seeded = admin(
        sim,
        'POST',
        'seed',
        {
            'generate': {'count': '3', 'prefix': 'bulk-job', 'group': str(group['id'])},
            'crons': [{'url': 'https://example.com/x', 'group': str(group['id'])}],
        },
    )
    assert seeded['count'] == 4 and [c['name'] for c in seeded['crons']] == [
        '',
        'bulk-job-0001',
        'bulk-job-0002',
        'bulk-job-0003',
    ]
    assert ok(sim, 'group_get', {'id': group['id']})['jobCount'] == 4
    resp = fetch('POST', sim.admin_url + '/config', b'{"rate_limit": "fast"}', {'Content-Type': 'application/json'})
    assert resp.status == 400 and 'rate_limit' in resp.json()['error']


# ---------------------------------------------------------------------------
# command line


def test_cli_start_port_file_and_sigterm(tmp_path):
    port_file = tmp_path / 'port'
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fastcron_simulator.py')
    command = [
        sys.executable,
        script,
        '--port',
        '0',
        '--port-file',
        str(port_file),
        '--rate-limit',
        '0',
        '--token',
        'c' * 32,
        '--no-echo-write-only',
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            deadline = time.monotonic() + 10
            while not port_file.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            port = int(port_file.read_text().strip())
            line = proc.stdout.readline().decode()
            assert line == 'FastCron simulator listening on http://127.0.0.1:%d/api/v1\n' % port
            url = 'http://127.0.0.1:%d/api/v1/cron_add' % port
            headers = {'Authorization': 'Bearer ' + 'c' * 32, 'Content-Type': 'application/x-www-form-urlencoded'}
            data = fetch('POST', url, b'url=https%3A%2F%2Fexample.com%2F', headers).json()['data']
            assert data['id'] == 1000 and 'delay' not in data
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
            assert not port_file.exists()
        finally:
            if proc.poll() is None:
                proc.kill()


def test_cli_switches(tmp_path):
    port_file = tmp_path / 'port'
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fastcron_simulator.py')
    command = [
        sys.executable,
        script,
        '--port-file',
        str(port_file),
        '--rate-limit',
        '0',
        '--fields',
        'examples',
        '--paused-status',
        '0',
        '--group-lookup-ignores-case',
        '--keyword-ignores-names',
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            deadline = time.monotonic() + 10
            while not port_file.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            port = int(port_file.read_text().strip())
            config = fetch('GET', 'http://127.0.0.1:%d/_admin/config' % port).json()
            assert (config['fields'], config['echo_write_only'], config['paused_status']) == ('examples', False, 0)
            assert config['group_lookup_ignores_case'] is True and config['keyword_ignores_names'] is True
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()


@pytest.mark.parametrize(
    'argv, fields',
    [
        ([], 'examples'),
        (['--echo-write-only'], 'echo'),
        (['--no-echo-write-only'], 'no_echo'),
        (['--fields', 'no_echo'], 'no_echo'),
        (['--fields', 'examples'], 'examples'),
    ],
)
def test_cli_field_options(argv, fields):
    args = fs.build_parser().parse_args(argv)
    simulator = fs.Simulator(echo_write_only=args.echo_write_only, fields=args.fields)
    assert simulator.fields == fields
    defaults = fs.Simulator(
        **{
            name: getattr(fs.build_parser().parse_args([]), name)
            for name in ('paused_status', 'group_lookup_ignores_case', 'keyword_ignores_names')
        }
    )
    assert (defaults.paused_status, defaults.group_lookup_ignores_case, defaults.keyword_ignores_names) == (
        5,
        False,
        False,
    )


@pytest.mark.parametrize(
    'argv',
    [
        ['--fields', 'examples', '--echo-write-only'],
        ['--fields', 'all'],
        ['--echo-write-only', '--no-echo-write-only'],
        ['--paused-status', 'x'],
    ],
)
def test_cli_refuses_contradictions(argv, capsys):
    with pytest.raises(SystemExit):
        fs.build_parser().parse_args(argv)
    assert 'error' in capsys.readouterr().err


def test_cli_refuses_a_negative_paused_status(capsys):
    with pytest.raises(SystemExit):
        fs.main(['--paused-status', '-1'])
    assert '--paused-status' in capsys.readouterr().err


# ---------------------------------------------------------------------------
# the package and its entry points

HERE = os.path.dirname(os.path.abspath(__file__))


def test_launcher_reexports_the_package():
    package = sys.modules[fs.Simulator.__module__.rsplit('.', 1)[0]]
    assert {
        'Simulator',
        'main',
        'build_parser',
        'parse_expression',
        'next_runs',
        'CODES',
        'DEFAULT_TOKEN',
        'PUBLIC_FIELDS',
        'ECHO_FIELDS',
        'EXAMPLE_FIELDS',
        'STATUS_ACTIVE',
        'DEFAULT_PAUSED_STATUS',
    } <= set(fs.__all__)
    assert all(getattr(fs, name) is getattr(package, name) for name in fs.__all__)
    assert not {'api', 'admin', 'server', 'cli', 'common', 'expressions'} & set(fs.__all__)


@pytest.mark.parametrize(
    'code',
    [
        # imported as a submodule of the package path (the unit tests' way): relative import
        'from tests.simulator.fastcron_simulator import Simulator; print(Simulator.__module__)',
        # imported as a top-level module (sys.path[0] is tests/simulator)
        'import sys; sys.path.insert(0, "tests/simulator"); '
        'from fastcron_simulator import Simulator; print(Simulator.__module__)',
    ],
)
def test_launcher_imports_both_ways(code):
    root = os.path.dirname(os.path.dirname(HERE))
    done = subprocess.run(
        [sys.executable, '-c', code], cwd=root, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith('fastcron_sim.server')


def test_package_imports_only_the_standard_library():
    folder = os.path.join(HERE, 'fastcron_sim')
    files = sorted(name for name in os.listdir(folder) if name.endswith('.py'))
    assert {'__init__.py', 'expressions.py', 'api.py', 'admin.py', 'server.py', 'cli.py'} <= set(files)
    stdlib = getattr(sys, 'stdlib_module_names', None)
    for name in [*files, '../fastcron_simulator.py']:
        with open(os.path.join(folder, name), encoding='utf-8') as handle:
            tree = ast.parse(handle.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split('.')[0]
                assert top == 'fastcron_sim' or stdlib is None or top in stdlib, (name, module)
                assert not top.startswith(('ansible', 'plugins')), (name, module)
