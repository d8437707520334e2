# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""fastcron_cron_info and fastcron_group_info against scripted answers: the opt-ins, the
export as options, and the exact requests of each."""

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.modules import (
    fastcron_cron_batch,
    fastcron_cron_info,
    fastcron_group_info,
)
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.objects import cron, shown

OPS = {'id': 7, 'name': 'ops', 'jobCount': 1, 'priority': 0}
TWIN_A = {'id': 8, 'name': 'twin', 'jobCount': 0, 'priority': 0}
TWIN_B = {'id': 9, 'name': 'twin', 'jobCount': 1, 'priority': 0}


A, B = cron(1000, 'a'), cron(1001, 'b', group=7)
OK_RUN = {
    'result': {
        'output': 'OK',
        'downloaded': 2,
        'httpStatus': 200,
        'error': '',
        'time': 1796090400,
        'executionTime': 0.42,
        'status': 0,
    }
}
FAILED_RUN = {
    'result': {
        'output': '',
        'downloaded': 0,
        'httpStatus': 504,
        'error': 'Operation timed out',
        'time': 1796094000,
        'executionTime': 30.0,
        'status': 1,
        'retryCount': 2,
    },
    'logId': 'L-77',
}


@pytest.mark.parametrize('check_mode', [False, True])
def test_logs_failures_and_next_runs_are_one_request_each_per_cronjob(run_module, check_mode):
    script = [
        ('cron_list', [A, B]),
        ('cron_logs', [OK_RUN, FAILED_RUN]),
        ('cron_failures', [FAILED_RUN]),
        ('cron_next', [1796090400, 1796176800]),
        ('cron_logs', []),
        ('cron_failures', None),
        ('cron_next', []),
    ]
    args = {'logs': True, 'failures': True, 'next_runs': True}
    result, api = run_module(fastcron_cron_info.main, args, script, check_mode=check_mode)
    # Reads only: check mode runs them the same.
    assert (result['failed'], result['changed']) == (False, False)
    assert 'skipped' not in result
    assert api.calls == [
        ('cron_list', {'page': 1}),
        ('cron_logs', {'id': 1000}),
        ('cron_failures', {'id': 1000}),
        ('cron_next', {'id': 1000}),
        ('cron_logs', {'id': 1001}),
        ('cron_failures', {'id': 1001}),
        ('cron_next', {'id': 1001}),
    ]
    first, second = result['crons']
    assert first['logs'][0] == {
        'output': 'OK',
        'downloaded': 2,
        'http_status': 200,
        'error': '',
        'time': 1796090400,
        'time_iso': '2026-12-01T02:00:00+00:00',
        'execution_time': 0.42,
        'status': 0,
    }
    # Fields the reference does not list are kept, in snake_case, also beside ``result``.
    assert first['failures'] == [
        {
            'output': '',
            'downloaded': 0,
            'http_status': 504,
            'error': 'Operation timed out',
            'time': 1796094000,
            'time_iso': '2026-12-01T03:00:00+00:00',
            'execution_time': 30.0,
            'status': 1,
            'retry_count': 2,
            'log_id': 'L-77',
        }
    ]
    assert first['next_runs'] == [
        {'timestamp': 1796090400, 'iso': '2026-12-01T02:00:00+00:00'},
        {'timestamp': 1796176800, 'iso': '2026-12-02T02:00:00+00:00'},
    ]
    assert (second['logs'], second['failures'], second['next_runs']) == ([], [], [])
    assert first['status_name'] == 'active'


def test_log_keyword_goes_to_both_functions(run_module):
    script = [('cron_get', A), ('cron_logs', [OK_RUN]), ('cron_failures', [])]
    args = {'id': 1000, 'logs': True, 'failures': True, 'log_keyword': 'OK'}
    result, api = run_module(fastcron_cron_info.main, args, script)
    assert api.calls[1:] == [
        ('cron_logs', {'id': 1000, 'keyword': 'OK'}),
        ('cron_failures', {'id': 1000, 'keyword': 'OK'}),
    ]
    assert 'next_runs' not in result['crons'][0]


def test_no_opt_in_adds_no_request_and_no_key(run_module):
    result, api = run_module(fastcron_cron_info.main, {'name': 'a'}, [('cron_list', [A, B])])
    assert api.functions == ['cron_list']
    assert not set(result['crons'][0]) & {'logs', 'failures', 'next_runs'}


def test_a_result_missing_fields_or_time_still_has_every_key(run_module):
    script = [
        ('cron_get', A),
        ('cron_logs', [{'result': {'output': 'x', 'time': 'soon'}}, {'output': 'flat', 'status': 0}]),
    ]
    result, _dummy = run_module(fastcron_cron_info.main, {'id': 1000, 'logs': True}, script)
    odd, flat = result['crons'][0]['logs']
    assert odd == {
        'output': 'x',
        'downloaded': None,
        'http_status': None,
        'error': None,
        'time': 'soon',
        'time_iso': None,
        'execution_time': None,
        'status': None,
    }
    assert (flat['output'], flat['status'], flat['time_iso']) == ('flat', 0, None)


@pytest.mark.parametrize(
    'args, message',
    [
        ({'log_keyword': 'timeout'}, 'log_keyword filters execution results: set logs or failures as well.'),
        (
            {'log_keyword': 'timeout', 'next_runs': True},
            'log_keyword filters execution results: set logs or failures as well.',
        ),
        (
            {'as_params': True, 'logs': True},
            'as_params returns fastcron_cron options, which hold no logs: leave out as_params or logs.',
        ),
        (
            {'as_params': True, 'failures': True, 'next_runs': True},
            'as_params returns fastcron_cron options, which hold no failures or next_runs: '
            'leave out as_params or failures and next_runs.',
        ),
    ],
)
def test_bad_opt_ins_fail_before_any_request(run_module, args, message):
    result, api = run_module(fastcron_cron_info.main, args, [])
    assert (result['failed'], result['changed']) == (True, False)
    assert result['msg'] == message
    assert api.calls == []


def test_as_params_gives_options_and_names_the_groups_with_one_group_list(run_module):
    crons = [
        A,
        B,
        cron(1002, 'off', status=1, httpHeaders='X-A: 1\r\nX-B: two', httpMethod='post', password='p'),
        cron(1003, 'expired', status=2, group=9),
        cron(1004, '', group=8),
        cron(1005, 'a', username=None),
    ]
    result, api = run_module(
        fastcron_cron_info.main, {'as_params': True}, [('cron_list', crons), ('group_list', [OPS, TWIN_A, TWIN_B])]
    )
    assert api.functions == ['cron_list', 'group_list']
    common = {
        'expression': '15 minutes',
        'timezone': 'Europe/London',
        'timeout': 30,
        'instances': 0,
        'http_method': 'GET',
        'post_data': '',
        'http_headers': {},
        'notify': True,
    }
    assert result['crons'] == [
        dict(common, id=1000, name='a', url='https://x.test/a', group='', enabled=True),
        dict(common, name='b', url='https://x.test/b', group='ops', enabled=True),
        dict(
            common,
            name='off',
            url='https://x.test/off',
            http_method='POST',
            http_headers={'X-A': '1', 'X-B': 'two'},
            group='',
            enabled=False,
        ),
        dict(common, name='expired', url='https://x.test/expired', group='9'),
        dict(common, id=1004, url='https://x.test/', group='8', enabled=True),
        dict(common, id=1005, name='a', url='https://x.test/a', group='', enabled=True),
    ]
    assert [list(entry)[:2] for entry in result['crons']][:2] == [['id', 'name'], ['name', 'url']]


def test_as_params_without_groups_reads_no_group_list(run_module):
    result, api = run_module(fastcron_cron_info.main, {'as_params': True, 'id': 1000}, [('cron_get', A)])
    assert api.functions == ['cron_get']
    assert result['crons'][0]['group'] == ''
    assert 'id' not in result['crons'][0]


@pytest.mark.parametrize(
    'group, calls',
    [
        ('ops', [('group_list', {}), ('group_items', {'id': 7})]),
        ('7', [('group_list', {}), ('group_items', {'id': 7})]),
    ],
)
def test_as_params_finds_the_group_filter_in_the_same_group_list(run_module, group, calls):
    result, api = run_module(
        fastcron_cron_info.main,
        {'as_params': True, 'group': group},
        [('group_list', [OPS, TWIN_A]), ('group_items', [B])],
    )
    assert api.calls == calls
    assert [entry['group'] for entry in result['crons']] == ['ops']


def test_group_info_adds_each_groups_cronjobs_with_one_request_each(run_module):
    script = [('group_list', [OPS, TWIN_A]), ('group_items', [B]), ('group_items', [])]
    result, api = run_module(fastcron_group_info.main, {'cronjobs': True}, script)
    assert api.calls == [('group_list', {}), ('group_items', {'id': 7}), ('group_items', {'id': 8})]
    assert result['groups'] == [
        {
            'id': 7,
            'name': 'ops',
            'job_count': 1,
            'priority': 0,
            'cronjobs': [dict(shown(B), status_name='active', enabled=True)],
        },
        {'id': 8, 'name': 'twin', 'job_count': 0, 'priority': 0, 'cronjobs': []},
    ]
    assert 'http_method' in result['groups'][0]['cronjobs'][0]


def test_group_info_without_cronjobs_is_one_request(run_module):
    result, api = run_module(fastcron_group_info.main, {'name': 'ops'}, [('group_lookup', [OPS])])
    assert api.functions == ['group_lookup']
    assert result['groups'] == [{'id': 7, 'name': 'ops', 'job_count': 1, 'priority': 0}]


@pytest.mark.parametrize(
    'args, script, groups',
    [
        (
            {},
            [('group_list', [OPS, TWIN_A, TWIN_B])],
            [{'name': 'ops'}, {'id': 8, 'name': 'twin'}, {'id': 9, 'name': 'twin'}],
        ),
        # The id filter reads the whole listing all the same, which tells that the name is shared.
        ({'id': 9}, [('group_list', [OPS, TWIN_A, TWIN_B])], [{'id': 9, 'name': 'twin'}]),
        ({'name': 'ops'}, [('group_list', [OPS, dict(TWIN_A, name=' ')])], [{'name': 'ops'}]),
        ({}, [('group_list', [dict(TWIN_A, name=' ')])], [{'id': 8}]),
    ],
)
def test_group_info_as_params_gives_fastcron_group_options(run_module, args, script, groups):
    result, api = run_module(fastcron_group_info.main, dict(args, as_params=True), script)
    assert api.functions == ['group_list']
    assert result['groups'] == groups


def test_group_info_as_params_with_cronjobs(run_module):
    script = [('group_list', [OPS, TWIN_A, TWIN_B]), ('group_items', [cron(1003, 'in-twin', group=9, status=4)])]
    result, api = run_module(fastcron_group_info.main, {'id': 9, 'as_params': True, 'cronjobs': True}, script)
    assert api.calls == [('group_list', {}), ('group_items', {'id': 9})]
    (group,) = result['groups']
    assert (group['id'], group['name']) == (9, 'twin')
    (entry,) = group['cronjobs']
    assert (entry['name'], entry['group']) == ('in-twin', '9')
    assert 'enabled' not in entry and 'id' not in entry


def test_the_batch_takes_cronjobs_given_by_id_that_share_a_name(run_module):
    twins = [cron(1000, 'same'), cron(1001, 'same', timeout=60)]
    crons = [{'id': 1000, 'name': 'same', 'url': 'https://x.test/same'}, {'id': 1001, 'name': 'same', 'timeout': 60}]
    result, api = run_module(fastcron_cron_batch.main, {'crons': crons}, [('cron_list', twins)])
    assert (result['failed'], result['changed']) == (False, False), result.get('msg')
    assert api.functions == ['cron_list']
    # By name, the same name twice is still one cronjob given twice.
    result, api = run_module(fastcron_cron_batch.main, {'crons': [crons[0], {'name': 'same'}, {'name': 'same'}]})
    assert result['msg'] == "crons[1] and crons[2] have the same name 'same'; give each cronjob once."
    assert api.calls == []
