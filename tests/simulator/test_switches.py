# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's switches for the readings the reference leaves open, each value over real HTTP,
and how they are set: admin configuration, Simulator(...), the command line, FASTCRON_SIMULATOR_CONFIG."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

try:
    from . import fastcron_simulator as fs
    from .test_fastcron_simulator import DEFAULT_CONFIG, add, admin, err, fetch, ok
except ImportError:  # collected without its package
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import fastcron_simulator as fs  # pylint: disable=import-error
    from test_fastcron_simulator import DEFAULT_CONFIG, add, admin, err, fetch, ok  # pylint: disable=import-error

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fastcron_simulator.py')


@pytest.fixture(scope='module')
def sim():
    with fs.Simulator(rate_limit=0) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def _reset(sim):
    admin(sim, 'POST', 'reset', DEFAULT_CONFIG)


def configure(sim, **values):
    return admin(sim, 'POST', 'config', values)


def names(items):
    return [item['name'] for item in items]


# ---------------------------------------------------------------------------
# fields: the default is now the vendor's example objects


def test_fields_default_is_the_vendor_examples():
    simulator = fs.Simulator(rate_limit=0)
    assert simulator.config()['fields'] == 'examples' == fs.DEFAULT_FIELD_MODE
    with simulator:
        data = add(simulator, httpMethod='POST', httpHeaders='X-A: 1', timeout=60)
    assert set(data) == set(fs.EXAMPLE_FIELDS)
    assert not {'httpMethod', 'httpHeaders', 'timeout', 'delay'} & set(data)


@pytest.mark.parametrize(
    'mode, present, absent',
    [
        ('examples', ('url', 'name'), ('httpHeaders', 'delay')),
        ('no_echo', ('httpHeaders', 'timeout'), ('delay', 'userAgent')),
        ('echo', ('httpHeaders', 'delay', 'userAgent'), ()),
    ],
)
def test_fields_each_mode(sim, mode, present, absent):
    configure(sim, fields=mode)
    data = add(sim, httpHeaders='X-A: 1', delay=2, userAgent='ua')
    assert all(name in data for name in present) and not any(name in data for name in absent)


# ---------------------------------------------------------------------------
# batch_order

BATCH = [{'url': 'https://example.com/%s' % name, 'name': name} for name in ('a', 'b', 'c')]


def test_batch_order_request(sim):
    made = ok(sim, 'cron_batch_add', {'data': BATCH})
    assert names(made) == ['a', 'b', 'c']
    gone = ok(sim, 'cron_batch_delete', {'id': [made[0]['id'], made[2]['id']]})
    assert names(gone) == ['a', 'c']


def test_batch_order_reverse(sim):
    configure(sim, batch_order='reverse')
    made = ok(sim, 'cron_batch_add', {'data': BATCH})
    assert names(made) == ['c', 'b', 'a']
    # the cronjobs themselves are created in the order sent
    assert names(ok(sim, 'cron_list')) == ['a', 'b', 'c']
    ids = {job['name']: job['id'] for job in ok(sim, 'cron_list')}
    assert [job['id'] for job in made] == [ids['c'], ids['b'], ids['a']]
    gone = ok(sim, 'cron_batch_delete', {'id': [ids['a'], ids['c']]})
    assert names(gone) == ['c', 'a']
    assert names(ok(sim, 'cron_list')) == ['b']


# ---------------------------------------------------------------------------
# page_size, past_last_page, group_items_paged


def seed_jobs(sim, count, group=None):
    spec = {'count': count, 'prefix': 'job'}
    if group is not None:
        spec['group'] = group
    admin(sim, 'POST', 'seed', {'generate': spec})


def test_page_size_default_is_the_reference_page(sim):
    assert admin(sim, 'GET', 'config')['page_size'] == 1000 == fs.PAGE_SIZE
    seed_jobs(sim, 1001)
    assert len(ok(sim, 'cron_list')) == 1000
    assert names(ok(sim, 'cron_list', {'page': 2})) == ['job-1001']


def test_page_size_small(sim):
    configure(sim, page_size=2)
    seed_jobs(sim, 5)
    pages = [names(ok(sim, 'cron_list', {'page': page})) for page in (1, 2, 3)]
    assert pages == [['job-0001', 'job-0002'], ['job-0003', 'job-0004'], ['job-0005']]
    assert names(ok(sim, 'cron_list', {'keyword': 'job-000', 'page': 2})) == ['job-0003', 'job-0004']


@pytest.mark.parametrize(
    'count, past_last_page, expected',
    [
        (4, 'empty', []),
        (4, 'last', ['job-0003', 'job-0004']),
        (3, 'last', ['job-0003']),
        (0, 'last', []),
    ],
)
def test_past_last_page(sim, count, past_last_page, expected):
    configure(sim, page_size=2, past_last_page=past_last_page)
    seed_jobs(sim, count)
    assert names(ok(sim, 'cron_list', {'page': 7})) == expected


def test_group_items_not_paged_by_default(sim):
    group = ok(sim, 'group_add', {'name': 'g'})
    configure(sim, page_size=2)
    seed_jobs(sim, 5, group['id'])
    assert len(ok(sim, 'group_items', {'id': group['id']})) == 5
    assert len(ok(sim, 'group_items', {'id': group['id'], 'page': 2})) == 5


@pytest.mark.parametrize('past_last_page, past_end', [('empty', []), ('last', ['job-0005'])])
def test_group_items_paged(sim, past_last_page, past_end):
    group = ok(sim, 'group_add', {'name': 'g'})
    configure(sim, page_size=2, group_items_paged=True, past_last_page=past_last_page)
    seed_jobs(sim, 5, group['id'])
    add(sim, name='elsewhere')
    pages = [names(ok(sim, 'group_items', {'id': group['id'], 'page': page})) for page in (1, 2, 3, 4)]
    assert pages == [['job-0001', 'job-0002'], ['job-0003', 'job-0004'], ['job-0005'], past_end]
    assert names(ok(sim, 'group_items', {'id': group['id']})) == ['job-0001', 'job-0002']


# ---------------------------------------------------------------------------
# url_timestamp


@pytest.mark.parametrize(
    'sent, stored',
    [
        ('https://example.com/hook', 'https://example.com/hook?_ts=__timestamp__'),
        ('https://example.com/hook?a=1', 'https://example.com/hook?a=1&_ts=__timestamp__'),
        ('https://example.com/hook?', 'https://example.com/hook?_ts=__timestamp__'),
        ('https://example.com/hook#part', 'https://example.com/hook?_ts=__timestamp__#part'),
        ('https://example.com/hook?t=__timestamp__', 'https://example.com/hook?t=__timestamp__'),
    ],
)
def test_url_timestamp_on(sim, sent, stored):
    configure(sim, url_timestamp=True)
    job = add(sim, url=sent)
    assert job['url'] == stored
    assert ok(sim, 'cron_get', {'id': job['id']})['url'] == stored
    edited = ok(sim, 'cron_edit', {'id': job['id'], 'url': sent})
    assert edited['url'] == stored
    made = ok(sim, 'cron_batch_add', {'data': [{'url': sent, 'name': 'b'}]})
    assert made[0]['url'] == stored


def test_url_timestamp_off(sim):
    job = add(sim, url='https://example.com/hook?a=1')
    assert job['url'] == 'https://example.com/hook?a=1'
    assert ok(sim, 'cron_edit', {'id': job['id'], 'url': 'https://example.com/x'})['url'] == 'https://example.com/x'


# ---------------------------------------------------------------------------
# timeout_cap, cap_mode


def test_no_timeout_cap_by_default(sim):
    assert add(sim, timeout=7200)['timeout'] == 7200


def test_timeout_cap_refuse(sim):
    configure(sim, timeout_cap=15, cap_mode='refuse')
    code, message = err(sim, 'cron_add', {'url': 'https://example.com/', 'timeout': 16})
    assert code == 20 and 'timeout' in message and '15' in message
    assert admin(sim, 'GET', 'state')['crons'] == []
    job = add(sim, timeout=15)
    assert job['timeout'] == 15
    code, message = err(sim, 'cron_edit', {'id': job['id'], 'timeout': 7200})
    assert code == 20 and 'timeout' in message and '15' in message
    assert ok(sim, 'cron_get', {'id': job['id']})['timeout'] == 15
    code, message = err(sim, 'cron_batch_add', {'data': [{'url': 'https://example.com/', 'timeout': 60}]})
    assert code == 20 and 'data[0]' in message and 'timeout' in message
    assert add(sim)['timeout'] == 15  # the default of 30 is above this plan's cap


def test_timeout_cap_clamp(sim):
    configure(sim, timeout_cap=15, cap_mode='clamp')
    job = add(sim, timeout=7200)
    assert job['timeout'] == 15
    assert ok(sim, 'cron_edit', {'id': job['id'], 'timeout': 10})['timeout'] == 10
    assert ok(sim, 'cron_edit', {'id': job['id'], 'timeout': 60})['timeout'] == 15
    assert ok(sim, 'cron_batch_add', {'data': [{'url': 'https://example.com/', 'timeout': 60}]})[0]['timeout'] == 15


# ---------------------------------------------------------------------------
# null_means


def grouped_job(sim):
    group = ok(sim, 'group_add', {'name': 'g'})
    return add(sim, group=group['id'], name='n', httpHeaders='X-A: 1', postData='a=1', userAgent='ua'), group


def test_null_means_clear(sim):
    job, _dummy = grouped_job(sim)
    edited = ok(
        sim, 'cron_edit', {'id': job['id'], 'group': None, 'httpHeaders': None, 'postData': None, 'userAgent': None}
    )
    assert (edited['group'], edited['httpHeaders'], edited['postData'], edited['userAgent']) == (None, '', '', None)


def test_null_means_unchanged(sim):
    configure(sim, null_means='unchanged')
    job, group = grouped_job(sim)
    edited = ok(sim, 'cron_edit', {'id': job['id'], 'group': None, 'httpHeaders': None, 'postData': None, 'name': 'm'})
    assert (edited['group'], edited['httpHeaders'], edited['postData'], edited['name']) == (
        group['id'],
        'X-A: 1',
        'a=1',
        'm',
    )
    assert add(sim, group=None, timeout=None)['timeout'] == 30  # not given: the default
    assert err(sim, 'cron_add', {'url': None})[0] == 21


@pytest.mark.parametrize('null_means', ['clear', 'unchanged'])
def test_zero_and_empty_string_always_clear(sim, null_means):
    configure(sim, null_means=null_means)
    job, _dummy = grouped_job(sim)
    edited = ok(sim, 'cron_edit', {'id': job['id'], 'group': 0, 'httpHeaders': '', 'postData': '', 'name': ''})
    assert (edited['group'], edited['httpHeaders'], edited['postData'], edited['name']) == (None, '', '', '')
    job, _dummy = grouped_job(sim)
    assert ok(sim, 'cron_edit', {'id': job['id'], 'group': '0'})['group'] is None


# ---------------------------------------------------------------------------
# normalise

SENT = {
    'url': 'https://User@API.Example.COM/Path?Q=A',
    'expression': '  0   3 *  * 1-5 ',
    'httpHeaders': 'X-One: 1\r\nX-Two:  two \r\n',
    'httpMethod': 'post',
}


def test_normalise_none_stores_as_sent(sim):
    job = add(sim, **SENT)
    assert {key: job[key] for key in SENT} == SENT


def test_normalise_rewrite(sim):
    configure(sim, normalise='rewrite')
    expected = {
        'url': 'https://User@api.example.com/Path?Q=A',
        'expression': '0 3 * * 1-5',
        'httpHeaders': 'X-One:1\nX-Two:two',
        'httpMethod': 'POST',
    }
    job = add(sim, **SENT)
    assert {key: job[key] for key in SENT} == expected
    edited = ok(sim, 'cron_edit', dict(SENT, id=job['id'], url='https://EXAMPLE.org/'))
    assert edited['url'] == 'https://example.org/' and edited['httpHeaders'] == expected['httpHeaders']
    made = ok(sim, 'cron_batch_add', {'data': [dict(SENT, name='b')]})[0]
    assert {key: made[key] for key in SENT} == expected


def test_normalise_rewrite_then_url_timestamp(sim):
    configure(sim, normalise='rewrite', url_timestamp=True)
    assert add(sim, url='https://EXAMPLE.com/a')['url'] == 'https://example.com/a?_ts=__timestamp__'


def test_lower_case_method_still_takes_a_json_payload(sim):
    job = add(sim, httpMethod='post')
    assert isinstance(ok(sim, 'cron_run', {'id': job['id'], 'payload': '{"a": 1}'}), int)


# ---------------------------------------------------------------------------
# group_delete


@pytest.mark.parametrize('mode', ['ungroup', 'keep_id', 'delete'])
def test_group_delete(sim, mode):
    configure(sim, group_delete=mode)
    group = ok(sim, 'group_add', {'name': 'g'})
    members = [add(sim, group=group['id'], name='m%d' % number)['id'] for number in (1, 2)]
    other = add(sim, name='other')
    assert ok(sim, 'group_delete', {'id': group['id']})['id'] is None
    assert ok(sim, 'group_list') == []
    left = {job['id']: job['group'] for job in ok(sim, 'cron_list')}
    if mode == 'delete':
        assert left == {other['id']: None}
        assert all(err(sim, 'cron_get', {'id': cron_id})[0] == 30 for cron_id in members)
    else:
        kept = None if mode == 'ungroup' else group['id']
        assert left == {members[0]: kept, members[1]: kept, other['id']: None}


# ---------------------------------------------------------------------------
# how the switches are set

SWITCH_VALUES = {
    'batch_order': 'reverse',
    'past_last_page': 'last',
    'page_size': 7,
    'group_items_paged': True,
    'url_timestamp': True,
    'timeout_cap': 15,
    'cap_mode': 'clamp',
    'null_means': 'unchanged',
    'normalise': 'rewrite',
    'group_delete': 'keep_id',
}


def test_every_switch_has_a_default_and_another_value():
    assert set(SWITCH_VALUES) == set(fs.SWITCH_DEFAULTS)
    assert all(SWITCH_VALUES[name] != default for name, default in fs.SWITCH_DEFAULTS.items())
    assert fs.SWITCH_DEFAULTS == {
        'batch_order': 'request',
        'past_last_page': 'empty',
        'page_size': 1000,
        'group_items_paged': False,
        'url_timestamp': False,
        'timeout_cap': None,
        'cap_mode': 'refuse',
        'null_means': 'clear',
        'normalise': 'none',
        'group_delete': 'ungroup',
    }


def test_admin_config_reports_and_takes_every_switch(sim):
    config = admin(sim, 'GET', 'config')
    assert {name: config[name] for name in fs.SWITCH_DEFAULTS} == fs.SWITCH_DEFAULTS
    config = configure(sim, **SWITCH_VALUES)
    assert {name: config[name] for name in SWITCH_VALUES} == SWITCH_VALUES
    templated = {'page_size': '3', 'group_items_paged': 'false', 'url_timestamp': 'no', 'timeout_cap': 'null'}
    config = configure(sim, **templated)
    assert (config['page_size'], config['group_items_paged'], config['url_timestamp'], config['timeout_cap']) == (
        3,
        False,
        False,
        None,
    )
    config = admin(sim, 'POST', 'reset', {'timeout_cap': 20})
    assert admin(sim, 'GET', 'config')['timeout_cap'] == 20


@pytest.mark.parametrize(
    'bad',
    [
        {'batch_order': 'random'},
        {'past_last_page': 'wrap'},
        {'page_size': 0},
        {'page_size': 'many'},
        {'page_size': True},
        {'group_items_paged': 'maybe'},
        {'url_timestamp': 2},
        {'timeout_cap': 4},
        {'timeout_cap': 'long'},
        {'cap_mode': 'ignore'},
        {'null_means': None},
        {'normalise': 'all'},
        {'group_delete': 'vanish'},
    ],
)
def test_admin_config_refuses_bad_values_naming_the_switch(sim, bad):
    resp = fetch('POST', sim.admin_url + '/config', json.dumps(bad).encode(), {'Content-Type': 'application/json'})
    assert resp.status == 400 and next(iter(bad)) in resp.json()['error']
    assert {name: admin(sim, 'GET', 'config')[name] for name in fs.SWITCH_DEFAULTS} == fs.SWITCH_DEFAULTS


def test_constructor_takes_every_switch():
    config = fs.Simulator(**SWITCH_VALUES).config()
    assert {name: config[name] for name in SWITCH_VALUES} == SWITCH_VALUES
    with pytest.raises(TypeError):
        fs.Simulator(page_count=3)
    for bad in ({'page_size': 0}, {'cap_mode': 'ignore'}, {'group_delete': 'vanish'}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            fs.Simulator(**bad)


def test_environment_sets_the_defaults(monkeypatch):
    monkeypatch.setenv(
        fs.CONFIG_ENV, json.dumps(dict(SWITCH_VALUES, fields='echo', paused_status=1, error_status=True))
    )
    config = fs.Simulator().config()
    assert {name: config[name] for name in SWITCH_VALUES} == SWITCH_VALUES
    assert (config['fields'], config['paused_status'], config['error_status']) == ('echo', 1, True)


def test_explicit_arguments_and_admin_config_win_over_the_environment(monkeypatch):
    monkeypatch.setenv(fs.CONFIG_ENV, json.dumps({'batch_order': 'reverse', 'fields': 'echo', 'timeout_cap': 15}))
    simulator = fs.Simulator(batch_order='request', echo_write_only=False, timeout_cap=None)
    config = simulator.config()
    assert (config['batch_order'], config['fields'], config['timeout_cap']) == ('request', 'no_echo', None)
    simulator = fs.Simulator(rate_limit=0)
    with simulator:
        assert configure(simulator, batch_order='request')['batch_order'] == 'request'
        made = ok(simulator, 'cron_batch_add', {'data': BATCH})
        assert names(made) == ['a', 'b', 'c']


@pytest.mark.parametrize('text', ['not json', '[1]', '{"page_size": 0}', '{"switch": 1}'])
def test_a_bad_environment_is_refused_naming_the_variable(monkeypatch, text):
    monkeypatch.setenv(fs.CONFIG_ENV, text)
    with pytest.raises(ValueError, match=fs.CONFIG_ENV):
        fs.Simulator()


def test_an_empty_environment_variable_is_no_configuration(monkeypatch):
    monkeypatch.setenv(fs.CONFIG_ENV, '  ')
    assert {name: fs.Simulator().config()[name] for name in fs.SWITCH_DEFAULTS} == fs.SWITCH_DEFAULTS


def start_cli(tmp_path, argv, env=None):
    port_file = tmp_path / 'port'
    command = [sys.executable, SCRIPT, '--port-file', str(port_file), '--rate-limit', '0', *argv]
    environment = dict(os.environ)
    environment.pop(fs.CONFIG_ENV, None)
    environment.update(env or {})
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    deadline = time.monotonic() + 10
    while not port_file.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    return proc, int(port_file.read_text().strip()) if port_file.exists() else None


def cli_config(tmp_path, argv, env=None):
    proc, port = start_cli(tmp_path, argv, env)
    try:
        assert port is not None, proc.stderr.read().decode()
        return fetch('GET', 'http://127.0.0.1:%d/_admin/config' % port).json()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()


def test_cli_flags_set_every_switch(tmp_path):
    argv = [
        '--batch-order',
        'reverse',
        '--past-last-page',
        'last',
        '--page-size',
        '7',
        '--group-items-paged',
        '--url-timestamp',
        '--timeout-cap',
        '15',
        '--cap-mode',
        'clamp',
        '--null-means',
        'unchanged',
        '--normalise',
        'rewrite',
        '--group-delete',
        'keep_id',
    ]
    config = cli_config(tmp_path, argv)
    assert {name: config[name] for name in SWITCH_VALUES} == SWITCH_VALUES
    assert config['fields'] == 'examples'


def test_cli_flags_win_over_the_environment(tmp_path):
    env = {
        fs.CONFIG_ENV: json.dumps(
            {'url_timestamp': True, 'timeout_cap': 15, 'group_delete': 'delete', 'fields': 'echo', 'error_status': True}
        )
    }
    config = cli_config(tmp_path, ['--no-url-timestamp', '--timeout-cap', 'none', '--no-error-status'], env)
    assert (config['url_timestamp'], config['timeout_cap'], config['error_status']) == (False, None, False)
    assert (config['group_delete'], config['fields']) == ('delete', 'echo')


@pytest.mark.parametrize(
    'argv',
    [
        ['--page-size', '0'],
        ['--timeout-cap', '4'],
        ['--timeout-cap', 'x'],
        ['--cap-mode', 'ignore'],
        ['--group-delete', 'vanish'],
        ['--batch-order', 'random'],
    ],
)
def test_cli_refuses_bad_switch_values(argv, capsys):
    with pytest.raises(SystemExit):
        fs.build_parser().parse_args(argv)
    assert argv[0] in capsys.readouterr().err


def test_cli_refuses_a_bad_environment(tmp_path):
    proc, port = start_cli(tmp_path, [], {fs.CONFIG_ENV: '{"page_size": 0}'})
    try:
        assert port is None and proc.wait(timeout=10) == 2
        assert fs.CONFIG_ENV in proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
