# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.module_utils._results import result_keys, snake_key, snake_keys


@pytest.mark.parametrize(
    'name, snake',
    [
        ('httpStatus', 'http_status'),
        ('executionTime', 'execution_time'),
        ('time', 'time'),
        ('HTTPCode', 'http_code'),
        ('already_snake', 'already_snake'),
        ('logID', 'log_id'),
        ('httpMethod', 'http_method'),
        ('httpHeaders', 'http_headers'),
        ('postData', 'post_data'),
        ('userAgent', 'user_agent'),
        ('jobCount', 'job_count'),
        ('dailyExec', 'daily_exec'),
        ('memberLimit', 'member_limit'),
        ('expiryDate', 'expiry_date'),
    ],
)
def test_snake_key(name, snake):
    assert snake_key(name) == snake


def test_a_cronjob_speaks_the_options_names_and_keeps_its_values():
    cron = {
        'id': 7,
        'group': 101,
        'httpMethod': 'POST',
        'postData': '{"fullSync": true}',
        'httpHeaders': 'X-Api-Version: 2',
        'userAgent': 'probe',
        'status': 0,
        'status_name': 'active',
        'newFieldName': {'innerKey': 1},
    }
    assert snake_keys(cron) == {
        'id': 7,
        'group': 101,
        'http_method': 'POST',
        'post_data': '{"fullSync": true}',
        'http_headers': 'X-Api-Version: 2',
        'user_agent': 'probe',
        'status': 0,
        'status_name': 'active',
        'new_field_name': {'inner_key': 1},
    }


def test_the_user_s_keys_are_left_alone_at_any_depth():
    headers = {'X-Api-Version': '2', 'authToken': 'abc'}
    result = {'groups': [{'jobCount': 1, 'cronjobs': [{'http_headers': headers, 'httpMethod': 'GET'}]}]}
    assert snake_keys(result) == {
        'groups': [{'job_count': 1, 'cronjobs': [{'http_headers': headers, 'http_method': 'GET'}]}]
    }
    assert snake_keys({'httpHeaders': headers}) == {'http_headers': headers}
    assert snake_keys({'payload': {'fullSync': True}}) == {'payload': {'fullSync': True}}


def test_keys_that_are_no_text_stay_as_they_are():
    assert snake_keys({7: {'jobCount': 1}}) == {7: {'job_count': 1}}


def test_a_result_keeps_its_diff_which_is_keyed_by_labels():
    diff = {'before': {'nightlyBackup': {'http_method': 'GET'}}, 'after': {'nightlyBackup': {}}}
    result = {'changed': True, 'diff': diff, 'crons': [{'jobCount': 0}], 'applied': [], 'msg': 'Some text'}
    assert result_keys(result) == {
        'changed': True,
        'diff': diff,
        'crons': [{'job_count': 0}],
        'applied': [],
        'msg': 'Some text',
    }
