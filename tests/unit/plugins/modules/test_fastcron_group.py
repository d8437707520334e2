# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
import requests

from ansible_collections.fastcron.cloud.plugins.modules.fastcron_group import main

BACKUPS = {'id': 101, 'name': 'backups', 'jobCount': 2, 'priority': 0}


@pytest.mark.parametrize('check_mode', [False, True])
def test_create_by_name(run_module, check_mode):
    created = dict(BACKUPS, jobCount=0)
    script = [('group_lookup', [])] + ([] if check_mode else [('group_add', created), ('group_lookup', [created])])
    result, api = run_module(main, {'name': 'backups'}, script, check_mode=check_mode)
    assert result['changed'] is True
    assert result['group']['name'] == 'backups'
    assert result['diff'] == {'before': {}, 'after': {'name': 'backups'}}
    assert api.calls[0] == ('group_lookup', {'name': 'backups'})
    if check_mode:
        assert api.functions == ['group_lookup']
    else:
        # One look-up before the create and one after it, which finds only the group created.
        assert api.calls[1:] == [('group_add', {'name': 'backups'}), ('group_lookup', {'name': 'backups'})]
        assert result['group']['id'] == 101


def test_a_twin_found_after_the_create_fails_naming_both_ids_and_the_newest(run_module):
    created = dict(BACKUPS, jobCount=0)
    twin = dict(BACKUPS, id=102, jobCount=0)
    script = [('group_lookup', []), ('group_add', created), ('group_lookup', [created, twin])]
    result, api = run_module(main, {'name': 'backups', 'state': 'empty'}, script)
    assert (result['failed'], result['changed']) == (True, True)
    assert "group 'backups' was created with the id 101" in result['msg']
    assert '2 groups named so (ids 101, 102)' in result['msg']
    assert 'The one created last is most likely 102 (the highest id).' in result['msg']
    assert result['group']['id'] == 101
    assert api.functions == ['group_lookup', 'group_add', 'group_lookup']


def test_existing_group_is_one_request(run_module):
    result, api = run_module(main, {'name': 'backups'}, [('group_lookup', [BACKUPS])])
    assert result['changed'] is False
    assert result['group'] == {'id': 101, 'name': 'backups', 'job_count': 2, 'priority': 0}
    assert api.functions == ['group_lookup']


def test_duplicate_names_fail_naming_both_ids(run_module):
    twins = [BACKUPS, dict(BACKUPS, id=102)]
    result, _dummy = run_module(main, {'name': 'backups'}, [('group_lookup', twins)])
    assert result['failed']
    assert '101, 102' in result['msg']
    assert 'id option' in result['msg']


@pytest.mark.parametrize('check_mode', [False, True])
def test_rename_by_id(run_module, check_mode):
    script = [('group_get', BACKUPS)] + ([] if check_mode else [('group_edit', dict(BACKUPS, name='nightly'))])
    result, api = run_module(main, {'id': 101, 'name': 'nightly'}, script, check_mode=check_mode)
    assert result['changed'] is True
    assert result['group']['name'] == 'nightly'
    assert result['diff']['before']['name'] == 'backups'
    assert result['diff']['after']['name'] == 'nightly'
    if not check_mode:
        assert api.calls[1] == ('group_edit', {'id': 101, 'name': 'nightly'})


def test_unknown_id_is_confirmed_absent_before_failing_present(run_module):
    script = [('group_get', (30, 'Group 5 not found')), ('group_list', [BACKUPS])]
    result, _dummy = run_module(main, {'id': 5, 'name': 'x'}, script)
    assert result['failed']
    assert 'No group has the id 5' in result['msg']


def test_get_error_for_an_existing_id_is_reported_not_mistaken_for_absence(run_module):
    script = [('group_get', (99, 'Internal trouble')), ('group_list', [BACKUPS])]
    result, _dummy = run_module(main, {'id': 101, 'state': 'absent'}, script)
    assert result['failed']
    assert result['api_function'] == 'group_get'
    assert result['api_code'] == 99
    assert 'Internal trouble' in result['msg']


def test_absent_by_unknown_id_changes_nothing(run_module):
    script = [('group_get', (30, 'Group 5 not found')), ('group_list', [BACKUPS])]
    result, _dummy = run_module(main, {'id': 5, 'state': 'absent'}, script)
    assert result['changed'] is False
    assert result['group'] == {}


@pytest.mark.parametrize('delete_cronjobs, function', [(False, 'group_delete'), (True, 'group_vanish')])
def test_absent_deletes_with_or_without_cronjobs(run_module, delete_cronjobs, function):
    script = [('group_lookup', [BACKUPS]), (function, dict(BACKUPS, id=None))]
    result, api = run_module(main, {'name': 'backups', 'state': 'absent', 'delete_cronjobs': delete_cronjobs}, script)
    assert result['changed'] is True
    assert result['group']['id'] is None
    assert api.calls[1] == (function, {'id': 101})
    assert result['diff'] == {'before': {'name': 'backups', 'job_count': 2}, 'after': {}}


def test_absent_in_check_mode_writes_nothing(run_module):
    result, api = run_module(
        main, {'name': 'backups', 'state': 'absent'}, [('group_lookup', [BACKUPS])], check_mode=True
    )
    assert result['changed'] is True
    assert api.functions == ['group_lookup']


def test_empty_deletes_cronjobs_only_when_there_are_some(run_module):
    script = [('group_lookup', [BACKUPS]), ('group_empty', dict(BACKUPS, jobCount=0))]
    result, api = run_module(main, {'name': 'backups', 'state': 'empty'}, script)
    assert result['changed'] is True
    assert result['diff']['after']['job_count'] == 0
    result, api = run_module(
        main, {'name': 'backups', 'state': 'empty'}, [('group_lookup', [dict(BACKUPS, jobCount=0)])]
    )
    assert result['changed'] is False
    assert api.functions == ['group_lookup']


def test_api_error_names_function_and_code(run_module):
    result, _dummy = run_module(
        main, {'name': 'backups'}, [('group_lookup', (11, 'Invalid API token, user not found.'))]
    )
    assert result['failed']
    assert result['api_function'] == 'group_lookup'
    assert result['api_code'] == 11
    assert result['msg'] == 'FastCron API function group_lookup failed with code 11: Invalid API token, user not found.'


@pytest.mark.parametrize(
    'args, message',
    [
        ({'name': '  '}, 'name must not be empty'),
        ({'name': 'x', 'api_url': 'ftp://host'}, 'api_url must be an http:// or https:// URL'),
        ({'name': 'x', 'api_timeout': 0}, 'api_timeout must be between 1 and 3600, got 0'),
    ],
)
def test_bad_input_fails_before_any_request(run_module, args, message):
    result, api = run_module(main, args, [])
    assert result['failed']
    assert message in result['msg']
    assert api.calls == []


def test_lost_create_answer_is_found_instead_of_created_twice(run_module):
    script = [
        ('group_lookup', []),
        ('group_add', requests.exceptions.ConnectionError('reset')),
        ('group_lookup', [BACKUPS]),
    ]
    result, api = run_module(main, {'name': 'backups'}, script)
    assert result['changed'] is True
    assert result['group']['id'] == 101
    assert api.functions == ['group_lookup', 'group_add', 'group_lookup']


def test_bad_token_on_a_lookup_by_id_fails_at_once(run_module):
    result, api = run_module(main, {'id': 101}, [('group_get', (11, 'Invalid API token, user not found.'))])
    assert result['failed']
    assert result['api_function'] == 'group_get'
    assert api.functions == ['group_get']


def test_a_group_whose_name_differs_only_in_case_is_another_group(run_module):
    other_case = dict(BACKUPS, id=102, name='Backups')
    created = dict(BACKUPS, id=103, jobCount=0)
    script = [('group_lookup', [other_case]), ('group_add', created), ('group_lookup', [other_case, created])]
    result, api = run_module(main, {'name': 'backups'}, script)
    assert result['changed'] is True
    assert api.calls[1] == ('group_add', {'name': 'backups'})
