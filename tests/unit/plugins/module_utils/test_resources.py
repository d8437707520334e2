# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.module_utils.resources import (
    CRON,
    GROUP,
    headers_to_text,
    parse_headers,
)

ENABLED = CRON.toggles[0]

CURRENT = {
    'id': 132,
    'group': None,
    'expression': '41 3 * * 2',
    'timezone': 'Europe/London',
    'timeout': 30,
    'instances': 0,
    'url': 'http://example.com/cron_php',
    'httpMethod': 'GET',
    'httpHeaders': '',
    'postData': '',
    'fail': 0,
    'status': 0,
    'name': 'weekly',
    'notify': True,
    'priority': 0,
    'points': 1,
}


def requested(params, group_id=None):
    fields = CRON.requested_fields(params)
    return {field: group_id if field.reference else value for field, value in fields.items()}


def changes_for(params, current=None, group_id=None):
    return CRON.compare(current or CURRENT, requested(params, group_id))


def test_unset_options_are_neither_compared_nor_sent():
    assert changes_for({'name': 'weekly', 'url': None, 'timeout': None}) == ({}, {}, {})


def test_one_changed_field_is_all_the_diff_names():
    changes, before, after = changes_for({'name': 'weekly', 'timeout': 60, 'url': 'http://example.com/cron_php'})
    assert changes == {'timeout': 60}
    assert before == {'timeout': 30}
    assert after == {'timeout': 60}


def test_expression_whitespace_and_method_case_are_not_changes():
    assert changes_for({'expression': ' 41  3 * *\t2 ', 'http_method': 'get'})[0] == {}


def test_expression_and_url_are_sent_in_the_form_they_are_compared_in():
    assert changes_for({'expression': ' */5  * * * *'})[0] == {'expression': '*/5 * * * *'}
    assert changes_for({'url': ' https://example.com/new '})[0] == {'url': 'https://example.com/new'}
    assert changes_for({'url': ' http://example.com/cron_php  '})[0] == {}


def test_headers_compare_names_case_insensitively_and_send_crlf_lines():
    current = dict(CURRENT, httpHeaders='x-api-version: 2\r\nAccept: application/json')
    same = {'http_headers': {'X-Api-Version': '2', 'accept': 'application/json'}}
    assert changes_for(same, current)[0] == {}
    changes, before, after = changes_for(
        {'http_headers': {'X-Api-Version': '3', 'Accept': 'application/json'}}, current
    )
    assert changes == {'httpHeaders': 'X-Api-Version: 3\r\nAccept: application/json'}
    assert before == {'http_headers': {'x-api-version': '2', 'accept': 'application/json'}}
    assert after == {'http_headers': {'x-api-version': '3', 'accept': 'application/json'}}


def test_empty_headers_dict_removes_all_headers():
    current = dict(CURRENT, httpHeaders='X-A: 1')
    assert changes_for({'http_headers': {}}, current)[0] == {'httpHeaders': ''}


def test_header_parsing_tolerates_lf_and_blank_lines():
    assert parse_headers('A: 1\n\nB:2 \r\nbroken line') == {'a': '1', 'b': '2'}
    assert headers_to_text({'A': '1', 'B': 'x: y'}) == 'A: 1\r\nB: x: y'
    assert parse_headers(None) == {}


def test_group_compares_resolved_ids_and_empty_means_none():
    grouped = dict(CURRENT, group=7)
    assert changes_for({'group': '7'}, grouped, group_id=7)[0] == {}
    assert changes_for({'group': ''}, grouped, group_id=None)[0] == {'group': None}
    assert changes_for({'group': 'ops'}, CURRENT, group_id=9)[0] == {'group': 9}


def test_unreturned_fields_are_never_changes():
    params = {'delay': 5, 'username': 'cron', 'user_agent': 'bot', 'keyword': 'OK'}
    assert changes_for(params) == ({}, {}, {})
    # The vendor's own examples carry none of these either.
    example = {
        key: CURRENT[key]
        for key in (
            'id',
            'group',
            'expression',
            'timezone',
            'url',
            'postData',
            'fail',
            'status',
            'name',
            'notify',
            'points',
        )
    }
    params = {'timeout': 60, 'instances': 1, 'http_method': 'POST', 'http_headers': {'A': '1'}}
    assert changes_for(params, example) == ({}, {}, {})


def test_the_password_is_never_compared():
    assert changes_for({'password': 'x'}, dict(CURRENT, password='y')) == ({}, {}, {})


def test_returned_write_only_fields_are_compared():
    current = dict(CURRENT, delay=0, username=None, userAgent=None, keyword='OK')
    changes, _dummy, after = changes_for(
        {'delay': 5, 'username': 'cron', 'user_agent': 'bot', 'keyword': 'OK'}, current
    )
    assert changes == {'delay': 5, 'username': 'cron', 'userAgent': 'bot'}
    assert after == {'delay': 5, 'username': 'cron', 'user_agent': 'bot'}


def test_null_and_empty_strings_are_the_same_text():
    current = dict(CURRENT, postData=None)
    assert changes_for({'post_data': ''}, current)[0] == {}


def test_notify_given_as_api_integers():
    assert changes_for({'notify': True}, dict(CURRENT, notify=1))[0] == {}
    assert changes_for({'notify': False}, dict(CURRENT, notify=1))[0] == {'notify': False}


# notify as the service may return it, read as ansible reads a boolean (convert_bool.boolean).
NOTIFY_TRUE = [True, 1, 1.0, '1', 'true', 'True', ' yes ', 'ON', 'y', 'T']
NOTIFY_FALSE = [False, 0, 0.0, None, '', '0', 'false', 'No', 'off', 'n', 'F', 'maybe', 2, -1, 0.5, [1], {'a': 1}]


@pytest.mark.parametrize(
    'value, is_true', [(value, True) for value in NOTIFY_TRUE] + [(value, False) for value in NOTIFY_FALSE], ids=repr
)
def test_notify_is_read_as_ansible_reads_a_boolean(value, is_true):
    assert CRON.field('notify').normalise(value) is is_true
    assert changes_for({'notify': is_true}, dict(CURRENT, notify=value))[0] == {}
    assert changes_for({'notify': not is_true}, dict(CURRENT, notify=value))[0] == {'notify': not is_true}


def test_creation_sends_every_set_option_in_api_names():
    params, view = CRON.creation(
        requested(
            {
                'name': 'n',
                'url': 'https://x',
                'http_method': 'post',
                'http_headers': {'A': '1'},
                'delay': 2,
                'timeout': None,
                'password': 'secret',
            }
        )
    )
    assert params == {
        'name': 'n',
        'url': 'https://x',
        'httpMethod': 'POST',
        'httpHeaders': 'A: 1',
        'delay': 2,
        'password': 'secret',
    }
    assert view == {'name': 'n', 'url': 'https://x', 'http_method': 'POST', 'http_headers': {'a': '1'}, 'delay': 2}


def test_enabled_is_active_and_disabled_only():
    assert [ENABLED.value({'status': status}) for status in (0, 1, 2, 3, 4, 5)] == [True, False, None, None, None, None]
    assert ENABLED.value({}) is None
    assert ENABLED.api_value(False) == ('status', 1)
    assert ENABLED.describe({'status': 2}) == 'status 2 (expired)'


def test_views_and_results_never_hold_a_password():
    cron = dict(CURRENT, password='hunter2')
    assert 'password' not in CRON.view(cron)
    assert 'password' not in CRON.public(cron)
    assert CRON.view(CURRENT)['http_method'] == 'GET'
    assert CRON.public(None) == {}


def test_results_name_the_status():
    assert CRON.public(dict(CURRENT, status=1))['status_name'] == 'disabled'
    assert CRON.public(dict(CURRENT, status=9))['status_name'] == 'unknown'
    assert 'status_name' not in CRON.public({'id': 1})


def test_results_give_the_status_as_the_enabled_option_reads_it():
    shown = [CRON.public(dict(CURRENT, status=status)) for status in (0, 1, 5)]
    assert [(cron['status'], cron['enabled']) for cron in shown] == [(0, True), (1, False), (5, None)]
    assert 'enabled' not in CRON.public({'id': 1})


def test_options_and_api_names_both_ways():
    options = CRON.as_options(dict(CURRENT, httpHeaders='X-A: 1', status=1, password='p'))
    assert options['http_method'] == 'GET'
    assert options['http_headers'] == {'X-A': '1'}
    assert options['enabled'] is False
    assert 'password' not in options and 'fail' not in options
    assert GROUP.as_options({'id': 5, 'name': 'ops', 'jobCount': 3}) == {'name': 'ops'}


@pytest.mark.parametrize(
    'stored, sent',
    [
        ('https://App.Example.TEST/a', 'https://app.example.test/a'),
        ('HTTPS://x.test/a', 'https://x.test/a'),
        ('https://x.test/a?_ts=__timestamp__', 'https://x.test/a'),
        ('https://x.test/a?b=1&_ts=__timestamp_ms__', 'https://x.test/a?b=1'),
        ('https://x.test/a?__timestamp__', 'https://x.test/a'),
        ('https://x.test/a?__timestamp__=1', 'https://x.test/a'),
        ('https://x.test/a?_ts=__timestamp__#top', 'https://x.test/a#top'),
        ('https://X.test/a?t=__timestamp__&_ts=__timestamp__', 'https://x.test/a?t=__timestamp__'),
    ],
)
def test_a_url_the_service_may_rewrite_is_the_url_sent(stored, sent):
    assert changes_for({'url': sent}, dict(CURRENT, url=stored)) == ({}, {}, {})
    assert CRON.check_answer(dict(CURRENT, url=stored), {'url': sent})[1] == {}


@pytest.mark.parametrize(
    'stored, sent',
    [
        ('https://x.test/a', 'https://x.test/a?_ts=__timestamp__'),  # asked for, and missing
        ('https://x.test/A', 'https://x.test/a'),  # a path is case-sensitive
        ('https://User:pw@x.test/a', 'https://user:pw@x.test/a'),  # so are credentials
        ('https://x.test/a?b=2&_ts=__timestamp__', 'https://x.test/a?b=1'),
        ('https://x.test/a?_ts=1700000000', 'https://x.test/a'),  # a parameter that holds no keyword
        ('https://x.test/b?_ts=__timestamp__', 'https://x.test/a'),
    ],
)
def test_a_url_that_differs_otherwise_is_a_change(stored, sent):
    assert changes_for({'url': sent}, dict(CURRENT, url=stored))[0] == {'url': sent}


def test_an_answer_is_checked_field_by_field_in_normal_form():
    sent = {
        'name': 'n',
        'timeout': 60,
        'password': 'p',
        'httpMethod': 'POST',
        'expression': '0 3 * * *',
        'httpHeaders': 'X-A: 1\r\nAccept: text/plain',
        'url': 'https://x.test/a',
        'group': 7,
    }
    answer = {
        'name': 'n',
        'timeout': 15,
        'httpMethod': 'post',
        'expression': '0  3 * * *',
        'httpHeaders': 'x-a:1\naccept:text/plain',
        'url': 'https://X.test/a?_ts=__timestamp__',
    }
    took, kept, unknown = CRON.check_answer(answer, sent)
    assert sorted(field.option for field in took) == [
        'expression',
        'http_headers',
        'http_method',
        'name',
        'password',
        'url',
    ]
    assert [(field.option, value) for field, value in kept.items()] == [('timeout', 15)]
    assert [field.option for field in unknown] == ['group']


def test_fields_a_current_object_lacks_are_named_as_unverifiable():
    example = {key: CURRENT[key] for key in ('id', 'group', 'url', 'name')}
    assert CRON.unverifiable(
        example, requested({'timeout': 60, 'url': 'https://x', 'password': 'p', 'keyword': 'OK'})
    ) == ['timeout', 'keyword']


def test_the_observed_after_is_what_the_answer_shows():
    after = {'timeout': 60, 'delay': 5, 'enabled': False}
    assert CRON.observed(after, dict(CURRENT, timeout=15, status=1)) == {'timeout': 15, 'delay': 5, 'enabled': False}
