# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Options of fastcron_cron and of fastcron_cron_batch's entries, over real HTTP against the simulator:
what a run shows, what the service stores, and that the next run converges."""

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.test_readings_live import (
    READINGS,
    URL,
    Runner,
    converged,
)

pytestmark = pytest.mark.http


@pytest.fixture
def runner(simulator, monkeypatch):
    """A runner of tasks on an emptied account, at the readings of test_readings_live."""
    no_throttle(monkeypatch)
    admin(simulator, '/reset', dict(READINGS, rate_limit=0))
    return Runner(simulator, monkeypatch)


def diff_of(module, result, name):
    """The diff of the one cronjob of a task: fastcron_cron's own, or the entry's of fastcron_cron_batch."""
    diff = result['diff']
    return diff if module == 'cron' else {side: diff[side].get(name) for side in ('before', 'after')}


# --- update_password: the password is never read back, so sending it again is said, never shown


@pytest.mark.parametrize('check_mode', [False, True], ids=['run', 'check mode'])
@pytest.mark.parametrize('module', ['cron', 'batch'])
def test_a_password_sent_again_shows_as_changed_and_never_its_value(runner, module, check_mode):
    runner.seed(name='backup', url=URL, password='old-pass-0001')
    options = dict(name='backup', url=URL, password='new-pass-0002')
    runner.forget_requests()
    kept = runner.task(module, **options)
    assert (kept['failed'], kept['changed']) == (False, False), kept.get('msg')
    assert runner.writes() == []  # update_password: on_create

    options['update_password'] = 'always'
    if module == 'cron':
        sent = runner.cron(_ansible_check_mode=check_mode, **options)
    else:
        sent = runner.batch(options, _ansible_check_mode=check_mode)
    assert (sent['failed'], sent['changed']) == (False, True), sent.get('msg')
    assert diff_of(module, sent, 'backup') == {'before': {}, 'after': {'password': '(changed)'}}
    assert 'new-pass-0002' not in repr(sent) and 'old-pass-0001' not in repr(sent)
    assert runner.writes() == ([] if check_mode else ['cron_edit'])
    assert runner.stored('backup')['password'] == ('old-pass-0001' if check_mode else 'new-pass-0002')


# --- http_method: taken in any case, sent and compared in upper case


@pytest.mark.parametrize('module', ['cron', 'batch'])
def test_http_method_in_lower_case_is_post_and_converges(runner, module):
    runner.seed(name='kept', url=URL, httpMethod='POST')
    runner.forget_requests()
    kept = runner.task(module, name='kept', url=URL, http_method='post')
    assert (kept['failed'], kept['changed']) == (False, False), kept.get('msg')
    assert runner.writes() == []

    options = dict(name='made', url=URL, http_method='Post', post_data='a=1')
    made = runner.task(module, **options)
    assert (made['failed'], made['changed']) == (False, True), made.get('msg')
    assert runner.stored('made')['httpMethod'] == 'POST'
    converged(runner, module, options)

    moved = dict(options, http_method='put')
    edited = runner.task(module, **moved)
    assert (edited['failed'], edited['changed']) == (False, True), edited.get('msg')
    assert diff_of(module, edited, 'made') == {'before': {'http_method': 'POST'}, 'after': {'http_method': 'PUT'}}
    assert runner.stored('made')['httpMethod'] == 'PUT'
    converged(runner, module, moved)
