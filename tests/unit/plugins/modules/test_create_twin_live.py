# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A twin made by a controller that shares no state folder, between a create and the look after it.

Over real HTTP against the simulator: the create is processed and its answer held back
(a ``slow`` fault after processing) while an object of the same name is seeded, as
another controller's create would land. The task must name both ids and the newest,
delete nothing and write nothing more; the next run fails as the contract says, without
a write. A batch does not look again after its write (its request budget has no room):
the listing read just before the write is its confirmation, and such a twin shows on the
next run.
"""

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron, fastcron_cron_batch, fastcron_group
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import admin, no_throttle, run_live

pytestmark = pytest.mark.http  # every test here talks real HTTP to the simulator

CASES = {
    # case: (module, arguments, /_admin/state key, the create function, the look-up, the kind in messages)
    'cron': (
        fastcron_cron,
        {'name': 'twin', 'url': 'https://x.test/twin', 'enabled': False},
        'crons',
        'cron_add',
        'cron_list',
        'cronjob',
    ),
    'group': (fastcron_group, {'name': 'twin'}, 'groups', 'group_add', 'group_lookup', 'group'),
}
# What another controller's create of the name sends besides the name.
SEED = {'crons': {'url': 'https://x.test/twin'}, 'groups': {}}


@pytest.fixture
def fresh(simulator, monkeypatch):
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0, 'error_status': False})
    return simulator


def seed_a_twin_once_created(simulator, key, name, seeded):
    """Wait for the object ``name`` to appear, then seed another of that name (another controller's create)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if any(item['name'] == name for item in admin(simulator, '/state')[key]):
            answer = admin(simulator, '/seed', {key: [dict(SEED[key], name=name)]})
            seeded.extend(item['id'] for item in answer[key])
            return
        time.sleep(0.02)


def writes_since(simulator, since):
    return [entry['function'] for entry in admin(simulator, '/requests')[since:] if entry['write']]


@pytest.mark.parametrize('case', sorted(CASES))
def test_a_twin_created_meanwhile_fails_the_create_naming_both_and_the_next_run_without_a_write(
    fresh, monkeypatch, case
):
    module, args, key, create, look_up, kind = CASES[case]
    args = dict(args, api_url=fresh.url)
    # The create takes effect at once; its answer comes two seconds later.
    admin(fresh, '/faults', {'kind': 'slow', 'function': create, 'delay': 2.0, 'after_processing': True})
    seeded = []
    seeder = threading.Thread(target=seed_a_twin_once_created, args=(fresh, key, 'twin', seeded))
    seeder.start()
    try:
        result = run_live(monkeypatch, module.main, args)
    finally:
        seeder.join()
    objects = [item for item in admin(fresh, '/state')[key] if item['name'] == 'twin']
    created = [item['id'] for item in objects if item['id'] not in seeded]
    assert len(seeded) == 1 and len(created) == 1, (seeded, objects)
    assert seeded[0] > created[0]  # the simulator numbers new objects upwards
    assert (result['failed'], result['changed']) == (True, True)
    assert result[case]['id'] == created[0]
    msg = result['msg']
    assert "%s 'twin' was created with the id %d" % (kind, created[0]) in msg
    assert '(ids %d, %d)' % (created[0], seeded[0]) in msg
    assert 'The one created last is most likely %d (the highest id).' % seeded[0] in msg
    assert 'Nothing was deleted and nothing more was written' in msg
    log = admin(fresh, '/requests')
    functions = [entry['function'] for entry in log]
    # The create, then one look-up by name (the URLs hold the name too, so a keyword search that
    # ignores names finds both as well); no delete, and for the cronjob no cron_disable.
    start = functions.index(create)
    assert functions[start:] == [create, look_up]
    assert len(objects) == 2

    since = len(log)
    again = run_live(monkeypatch, module.main, args)
    assert (again['failed'], again['changed']) == (True, False)
    assert '2 %ss are named %r (ids %d, %d)' % (kind, 'twin', created[0], seeded[0]) in again['msg']
    assert 'The one created last is most likely %d (the highest id).' % seeded[0] in again['msg']
    assert writes_since(fresh, since) == []
    assert len([item for item in admin(fresh, '/state')[key] if item['name'] == 'twin']) == 2


def test_a_twin_created_during_a_batch_add_shows_on_the_next_run_which_fails_without_a_write(fresh, monkeypatch):
    args = {'crons': [{'name': 'twin', 'url': 'https://x.test/twin'}], 'api_url': fresh.url}
    admin(fresh, '/faults', {'kind': 'slow', 'function': 'cron_batch_add', 'delay': 2.0, 'after_processing': True})
    seeded = []
    seeder = threading.Thread(target=seed_a_twin_once_created, args=(fresh, 'crons', 'twin', seeded))
    seeder.start()
    try:
        result = run_live(monkeypatch, fastcron_cron_batch.main, args)
    finally:
        seeder.join()
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    created = result['created'][0]['id']
    assert len(seeded) == 1 and seeded[0] > created
    # No request after the write: the listing before it was the confirmation.
    assert [entry['function'] for entry in admin(fresh, '/requests')] == ['cron_list', 'cron_batch_add']

    since = len(admin(fresh, '/requests'))
    again = run_live(monkeypatch, fastcron_cron_batch.main, args)
    assert (again['failed'], again['changed']) == (True, False)
    assert "2 cronjobs are named 'twin' (ids %d, %d)" % (created, seeded[0]) in again['msg']
    assert 'The one created last is most likely %d (the highest id).' % seeded[0] in again['msg']
    assert writes_since(fresh, since) == []
    assert len([item for item in admin(fresh, '/state')['crons'] if item['name'] == 'twin']) == 2
