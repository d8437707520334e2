# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The account role, run by ansible-playbook against the simulator over real HTTP."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from ansible_collections.fastcron.cloud.tests.simulator.fastcron_simulator import Simulator
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import TOKEN, admin

pytestmark = pytest.mark.http

# The folder holding ansible_collections/, where ansible-playbook finds this collection.
COLLECTIONS = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..'))
PLAYBOOK = '''
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: %(python)s
  module_defaults:
    group/fastcron.cloud.fastcron:
      api_token: %(token)s
      api_url: %(url)s
  roles:
    - role: fastcron.cloud.account
      vars:
        account_groups: [{name: ops, purge: true}]
        account_cronjobs:
          - {name: by-name, url: "https://example.com/by-name", group: ops}
          - {name: by-id, url: "https://example.com/by-id", group: "%(group)s"}
          - {name: by-number, url: "https://example.com/by-number", group: %(group)s}
          - {name: loose, url: "https://example.com/loose"}
'''


@pytest.fixture(scope='module')
def simulator():
    with Simulator(tokens=[TOKEN], rate_limit=0) as running:
        yield running


def play(simulator, tmp_path):
    """Run the playbook; the play recap's counts for localhost."""
    group = admin(simulator, '/state')['groups'][0]['id']
    path = tmp_path / 'site.yml'
    path.write_text(PLAYBOOK % {'token': TOKEN, 'url': simulator.url, 'group': group, 'python': sys.executable})
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
        ANSIBLE_NOCOLOR='1',
        ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'),
        TMPDIR=str(tmp_path),
    )
    bindir = os.path.dirname(sys.executable)
    done = subprocess.run(
        [os.path.join(bindir, 'ansible-playbook'), '-i', 'localhost,', str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    recap = re.search(r'^localhost\s*:\s*(.*)$', done.stdout, re.MULTILINE).group(1)
    return {key: int(value) for key, value in re.findall(r'(\w+)=(\d+)', recap)}


def test_a_cronjob_giving_a_purged_group_by_id_is_converged_with_that_group(simulator, tmp_path):
    admin(simulator, '/reset', {'rate_limit': 0})
    group = admin(simulator, '/seed', {'groups': [{'name': 'ops'}]})['groups'][0]['id']
    first = play(simulator, tmp_path)
    crons = {cron['name']: cron['group'] for cron in admin(simulator, '/state')['crons']}
    assert crons == {'by-name': group, 'by-id': group, 'by-number': group, 'loose': None}
    assert first['changed'] >= 1

    admin(simulator, '/requests', method='DELETE')
    again = play(simulator, tmp_path)
    assert again['changed'] == 0
    assert [entry['function'] for entry in admin(simulator, '/requests') if entry['write']] == []
    assert {cron['name']: cron['group'] for cron in admin(simulator, '/state')['crons']} == crons
