# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""fastcron_cron_batch against scripted answers: the exact requests of every path."""

from __future__ import annotations

import pytest
import requests
from ansible.module_utils.common.warnings import get_warning_messages

from ansible_collections.fastcron.cloud.plugins.modules.fastcron_cron_batch import main
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.objects import cron, unanswered

OPS = {'id': 7, 'name': 'ops', 'jobCount': 2, 'priority': 0}
OTHER = {'id': 8, 'name': 'other', 'jobCount': 1, 'priority': 0}


def entry(name, **options):
    return dict(dict(name=name, url='https://x.test/%s' % name), **options)


ACCOUNT = [cron(1000, 'a'), cron(1001, 'b', group=7), cron(1002, 'c', status=1), cron(1003, 'd', group=7)]


def test_noop_is_one_listing(run_module):
    crons = [entry('a'), entry('b', group='7'), entry('c', enabled=False)]
    result, api = run_module(main, {'crons': crons}, [('cron_list', ACCOUNT)])
    assert (result['failed'], result['changed']) == (False, False)
    assert api.calls == [('cron_list', {'page': 1})]
    assert (result['created'], result['updated'], result['deleted']) == ([], [], [])
    assert [job['name'] for job in result['crons']] == ['a', 'b', 'c']
    assert result['crons'][2]['status_name'] == 'disabled'
    assert result['diff'] == {'before': {}, 'after': {}}


def test_noop_follows_every_page_once(run_module):
    page = [cron(2000 + index, 'job-%d' % index) for index in range(1000)]
    result, api = run_module(main, {'crons': [entry('a'), entry('b')]}, [('cron_list', page), ('cron_list', ACCOUNT)])
    assert result['changed'] is False
    assert api.calls == [('cron_list', {'page': 1}), ('cron_list', {'page': 2})]


def test_one_entry_in_an_account_of_many_pages_is_looked_up_on_its_own(run_module):
    page = [cron(2000 + index, 'job-%d' % index) for index in range(1000)]
    result, api = run_module(main, {'crons': [entry('a')]}, [('cron_list', page), ('cron_list', ACCOUNT[:1])])
    assert result['changed'] is False
    assert api.calls == [('cron_list', {'page': 1}), ('cron_list', {'keyword': 'a', 'page': 1})]


@pytest.mark.parametrize('check_mode', [False, True])
def test_create_is_one_listing_one_group_list_and_one_batch_add(run_module, check_mode):
    crons = [entry('new-%d' % index, group='ops') for index in range(3)] + [entry('lone', password='s3cret')]
    made = [cron(1100 + index, 'new-%d' % index, group=7) for index in range(3)] + [cron(1103, 'lone')]
    script = [('cron_list', ACCOUNT), ('group_list', [OPS, OTHER])] + ([] if check_mode else [('cron_batch_add', made)])
    result, api = run_module(main, {'crons': crons}, script, check_mode=check_mode)
    assert (result['failed'], result['changed']) == (False, True)
    ids = [None] * 4 if check_mode else [1100, 1101, 1102, 1103]
    assert result['created'] == [{'id': i, 'name': name} for i, name in zip(ids, ['new-0', 'new-1', 'new-2', 'lone'])]
    assert result['diff']['before'] == {}
    assert result['diff']['after']['new-1'] == {'name': 'new-1', 'url': 'https://x.test/new-1', 'group': 7}
    assert result['diff']['after']['lone'] == {'name': 'lone', 'url': 'https://x.test/lone'}
    assert [job['id'] for job in result['crons']] == ids
    assert 's3cret' not in repr(result)
    if not check_mode:
        assert api.calls[2] == (
            'cron_batch_add',
            {
                'data': [
                    {'name': 'new-0', 'url': 'https://x.test/new-0', 'group': 7},
                    {'name': 'new-1', 'url': 'https://x.test/new-1', 'group': 7},
                    {'name': 'new-2', 'url': 'https://x.test/new-2', 'group': 7},
                    {'name': 'lone', 'url': 'https://x.test/lone', 'password': 's3cret'},
                ]
            },
        )


def test_create_disabled_is_disabled_after_the_batch_add_and_enabled_costs_nothing(run_module):
    crons = [entry('off', enabled=False), entry('on', enabled=True)]
    made = [cron(1100, 'off'), cron(1101, 'on')]
    script = [('cron_list', []), ('cron_batch_add', made), ('cron_disable', cron(1100, 'off', status=1))]
    result, api = run_module(main, {'crons': crons}, script)
    assert api.functions == ['cron_list', 'cron_batch_add', 'cron_disable']
    assert api.calls[2] == ('cron_disable', {'id': 1100})
    assert [job['status_name'] for job in result['crons']] == ['disabled', 'active']
    assert result['updated'] == []


@pytest.mark.parametrize('check_mode', [False, True])
def test_each_drifted_cronjob_is_one_edit_with_all_its_changes(run_module, check_mode):
    crons = [
        entry('a', timeout=60, expression='0 4 * * *'),
        entry('b', timeout=60, group='7'),
        entry('c', enabled=True),
        entry('d', group='7'),
    ]
    script = [('cron_list', ACCOUNT)] + (
        []
        if check_mode
        else [
            ('cron_edit', cron(1000, 'a', timeout=60, expression='0 4 * * *')),
            ('cron_edit', cron(1001, 'b', group=7, timeout=60)),
            ('cron_enable', cron(1002, 'c')),
        ]
    )
    result, api = run_module(main, {'crons': crons}, script, check_mode=check_mode)
    assert (result['failed'], result['changed']) == (False, True)
    if not check_mode:
        assert api.calls[1:] == [
            ('cron_edit', {'id': 1000, 'timeout': 60, 'expression': '0 4 * * *'}),
            ('cron_edit', {'id': 1001, 'timeout': 60}),
            ('cron_enable', {'id': 1002}),
        ]
    assert result['updated'] == [{'id': 1000, 'name': 'a'}, {'id': 1001, 'name': 'b'}, {'id': 1002, 'name': 'c'}]
    assert result['diff'] == {
        'before': {'a': {'timeout': 30, 'expression': '15 minutes'}, 'b': {'timeout': 30}, 'c': {'enabled': False}},
        'after': {'a': {'timeout': 60, 'expression': '0 4 * * *'}, 'b': {'timeout': 60}, 'c': {'enabled': True}},
    }
    assert [job['timeout'] for job in result['crons']] == [60, 60, 30, 30]
    assert result['crons'][2]['status'] == 0


def test_absent_entries_go_in_one_batch_delete(run_module):
    crons = [{'name': 'a', 'state': 'absent'}, {'id': 1002, 'state': 'absent'}, {'name': 'gone', 'state': 'absent'}]
    script = [('cron_list', ACCOUNT), ('cron_batch_delete', [dict(ACCOUNT[0], id=None), dict(ACCOUNT[2], id=None)])]
    result, api = run_module(main, {'crons': crons}, script)
    assert api.calls[1] == ('cron_batch_delete', {'id': [1000, 1002]})
    assert result['deleted'] == [{'id': 1000, 'name': 'a'}, {'id': 1002, 'name': 'c'}]
    assert sorted(result['diff']['before']) == ['a', 'c']
    assert result['diff']['before']['c']['enabled'] is False
    assert result['diff']['after'] == {}
    assert result['crons'] == []


@pytest.mark.parametrize('check_mode', [False, True])
def test_purge_deletes_only_what_the_group_holds_and_crons_does_not_name(run_module, check_mode):
    items = [cron(1001, 'b', group=7), cron(1003, 'd', group=7), cron(1004, '', group=7), cron(1005, 'd', group=7)]
    script = [('group_list', [OPS, OTHER]), ('group_items', items)]
    script += [] if check_mode else [('cron_batch_delete', [dict(item, id=None) for item in items[1:]])]
    result, api = run_module(
        main, {'group': 'ops', 'purge': True, 'crons': [entry('b')]}, script, check_mode=check_mode
    )
    assert (result['failed'], result['changed']) == (False, True)
    assert api.calls[1] == ('group_items', {'id': 7})
    if not check_mode:
        assert api.calls[2] == ('cron_batch_delete', {'id': [1003, 1004, 1005]})
    assert result['deleted'] == [{'id': 1003, 'name': 'd'}, {'id': 1004, 'name': ''}, {'id': 1005, 'name': 'd'}]
    assert sorted(result['diff']['before']) == [' (id 1004)', 'd', 'd (id 1005)']
    assert [job['id'] for job in result['crons']] == [1001]


def test_a_scope_by_id_needs_no_group_list_and_entries_land_in_it(run_module):
    script = [('group_items', [cron(1001, 'b', group=7)]), ('cron_batch_add', [cron(1100, 'n', group=7)])]
    result, api = run_module(main, {'group': '7', 'crons': [entry('b'), entry('n', group='7')]}, script)
    assert api.calls == [
        ('group_items', {'id': 7}),
        ('cron_batch_add', {'data': [{'name': 'n', 'url': 'https://x.test/n', 'group': 7}]}),
    ]
    assert result['created'] == [{'id': 1100, 'name': 'n'}]


def test_in_a_scope_a_name_elsewhere_is_not_looked_at_but_an_id_is_moved_in(run_module):
    script = [('group_items', []), ('cron_get', cron(1000, 'a')), ('cron_edit', cron(1000, 'a', group=7))]
    result, api = run_module(main, {'group': '7', 'crons': [{'id': 1000}]}, script)
    assert api.calls[2] == ('cron_edit', {'id': 1000, 'group': 7})
    assert result['updated'] == [{'id': 1000, 'name': 'a'}]


@pytest.mark.parametrize(
    'args, message',
    [
        ({'purge': True, 'crons': []}, 'purge needs group'),
        (
            {'crons': [entry('a'), entry('b'), entry('a')]},
            "crons[0] and crons[2] have the same name 'a'; give each cronjob once.",
        ),
        ({'crons': [{'id': 5}, {'id': 5, 'state': 'absent'}]}, 'crons[0] and crons[1] have the same id 5'),
        ({'crons': [entry('a'), entry('b', timeout=4)]}, 'crons[1]: timeout must be between 5 and 7200, got 4.'),
        ({'crons': [entry('a', url='example.com')]}, 'crons[0]: url must start with http'),
        ({'crons': [entry(' ')]}, 'crons[0]: name must not be empty.'),
        (
            {'crons': [entry('a', http_headers={'Bad Name': '1'})]},
            "crons[0]: http_headers: 'Bad Name' is not a valid header name",
        ),
        (
            {'group': 'ops', 'crons': [entry('a', group='other')]},
            "crons[0]: group must be left out or be 'ops', the group of the task.",
        ),
        ({'crons': [{'url': 'https://x.test'}]}, 'one of the following is required: name, id'),
        ({'crons': [entry('a', http_method='FETCH')]}, 'http_method'),
    ],
)
def test_bad_input_fails_before_any_request(run_module, args, message):
    result, api = run_module(main, args, [])
    assert (result['failed'], result.get('changed', False)) == (True, False)
    assert message in result['msg']
    assert api.calls == []


def test_a_name_twice_in_the_account_fails_before_any_write_naming_the_ids(run_module):
    account = [*ACCOUNT, cron(1010, 'b')]
    result, api = run_module(main, {'crons': [entry('new'), entry('b')]}, [('cron_list', account)])
    assert (result['failed'], result['changed']) == (True, False)
    assert "crons[1]: 2 cronjobs are named 'b' (ids 1001, 1010)" in result['msg']
    assert 'The one created last is most likely 1010 (the highest id).' in result['msg']
    assert api.functions == ['cron_list']


def test_one_cronjob_given_by_two_entries_fails(run_module):
    result, _api = run_module(main, {'crons': [entry('a'), {'id': 1000, 'timeout': 60}]}, [('cron_list', ACCOUNT)])
    assert result['failed']
    assert 'crons: cronjob 1000 is given by more than one entry.' in result['msg']


def test_create_without_url_or_with_an_unknown_id_fails_before_any_write(run_module):
    result, api = run_module(main, {'crons': [entry('new'), {'name': 'nourl'}]}, [('cron_list', ACCOUNT)])
    assert "crons[1]: url is required to create the cronjob 'nourl'." in result['msg']
    result, api = run_module(main, {'crons': [{'id': 99, 'url': 'https://x.test'}]}, [('cron_list', ACCOUNT)])
    assert 'crons[0]: no cronjob has the id 99' in result['msg']
    assert api.functions == ['cron_list']


def test_unknown_group_fails_before_any_write_and_warns_in_check_mode(run_module):
    args = {'crons': [entry('new'), entry('n', group='reports'), entry('m', group='reports')]}
    result, _api = run_module(main, args, [('cron_list', ACCOUNT), ('group_list', [OPS])])
    assert (result['failed'], result['changed']) == (True, False)
    assert "crons[1].group: no group is named 'reports'; create it first." in result['msg']
    result, _api = run_module(main, args, [('cron_list', ACCOUNT), ('group_list', [OPS])], check_mode=True)
    assert (result['failed'], result['changed']) == (False, True)
    assert result['diff']['after']['n']['group'] == 'reports'
    assert "no group is named 'reports' yet" in ' '.join(get_warning_messages())


def test_an_unknown_scope_holds_nothing_in_check_mode(run_module):
    args = {'group': 'reports', 'purge': True, 'crons': [entry('n')]}
    result, _api = run_module(main, args, [('group_list', [OPS])], check_mode=True)
    assert (result['failed'], result['changed']) == (False, True)
    assert result['created'] == [{'id': None, 'name': 'n'}]
    assert result['deleted'] == []
    result, _api = run_module(main, args, [('group_list', [OPS])])
    assert "group: no group is named 'reports'" in result['msg']


def test_a_group_id_is_checked_once_only_when_it_would_be_written(run_module):
    crons = [entry('a', group='7'), entry('b', group='7'), entry('d', group='9')]
    result, api = run_module(main, {'crons': crons}, [('cron_list', ACCOUNT), ('group_list', [OPS, OTHER])])
    assert "crons[0].group: no group has the id 9" not in result['msg']
    assert 'crons[2].group: no group has the id 9.' in result['msg']
    assert api.functions == ['cron_list', 'group_list']


@pytest.mark.parametrize('echoed', [False, True], ids=['answer without password', 'answer echoes it'])
def test_password_is_sent_on_create_and_with_update_password_always_only(run_module, echoed):
    crons = [entry('a', password='pass-1'), entry('b', password='pass-2', update_password='always')]
    answer = cron(1001, 'b', group=7)
    script = [('cron_list', ACCOUNT), ('cron_edit', dict(answer, password='pass-2') if echoed else answer)]
    result, api = run_module(main, {'crons': crons}, script)
    assert api.calls[1] == ('cron_edit', {'id': 1001, 'password': 'pass-2'})
    assert result['updated'] == [{'id': 1001, 'name': 'b'}]
    assert result['diff'] == {'before': {'b': {}}, 'after': {'b': {'password': '(changed)'}}}
    assert 'pass-1' not in repr(result) and 'pass-2' not in repr(result)


def test_password_always_in_check_mode_shows_it_would_be_sent_again(run_module):
    crons = [entry('b', password='pass-2', update_password='always')]
    result, api = run_module(main, {'crons': crons}, [('cron_list', ACCOUNT)], check_mode=True)
    assert (result['changed'], api.functions) == (True, ['cron_list'])
    assert result['diff'] == {'before': {'b': {}}, 'after': {'b': {'password': '(changed)'}}}
    assert 'pass-2' not in repr(result)


def test_an_entry_s_http_method_is_taken_in_any_case_and_sent_in_upper_case(run_module):
    account = [cron(1000, 'a', httpMethod='POST'), cron(1001, 'b')]
    crons = [entry('a', http_method='post'), entry('b', http_method='Put'), entry('c', http_method='pAtCh')]
    script = [
        ('cron_list', account),
        ('cron_batch_add', [cron(1100, 'c', httpMethod='PATCH')]),
        ('cron_edit', cron(1001, 'b', httpMethod='PUT')),
    ]
    result, api = run_module(main, {'crons': crons}, script)
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert api.calls[1] == (
        'cron_batch_add',
        {'data': [{'name': 'c', 'url': 'https://x.test/c', 'httpMethod': 'PATCH'}]},
    )
    assert api.calls[2] == ('cron_edit', {'id': 1001, 'httpMethod': 'PUT'})
    assert result['updated'] == [{'id': 1001, 'name': 'b'}]
    assert 'a' not in result['diff']['after']  # POST is post
    assert result['diff']['after']['b'] == {'http_method': 'PUT'}


def test_a_failure_in_the_middle_reports_the_change_and_what_was_applied(run_module):
    crons = [
        entry('new'),
        entry('a', timeout=60),
        entry('b', timeout=60),
        entry('c', timeout=60),
        {'name': 'd', 'state': 'absent'},
    ]
    script = [
        ('cron_list', ACCOUNT),
        ('cron_batch_add', [cron(1100, 'new')]),
        ('cron_edit', cron(1000, 'a', timeout=60)),
        ('cron_edit', (99, 'Internal trouble')),
    ]
    result, _api = run_module(main, {'crons': crons}, script)
    assert (result['failed'], result['changed']) == (True, True)
    assert result['api_function'] == 'cron_edit'
    assert (
        "Applied before the failure: cronjobs 'new' created (cron_batch_add); cronjob 1000 edited: timeout (cron_edit)."
    ) in result['msg']
    assert result['created'] == [{'id': 1100, 'name': 'new'}]
    assert result['updated'] == [{'id': 1000, 'name': 'a'}]
    assert result['deleted'] == []


def test_a_refused_batch_add_changes_nothing(run_module):
    script = [('cron_list', []), ('cron_batch_add', (20, "data[1]: Invalid value for parameter 'expression'"))]
    result, _api = run_module(main, {'crons': [entry('x'), entry('y', expression='whenever')]}, script)
    assert (result['failed'], result['changed']) == (True, False)
    assert "data[1]: Invalid value for parameter 'expression'" in result['msg']
    assert 'Applied before the failure' not in result['msg']


def test_a_lost_batch_add_answer_is_adopted_from_one_listing(run_module):
    made = [cron(1100, 'x'), cron(1101, 'y')]
    script = [
        ('cron_list', ACCOUNT),
        ('cron_batch_add', requests.exceptions.ReadTimeout('read timed out')),
        ('cron_list', ACCOUNT + made),
    ]
    result, api = run_module(
        main, {'crons': [entry('x'), entry('y', enabled=False)]}, [*script, ('cron_disable', dict(made[1], status=1))]
    )
    assert (result['failed'], result['changed']) == (False, True)
    assert api.functions.count('cron_batch_add') == 1
    assert result['created'] == [{'id': 1100, 'name': 'x'}, {'id': 1101, 'name': 'y'}]


def test_a_lost_batch_add_answer_with_some_not_found_fails_without_resending(run_module):
    script = [
        ('cron_list', []),
        ('cron_batch_add', requests.exceptions.ReadTimeout('read timed out')),
        ('cron_list', [cron(1100, 'x')]),
    ]
    result, api = run_module(main, {'crons': [entry('x'), entry('y'), entry('z')]}, script)
    assert (result['failed'], result['changed']) == (True, True)
    assert api.functions.count('cron_batch_add') == 1
    assert "the create of cronjobs 'y', 'z' may still take effect" in result['msg']
    assert 'Run the task again' in result['msg']
    assert "Applied before the failure: cronjobs 'x' created (cron_batch_add)." in result['msg']
    assert result['created'] == [{'id': 1100, 'name': 'x'}]


def test_a_failed_batch_delete_is_settled_by_a_listing(run_module):
    script = [('cron_list', ACCOUNT), ('cron_batch_delete', (30, 'Cronjob 1000 not found')), ('cron_list', ACCOUNT[1:])]
    result, _api = run_module(main, {'crons': [{'name': 'a', 'state': 'absent'}]}, script)
    assert (result['failed'], result['changed']) == (False, True)
    assert result['deleted'] == [{'id': 1000, 'name': 'a'}]
    script = [('cron_list', ACCOUNT), ('cron_batch_delete', (30, 'Cronjob 1000 not found')), ('cron_list', ACCOUNT)]
    result, _api = run_module(main, {'crons': [{'name': 'a', 'state': 'absent'}]}, script)
    assert (result['failed'], result['changed']) == (True, False)
    assert result['api_function'] == 'cron_batch_delete'


@pytest.mark.parametrize(
    'entry, message',
    [
        ({'url': 'https://x.test'}, 'crons[0]: one of the following is required: name, id'),
        ({'name': 'n', 'timeout': 'soon'}, 'crons[0]:'),
        ({'name': 'n', 'colour': 'red'}, 'crons[0]: unsupported options: colour.'),
        ({'name': 'n', 'http_method': 'FETCH'}, 'crons[0]: value of http_method must be one of'),
    ],
)
def test_an_entry_is_checked_like_the_options_of_fastcron_cron_before_any_request(run_module, entry, message):
    result, api = run_module(main, {'crons': [entry]}, [])
    assert result['failed']
    assert message in result['msg']
    assert api.calls == []


# --- every write's answer is checked against what was sent


def test_a_value_kept_by_the_service_fails_after_the_other_writes_and_is_not_an_update(run_module):
    crons = [entry('a', timeout=60), entry('b', timeout=60), entry('c', enabled=True)]
    script = [
        ('cron_list', ACCOUNT),
        ('cron_edit', cron(1000, 'a', timeout=15)),
        ('cron_edit', cron(1001, 'b', group=7, timeout=60)),
        ('cron_enable', cron(1002, 'c')),
    ]
    result, _dummy = run_module(main, {'crons': crons}, script)
    assert (result['failed'], result['changed']) == (True, True)
    assert 'timeout: sent 60 to cron_edit for cronjob 1000, FastCron kept 15' in result['msg']
    assert result['updated'] == [{'id': 1001, 'name': 'b'}, {'id': 1002, 'name': 'c'}]
    assert result['applied'] == [
        {'id': 1001, 'name': 'b', 'options': ['timeout']},
        {'id': 1002, 'name': 'c', 'options': ['enabled']},
    ]
    assert result['diff']['after'] == {'a': {'timeout': 15}, 'b': {'timeout': 60}, 'c': {'enabled': True}}


def test_a_created_cronjob_whose_answer_shows_another_value_is_created_and_fails(run_module):
    crons = [entry('new', timeout=60, expression='0 3 * * *')]
    stored = cron(1100, 'new', url='https://X.test/new?_ts=__timestamp__', timeout=15, expression='0  3 * * *')
    script = [('cron_list', ACCOUNT), ('cron_batch_add', [stored])]
    result, _dummy = run_module(main, {'crons': crons}, script)
    assert (result['failed'], result['changed']) == (True, True)
    assert result['created'] == [{'id': 1100, 'name': 'new'}]
    assert result['applied'] == [{'id': 1100, 'name': 'new', 'options': ['expression', 'name', 'url']}]
    assert 'timeout: sent 60 to cron_batch_add for cronjob 1100, FastCron kept 15' in result['msg']


def test_a_group_the_service_keeps_after_null_is_cleared_with_0(run_module):
    script = [('cron_list', ACCOUNT), ('cron_edit', cron(1001, 'b', group=7)), ('cron_edit', cron(1001, 'b'))]
    result, api = run_module(main, {'crons': [entry('b', group='')]}, script)
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert api.calls[1:] == [('cron_edit', {'id': 1001, 'group': None}), ('cron_edit', {'id': 1001, 'group': 0})]
    assert result['applied'] == [{'id': 1001, 'name': 'b', 'options': ['group'], 'cleared_with': {'group': '0'}}]


def test_fields_the_listing_lacks_are_warned_about_once_for_the_whole_batch(run_module, warned):
    bare = [{key: job[key] for key in ('id', 'group', 'url', 'name', 'status')} for job in ACCOUNT]
    result, api = run_module(
        main, {'crons': [entry('a', timeout=60), entry('b', timeout=60, http_method='POST')]}, [('cron_list', bare)]
    )
    assert (result['failed'], result['changed']) == (False, False)
    assert [unanswered(text) for text in warned] == ['timeout', 'http_method']
    assert api.functions == ['cron_list']
