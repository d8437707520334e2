# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A registered fastcron_cron result fed back as options, over real HTTP against the simulator.

Results speak the options' language: ``cron`` in snake_case, ``cron_params`` the
cronjob as options, which fed back to fastcron_cron change nothing, whichever
fields the service returns.
"""

from __future__ import annotations

import re

import pytest

from ansible_collections.fastcron.cloud.plugins.module_utils.masking import MASK
from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron, fastcron_group
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live

pytestmark = pytest.mark.http

FULL = {
    'name': 'sync-orders',
    'url': 'https://shop.example.com/hooks/sync',
    'expression': '*/10 * * * *',
    'timezone': 'Europe/Berlin',
    # Within the cap a plan may set on timeout (docs/vendor-unknowns.md), which would refuse or lower 60.
    'timeout': 15,
    'instances': 1,
    'http_method': 'POST',
    'post_data': '{"full": false}',
    'http_headers': {'X-Api-Version': '2', 'Accept': 'application/json'},
    'user_agent': 'shop-cron/2.0',
    'notify': False,
    'keyword': 'OK',
    'group': 'shop',
    'enabled': False,
}
CAMEL = ('httpMethod', 'httpHeaders', 'postData', 'userAgent', 'jobCount')
# The parameter a service may append to every URL it stores (docs/vendor-unknowns.md): the result shows
# the URL as stored, and fed back with it the URL still compares equal to the one the task gave.
STAMP = re.compile(r'[?&]_ts=__timestamp__$')


def as_given(options):
    """``options`` with the URL as the task gave it, without a timestamp parameter the service appended."""
    return dict(options, url=STAMP.sub('', options['url'])) if 'url' in options else options


@pytest.fixture(params=['echo', 'no_echo', 'examples'])
def account(request, simulator, monkeypatch):
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0, 'fields': request.param})

    def run(main, args):
        admin(simulator, '/requests', method='DELETE')
        result = run_live(monkeypatch, main, dict(args, api_url=simulator.url))
        assert not result['failed'], result['msg']
        return result

    def writes():
        return [entry['function'] for entry in admin(simulator, '/requests') if entry['write']]

    return request.param, run, writes


def keys(value):
    """Every dict key in ``value``, at any depth."""
    if isinstance(value, dict):
        return set(value) | set().union(*(keys(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(keys(item) for item in value))
    return set()


def test_a_registered_cron_result_fed_back_as_options_changes_nothing(account):
    mode, run, writes = account
    group = run(fastcron_group.main, {'name': 'shop'})['group']
    assert set(group) >= {'id', 'name', 'job_count'} and not keys(group) & set(CAMEL)

    registered = run(fastcron_cron.main, FULL)
    assert registered['changed'] is True
    cron, params = registered['cron'], registered['cron_params']
    assert not keys(registered) & set(CAMEL)
    assert (cron['group'], cron['enabled'], cron['status']) == (group['id'], False, 1)
    if mode != 'examples':  # the reference's own examples carry no httpMethod
        assert (cron['http_method'], params['http_method']) == ('POST', 'POST')
        assert params['http_headers'] == FULL['http_headers']
    # The options the service returned, with the values given, in the options' types.
    given = [key for key in params if key in FULL]
    assert {key: as_given(params)[key] for key in given} == {key: FULL[key] for key in given}
    assert set(params) - set(FULL) <= {'delay'}  # a default the service returns
    assert params['group'] == 'shop' and params['enabled'] is False

    again = run(fastcron_cron.main, params)
    assert (again['changed'], writes()) == (False, [])
    assert again['cron_params'] == params
    # Without the name the task gave the group, the group is given by id, which changes nothing either.
    by_id = run(fastcron_cron.main, {'name': FULL['name']})['cron_params']
    assert as_given(by_id) == as_given(dict(params, group=str(group['id'])))
    assert run(fastcron_cron.main, by_id)['changed'] is False
    assert writes() == []


def test_options_holding_credentials_are_left_out_and_feeding_back_keeps_them(account):
    _mode, run, writes = account
    secret = dict(
        FULL,
        url='https://cron:pw-0001@shop.example.com/hooks/sync?api_key=k-0001',
        http_headers={'Authorization': 'Bearer tok-0001', 'X-Api-Version': '2'},
        post_data='shop=eu&secret=s-0001',
        password='p-0001',
        group=None,
    )
    registered = run(fastcron_cron.main, {key: value for key, value in secret.items() if value is not None})
    params = registered['cron_params']
    assert not {'url', 'http_headers', 'post_data', 'password'} & set(params)
    assert '0001' not in repr(registered)
    shown = registered['cron']['url']
    assert STAMP.sub('', shown) == 'https://cron:%s@shop.example.com/hooks/sync?api_key=%s' % (MASK, MASK)

    again = run(fastcron_cron.main, params)
    assert (again['changed'], writes()) == (False, [])
