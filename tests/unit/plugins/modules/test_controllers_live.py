# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Several controllers on one account, run the way AWX runs jobs: through ansible-runner.

Each controller is a job of its own: a private data directory, a temporary
folder and a state folder of its own (so no two share a rate gate), the token
injected as an environment variable as the AWX guide's credential type does.
All run at once against one simulator at the real rate limit; refusals must be
waited out, not fail items, and no cronjob may be made twice.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import sys
import tempfile

import pytest

from ansible_collections.fastcron.cloud.plugins.module_utils import client as client_module
from ansible_collections.fastcron.cloud.tests.simulator.fastcron_simulator import Simulator
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import TOKEN, admin

ansible_runner = pytest.importorskip('ansible_runner', reason='ansible-runner (requirements/dev.txt) is not installed')

pytestmark = [
    pytest.mark.http,
    # ansible-runner starts each job through a pty from its own thread, as it does under AWX.
    pytest.mark.filterwarnings('ignore:This process .* is multi-threaded:DeprecationWarning'),
]

CONTROLLERS = 3
CRONJOBS_EACH = 4

# The folder that holds ansible_collections/ of this tree: where Ansible finds fastcron.cloud.
COLLECTIONS_ROOT = os.path.abspath(os.path.join(os.path.dirname(client_module.__file__), *['..'] * 5))

PLAYBOOK = '''\
- name: The cronjobs of one controller
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Converge each cronjob
      fastcron.cloud.fastcron_cron:
        name: "{{ item.name }}"
        url: "{{ item.url }}"
        expression: "*/15 * * * *"
      loop: "{{ crons }}"
      loop_control:
        label: "{{ item.name }}"
'''


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text)


def private_data_dir(root, number, api_url, temp):
    """A job's private data directory as AWX lays it out: project, inventory, env/envvars and env/extravars."""
    directory = os.path.join(root, 'controller-%d' % number)
    write(os.path.join(directory, 'project', 'site.yml'), PLAYBOOK)
    write(os.path.join(directory, 'inventory', 'hosts'), 'localhost ansible_connection=local\n')
    envvars = {
        # What the credential type injects, and the endpoint a job template sets.
        'FASTCRON_API_TOKEN': TOKEN,
        'FASTCRON_API_URL': api_url,
        # Nothing shared between the jobs: their own temp and state folders.
        'TMPDIR': temp,
        'FASTCRON_STATE_DIR': os.path.join(directory, 'state'),
        'ANSIBLE_LOCAL_TEMP': os.path.join(temp, 'ansible'),
        'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS_ROOT,
        'ANSIBLE_HOME': os.path.join(directory, 'ansible-home'),
        'PATH': os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''),
    }
    write(os.path.join(directory, 'env', 'envvars'), json.dumps(envvars))
    crons = [
        {'name': 'c%d-job-%02d' % (number, item), 'url': 'https://example.com/c%d/%d' % (number, item)}
        for item in range(1, CRONJOBS_EACH + 1)
    ]
    write(os.path.join(directory, 'env', 'extravars'), json.dumps({'crons': crons}))
    return directory


def run_all(directories):
    """Start every job at once, wait for all; per job: (status, failed items, changed items)."""
    started = [
        ansible_runner.run_async(private_data_dir=directory, playbook='site.yml', quiet=True)
        for directory in directories
    ]
    outcomes = []
    for thread, runner in started:
        thread.join(600)
        counts = collections.Counter(event.get('event') for event in runner.events)
        changed = sum(
            1
            for event in runner.events
            if event.get('event') == 'runner_item_on_ok' and event.get('event_data', {}).get('res', {}).get('changed')
        )
        outcomes.append((runner.status, counts['runner_item_on_failed'] + counts['runner_on_failed'], changed))
    return outcomes


@pytest.fixture
def temp_folders():
    """A short temporary folder per controller: ansible-core puts a socket there, and socket paths are short."""
    folders = [tempfile.mkdtemp(prefix='fc%d-' % number) for number in range(1, CONTROLLERS + 1)]
    yield folders
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def test_three_controllers_with_separate_gates_converge_at_the_rate_limit(tmp_path, temp_folders):
    with Simulator(tokens=[TOKEN], rate_limit=1.0) as simulator:
        directories = [
            private_data_dir(str(tmp_path), number, simulator.url, temp_folders[number - 1])
            for number in range(1, CONTROLLERS + 1)
        ]

        created = run_all(directories)
        assert created == [('successful', 0, CRONJOBS_EACH)] * CONTROLLERS
        names = collections.Counter(cron['name'] for cron in admin(simulator, '/state')['crons'])
        assert len(names) == CONTROLLERS * CRONJOBS_EACH
        assert [name for name, count in names.items() if count > 1] == []  # no duplicate

        again = run_all(directories)
        assert again == [('successful', 0, 0)] * CONTROLLERS
        log = admin(simulator, '/requests')
        assert len(admin(simulator, '/state')['crons']) == CONTROLLERS * CRONJOBS_EACH
        accepted = [entry for entry in log if entry['http_status'] != 503]
        assert not [entry for entry in accepted if entry['write'] and entry['function'] != 'cron_add']
        assert sum(1 for entry in accepted if entry['function'] == 'cron_add') == CONTROLLERS * CRONJOBS_EACH
