# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
import requests
from ansible.module_utils.common.warnings import get_warning_messages

from ansible_collections.fastcron.cloud.plugins.modules.fastcron_cron import main
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.objects import unanswered

WEEKLY = {
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
OPS = {'id': 7, 'name': 'ops', 'jobCount': 0, 'priority': 0}
# The fields of the reference's own cronjob examples.
EXAMPLE_FIELDS = (
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
TOKEN_WITH_NEWLINE = '0123456789abcdef\r\n0123456789abcd'


def test_noop_by_name_is_one_request_and_ignores_name_substrings(run_module):
    listing = [dict(WEEKLY, id=5, name='weekly-old'), WEEKLY]
    result, api = run_module(main, {'name': 'weekly', 'url': 'http://example.com/cron_php'}, [('cron_list', listing)])
    assert result['changed'] is False
    assert result['cron'] == {
        'id': 132,
        'group': None,
        'expression': '41 3 * * 2',
        'timezone': 'Europe/London',
        'timeout': 30,
        'instances': 0,
        'url': 'http://example.com/cron_php',
        'http_method': 'GET',
        'http_headers': '',
        'post_data': '',
        'fail': 0,
        'status': 0,
        'status_name': 'active',
        'enabled': True,
        'name': 'weekly',
        'notify': True,
        'priority': 0,
        'points': 1,
    }
    assert api.calls == [('cron_list', {'page': 1, 'keyword': 'weekly'})]


def test_noop_by_id_is_one_request(run_module):
    result, api = run_module(main, {'id': 132, 'timeout': 30}, [('cron_get', WEEKLY)])
    assert result['changed'] is False
    assert api.calls == [('cron_get', {'id': 132})]


def test_a_full_keyword_page_switches_to_the_whole_listing(run_module):
    # A name common in URLs may match thousands of cronjobs: rather than a page per thousand
    # matches, read the account's listing once; it also serves the confirm-before-create.
    page1 = [dict(WEEKLY, id=i, name='weekly-%d' % i) for i in range(1000)]
    result, api = run_module(main, {'name': 'weekly'}, [('cron_list', page1), ('cron_list', [WEEKLY])])
    assert result['cron']['id'] == 132
    assert api.calls == [('cron_list', {'page': 1, 'keyword': 'weekly'}), ('cron_list', {'page': 1})]


def test_a_listing_is_read_once_for_the_search_and_the_confirmation(run_module):
    page1 = [dict(WEEKLY, id=i, name='weekly-%d' % i) for i in range(1000)]
    created = dict(WEEKLY, id=2000)
    script = [('cron_list', page1), ('cron_list', page1), ('cron_list', []), ('cron_add', created)]
    # The look after the create: the keyword page is full again, so the listing is read again.
    script += [('cron_list', page1), ('cron_list', page1), ('cron_list', [created])]
    result, api = run_module(main, {'name': 'weekly', 'url': WEEKLY['url']}, script)
    assert result['changed'] is True
    assert [call[0] for call in api.calls] == ['cron_list', 'cron_list', 'cron_list', 'cron_add'] + ['cron_list'] * 3
    assert api.calls[1:3] == [('cron_list', {'page': 1}), ('cron_list', {'page': 2})]


@pytest.mark.parametrize('check_mode', [False, True])
def test_create_sends_every_option_once(run_module, check_mode):
    args = {
        'name': 'sync',
        'url': 'https://x.test/hook',
        'http_method': 'POST',
        'post_data': '{"a": 1}',
        'http_headers': {'X-Token': 'abc'},
        'password': 's3cret',
        'group': 'ops',
        'expression': '5 minutes',
    }
    created = dict(WEEKLY, id=200, name='sync', url='https://x.test/hook', group=7)
    script = [('cron_list', []), ('cron_list', []), ('group_lookup', [OPS])] + (
        [] if check_mode else [('cron_add', created), ('cron_list', [created])]
    )
    result, api = run_module(main, args, script, check_mode=check_mode)
    assert result['changed'] is True
    assert result['diff']['before'] == {}
    assert result['diff']['after']['group'] == 7
    assert 'password' not in result['diff']['after']
    assert 's3cret' not in repr(result)
    if not check_mode:
        assert api.calls[3] == (
            'cron_add',
            {
                'name': 'sync',
                'url': 'https://x.test/hook',
                'httpMethod': 'POST',
                'postData': '{"a": 1}',
                'httpHeaders': 'X-Token: abc',
                'password': 's3cret',
                'group': 7,
                'expression': '5 minutes',
            },
        )


@pytest.mark.parametrize('method', ['post', 'Post', 'POST'])
def test_http_method_in_any_case_is_post_and_a_post_cronjob_is_left_alone(run_module, method):
    result, api = run_module(main, {'id': 132, 'http_method': method}, [('cron_get', dict(WEEKLY, httpMethod='POST'))])
    assert (result['failed'], result['changed']) == (False, False), result.get('msg')
    assert api.functions == ['cron_get']
    script = [('cron_get', WEEKLY), ('cron_edit', dict(WEEKLY, httpMethod='POST'))]
    result, api = run_module(main, {'id': 132, 'http_method': method}, script)
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert api.calls[1] == ('cron_edit', {'id': 132, 'httpMethod': 'POST'})
    assert result['diff'] == {'before': {'http_method': 'GET'}, 'after': {'http_method': 'POST'}}


def test_http_method_in_lower_case_is_sent_in_upper_case_on_create(run_module):
    created = dict(WEEKLY, id=200, name='sync', url='https://x.test/hook', httpMethod='POST')
    script = [('cron_list', []), ('cron_list', []), ('cron_add', created), ('cron_list', [created])]
    result, api = run_module(main, {'name': 'sync', 'url': 'https://x.test/hook', 'http_method': 'post'}, script)
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert api.calls[2] == ('cron_add', {'name': 'sync', 'url': 'https://x.test/hook', 'httpMethod': 'POST'})
    assert result['diff']['after']['http_method'] == 'POST'


def test_create_disabled_is_add_then_disable(run_module):
    script = [
        ('cron_list', []),
        ('cron_list', []),
        ('cron_add', dict(WEEKLY, name='n')),
        ('cron_list', [dict(WEEKLY, name='n')]),
        ('cron_disable', dict(WEEKLY, name='n', status=1)),
    ]
    result, api = run_module(main, {'name': 'n', 'url': 'https://x.test', 'enabled': False}, script)
    assert result['changed'] is True
    assert result['cron']['status'] == 1
    assert api.calls[3] == ('cron_list', {'page': 1, 'keyword': 'n'})
    assert api.calls[4] == ('cron_disable', {'id': 132})


def test_create_without_url_fails_before_any_write(run_module):
    result, api = run_module(main, {'name': 'n'}, [('cron_list', []), ('cron_list', [])])
    assert result['failed']
    assert "url is required to create the cronjob 'n'" in result['msg']
    assert api.functions == ['cron_list', 'cron_list']


@pytest.mark.parametrize('check_mode', [False, True])
def test_update_sends_all_changes_in_one_edit_and_uses_its_answer(run_module, check_mode):
    edited = dict(WEEKLY, timeout=60, expression='0 4 * * *')
    script = [('cron_get', WEEKLY)] + ([] if check_mode else [('cron_edit', edited)])
    result, api = run_module(main, {'id': 132, 'timeout': 60, 'expression': '0 4 * * *'}, script, check_mode=check_mode)
    assert result['changed'] is True
    assert result['diff'] == {
        'before': {'timeout': 30, 'expression': '41 3 * * 2'},
        'after': {'timeout': 60, 'expression': '0 4 * * *'},
    }
    assert result['cron']['timeout'] == 60
    if not check_mode:
        assert api.calls[1] == ('cron_edit', {'id': 132, 'timeout': 60, 'expression': '0 4 * * *'})


@pytest.mark.parametrize(
    'enabled, status, function, before',
    [
        (False, 0, 'cron_disable', True),
        (True, 1, 'cron_enable', False),
        (True, 4, 'cron_enable', None),
        (False, 5, 'cron_disable', None),  # stopped by failures; paused (undocumented value)
    ],
)
def test_enabled_toggles_only_when_status_differs(run_module, enabled, status, function, before):
    current = dict(WEEKLY, status=status)
    script = [('cron_get', current), (function, dict(current, status=0 if enabled else 1))]
    result, _api = run_module(main, {'id': 132, 'enabled': enabled}, script)
    assert result['changed'] is True
    assert result['diff'] == {'before': {'enabled': before}, 'after': {'enabled': enabled}}
    assert result['cron']['status_name'] == ('active' if enabled else 'disabled')
    result, _api = run_module(
        main, {'id': 132, 'enabled': enabled}, [('cron_get', dict(current, status=0 if enabled else 1))]
    )
    assert result['changed'] is False


@pytest.mark.parametrize('status, meaning', [(2, 'expired'), (3, 'inactive')])
def test_enabling_a_job_the_service_keeps_inactive_fails_clearly(run_module, status, meaning):
    current = dict(WEEKLY, status=status)
    result, _dummy = run_module(main, {'id': 132, 'enabled': True}, [('cron_get', current), ('cron_enable', current)])
    assert (result['failed'], result['changed']) == (True, False)
    assert 'kept cronjob 132 at status %d (%s) after cron_enable' % (status, meaning) in result['msg']


def test_password_on_create_is_not_resent(run_module):
    result, api = run_module(main, {'id': 132, 'password': 'new'}, [('cron_get', WEEKLY)])
    assert result['changed'] is False
    assert api.functions == ['cron_get']


# The answer to the edit: the documented object, which has no password, or one that echoes it
# (whether the service returns the password is not documented).
@pytest.mark.parametrize('echoed', [False, True], ids=['answer without password', 'answer echoes it'])
def test_password_always_is_resent_and_reported(run_module, echoed):
    answer = dict(WEEKLY, password='new-pass') if echoed else WEEKLY
    script = [('cron_get', WEEKLY), ('cron_edit', answer)]
    result, api = run_module(main, {'id': 132, 'password': 'new-pass', 'update_password': 'always'}, script)
    assert result['changed'] is True
    assert api.calls[1] == ('cron_edit', {'id': 132, 'password': 'new-pass'})
    assert result['diff'] == {'before': {}, 'after': {'password': '(changed)'}}
    assert 'new-pass' not in repr(result)


def test_password_always_in_check_mode_shows_it_would_be_sent_again(run_module):
    args = {'id': 132, 'password': 'new-pass', 'update_password': 'always'}
    result, api = run_module(main, args, [('cron_get', WEEKLY)], check_mode=True)
    assert result['changed'] is True
    assert api.functions == ['cron_get']
    assert result['diff'] == {'before': {}, 'after': {'password': '(changed)'}}
    assert 'new-pass' not in repr(result)


def test_unknown_group_name_fails_before_any_write(run_module):
    result, _api = run_module(main, {'id': 132, 'group': 'nope'}, [('cron_get', WEEKLY), ('group_lookup', [])])
    assert result['failed']
    assert "group: no group is named 'nope'" in result['msg']


def test_unknown_group_id_is_checked_only_when_it_would_be_written(run_module):
    script = [('cron_get', WEEKLY), ('group_get', (31, 'Group 55 not found')), ('group_list', [OPS])]
    result, _api = run_module(main, {'id': 132, 'group': '55'}, script)
    assert result['failed']
    assert 'no group has the id 55' in result['msg']
    result, _api = run_module(main, {'id': 132, 'group': '7'}, [('cron_get', dict(WEEKLY, group=7))])
    assert result['changed'] is False


def test_duplicate_names_fail_naming_both_ids(run_module):
    result, _dummy = run_module(main, {'name': 'weekly'}, [('cron_list', [WEEKLY, dict(WEEKLY, id=133)])])
    assert result['failed']
    assert '(ids 132, 133)' in result['msg']


def test_absent_deletes_and_shows_what_went(run_module):
    result, _api = run_module(
        main, {'name': 'weekly', 'state': 'absent'}, [('cron_list', [WEEKLY]), ('cron_delete', dict(WEEKLY, id=None))]
    )
    assert result['changed'] is True
    assert result['cron']['id'] is None
    assert result['diff']['before']['url'] == 'http://example.com/cron_php'
    assert result['diff']['after'] == {}
    result, _api = run_module(main, {'name': 'weekly', 'state': 'absent'}, [('cron_list', []), ('cron_list', [])])
    assert result['changed'] is False
    assert result['cron'] == {}


@pytest.mark.parametrize(
    'args, message',
    [
        ({'name': 'n', 'timeout': 4}, 'timeout must be between 5 and 7200, got 4'),
        ({'name': 'n', 'instances': 6}, 'instances must be between 0 and 5, got 6'),
        ({'name': 'n', 'delay': -1}, 'delay must be between 0 and'),
        ({'name': 'n', 'keyword': 'k' * 101}, 'keyword must be at most 100 characters'),
        ({'name': 'n', 'url': 'example.com'}, 'url must start with http'),
        ({'name': 'n', 'http_headers': {'Bad:Name': '1'}}, 'http_headers'),
        ({'name': 'n', 'http_headers': {'X': 'two\nlines'}}, 'must be one line'),
        ({'name': 'n', 'http_method': 'FETCH'}, 'http_method'),
        ({'url': 'https://x'}, 'one of the following is required: name, id'),
    ],
)
def test_bad_input_fails_before_any_request(run_module, args, message):
    result, api = run_module(main, args, [])
    assert result['failed']
    assert message in result['msg']
    assert api.calls == []


def test_lost_create_answer_is_found_instead_of_created_twice(run_module):
    created = dict(WEEKLY, id=300, name='n')
    script = [
        ('cron_list', []),
        ('cron_list', []),
        ('cron_add', requests.exceptions.ReadTimeout('read timed out')),
        ('cron_list', [created]),
    ]
    result, api = run_module(main, {'name': 'n', 'url': 'https://x.test'}, script)
    assert result['changed'] is True
    assert result['cron']['id'] == 300
    assert api.functions.count('cron_add') == 1


def test_a_refused_create_reports_no_change(run_module):
    script = [('cron_list', []), ('cron_list', []), ('cron_add', (20, "Invalid value for parameter 'expression'"))]
    result, _dummy = run_module(main, {'name': 'n', 'url': 'https://x.test', 'expression': 'whenever'}, script)
    assert result['failed']
    assert result['changed'] is False
    assert result['api_function'] == 'cron_add'
    assert 'Applied before the failure' not in result['msg']
    assert 'diff' not in result  # nothing was made: no change to show


def test_a_failure_after_a_write_reports_the_change_and_what_was_applied(run_module):
    script = [('cron_get', WEEKLY), ('cron_edit', dict(WEEKLY, timeout=60)), ('cron_disable', (99, 'Internal trouble'))]
    result, _dummy = run_module(main, {'id': 132, 'timeout': 60, 'enabled': False}, script)
    assert result['failed']
    assert result['changed'] is True
    assert result['api_function'] == 'cron_disable'
    assert 'Internal trouble' in result['msg']
    assert 'Applied before the failure: cronjob 132 edited: timeout (cron_edit).' in result['msg']


def test_a_failure_after_a_create_names_the_created_cronjob(run_module):
    script = [
        ('cron_list', []),
        ('cron_list', []),
        ('cron_add', dict(WEEKLY, name='n')),
        ('cron_list', [dict(WEEKLY, name='n')]),
        ('cron_disable', (99, 'Internal trouble')),
    ]
    result, _dummy = run_module(main, {'name': 'n', 'url': 'https://x.test', 'enabled': False}, script)
    assert (result['failed'], result['changed']) == (True, True)
    assert "Applied before the failure: cronjob 'n' created (cron_add)." in result['msg']


@pytest.mark.parametrize(
    'twin_id, newest', [(133, '133 (the highest id).'), (90, '132 (the highest id), the one this task created.')]
)
def test_a_twin_found_after_the_create_fails_naming_both_ids_and_the_newest(run_module, twin_id, newest):
    # Another controller that shares no state folder created the name between the look-up and the look after.
    created = dict(WEEKLY, name='n')
    twin = dict(WEEKLY, id=twin_id, name='n')
    script = [('cron_list', []), ('cron_list', []), ('cron_add', created), ('cron_list', [created, twin])]
    result, api = run_module(main, {'name': 'n', 'url': WEEKLY['url'], 'enabled': False}, script)
    assert (result['failed'], result['changed']) == (True, True)
    assert "cronjob 'n' was created with the id 132" in result['msg']
    assert 'kept' not in result['msg']
    assert 'finds 2 cronjobs named so (ids 132, %d)' % twin_id in result['msg']
    assert 'The one created last is most likely ' + newest in result['msg']
    assert 'Nothing was deleted and nothing more was written' in result['msg']
    assert result['cron']['id'] == 132
    assert result['diff']['after']['name'] == 'n'
    # No cron_disable, no delete: nothing is written after the look.
    assert api.functions == ['cron_list', 'cron_list', 'cron_add', 'cron_list']
    assert api.calls[3] == ('cron_list', {'page': 1, 'keyword': 'n'})


def test_the_look_after_a_create_reads_the_listing_when_the_search_does_not_show_names(run_module):
    created = dict(WEEKLY, name='n')
    script = [('cron_list', []), ('cron_list', []), ('cron_add', created), ('cron_list', []), ('cron_list', [created])]
    result, api = run_module(main, {'name': 'n', 'url': WEEKLY['url']}, script)
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert api.calls[3:] == [('cron_list', {'page': 1, 'keyword': 'n'}), ('cron_list', {'page': 1})]


def test_a_lost_create_answer_with_nothing_found_fails_without_resending(run_module):
    script = [
        ('cron_list', []),
        ('cron_list', []),
        ('cron_add', requests.exceptions.ReadTimeout('read timed out')),
        ('cron_list', []),
    ]
    result, api = run_module(main, {'name': 'n', 'url': 'https://x.test'}, script)
    assert (result['failed'], result['changed']) == (True, False)
    assert 'may still take effect' in result['msg']
    assert 'Run the task again' in result['msg']
    assert api.functions.count('cron_add') == 1


@pytest.mark.parametrize(
    'args, message',
    [
        ({'name': 'n', 'url': 'https://x.test', 'group': '\u00b2'}, None),  # a superscript digit is a name, not an id
        ({'name': 'n', 'url': 'https://x.test/a\r\nX-Injected: 1'}, 'url must not contain spaces, line breaks'),
        ({'name': 'n', 'url': 'https://x.test/a b'}, 'url must not contain spaces'),
        ({'name': 'n', 'user_agent': 'bot\r\nX-Injected: 1'}, 'user_agent must be one line'),
        ({'name': 'n', 'username': 'me\nX-Injected: 1'}, 'username must be one line'),
        (
            {'name': 'n', 'http_headers': {'X-A': 'a\x00b'}},
            "the value of 'X-A' must be one line without control characters",
        ),
        ({'name': 'n', 'http_headers': {'X-A': 'a\rb'}}, "the value of 'X-A' must be one line"),
        ({'name': 'n', 'http_headers': {'Bad Name': '1'}}, "'Bad Name' is not a valid header name"),
        ({'name': 'n', 'http_headers': {'': '1'}}, "'' is not a valid header name"),
        ({'name': 'n', 'http_headers': {'X\u00e9': '1'}}, 'is not a valid header name'),
        ({'name': 'n', 'timeout': 2**63}, 'timeout must be between 5 and 7200'),
        ({'name': 'n', 'delay': 2**63}, 'delay must be between 0 and 2147483647'),
        ({'name': 'n', 'api_token': 'caf\u00e9' * 8}, 'api_token must be printable ASCII'),
        ({'name': 'n', 'api_token': TOKEN_WITH_NEWLINE}, 'api_token must be printable ASCII'),
        (
            {'name': 'n', 'api_url': 'https://api.example.test/v1\r\nX: 1'},
            'api_url must not contain spaces or control characters',
        ),
        ({'name': 'n', 'api_url': 'https://'}, 'api_url must be an http:// or https:// URL'),
        ({'name': 'n', 'api_retry_max_delay': 2**63}, 'api_retry_max_delay must be between 0 and 3600'),
    ],
)
def test_hostile_input_fails_cleanly_before_any_request(run_module, args, message):
    if message is None:
        # The look-up of a group named '²' is the first request; nothing crashes on the way.
        result, api = run_module(main, args, [('cron_list', []), ('cron_list', []), ('group_lookup', [])])
        assert "group: no group is named '\u00b2'" in result['msg']
        return
    result, api = run_module(main, args, [])
    assert result['failed']
    assert message in result['msg']
    assert api.calls == []
    assert 'caf\u00e9' not in result['msg'] and TOKEN_WITH_NEWLINE not in result['msg']


def test_url_and_expression_are_normalised_once_for_check_request_and_comparison(run_module):
    args = {'name': 'n', 'url': '  https://x.test/hook  ', 'expression': ' 0  3 * * * '}
    script = [
        ('cron_list', []),
        ('cron_list', []),
        ('cron_add', dict(WEEKLY, name='n', url='https://x.test/hook', expression='0 3 * * *')),
        ('cron_list', [dict(WEEKLY, name='n', url='https://x.test/hook', expression='0 3 * * *')]),
    ]
    result, api = run_module(main, args, script)
    assert api.calls[2][1]['url'] == 'https://x.test/hook'
    assert api.calls[2][1]['expression'] == '0 3 * * *'
    stored = dict(WEEKLY, name='n', url='https://x.test/hook', expression='0 3 * * *')
    result, api = run_module(main, args, [('cron_list', [stored])])
    assert result['changed'] is False


def test_check_mode_accepts_a_group_an_earlier_task_would_create(run_module):
    args = {'name': 'n', 'url': 'https://x.test', 'group': 'reports'}
    result, _api = run_module(main, args, [('cron_list', []), ('cron_list', []), ('group_lookup', [])], check_mode=True)
    assert (result['failed'], result['changed']) == (False, True)
    assert result['diff']['after']['group'] == 'reports'
    assert "no group is named 'reports' yet" in ' '.join(get_warning_messages())
    result, _api = run_module(main, args, [('cron_list', []), ('cron_list', []), ('group_lookup', [])])
    assert result['failed']


def test_a_group_whose_name_differs_only_in_case_is_never_used(run_module):
    script = [('cron_get', WEEKLY), ('group_lookup', [dict(OPS, name='OPS')])]
    result, api = run_module(main, {'id': 132, 'group': 'ops'}, script)
    assert result['failed']
    assert "group: no group is named 'ops'" in result['msg']
    assert api.functions == ['cron_get', 'group_lookup']


def test_creating_with_enabled_true_sends_no_enable_when_the_new_cronjob_is_active(run_module):
    created = dict(WEEKLY, name='n', status=0)
    script = [('cron_list', []), ('cron_list', []), ('cron_add', created), ('cron_list', [created])]
    result, api = run_module(main, {'name': 'n', 'url': 'https://x.test', 'enabled': True}, script)
    assert result['changed'] is True
    assert api.functions == ['cron_list', 'cron_list', 'cron_add', 'cron_list']


# --- every write's answer is checked against what was sent


def test_a_value_the_service_kept_fails_naming_field_sent_and_kept_and_is_no_change(run_module):
    script = [('cron_get', WEEKLY), ('cron_edit', dict(WEEKLY, timeout=15))]
    result, _dummy = run_module(main, {'id': 132, 'timeout': 60}, script)
    assert (result['failed'], result['changed'], result['applied']) == (True, False, [])
    assert 'timeout: sent 60 to cron_edit for cronjob 132, FastCron kept 15' in result['msg']
    assert 'Applied before the failure' not in result['msg']
    assert 'diff' not in result
    assert result['cron']['timeout'] == 15


def test_what_took_is_the_change_and_what_was_kept_fails(run_module):
    script = [
        ('cron_get', WEEKLY),
        ('cron_edit', dict(WEEKLY, timeout=15, expression='0 4 * * *')),
        ('cron_disable', dict(WEEKLY, timeout=15, expression='0 4 * * *', status=1)),
    ]
    result, _dummy = run_module(main, {'id': 132, 'timeout': 60, 'expression': '0 4 * * *', 'enabled': False}, script)
    assert (result['failed'], result['changed'], result['applied']) == (True, True, ['enabled', 'expression'])
    assert 'timeout: sent 60 to cron_edit for cronjob 132, FastCron kept 15' in result['msg']
    assert (
        'Applied before the failure: cronjob 132 edited: expression (cron_edit); cronjob 132 disabled (cron_disable).'
        in result['msg']
    )
    assert result['diff'] == {
        'before': {'timeout': 30, 'expression': '41 3 * * 2', 'enabled': True},
        'after': {'timeout': 15, 'expression': '0 4 * * *', 'enabled': False},
    }


def test_a_create_whose_answer_shows_another_value_is_a_change_and_fails(run_module):
    script = [
        ('cron_list', []),
        ('cron_list', []),
        ('cron_add', dict(WEEKLY, id=300, name='n', url='https://x.test', timeout=15)),
        ('cron_list', [dict(WEEKLY, id=300, name='n', url='https://x.test', timeout=15)]),
    ]
    result, _dummy = run_module(main, {'name': 'n', 'url': 'https://x.test', 'timeout': 60}, script)
    assert (result['failed'], result['changed'], result['applied']) == (True, True, ['name', 'url'])
    assert 'timeout: sent 60 to cron_add for cronjob 300, FastCron kept 15' in result['msg']
    assert "Applied before the failure: cronjob 'n' created (cron_add)." in result['msg']
    assert result['diff']['after']['timeout'] == 15


@pytest.mark.parametrize(
    'answers, form', [([dict(WEEKLY, group=None)], 'null'), ([dict(WEEKLY, group=7), dict(WEEKLY, group=None)], '0')]
)
def test_a_group_is_cleared_with_null_or_else_0_and_the_result_says_which(run_module, answers, form):
    grouped = dict(WEEKLY, group=7)
    script = [('cron_get', grouped)] + [('cron_edit', answer) for answer in answers]
    result, api = run_module(main, {'id': 132, 'group': ''}, script)
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert (result['applied'], result['cleared_with']) == (['group'], {'group': form})
    assert (
        api.calls[1:]
        == [('cron_edit', {'id': 132, 'group': None}), ('cron_edit', {'id': 132, 'group': 0})][: len(answers)]
    )
    assert result['diff'] == {'before': {'group': 7}, 'after': {'group': None}}
    assert result['cron']['group'] is None


def test_a_group_kept_after_null_and_0_fails_naming_both(run_module):
    grouped = dict(WEEKLY, group=7)
    result, _dummy = run_module(
        main, {'id': 132, 'group': ''}, [('cron_get', grouped), ('cron_edit', grouped), ('cron_edit', grouped)]
    )
    assert (result['failed'], result['changed']) == (True, False)
    assert 'group: sent null, then 0 to cron_edit for cronjob 132, FastCron kept 7' in result['msg']
    assert 'diff' not in result


def test_text_fields_are_cleared_with_an_empty_string(run_module):
    current = dict(WEEKLY, postData='a=1', httpHeaders='X-A: 1', userAgent='bot', username='me', keyword='OK')
    cleared = dict(WEEKLY, userAgent=None, username=None, keyword=None)
    args = {'id': 132, 'post_data': '', 'http_headers': {}, 'user_agent': '', 'username': '', 'keyword': ''}
    result, api = run_module(main, args, [('cron_get', current), ('cron_edit', cleared)])
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert api.calls[1] == (
        'cron_edit',
        {'id': 132, 'postData': '', 'httpHeaders': '', 'userAgent': '', 'username': '', 'keyword': ''},
    )
    assert result['applied'] == ['http_headers', 'keyword', 'post_data', 'user_agent', 'username']
    assert 'cleared_with' not in result


def test_what_the_service_may_rewrite_is_taken_and_converges(run_module):
    args = {
        'name': 'n',
        'url': 'https://App.x.test/hook',
        'expression': '0 3 * * *',
        'http_method': 'POST',
        'http_headers': {'X-Api-Version': '2', 'Accept': 'text/plain'},
    }
    stored = dict(
        WEEKLY,
        id=300,
        name='n',
        url='https://app.x.test/hook?_ts=__timestamp__',
        expression='0  3 * * *',
        httpMethod='POST',
        httpHeaders='x-api-version:2\naccept:text/plain',
    )
    script = [('cron_list', []), ('cron_list', []), ('cron_add', stored), ('cron_list', [stored])]
    result, _dummy = run_module(main, args, script)
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert result['applied'] == ['expression', 'http_headers', 'http_method', 'name', 'url']
    result, api = run_module(main, args, [('cron_list', [stored])])
    assert (result['failed'], result['changed']) == (False, False)
    assert api.functions == ['cron_list']


def test_fields_the_service_does_not_return_are_warned_about_once_and_not_compared(run_module, warned):
    example = {key: WEEKLY[key] for key in EXAMPLE_FIELDS}
    result, api = run_module(
        main, {'id': 132, 'timeout': 60, 'http_method': 'POST', 'keyword': 'OK'}, [('cron_get', example)]
    )
    assert (result['failed'], result['changed']) == (False, False)
    assert [unanswered(text) for text in warned] == ['timeout', 'http_method', 'keyword']
    # Shown as said: no credential-looking "keyword: ..." pair for the masking to hide.
    assert warned[2] == (
        'FastCron answered without keyword, so it is not compared: '
        'it is sent when a cronjob is created and left alone afterwards.'
    )
    assert api.functions == ['cron_get']


def test_a_create_warns_about_what_its_answer_lacks(run_module, warned):
    example = {key: WEEKLY[key] for key in EXAMPLE_FIELDS}
    created = dict(example, name='n', url='https://x.test')
    script = [('cron_list', []), ('cron_list', []), ('cron_add', created), ('cron_list', [created])]
    result, api = run_module(main, {'name': 'n', 'url': 'https://x.test', 'timeout': 60}, script)
    assert (result['failed'], result['changed'], result['applied']) == (False, True, ['name', 'url'])
    assert api.calls[2][1]['timeout'] == 60
    assert warned == [
        'FastCron answered without timeout, so it is not compared: '
        'it is sent when a cronjob is created and left alone afterwards.'
    ]


@pytest.mark.parametrize(
    'args, applied',
    [({'id': 132, 'timeout': 60, 'enabled': False}, ['enabled', 'timeout']), ({'id': 132, 'timeout': 30}, [])],
)
def test_check_mode_names_what_would_be_sent(run_module, args, applied):
    result, _dummy = run_module(main, args, [('cron_get', WEEKLY)], check_mode=True)
    assert result['applied'] == applied


# cron_params: the result as options, fed back.

WEEKLY_PARAMS = {
    'name': 'weekly',
    'url': 'http://example.com/cron_php',
    'expression': '41 3 * * 2',
    'timezone': 'Europe/London',
    'timeout': 30,
    'instances': 0,
    'http_method': 'GET',
    'post_data': '',
    'http_headers': {},
    'notify': True,
    'group': '',
    'enabled': True,
}


def test_cron_params_are_the_options_of_the_cronjob_and_feed_back_as_a_noop(run_module):
    result, _api = run_module(main, {'id': 132}, [('cron_get', WEEKLY)])
    assert result['cron_params'] == WEEKLY_PARAMS
    again, api = run_module(main, result['cron_params'], [('cron_list', [WEEKLY])])
    assert (again['failed'], again['changed']) == (False, False), again.get('msg')
    assert api.functions == ['cron_list']
    assert again['diff'] == {'before': {}, 'after': {}}


def test_cron_params_give_the_group_as_the_task_named_it_else_by_id(run_module):
    grouped = dict(WEEKLY, group=7, httpHeaders='X-Api-Version: 2')
    result, _api = run_module(main, {'id': 132, 'group': 'ops'}, [('cron_get', grouped), ('group_lookup', [OPS])])
    assert (result['cron_params']['group'], result['cron_params']['http_headers']) == ('ops', {'X-Api-Version': '2'})
    result, _api = run_module(main, {'id': 132}, [('cron_get', grouped)])
    assert result['cron_params']['group'] == '7'
    again, api = run_module(main, result['cron_params'], [('cron_list', [grouped])])
    assert (again['failed'], again['changed'], api.functions) == (False, False, ['cron_list'])


def test_cron_params_leave_out_the_options_that_hold_credentials(run_module):
    secret = dict(
        WEEKLY,
        url='https://user:pw-0001@example.com/cron?api_key=k-0001',
        httpHeaders='Authorization: Bearer tok-0001\r\nX-Team: ops',
        postData='secret=s-0001',
        status=5,
    )
    result, _api = run_module(main, {'id': 132}, [('cron_get', secret)])
    params = result['cron_params']
    assert not {'url', 'http_headers', 'post_data', 'password', 'enabled'} & set(params)
    assert params == {
        key: value for key, value in WEEKLY_PARAMS.items() if key not in ('url', 'http_headers', 'post_data', 'enabled')
    }
    assert '0001' not in repr(result)
    again, api = run_module(main, params, [('cron_list', [secret])])
    assert (again['failed'], again['changed'], api.functions) == (False, False, ['cron_list'])


def test_cron_params_after_a_delete_are_empty(run_module):
    script = [('cron_list', [WEEKLY]), ('cron_delete', dict(WEEKLY, id=None))]
    result, _api = run_module(main, {'name': 'weekly', 'state': 'absent'}, script)
    assert (result['changed'], result['cron']['id'], result['cron_params']) == (True, None, {})
