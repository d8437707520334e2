# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The batch and the listings whichever way the service answers what its reference leaves open, over real HTTP.

The order of a batch answer, what comes past the last page, whether group_items is
paged: each reading is a simulator switch, and the modules must be right under both.
"""

from __future__ import annotations

import threading
import time

import pytest
from ansible.module_utils import basic

from ansible_collections.fastcron.cloud.plugins.module_utils import _finder, fastcron, gate
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON
from ansible_collections.fastcron.cloud.plugins.modules import (
    fastcron_cron,
    fastcron_cron_batch,
    fastcron_cron_info,
    fastcron_group_info,
)
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live

pytestmark = pytest.mark.http


@pytest.fixture
def sim(simulator, monkeypatch):
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0})
    return simulator


def run(sim, monkeypatch, main, **args):
    return run_live(monkeypatch, main, dict(args, api_url=sim.url, api_retries=1))


def crons(sim):
    return admin(sim, '/state')['crons']


def requests(sim, function=None):
    return [entry for entry in admin(sim, '/requests') if function is None or entry['function'] == function]


def entry(name, **options):
    return dict(name=name, url='https://example.com/%s' % name, **options)


# --- batch answers, matched by name


@pytest.mark.parametrize('order', ['request', 'reverse'])
def test_each_created_cronjob_gets_its_own_entry_s_settings_whatever_the_answer_s_order(sim, monkeypatch, order):
    admin(sim, '/config', {'batch_order': order})
    result = run(sim, monkeypatch, fastcron_cron_batch.main, crons=[entry('a', enabled=False), entry('b'), entry('c')])
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    status = {cron['name']: cron['status'] for cron in crons(sim)}
    assert status == {'a': 1, 'b': 0, 'c': 0}
    assert [cron['name'] for cron in result['created']] == ['a', 'b', 'c']
    assert [(cron['name'], cron['status']) for cron in result['crons']] == [('a', 1), ('b', 0), ('c', 0)]
    assert [request['params']['id'] for request in requests(sim, 'cron_disable')] == [
        cron['id'] for cron in crons(sim) if cron['name'] == 'a'
    ]


def test_created_updated_and_deleted_follow_the_order_of_crons(sim, monkeypatch):
    admin(sim, '/config', {'batch_order': 'reverse'})
    admin(sim, '/seed', {'crons': [entry(name) for name in ('u1', 'u2', 'd1', 'd2')]})
    result = run(
        sim,
        monkeypatch,
        fastcron_cron_batch.main,
        crons=[
            entry('n1'),
            dict(name='d2', state='absent'),
            entry('u2', expression='0 3 * * *'),
            entry('n2'),
            dict(name='d1', state='absent'),
            entry('u1', expression='0 4 * * *'),
            entry('n3'),
        ],
    )
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert [cron['name'] for cron in result['created']] == ['n1', 'n2', 'n3']
    assert [cron['name'] for cron in result['updated']] == ['u2', 'u1']
    assert [cron['name'] for cron in result['deleted']] == ['d2', 'd1']
    assert [cron['name'] for cron in result['crons']] == ['n1', 'u2', 'n2', 'u1', 'n3']


def test_entries_an_answer_leaves_out_are_settled_by_one_fresh_listing(sim, monkeypatch):
    call = fastcron.FastCronClient.call

    def short_answer(client, function, params=None, **kwargs):
        data = call(client, function, params, **kwargs)
        return data[:1] if function == 'cron_batch_add' else data

    monkeypatch.setattr(fastcron.FastCronClient, 'call', short_answer)
    admin(sim, '/config', {'batch_order': 'reverse'})
    result = run(
        sim,
        monkeypatch,
        fastcron_cron_batch.main,
        crons=[entry('a', enabled=False), entry('b', enabled=False), entry('c')],
    )
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert sorted((cron['name'], cron['status']) for cron in crons(sim)) == [('a', 1), ('b', 1), ('c', 0)]
    assert [cron['name'] for cron in result['created']] == ['a', 'b', 'c']
    # The batch add once, then one listing for the two the answer left out.
    assert [request['function'] for request in requests(sim)] == [
        'cron_list',
        'cron_batch_add',
        'cron_list',
        'cron_disable',
        'cron_disable',
    ]


# --- listings that end and lose nothing


@pytest.mark.parametrize('past_last_page', ['empty', 'last'])
def test_a_listing_of_exactly_one_full_page_ends_with_each_cronjob_once(sim, monkeypatch, past_last_page):
    admin(sim, '/config', {'past_last_page': past_last_page})
    admin(sim, '/seed', {'generate': {'count': 1000, 'prefix': 'job'}})
    started = time.monotonic()
    result = run(sim, monkeypatch, fastcron_cron_info.main)
    assert not result['failed'], result.get('msg')
    assert time.monotonic() - started < 60
    ids = [cron['id'] for cron in result['crons']]
    assert len(ids) == len(set(ids)) == 1000
    assert [request['params'].get('page') for request in requests(sim, 'cron_list')] == [1, 2]


@pytest.mark.parametrize('past_last_page', ['empty', 'last'])
def test_a_no_op_batch_over_full_pages_changes_nothing(sim, monkeypatch, past_last_page):
    monkeypatch.setattr(CRON.paging, 'size', 4)
    admin(sim, '/config', {'past_last_page': past_last_page, 'page_size': 4})
    admin(sim, '/seed', {'generate': {'count': 8, 'prefix': 'job'}})
    names = ['job-%04d' % number for number in range(1, 9)]
    result = run(sim, monkeypatch, fastcron_cron_batch.main, crons=[{'name': name} for name in names])
    assert (result['failed'], result['changed']) == (False, False), result.get('msg')
    assert [cron['name'] for cron in result['crons']] == names
    assert len(requests(sim, 'cron_list')) == 3


@pytest.mark.parametrize('past_last_page', ['empty', 'last'])
def test_a_paged_group_is_read_to_its_last_page(sim, monkeypatch, past_last_page):
    monkeypatch.setattr(CRON.paging, 'size', 3)
    admin(sim, '/config', {'past_last_page': past_last_page, 'page_size': 3, 'group_items_paged': True})
    group = admin(sim, '/seed', {'groups': [{'name': 'ops'}]})['groups'][0]['id']
    admin(sim, '/seed', {'generate': {'count': 7, 'prefix': 'ops', 'group': group}})
    admin(sim, '/seed', {'crons': [entry('outside')]})
    names = ['ops-%04d' % number for number in range(1, 8)]

    info = run(sim, monkeypatch, fastcron_cron_info.main, group='ops')
    assert sorted(cron['name'] for cron in info['crons']) == names
    exported = run(sim, monkeypatch, fastcron_group_info.main, name='ops', cronjobs=True)
    assert sorted(cron['name'] for cron in exported['groups'][0]['cronjobs']) == names

    admin(sim, '/requests', method='DELETE')
    result = run(
        sim, monkeypatch, fastcron_cron_batch.main, group='ops', purge=True, crons=[{'name': name} for name in names]
    )
    assert (result['failed'], result['changed'], result['deleted']) == (False, False, []), result.get('msg')
    assert [request['params'].get('page') for request in requests(sim, 'group_items')] == [None, 2, 3]
    assert len(crons(sim)) == 8


def test_a_group_that_is_not_paged_costs_one_request_more_only_when_it_fills_a_page(sim, monkeypatch):
    monkeypatch.setattr(CRON.paging, 'size', 3)
    group = admin(sim, '/seed', {'groups': [{'name': 'ops'}]})['groups'][0]['id']
    admin(sim, '/seed', {'generate': {'count': 5, 'prefix': 'ops', 'group': group}})
    info = run(sim, monkeypatch, fastcron_cron_info.main, group=str(group))
    assert len(info['crons']) == 5
    assert [request['params'].get('page') for request in requests(sim, 'group_items')] == [None, 2]


def test_a_listing_that_never_ends_fails_naming_cron_list(sim, monkeypatch):
    monkeypatch.setattr(CRON.paging, 'size', 2)
    monkeypatch.setattr(_finder, 'MAX_PAGES', 3)
    admin(sim, '/config', {'page_size': 2})
    admin(sim, '/seed', {'generate': {'count': 9, 'prefix': 'job'}})
    result = run(sim, monkeypatch, fastcron_cron_info.main)
    assert result['failed']
    assert result['msg'].startswith('cron_list: still full pages after 3 pages (6 objects)')
    assert len(requests(sim, 'cron_list')) == 3


# --- one lock for every create of a name


@pytest.mark.parametrize('first', ['fastcron_cron', 'fastcron_cron_batch'])
def test_a_single_task_and_a_batch_creating_one_name_at_once_create_it_once(sim, monkeypatch, first):
    # The first task's create is held up at the service; the other starts meanwhile.
    monkeypatch.setattr(basic, '_ANSIBLE_ARGS', basic._ANSIBLE_ARGS)  # restored whatever the threads leave
    slow = {'fastcron_cron': 'cron_add', 'fastcron_cron_batch': 'cron_batch_add'}[first]
    admin(sim, '/faults', {'kind': 'slow', 'delay': 2, 'function': slow})
    tasks = {
        'fastcron_cron': lambda: run(sim, monkeypatch, fastcron_cron.main, **entry('same')),
        'fastcron_cron_batch': lambda: run(sim, monkeypatch, fastcron_cron_batch.main, crons=[entry('same')]),
    }
    results = {}
    threads = [
        threading.Thread(target=lambda name=name: results.setdefault(name, tasks[name]()))
        for name in (first, next(name for name in tasks if name != first))
    ]
    threads[0].start()
    time.sleep(0.7)  # well into the slow create
    threads[1].start()
    for thread in threads:
        thread.join(30)
    assert [cron['name'] for cron in crons(sim)] == ['same']
    assert all(not result['failed'] for result in results.values()), results
    assert len(requests(sim, 'cron_add') + requests(sim, 'cron_batch_add')) == 1  # the other found it


def test_every_create_of_a_name_takes_the_same_lock_and_a_batch_holds_few():
    stripes = {gate.create_stripe('job-%d' % number) for number in range(10000)}
    assert len(stripes) == gate.CREATE_LOCK_STRIPES
    assert gate.create_stripe('same') == gate.create_stripe('same')


# --- names


@pytest.mark.parametrize('name', ['a\x01b', 'line\nbreak', 'tab\there', 'esc\x1b[31m', 'del\x7f'])
def test_a_name_with_control_characters_is_refused_before_any_request(sim, monkeypatch, name):
    single = run(sim, monkeypatch, fastcron_cron.main, name=name, url='https://example.com/job')
    batch = run(
        sim,
        monkeypatch,
        fastcron_cron_batch.main,
        crons=[entry('fine'), dict(name=name, url='https://example.com/job')],
    )
    assert (single['failed'], single['msg']) == (True, 'name must be one line without control characters.')
    assert (batch['failed'], batch['msg']) == (True, 'crons[1]: name must be one line without control characters.')
    assert requests(sim) == []


# --- the group export fed back


def test_the_export_of_groups_named_as_a_number_or_with_spaces_feeds_back_to_the_batch(sim, monkeypatch):
    groups = admin(
        sim, '/seed', {'groups': [{'name': 'spacer'}, {'name': '2024'}, {'name': ' spaced '}, {'name': 'ops'}]}
    )['groups']
    ids = {group['name']: group['id'] for group in groups}
    admin(
        sim,
        '/seed',
        {
            'crons': [
                entry('yearly', group=ids['2024']),
                entry('padded', group=ids[' spaced ']),
                entry('plain', group=ids['ops']),
                entry('loose'),
            ]
        },
    )
    exported = run(sim, monkeypatch, fastcron_group_info.main, cronjobs=True, as_params=True)['groups']
    by_name = {group['name']: group for group in exported}
    assert (by_name['2024']['id'], by_name[' spaced ']['id']) == (ids['2024'], ids[' spaced '])
    assert 'id' not in by_name['ops']
    admin(sim, '/requests', method='DELETE')
    for group in exported:
        scope = str(group['id']) if 'id' in group else group['name']  # as the module's examples feed it back
        result = run(sim, monkeypatch, fastcron_cron_batch.main, group=scope, purge=True, crons=group['cronjobs'])
        assert (result['failed'], result['changed']) == (False, False), (group, result.get('msg'))
    assert [request for request in requests(sim) if request['write']] == []
    assert len(crons(sim)) == 4


def test_an_entry_may_give_the_task_s_group_by_id_or_by_name(sim, monkeypatch):
    group = admin(sim, '/seed', {'groups': [{'name': 'ops'}, {'name': 'other'}]})['groups']
    result = run(
        sim,
        monkeypatch,
        fastcron_cron_batch.main,
        group='ops',
        crons=[entry('by-id', group=str(group[0]['id'])), entry('by-name', group='ops')],
    )
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert [cron['group'] for cron in crons(sim)] == [group[0]['id']] * 2
    other = run(
        sim,
        monkeypatch,
        fastcron_cron_batch.main,
        group=str(group[0]['id']),
        crons=[entry('elsewhere', group=str(group[1]['id']))],
    )
    assert (
        other['failed']
        and other['msg'] == "crons[0]: group must be left out or be '%d', the group of the task." % group[0]['id']
    )
    assert len(crons(sim)) == 2


# --- without a group, few entries in a big account are looked up on their own


@pytest.fixture
def big_account(sim, monkeypatch):
    """An account of four pages of three cronjobs, as the simulator and the modules page it."""
    monkeypatch.setattr(CRON.paging, 'size', 3)
    admin(sim, '/config', {'page_size': 3})
    admin(sim, '/seed', {'generate': {'count': 11, 'prefix': 'job'}})
    return {cron['name']: cron['id'] for cron in crons(sim)}


def listing_calls(sim):
    return [
        (
            request['function'],
            request['params'].get('keyword'),
            request['params'].get('id'),
            request['params'].get('page'),
        )
        for request in requests(sim)
        if not request['write']
    ]


def test_one_entry_by_name_costs_one_page_and_one_search_not_every_page(sim, monkeypatch, big_account):
    admin(sim, '/config', {'keyword_ignores_names': False})  # the cost of a search that finds names
    result = run(
        sim, monkeypatch, fastcron_cron_batch.main, crons=[{'name': 'job-0010', 'url': 'https://example.com/ten'}]
    )
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert [cron['url'].startswith('https://example.com/ten') for cron in crons(sim) if cron['name'] == 'job-0010'] == [
        True
    ]
    assert listing_calls(sim) == [('cron_list', None, None, 1), ('cron_list', 'job-0010', None, 1)]


def test_entries_by_id_are_fetched_once_as_many_pages_as_entries_were_read(sim, monkeypatch, big_account):
    ids = [big_account['job-0002'], big_account['job-0011']]
    result = run(sim, monkeypatch, fastcron_cron_batch.main, crons=[{'id': object_id} for object_id in ids])
    assert (result['failed'], result['changed']) == (False, False), result.get('msg')
    assert [cron['id'] for cron in result['crons']] == ids
    assert listing_calls(sim) == [
        ('cron_list', None, None, 1),
        ('cron_list', None, None, 2),
        ('cron_get', None, ids[0], None),
        ('cron_get', None, ids[1], None),
    ]


def test_a_name_the_search_does_not_find_is_settled_by_the_whole_listing(sim, monkeypatch, big_account):
    admin(sim, '/config', {'keyword_ignores_names': True})  # the search cannot tell that a name is free
    result = run(sim, monkeypatch, fastcron_cron_batch.main, crons=[entry('job-0004')])
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert [cron['name'] for cron in crons(sim)].count('job-0004') == 1  # found in the listing, not made again
    assert listing_calls(sim)[:2] == [('cron_list', None, None, 1), ('cron_list', 'job-0004', None, 1)]
    assert [call[3] for call in listing_calls(sim)[2:]] == [2, 3, 4]
    assert requests(sim, 'cron_batch_add') == []
