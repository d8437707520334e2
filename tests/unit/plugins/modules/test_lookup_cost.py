# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a single task's look-up costs, in requests, on accounts larger than a page, over
real HTTP against the simulator (1,000 cronjobs a page)."""

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live

pytestmark = pytest.mark.http  # every test here talks real HTTP to the simulator


@pytest.fixture
def account(simulator, monkeypatch):
    """2,500 cronjobs whose URLs all hold "backup" and the digit 7."""
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0, 'error_status': False})
    admin(simulator, '/seed', {'generate': {'count': 2500, 'prefix': 'backup-7'}})
    return simulator


def requests_of(simulator, since):
    return [
        (entry['function'], entry['params'].get('page'), entry['params'].get('keyword'))
        for entry in admin(simulator, '/requests')[since:]
    ]


def test_a_name_common_in_urls_costs_one_search_page_then_one_listing(account, monkeypatch):
    url = account.url
    run_live(monkeypatch, fastcron_cron.main, {'name': 'backup', 'url': 'https://x.test/backup', 'api_url': url})
    writes_before = len(admin(account, '/requests'))
    result = run_live(
        monkeypatch, fastcron_cron.main, {'name': 'backup', 'url': 'https://x.test/backup', 'api_url': url}
    )
    assert (result['failed'], result['changed']) == (False, False), result.get('msg')
    # Not three pages of keyword matches followed by the listing's three pages.
    assert requests_of(account, writes_before) == [
        ('cron_list', 1, 'backup'),
        ('cron_list', 1, None),
        ('cron_list', 2, None),
        ('cron_list', 3, None),
    ]


def test_a_create_reads_the_listing_once_for_the_search_and_the_confirmation(account, monkeypatch):
    result = run_live(
        monkeypatch, fastcron_cron.main, {'name': 'backup', 'url': 'https://x.test/backup', 'api_url': account.url}
    )
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    # Before the create: one keyword page, then the listing for both the search and the confirmation.
    # After it, the same look-up once more: the listing read before the write is stale.
    look_up = [('cron_list', 1, 'backup'), ('cron_list', 1, None), ('cron_list', 2, None), ('cron_list', 3, None)]
    assert requests_of(account, 0) == [*look_up, ('cron_add', None, None), *look_up]


def test_a_create_on_an_account_of_a_thousand_costs_four_requests(simulator, monkeypatch):
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0, 'error_status': False})
    admin(simulator, '/seed', {'generate': {'count': 999, 'prefix': 'job'}})
    result = run_live(
        monkeypatch, fastcron_cron.main, {'name': 'new', 'url': 'https://x.test/new', 'api_url': simulator.url}
    )
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    # The look-up, the listing that confirms the name is free, the create, and one look after it.
    assert requests_of(simulator, 0) == [
        ('cron_list', 1, 'new'),
        ('cron_list', 1, None),
        ('cron_add', None, None),
        ('cron_list', 1, 'new'),
    ]


def test_an_unknown_id_answered_with_a_404_costs_one_request(account, monkeypatch):
    admin(account, '/reset', {'rate_limit': 0, 'error_status': True})
    admin(account, '/seed', {'generate': {'count': 2500, 'prefix': 'backup-7'}})
    gone = admin(account, '/state')['crons'][6]['id']
    result = run_live(monkeypatch, fastcron_cron.main, {'id': gone, 'state': 'absent', 'api_url': account.url})
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    since = len(admin(account, '/requests'))
    # Not a page for every thousand cronjobs whose text holds the id's digits.
    result = run_live(monkeypatch, fastcron_cron.main, {'id': gone, 'state': 'absent', 'api_url': account.url})
    assert (result['failed'], result['changed']) == (False, False), result.get('msg')
    assert requests_of(account, since) == [('cron_get', None, None)]


def test_an_unknown_id_answered_with_200_is_confirmed_by_its_keyword_search(simulator, monkeypatch):
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0, 'error_status': False})
    admin(simulator, '/seed', {'generate': {'count': 30, 'prefix': 'job'}})
    result = run_live(monkeypatch, fastcron_cron.main, {'id': 987654, 'state': 'absent', 'api_url': simulator.url})
    assert (result['failed'], result['changed']) == (False, False), result.get('msg')
    assert requests_of(simulator, 0) == [('cron_get', None, None), ('cron_list', 1, '987654')]
