# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every example of the documentation runs as written, with ansible-playbook, against the simulator.

The examples are the EXAMPLES of every module, the ```yaml blocks of README.md and the
``.. code-block:: yaml`` blocks of docs/docsite/rst/*.rst. Each runs in a folder of its own
against a simulator of its own, seeded with the account the example expects (the cronjobs and
groups it names), with what a reader sets once: the API URL and the token in the environment,
the ``vault_*`` variables it names, an inventory for the plays on other hosts. A state example
runs twice and the second run must change nothing; a run or pause example runs once. A block
that is no playbook, no task list and no file of one (an AWX setting, an execution environment
definition) is listed in EXCEPTIONS with the reason; nothing else is left out.
"""

from __future__ import annotations

import ast
import concurrent.futures
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from ansible_collections.fastcron.cloud.plugins.module_utils import client as client_module
from ansible_collections.fastcron.cloud.tests.simulator.fastcron_simulator import Simulator
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import TOKEN, admin

pytestmark = pytest.mark.http

ROOT = Path(__file__).resolve().parents[3]
# The folder holding ansible_collections/, where ansible-playbook finds this collection: as Python
# imported it (a clone elsewhere is reached through a linked ansible_collections/ tree, not resolved).
COLLECTIONS = Path(os.path.abspath(client_module.__file__)).parents[5]
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / 'ansible-playbook'
# ansible-playbook runs at a time; each mostly waits on its module's rate gate (a second a request).
PARALLEL = 6


@pytest.fixture
def reader():
    """What a reader sets once: the variables the examples name (from Ansible Vault, in real life), and an
    inventory for the plays on other hosts (two web servers, run locally here). The API URL, and the token
    where a playbook does not give it in module_defaults, come from the environment (reader_environment)."""
    hosts = {
        name: {
            'ansible_connection': 'local',
            'ansible_python_interpreter': sys.executable,
            'webapp_scheduled_urls': [{'name': 'cron.php', 'path': 'cron.php', 'expression': '*/5 * * * *'}],
        }
        for name in ('web1.example.com', 'web2.example.com')
    }
    return {
        'vars': {
            'vault_fastcron_api_token': TOKEN,
            'vault_sync_password': 'sync-secret',
            'vault_invoice_password': 'invoice-secret',
            'vault_shop_pin': '4711',
        },
        'inventory': {'web': {'hosts': hosts}},
    }


# Blocks that are not run, each with the reason: (source, a text of the block) -> reason.
EXCEPTIONS = {
    ('docs/docsite/rst/awx.rst', 'version: 3'): 'an execution environment definition: needs ansible-builder and '
    'a container engine (the ee session of noxfile.py builds its context)',
    ('docs/docsite/rst/awx.rst', 'type: git'): 'the dependencies of an execution environment, '
    'from the git server of the release: needs ansible-builder and a container engine',
    ('docs/docsite/rst/awx.rst', 'help_text:'): 'the input configuration of an AWX credential type: needs AWX',
    ('docs/docsite/rst/awx.rst', 'env:\n  FASTCRON_API_TOKEN'): 'the injector configuration of an AWX credential '
    'type: needs AWX',
    ('docs/docsite/rst/awx.rst', 'awx.awx.credential_type'): 'needs an AWX server and the awx.awx collection',
    ('docs/docsite/rst/awx.rst', 'awx.awx.job_template'): 'needs an AWX server and the awx.awx collection',
    ('docs/docsite/rst/awx.rst', 'FASTCRON_STATE_DIR:'): 'a setting of AWX jobs (an environment variable), no playbook',
    ('docs/docsite/rst/guide.rst', 'type: git'): 'an install from the git server of the release: '
    'tests/unit/plugins/test_install_live.py installs the README\'s same block from a clone of this repository',
    ('docs/docsite/rst/porting_guide_0.2.rst', 'sync.cron.httpMethod'): 'the result keys of 0.1 beside those of '
    '0.2, read from tasks the block does not show: the 0.1 half fails with 0.2 by design',
    ('README.md', 'type: git'): 'an install from the git server of the release: '
    'tests/unit/plugins/test_install_live.py installs the same block from a clone of this repository',
    ('README.md', 'type: file'): 'an install from the release tarball: tests/unit/plugins/test_install_live.py '
    'installs the same block with the tarball it builds',
}

# For the blocks that are files of a project ('# path' on their first line): the play that uses a role
# the project declares but no block of it applies, and the roles a playbook names that are the reader's own.
READER_PLAYS = {
    'README.md:webapp': '- name: Build the web servers\n  hosts: web\n  roles:\n    - role: webapp\n',
}
READER_ROLES = {
    # The role that builds the web server, without the task of the first way (which registers the URLs itself).
    'README.md:fleet': {'webapp': '- name: The web server is built\n  ansible.builtin.debug:\n    msg: built\n'},
}

# The account each example expects (bodies for /_admin/seed, in order), and the
# examples that are actions (run, pause): run once, never twice.
FILLER_CRONS = {'generate': {'count': 42, 'prefix': 'older'}}  # the next cronjob is 1042
FILLER_GROUPS = {'groups': [{'name': 'archive-%02d' % number} for number in range(23)]}  # the next group is 123
SEEDS = {
    'plugins/modules/fastcron_account_info.py': [],
    'plugins/modules/fastcron_account.py': [],
    'plugins/modules/fastcron_cron.py': [
        {'groups': [{'name': 'backups'}, {'name': 'orders'}]},
        FILLER_CRONS,
        {
            'crons': [
                {'name': 'orders-sync-v1', 'url': 'https://app.example.com/hooks/sync-v1', 'group': 101},
                {'name': 'old-newsletter', 'url': 'https://app.example.com/cron/newsletter'},
            ]
        },
    ],
    'plugins/modules/fastcron_cron_batch.py': [
        {'groups': [{'name': 'maintenance'}, {'name': 'scratch'}]},
        {
            'crons': [
                {'name': 'legacy-export', 'url': 'https://shop.example.com/cron/export'},
                {'name': 'cache-warmup', 'url': 'https://shop.example.com/cron/warmup', 'group': 100},
                {'name': 'old-cleanup', 'url': 'https://shop.example.com/cron/cleanup', 'group': 100},
                {'name': 'try-1', 'url': 'https://shop.example.com/try/1', 'group': 101},
                {'name': 'try-2', 'url': 'https://shop.example.com/try/2', 'group': 101},
            ]
        },
    ],
    'plugins/modules/fastcron_cron_info.py': [
        {'groups': [{'name': 'backups'}]},
        {
            'crons': [
                {
                    'name': 'nightly-backup',
                    'url': 'https://storage.example.com/backup',
                    'expression': '0 3 * * *',
                    'group': 100,
                },
                {'name': 'status-ping', 'url': 'https://shop.example.com/health', 'status': 1},
            ],
            'logs': {'1000': [{'output': 'OK'}, {'output': 'timeout after 30 s', 'status': 1, 'httpStatus': 504}]},
        },
    ],
    'plugins/modules/fastcron_cron_pause.py': [
        FILLER_CRONS,
        {
            'crons': [
                {'name': 'inventory-sync', 'url': 'https://app.example.com/cron/inventory'},
                {'name': 'nightly-report', 'url': 'https://app.example.com/cron/report'},
                {'name': 'weekly-export', 'url': 'https://app.example.com/cron/export'},
            ]
        },
    ],
    'plugins/modules/fastcron_cron_run.py': [
        {
            'crons': [
                {'name': 'nightly-report', 'url': 'https://app.example.com/cron/report'},
                {'name': 'rebuild-index', 'url': 'https://shop.example.com/hooks/reindex', 'httpMethod': 'POST'},
            ]
        }
    ],
    'plugins/modules/fastcron_group.py': [
        FILLER_GROUPS,
        {'groups': [{'name': 'backups-old'}, {'name': 'old-reports'}]},
        {
            'crons': [
                {'name': 'backup-db', 'url': 'https://app.example.com/backup/db', 'group': 123},
                {'name': 'report-2019', 'url': 'https://app.example.com/report/2019', 'group': 124},
            ]
        },
    ],
    'plugins/modules/fastcron_group_info.py': [
        {'groups': [{'name': 'backups'}, {'name': 'reports'}]},
        {
            'crons': [
                {'name': 'backup-db', 'url': 'https://app.example.com/backup/db', 'group': 100},
                {'name': 'report-daily', 'url': 'https://app.example.com/report', 'group': 101},
                {'name': 'status-ping', 'url': 'https://shop.example.com/health'},
            ]
        },
    ],
}
ACTIONS = {'plugins/modules/fastcron_cron_pause.py', 'plugins/modules/fastcron_cron_run.py'}


# --- the examples -------------------------------------------------------------------------


def module_examples():
    """(source, EXAMPLES text) of every module."""
    for path in sorted((ROOT / 'plugins' / 'modules').glob('*.py')):
        if path.name.startswith('_'):
            continue
        for node in ast.parse(path.read_text(encoding='utf-8')).body:
            if isinstance(node, ast.Assign) and [target.id for target in node.targets] == ['EXAMPLES']:
                yield str(path.relative_to(ROOT)), node.value.value


def markdown_blocks(path):
    return re.findall(r'^```yaml\n(.*?)^```', path.read_text(encoding='utf-8'), re.MULTILINE | re.DOTALL)


def rst_blocks(path):
    blocks = []
    lines = path.read_text(encoding='utf-8').splitlines()
    for number, line in enumerate(lines):
        if re.match(r'\.\. code-block:: yaml(\+jinja)?\s*$', line):
            body = []
            start = number + 1
            for following in lines[start:]:
                if following.strip() and not following.startswith(' '):
                    break
                body.append(following)
            blocks.append(textwrap.dedent('\n'.join(body)).strip('\n') + '\n')
    return blocks


def doc_blocks():
    """(source, text) of every YAML block of the README and the guides."""
    for text in markdown_blocks(ROOT / 'README.md'):
        yield 'README.md', text
    for path in sorted((ROOT / 'docs' / 'docsite' / 'rst').glob('*.rst')):
        for text in rst_blocks(path):
            yield str(path.relative_to(ROOT)), text


def exception_of(source, text):
    reasons = [reason for (where, part), reason in EXCEPTIONS.items() if where == source and part in text]
    assert len(reasons) <= 1, (source, text)
    return reasons[0] if reasons else None


def file_path(text):
    """The path a block names on its first line (``# roles/webapp/tasks/main.yml: ...``), or None."""
    match = re.match(r'#\s*([\w./-]+\.ya?ml)\b', text)
    return match.group(1) if match else None


class Example:
    """One ansible-playbook run: the files of its folder, the playbook, the account it expects."""

    def __init__(self, name, files, playbook='site.yml', inventory=False):
        self.name = name
        self.files = files
        self.playbook = playbook
        self.inventory = inventory
        self.action = name in ACTIONS
        self.seeds = SEEDS.get(name, [])

    @property
    def token_in_module_defaults(self):
        """A playbook that gives the token to every module itself: then it is the only variable it needs."""
        return any(
            isinstance(play, dict) and 'api_token' in str(play.get('module_defaults', {}))
            for text in self.files.values()
            for play in yaml.safe_load(text) or []
        )

    @property
    def text(self):
        return '\n'.join(self.files.values())

    def __repr__(self):
        return self.name


def play_of(tasks, name):
    return '- name: %s\n  hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n%s' % (
        name,
        textwrap.indent(tasks, '    '),
    )


def is_playbook(data):
    return isinstance(data, list) and bool(data) and all(isinstance(item, dict) and 'hosts' in item for item in data)


def is_task_list(data):
    return (
        isinstance(data, list) and bool(data) and all(isinstance(item, dict) and 'hosts' not in item for item in data)
    )


def examples():
    """Every example run, in a stable order."""
    found = [
        Example(source, {'site.yml': play_of(text, 'EXAMPLES of %s' % source)}) for source, text in module_examples()
    ]
    projects = {}
    for source, text in doc_blocks():
        if exception_of(source, text):
            continue
        path = file_path(text)
        data = yaml.safe_load(text)
        if path and (path.startswith(('roles/', 'group_vars/')) or (path == 'site.yml' and 'fleet' in text)):
            # A file of the README's project on the web servers: the task file of the first way,
            # the inventory variables and the playbook of the second.
            key = '%s:%s' % (source, 'webapp' if path.startswith('roles/') else 'fleet')
            projects.setdefault(key, {})[path] = text
        elif is_playbook(data):
            found.append(Example('%s: %s' % (source, path or data[0]['name']), {'site.yml': text}))
        elif is_task_list(data):
            found.append(
                Example('%s: %s' % (source, data[0]['name']), {'site.yml': play_of(text, 'Tasks of %s' % source)})
            )
        else:
            raise AssertionError('%s: a block that is neither a playbook nor tasks nor listed:\n%s' % (source, text))
    for key, files in sorted(projects.items()):
        files = dict(files)
        if key in READER_PLAYS:
            files['site.yml'] = READER_PLAYS[key]
        for role, tasks in READER_ROLES.get(key, {}).items():
            files['roles/%s/tasks/main.yml' % role] = tasks
        found.append(Example(key, files, inventory=True))
    return found


# --- running them -------------------------------------------------------------------------


def recap(output):
    """The PLAY RECAP counts summed over the hosts: {'ok': N, 'changed': N, 'failed': N, ...}."""
    section = output.split('PLAY RECAP', 1)[-1]
    totals = {}
    for key, value in re.findall(r'(\w+)=(\d+)', section):
        totals[key] = totals.get(key, 0) + int(value)
    return totals


def reader_environment(tmp, simulator, token):
    """The environment of a reader's shell: the API URL (and the token, unless the playbook gives it in
    module_defaults), Ansible's paths in the run's folder."""
    config = tmp / 'ansible.cfg'
    config.write_text('# Empty: Ansible defaults.\n')
    env = {key: value for key, value in os.environ.items() if not key.startswith(('ANSIBLE_', 'FASTCRON_'))}
    if token:
        env['FASTCRON_API_TOKEN'] = TOKEN
    return dict(
        env,
        FASTCRON_API_URL=simulator.url,
        ANSIBLE_CONFIG=str(config),
        ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
        ANSIBLE_HOME=str(tmp / 'ansible-home'),
        ANSIBLE_LOCAL_TEMP=str(tmp / 'ansible-tmp'),
        ANSIBLE_REMOTE_TEMP=str(tmp / 'ansible-tmp'),
        ANSIBLE_NOCOLOR='1',
        ANSIBLE_FORCE_COLOR='0',
        ANSIBLE_LOCALHOST_WARNING='false',
        ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
        FASTCRON_STATE_DIR=str(tmp / 'state'),
        TMPDIR=str(tmp),
    )


def run_example(example, reader, tmp):
    """Seed its account, run it (twice for state examples); a list of (returncode, recap, output)."""
    project = tmp / 'project'
    for path, text in example.files.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text)
    command = [str(ANSIBLE_PLAYBOOK), example.playbook]
    if example.inventory:
        (tmp / 'inventory.yml').write_text(yaml.safe_dump(reader['inventory']))
        command += ['-i', str(tmp / 'inventory.yml')]
    named = {key: value for key, value in reader['vars'].items() if key in example.text}
    if named:
        (tmp / 'vault.yml').write_text(yaml.safe_dump(named))
        command += ['-e', '@%s' % (tmp / 'vault.yml')]
    runs = []
    started = time.monotonic()
    with Simulator(tokens=[TOKEN], rate_limit=0) as simulator:
        for body in example.seeds:
            admin(simulator, '/seed', body)
        env = reader_environment(tmp, simulator, token=not example.token_in_module_defaults)
        for _run in range(1 if example.action else 2):
            done = subprocess.run(
                command, cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False
            )
            output = done.stdout + done.stderr
            runs.append((done.returncode, recap(output), output))
            if done.returncode:
                break
        state = admin(simulator, '/state')
    sys.stderr.write('%s: %.0f s\n' % (example.name, time.monotonic() - started))
    return runs, state


def run_all(reader, tmp_path_factory):
    """Every example run, PARALLEL at a time: name -> (runs, final state of its account)."""
    # The longest first (the most text, run twice), so that the last ones to end started early.
    found = sorted(examples(), key=lambda example: -len(example.text) * (1 if example.action else 2))
    with concurrent.futures.ThreadPoolExecutor(PARALLEL) as pool:
        futures = {
            example.name: pool.submit(run_example, example, reader, tmp_path_factory.mktemp('example'))
            for example in found
        }
        return {name: future.result() for name, future in futures.items()}


def test_the_examples_are_found_and_every_exception_names_a_block():
    names = [example.name for example in examples()]
    modules = sorted(path.stem for path in (ROOT / 'plugins' / 'modules').glob('fastcron_*.py'))
    assert [name for name in names if name.startswith('plugins/')] == ['plugins/modules/%s.py' % m for m in modules]
    assert 'README.md:webapp' in names and 'README.md:fleet' in names
    assert "README.md: Schedule the shop's jobs" in names
    assert 'docs/docsite/rst/guide.rst: Schedule the nightly report' in names
    assert 'docs/docsite/rst/awx.rst: fastcron.yml' in names
    assert len(names) == len(set(names))
    blocks = list(doc_blocks())
    for (source, part), reason in EXCEPTIONS.items():
        matching = [text for where, text in blocks if where == source and part in text]
        assert len(matching) == 1, 'exception %r matches %d blocks (%s)' % ((source, part), len(matching), reason)
    # Every seeded example exists: a renamed module or example does not leave its account behind.
    assert sorted(set(SEEDS) - set(names)) == []


def test_every_example_runs_as_written_a_second_run_changes_nothing_and_the_account_is_as_described(
    reader,
    tmp_path_factory,
):
    # One test for all: they run in parallel here, and a test of pytest-xdist's (ansible-test units)
    # per example would run them one by one.
    outcomes = run_all(reader, tmp_path_factory)
    failures = []
    for name, (runs, _state) in sorted(outcomes.items()):
        code, counts, output = runs[-1]
        if code or counts.get('failed') or counts.get('unreachable'):
            failures.append('%s: run %d failed (exit %d)\n%s' % (name, len(runs), code, output[-4000:]))
        elif len(runs) == 2 and counts.get('changed'):
            failures.append('%s: the second run changed %d\n%s' % (name, counts['changed'], output[-4000:]))
        elif not runs[0][1].get('ok'):
            failures.append('%s: no task ran\n%s' % (name, output[-2000:]))
    assert not failures, '\n\n'.join(failures)
    # Both runs of the state examples, one of each action example.
    assert sorted({len(runs) for runs, dummy in outcomes.values()}) == [1, 2]
    check_accounts(outcomes)


def crons_by_name(state):
    return {cron['name']: cron for cron in state['crons']}


def check_accounts(outcomes):
    """The examples leave the account they describe."""
    # The README's example, on a new account: its groups and cronjobs, the log rotation switched off.
    readme = crons_by_name(outcomes["README.md: Schedule the shop's jobs"][1])
    assert sorted(readme) == ['billing-invoices', 'maintenance-log-rotate']
    assert readme['maintenance-log-rotate']['status'] == 1
    assert readme['billing-invoices']['httpMethod'] == 'POST'
    # fastcron_cron: 1042 renamed and out of its group, the other one deleted.
    crons = crons_by_name(outcomes['plugins/modules/fastcron_cron.py'][1])
    assert crons['legacy-sync']['id'] == 1042 and crons['legacy-sync']['group'] is None
    assert 'old-newsletter' not in crons and crons['sync-orders']['status'] == 1
    # fastcron_cron_run: both ran, the POST cronjob with the JSON payload.
    runs = {
        name: cron['runs'] for name, cron in crons_by_name(outcomes['plugins/modules/fastcron_cron_run.py'][1]).items()
    }
    assert len(runs['nightly-report']) == 1 and len(runs['rebuild-index']) == 1
    # fastcron_cron_pause: the three cronjobs are paused.
    paused = outcomes['plugins/modules/fastcron_cron_pause.py'][1]['crons']
    assert sorted(cron['id'] for cron in paused if cron['pauseUntil']) == [1042, 1043, 1044]
    # The web servers' URLs: one cronjob each, named after the host; in the fleet's group the second way.
    for name in ('README.md:webapp', 'README.md:fleet'):
        state = outcomes[name][1]
        assert sorted(crons_by_name(state)) == ['web1.example.com cron.php', 'web2.example.com cron.php'], name
    fleet = outcomes['README.md:fleet'][1]
    assert [group['name'] for group in fleet['groups']] == ['web fleet']
    assert {cron['group'] for cron in fleet['crons']} == {fleet['groups'][0]['id']}
