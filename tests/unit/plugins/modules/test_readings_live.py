# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Answers read right whichever way the service reads what its reference leaves open.

Over real HTTP against the simulator, each test runs under the simulator's default
reading and under the other one, set by its switch: the account setting that stamps
every URL with ``__timestamp__``, values stored in the service's own form, a ``null``
taken as "not given", a plan that clamps or refuses a long timeout, and objects that
carry only the fields of the vendor's examples. Every switch a test does not flip is
set to its default, so that a matrix run flipping one for the whole process does not
change what these tests mean.
"""

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron, fastcron_cron_batch
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.objects import unanswered

pytestmark = pytest.mark.http

# The readings these tests are about, at the simulator's defaults; 'no_echo' is the object
# table, so that the fields compared here come back unless a test asks for less.
READINGS = {
    'url_timestamp': False,
    'normalise': 'none',
    'null_means': 'clear',
    'timeout_cap': None,
    'cap_mode': 'refuse',
    'fields': 'no_echo',
}
URL = 'https://hooks.example.com/nightly'


@pytest.fixture
def service(simulator, monkeypatch):
    """service(**switches): the account emptied, under these switches; returns a runner of tasks."""
    no_throttle(monkeypatch)

    def configure(**switches):
        admin(simulator, '/reset', dict(READINGS, rate_limit=0, **switches))
        return Runner(simulator, monkeypatch)

    return configure


class Runner:
    def __init__(self, simulator, monkeypatch):
        self.simulator = simulator
        self.monkeypatch = monkeypatch

    def cron(self, **args):
        return run_live(self.monkeypatch, fastcron_cron.main, dict(args, api_url=self.simulator.url))

    def batch(self, *crons, **args):
        return run_live(
            self.monkeypatch, fastcron_cron_batch.main, dict(args, crons=list(crons), api_url=self.simulator.url)
        )

    def task(self, module, **options):
        """One cronjob's options through fastcron_cron, or as the one entry of fastcron_cron_batch."""
        return self.cron(**options) if module == 'cron' else self.batch(options)

    def stored(self, name):
        found = [job for job in admin(self.simulator, '/state')['crons'] if job['name'] == name]
        assert len(found) == 1, found
        return found[0]

    def seed(self, **cron):
        return admin(self.simulator, '/seed', {'crons': [cron]})['crons'][0]

    def group(self, name):
        return admin(self.simulator, '/seed', {'groups': [{'name': name}]})['groups'][0]['id']

    def writes(self):
        return [entry['function'] for entry in admin(self.simulator, '/requests') if entry['write']]

    def forget_requests(self):
        admin(self.simulator, '/requests', method='DELETE')


def converged(runner, module, options):
    """A second run of the same task: no change, no write, no failure."""
    runner.forget_requests()
    again = runner.task(module, **options)
    assert (again['failed'], again['changed']) == (False, False), again.get('msg')
    assert runner.writes() == []


# --- the account setting that appends __timestamp__ to every URL


@pytest.mark.parametrize('stamped', [False, True], ids=['as sent', 'stamped'])
@pytest.mark.parametrize('module', ['cron', 'batch'])
def test_a_url_the_service_stamps_converges(service, module, stamped):
    runner = service(url_timestamp=stamped)
    options = dict(name='nightly', url=URL, expression='0 3 * * *')
    made = runner.task(module, **options)
    assert (made['failed'], made['changed']) == (False, True), made.get('msg')
    assert runner.stored('nightly')['url'] == URL + ('?_ts=__timestamp__' if stamped else '')
    converged(runner, module, options)
    moved = dict(options, url=URL + '?shop=eu')
    edited = runner.task(module, **moved)
    assert (edited['failed'], edited['changed']) == (False, True), edited.get('msg')
    assert runner.stored('nightly')['url'] == URL + '?shop=eu' + ('&_ts=__timestamp__' if stamped else '')
    converged(runner, module, moved)


# --- values stored in the service's own form


@pytest.mark.parametrize('normalise', ['none', 'rewrite'])
@pytest.mark.parametrize('module', ['cron', 'batch'])
def test_values_the_service_rewrites_converge(service, module, normalise):
    runner = service(normalise=normalise)
    options = dict(
        name='sync',
        url='https://Hooks.Example.com/Sync',
        expression='*/10  * * * *',
        http_method='POST',
        post_data='{"full": false}',
        http_headers={'X-Api-Version': '2', 'Accept': 'application/json'},
    )
    made = runner.task(module, **options)
    assert (made['failed'], made['changed']) == (False, True), made.get('msg')
    if normalise == 'rewrite':
        assert runner.stored('sync')['url'] == 'https://hooks.example.com/Sync'
        assert runner.stored('sync')['httpHeaders'] == 'X-Api-Version:2\nAccept:application/json'
    converged(runner, module, options)


# --- clearing: null may be taken as "not given"


@pytest.mark.parametrize('null_means, form', [('clear', 'null'), ('unchanged', '0')])
def test_a_group_is_cleared_whichever_way_null_is_read(service, null_means, form):
    runner = service(null_means=null_means)
    job = runner.seed(name='report', url=URL, group=runner.group('ops'))
    result = runner.cron(id=job['id'], group='')
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert runner.stored('report')['group'] is None
    assert (result['applied'], result['cleared_with']) == (['group'], {'group': form})
    assert result['diff'] == {'before': {'group': job['group']}, 'after': {'group': None}}
    assert result['cron']['group'] is None
    converged(runner, 'cron', dict(id=job['id'], group=''))


@pytest.mark.parametrize('null_means, form', [('clear', 'null'), ('unchanged', '0')])
def test_a_batch_clears_a_group_whichever_way_null_is_read(service, null_means, form):
    runner = service(null_means=null_means)
    runner.seed(name='report', url=URL, group=runner.group('ops'))
    result = runner.batch(dict(name='report', group=''))
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    assert runner.stored('report')['group'] is None
    assert [entry['cleared_with'] for entry in result['applied']] == [{'group': form}]
    converged(runner, 'batch', dict(name='report', group=''))


@pytest.mark.parametrize('null_means', ['clear', 'unchanged'])
@pytest.mark.parametrize('module', ['cron', 'batch'])
def test_text_fields_are_cleared_with_an_empty_string_whichever_way_null_is_read(service, module, null_means):
    runner = service(null_means=null_means, fields='echo')
    runner.seed(
        name='sync',
        url=URL,
        httpMethod='POST',
        postData='a=1',
        httpHeaders='X-A: 1',
        userAgent='bot/1',
        username='cron',
        keyword='OK',
    )
    options = dict(name='sync', post_data='', http_headers={}, user_agent='', username='', keyword='')
    result = runner.task(module, **options)
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    stored = runner.stored('sync')
    assert [stored[field] or '' for field in ('postData', 'httpHeaders', 'userAgent', 'username', 'keyword')] == [
        ''
    ] * 5
    converged(runner, module, options)


# --- a plan that caps the timeout


@pytest.mark.parametrize('module', ['cron', 'batch'])
def test_a_timeout_the_plan_clamps_fails_naming_it(service, module):
    runner = service(timeout_cap=15, cap_mode='clamp')
    made = runner.task(module, name='slow', url=URL, timeout=60)
    assert (made['failed'], made['changed']) == (True, True)
    assert 'timeout: sent 60 to %s for cronjob' % ('cron_add' if module == 'cron' else 'cron_batch_add') in made['msg']
    assert 'FastCron kept 15' in made['msg']
    assert runner.stored('slow')['timeout'] == 15
    # The cronjob exists now: asking again changes nothing and fails the same way.
    again = runner.task(module, name='slow', url=URL, timeout=60)
    assert (again['failed'], again['changed']) == (True, False)
    assert 'timeout: sent 60 to cron_edit for cronjob' in again['msg'] and 'FastCron kept 15' in again['msg']
    assert 'diff' not in again
    assert runner.writes().count('cron_edit') == 1


@pytest.mark.parametrize('cap_mode', ['refuse', 'clamp'])
def test_a_timeout_within_the_cap_takes(service, cap_mode):
    runner = service(timeout_cap=15, cap_mode=cap_mode)
    made = runner.cron(name='quick', url=URL, timeout=10)
    assert (made['failed'], made['changed'], made['applied']) == (False, True, ['name', 'timeout', 'url']), made.get(
        'msg'
    )
    converged(runner, 'cron', dict(name='quick', url=URL, timeout=10))


@pytest.mark.parametrize('module', ['cron', 'batch'])
def test_a_timeout_the_plan_refuses_fails_with_the_api_error_and_no_change(service, module):
    runner = service(timeout_cap=15, cap_mode='refuse')
    made = runner.task(module, name='slow', url=URL, timeout=60)
    assert (made['failed'], made['changed']) == (True, False)
    assert (made['api_function'], made['api_code']) == ('cron_add' if module == 'cron' else 'cron_batch_add', 20)
    assert 'timeout' in made['msg']
    assert 'diff' not in made
    assert [job['name'] for job in admin(runner.simulator, '/state')['crons']] == []


def test_without_a_cap_the_timeout_takes(service):
    runner = service()
    made = runner.cron(name='slow', url=URL, timeout=60)
    assert (made['failed'], made['changed']) == (False, True), made.get('msg')
    assert runner.stored('slow')['timeout'] == 60


# --- objects that carry only the fields of the vendor's examples


@pytest.mark.parametrize('module', ['cron', 'batch'])
def test_fields_the_examples_lack_are_warned_about_once_and_never_a_change(service, warned, module):
    runner = service(fields='examples')
    options = dict(name='sync', url=URL, timeout=60, http_method='POST', http_headers={'X-A': '1'})
    made = runner.task(module, **options)
    assert (made['failed'], made['changed']) == (False, True), made.get('msg')
    stored = runner.stored('sync')
    assert (stored['timeout'], stored['httpMethod'], stored['httpHeaders']) == (60, 'POST', 'X-A: 1')
    assert sorted(unanswered(text) for text in warned) == ['http_headers', 'http_method', 'timeout']
    del warned[:]
    converged(runner, module, dict(options, timeout=90))  # not compared, so not sent
    assert sorted(unanswered(text) for text in warned) == ['http_headers', 'http_method', 'timeout']
    assert runner.stored('sync')['timeout'] == 60


@pytest.mark.parametrize('module', ['cron', 'batch'])
def test_fields_the_service_returns_are_compared_without_a_warning(service, warned, module):
    runner = service(fields='echo')
    options = dict(name='sync', url=URL, timeout=60, http_method='POST', http_headers={'X-A': '1'}, keyword='OK')
    made = runner.task(module, **options)
    assert (made['failed'], made['changed']) == (False, True), made.get('msg')
    converged(runner, module, options)
    changed = runner.task(module, **dict(options, timeout=90))
    assert (changed['failed'], changed['changed']) == (False, True), changed.get('msg')
    assert runner.stored('sync')['timeout'] == 90
    assert warned == []
