# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""fastcron_account and fastcron_account_info: scripted answers for the exact wire, the simulator for the rest."""

from __future__ import annotations

import pytest
from ansible.module_utils import basic

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_account, fastcron_account_info
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.objects import shown

LONDON = {
    'id': 1,
    'name': 'Example Ltd',
    'timezone': 'Europe/London',
    'plan': 'Business',
    'cron': 5000,
    'memberLimit': 5,
    'expiryDate': '2099-12-31',
}
BERLIN = dict(LONDON, timezone='Europe/Berlin')
# The account as results show it: the API's fields in snake_case, their values as they came.
LONDON_SHOWN = {
    'id': 1,
    'name': 'Example Ltd',
    'timezone': 'Europe/London',
    'plan': 'Business',
    'cron': 5000,
    'member_limit': 5,
    'expiry_date': '2099-12-31',
}
BERLIN_SHOWN = dict(LONDON_SHOWN, timezone='Europe/Berlin')


@pytest.fixture
def warnings(monkeypatch):
    said = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda module, warning: said.append(warning))
    return said


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_new_time_zone_is_one_read_and_one_edit_of_it_alone(run_module, check_mode):
    script = [('account_get', LONDON)] + ([] if check_mode else [('account_edit', BERLIN)])
    result, api = run_module(fastcron_account.main, {'timezone': ' Europe/Berlin '}, script, check_mode=check_mode)
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert api.calls == [('account_get', {})] + (
        [] if check_mode else [('account_edit', {'timezone': 'Europe/Berlin'})]
    )
    assert result['diff'] == {'before': {'timezone': 'Europe/London'}, 'after': {'timezone': 'Europe/Berlin'}}
    assert result['account'] == BERLIN_SHOWN


def test_a_time_zone_that_holds_is_one_read(run_module):
    result, api = run_module(fastcron_account.main, {'timezone': 'Europe/London'}, [('account_get', LONDON)])
    assert (result['failed'], result['changed']) == (False, False)
    assert api.functions == ['account_get']
    assert result['diff'] == {'before': {}, 'after': {}}
    assert result['account'] == LONDON_SHOWN


def test_no_option_reads_and_changes_nothing(run_module):
    result, _api = run_module(fastcron_account.main, {}, [('account_get', LONDON)])
    assert (result['failed'], result['changed'], result['account']) == (False, False, LONDON_SHOWN)


def test_a_time_zone_the_answer_lacks_is_not_sent_and_said_so(run_module, warnings):
    without = {key: value for key, value in LONDON.items() if key != 'timezone'}
    result, api = run_module(fastcron_account.main, {'timezone': 'Europe/Berlin'}, [('account_get', without)])
    assert (result['failed'], result['changed']) == (False, False)
    assert api.functions == ['account_get']
    assert warnings == [
        "timezone: not sent, since account_get answered without it and the account's value cannot be compared."
    ]


@pytest.mark.parametrize('timezone', ['', '   ', 'Europe London', 'Europe/London;', 'Z\u00fcrich', 'Europe/London\nX'])
def test_a_time_zone_that_cannot_be_a_name_fails_before_any_request(run_module, timezone):
    result, api = run_module(fastcron_account.main, {'timezone': timezone})
    assert (result['failed'], result['changed']) == (True, False)
    assert result['msg'] == 'timezone must be an IANA time zone name such as Europe/London, got %r.' % timezone
    assert api.calls == []


def test_account_info_is_one_read_returning_the_account_in_snake_case(run_module):
    answer = dict(LONDON, dailyExec=10000, somethingNew=[1])
    expected = dict(LONDON_SHOWN, daily_exec=10000, something_new=[1])
    for check_mode in (False, True):
        result, api = run_module(fastcron_account_info.main, {}, [('account_get', answer)], check_mode=check_mode)
        assert (result['failed'], result['changed'], result['account']) == (False, False, expected)
        assert api.calls == [('account_get', {})]


# Against the simulator: its state, its refusals and lost answers.


@pytest.fixture
def account(simulator, monkeypatch):
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0})
    return simulator


def run(module, account, monkeypatch, check_mode=False, **args):
    return run_live(monkeypatch, module.main, dict(args, api_url=account.url, api_retries=1), check_mode=check_mode)


def functions(account):
    return [entry['function'] for entry in admin(account, '/requests')]


@pytest.mark.http
def test_the_time_zone_is_set_once_then_holds(account, monkeypatch):
    checked = run(fastcron_account, account, monkeypatch, check_mode=True, timezone='America/Port-au-Prince')
    assert (checked['failed'], checked['changed'], checked['account']['timezone']) == (
        False,
        True,
        'America/Port-au-Prince',
    )
    assert admin(account, '/state')['account']['timezone'] == 'Europe/London'
    done = run(fastcron_account, account, monkeypatch, timezone='America/Port-au-Prince')
    again = run(fastcron_account, account, monkeypatch, timezone='America/Port-au-Prince')
    assert (done['changed'], again['changed']) == (True, False)
    assert done['account'] == shown(admin(account, '/state')['account'])
    assert admin(account, '/state')['account']['timezone'] == 'America/Port-au-Prince'
    assert functions(account) == ['account_get', 'account_get', 'account_edit', 'account_get']
    info = run(fastcron_account_info, account, monkeypatch)
    assert (info['changed'], info['account']) == (False, shown(admin(account, '/state')['account']))


@pytest.mark.http
def test_a_zone_the_service_does_not_know_fails_naming_function_and_code(account, monkeypatch):
    result = run(fastcron_account, account, monkeypatch, timezone='Mars/Olympus_Mons')
    assert (result['failed'], result['changed']) == (True, False)
    assert (result['api_function'], result['api_code']) == ('account_edit', 20)
    assert 'Mars/Olympus_Mons' in result['msg']
    assert admin(account, '/state')['account']['timezone'] == 'Europe/London'


@pytest.mark.http
@pytest.mark.parametrize(
    'fault', [{'kind': 'drop', 'after_processing': True}, {'kind': '504', 'after_processing': True}, {'kind': 'drop'}]
)
def test_an_edit_whose_answer_is_lost_is_sent_again(account, monkeypatch, fault):
    admin(account, '/faults', dict(fault, function='account_edit'))
    result = run(fastcron_account, account, monkeypatch, timezone='Asia/Tokyo')
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert functions(account) == ['account_get', 'account_edit', 'account_edit']
    assert result['account']['timezone'] == admin(account, '/state')['account']['timezone'] == 'Asia/Tokyo'


@pytest.mark.http
def test_an_edit_lost_past_the_retries_fails_saying_it_may_have_applied(account, monkeypatch):
    admin(account, '/faults', {'kind': 'drop', 'after_processing': True, 'count': 2, 'function': 'account_edit'})
    result = run(fastcron_account, account, monkeypatch, timezone='Asia/Tokyo')
    assert (result['failed'], result['changed']) == (True, False)
    assert result['api_function'] == 'account_edit'
    assert 'may have applied it' in result['msg']
