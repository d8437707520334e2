# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark fastcron.cloud against the local FastCron API simulator at its real rate limit.

Usage: python scripts/benchmark.py [--quick] [--no-baselines] [--output PATH] [--list] [WORKLOAD...]
       python scripts/benchmark.py --masking [N...]
(scripts/benchmark.sh runs it with the development virtual environment).

``--masking`` measures something else: the CPU time of one fastcron_cron_batch module run
(a no-op, in this process) whose N entries each carry a password and an Authorization header,
at 2000 and 10000 entries unless sizes are given, the least of five runs taken in turns; masking their
secrets must stay linear in N (at most 5.5 times the CPU for 5 times the entries).

Every workload runs against a fresh simulator that refuses (HTTP 503) any request closer
than one second to the last one it accepted. Each phase (create, no-op, change) is one
ansible-playbook run with a HOME and Ansible paths of its own under build/benchmark/; the
requests it made, accepted and refused, are read from the simulator's request log. The
report (the table, the machine, the targets met or missed) goes to docs/benchmark.md after
a run of every workload at full size, else to build/benchmark/benchmark.md.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.request

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIMULATOR_DIR = os.path.join(REPO_ROOT, 'tests', 'simulator')
SIMULATOR = os.path.join(SIMULATOR_DIR, 'fastcron_simulator.py')
WORK_DIR = os.path.join(REPO_ROOT, 'build', 'benchmark')
DOCS_REPORT = os.path.join(REPO_ROOT, 'docs', 'benchmark.md')
COMMAND = 'scripts/benchmark.sh'

sys.path.insert(0, SIMULATOR_DIR)
from fastcron_sim.proxy import LatencyProxy  # noqa: E402  pylint: disable=wrong-import-position

# The simulator's default token, and the one limit of the API: a request a second per account.
TOKEN = '0123456789abcdef0123456789abcdef'
RATE_LIMIT = 1.0
# Every cronjob of a workload lives in this group, made before the first phase.
GROUP = 'bench'
# The slow network of the latency workload: seconds added each way (a request costs twice that).
PROXY_DELAY = 0.05

PHASES = ('create', 'no-op', 'change')
# A phase of this many requests or fewer runs REPEATS times, from the same state; the median counts.
REPEAT_UP_TO = 10
REPEATS = 5
# Larger workloads run create and no-op only: a change of every cronjob costs a request each.
CHANGE_LIMIT = 100
# The expression every cronjob should have in each phase; the change phase changes it.
EXPRESSIONS = {'create': '*/15 * * * *', 'no-op': '*/15 * * * *', 'change': '*/30 * * * *'}

# Workload families: what a name on the command line selects, at full size and with --quick.
FAMILIES = collections.OrderedDict(
    (
        ('uri', dict(kinds=('uri',), sizes=(20, 100, 1000, 5000), quick=(3, 200))),
        ('cron', dict(kinds=('cron',), sizes=(20, 100), quick=(3,))),
        ('batch', dict(kinds=('batch',), sizes=(20, 100, 1000, 5000), quick=(3, 200))),
        ('forks', dict(kinds=('forks',), sizes=(20,), quick=(3,))),
        ('latency', dict(kinds=('latency-uri', 'latency-cron'), sizes=(20,), quick=(3,))),
        ('controllers', dict(kinds=('controllers', 'controllers-shared'), sizes=(20,), quick=(3,))),
        ('fleet', dict(kinds=('hostloop', 'fleet'), sizes=(30,), quick=(3,))),
    )
)
KINDS = (
    'uri',
    'cron',
    'batch',
    'forks',
    'latency-uri',
    'latency-cron',
    'controllers',
    'controllers-shared',
    'hostloop',
    'fleet',
)
# The controllers workload: this many ansible-playbook runs at once, N cronjobs each, sharing
# no temporary or state folder (so no rate gate), the token in FASTCRON_API_TOKEN.
CONTROLLERS = 3
# The fleet workloads: N hosts, each declaring these URLs in the inventory (2N cronjobs, "<host> <name>").
FLEET_KINDS = ('hostloop', 'fleet')
FLEET_URLS = ('cron.php', 'backup.php')
CASE_NAME = re.compile(r'^(%s)-([1-9][0-9]*)$' % '|'.join(re.escape(kind) for kind in KINDS))
DESCRIPTIONS = {
    'uri': 'the baseline: plain `ansible.builtin.uri` tasks, a second apart',
    'cron': 'a looped `fastcron.cloud.fastcron_cron` task, the group given by name',
    'batch': 'one `fastcron.cloud.fastcron_cron_batch` task, the group its scope (`group:`)',
    'forks': 'N hosts at `-f N`, each delegating its own `fastcron_cron` to localhost',
    'latency-uri': 'the baseline behind a proxy adding ~%d ms a request' % (PROXY_DELAY * 2000),
    'latency-cron': 'a looped `fastcron_cron` behind a proxy adding ~%d ms a request' % (PROXY_DELAY * 2000),
    'controllers': '%d controllers at once, each a looped `fastcron_cron` over N cronjobs of its own, with '
    'separate temporary and state folders (no shared rate gate)' % CONTROLLERS,
    'controllers-shared': 'the same %d controllers sharing one `FASTCRON_STATE_DIR` (one rate gate), for reference'
    % CONTROLLERS,
    'hostloop': 'N hosts with %d URLs each, a `fastcron_cron` task looped on each host (no group)' % len(FLEET_URLS),
    'fleet': 'N hosts with %d URLs each, the role `fastcron.cloud.fleet` (one batch, the group `%s`)'
    % (len(FLEET_URLS), GROUP),
}
FAILED_ITEM = re.compile(r'^failed: \[[^]]+\] \(item=', re.MULTILINE)

MODULE_DEFAULTS = '''\
  module_defaults:
    group/fastcron.cloud.fastcron:
      api_url: "{{ api_url }}"
      api_token: "{{ api_token }}"
'''

PLAYBOOKS = {
    'controllers': '''\
---
- name: Cronjobs of one controller, one fastcron_cron task each
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/fastcron.cloud.fastcron:
      api_url: "{{ api_url }}"
  tasks:
    - name: Converge each cronjob
      fastcron.cloud.fastcron_cron:
        name: "{{ item.name }}"
        url: "{{ item.url }}"
        expression: "{{ item.expression }}"
        group: "{{ group }}"
      loop: "{{ crons }}"
      loop_control:
        label: "{{ item.name }}"
''',
    'cron': '''\
---
- name: Cronjobs, one fastcron_cron task each
  hosts: localhost
  gather_facts: false
%s  tasks:
    - name: Converge each cronjob
      fastcron.cloud.fastcron_cron:
        name: "{{ item.name }}"
        url: "{{ item.url }}"
        expression: "{{ item.expression }}"
        group: "{{ group }}"
      loop: "{{ crons }}"
      loop_control:
        label: "{{ item.name }}"
'''
    % MODULE_DEFAULTS,
    'batch': '''\
---
- name: Cronjobs, one fastcron_cron_batch task
  hosts: localhost
  gather_facts: false
%s  tasks:
    - name: Converge the cronjobs of the group
      fastcron.cloud.fastcron_cron_batch:
        group: "{{ group }}"
        crons: "{{ crons }}"
'''
    % MODULE_DEFAULTS,
    'forks': '''\
---
- name: Every host its own cronjob
  hosts: all
  gather_facts: false
%s  tasks:
    - name: Converge the cronjob of this host
      fastcron.cloud.fastcron_cron:
        name: "{{ cron_name }}"
        url: "{{ cron_url }}"
        expression: "{{ expression }}"
        group: "{{ group }}"
      delegate_to: localhost
'''
    % MODULE_DEFAULTS,
    'hostloop': '''\
---
- name: Every host registers its own URLs, one fastcron_cron task each
  hosts: all
  gather_facts: false
%s  tasks:
    - name: Register the scheduled URLs of this host
      fastcron.cloud.fastcron_cron:
        name: "{{ inventory_hostname }} {{ item.name }}"
        url: "{{ item.url }}"
        expression: "{{ item.expression }}"
      loop: "{{ fleet_cronjobs }}"
      delegate_to: localhost
'''
    % MODULE_DEFAULTS,
    'fleet': '''\
---
- name: Every host's own URLs, in one batch for the fleet
  hosts: all
  gather_facts: false
%s  roles:
    - role: fastcron.cloud.fleet
      vars:
        fleet_group: "{{ group }}"
'''
    % MODULE_DEFAULTS,
    # What a careful user writes without the collection: read the group and its cronjobs once,
    # create what is missing in one cron_batch_add, edit what differs, a request at a time and a
    # second apart (a pause before every request; a 503 would still be retried a second later).
    'uri': '''\
---
- name: Cronjobs through the HTTP API with ansible.builtin.uri, one request a second
  hosts: localhost
  gather_facts: false
  module_defaults:
    ansible.builtin.uri:
      method: POST
      body_format: json
      headers:
        Authorization: "Bearer {{ api_token }}"
      status_code: [200, 503]
  tasks:
    - name: List the groups
      ansible.builtin.uri:
        url: "{{ api_url }}/group_list"
        body: {}
      register: fastcron_groups
      until: fastcron_groups.status == 200
      retries: 5
      delay: 1
      failed_when: fastcron_groups.status != 200 or fastcron_groups.json.status != 'success'
      changed_when: false

    - name: Keep the id of the group
      ansible.builtin.set_fact:
        fastcron_group_id: "{{ (fastcron_groups.json.data | selectattr('name', 'equalto', group) | first).id }}"

    - name: Wait a second
      ansible.builtin.pause:
        seconds: 1

    - name: List the cronjobs of the group
      ansible.builtin.uri:
        url: "{{ api_url }}/group_items"
        body:
          id: "{{ fastcron_group_id | int }}"
      register: fastcron_items
      until: fastcron_items.status == 200
      retries: 5
      delay: 1
      failed_when: fastcron_items.status != 200 or fastcron_items.json.status != 'success'
      changed_when: false

    - name: Work out what to create and what to edit
      ansible.builtin.set_fact:
        fastcron_missing: >-
          {{ crons | rejectattr('name', 'in', fastcron_existing)
          | map('combine', {'group': fastcron_group_id | int}) | list }}
        fastcron_drifted: >-
          {%- set drifted = [] -%}
          {%- for cron in crons if cron.name in fastcron_existing -%}
          {%-   set have = fastcron_existing[cron.name] -%}
          {%-   if have.url != cron.url or have.expression != cron.expression -%}
          {%-     set _ = drifted.append({'id': have.id, 'url': cron.url, 'expression': cron.expression}) -%}
          {%-   endif -%}
          {%- endfor -%}
          {{ drifted }}
      vars:
        fastcron_existing: >-
          {{ dict(fastcron_items.json.data | map(attribute='name') | zip(fastcron_items.json.data)) }}

    - name: Wait a second
      ansible.builtin.pause:
        seconds: 1
      when: fastcron_missing | length > 0

    - name: Create the missing cronjobs in one request
      ansible.builtin.uri:
        url: "{{ api_url }}/cron_batch_add"
        body:
          data: "{{ fastcron_missing }}"
      register: fastcron_added
      until: fastcron_added.status == 200
      retries: 5
      delay: 1
      failed_when: fastcron_added.status != 200 or fastcron_added.json.status != 'success'
      changed_when: true
      when: fastcron_missing | length > 0

    - name: Wait a second
      ansible.builtin.pause:
        seconds: 1
      when: fastcron_drifted | length > 0

    - name: Edit each cronjob that differs, a second apart
      ansible.builtin.uri:
        url: "{{ api_url }}/cron_edit"
        body: "{{ item }}"
      loop: "{{ fastcron_drifted }}"
      loop_control:
        pause: 1
        label: "{{ item.id }}"
      register: fastcron_edited
      until: fastcron_edited.status == 200
      retries: 5
      delay: 1
      failed_when: fastcron_edited.status != 200 or fastcron_edited.json.status != 'success'
      changed_when: true
''',
}

RECAP_LINE = re.compile(r'^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)', re.MULTILINE)
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Case:
    """One workload at one size: a kind of playbook (or the baseline), N cronjobs, its phases."""

    def __init__(self, kind, n):
        self.kind = kind
        self.n = n
        self.name = '%s-%d' % (kind, n)
        self.proxied = kind.startswith('latency-')
        self.playbook = 'controllers' if kind.startswith('controllers') else kind.split('-')[-1]
        # Cronjobs in the account: N; N for each controller; one per URL for each of N fleet hosts.
        if self.playbook == 'controllers':
            self.count = n * CONTROLLERS
        elif kind in FLEET_KINDS:
            self.count = n * len(FLEET_URLS)
        else:
            self.count = n
        self.phases = PHASES if self.count <= CHANGE_LIMIT and self.playbook != 'controllers' else PHASES[:2]
        # The per-host loop, as the README shows it, puts its cronjobs in no group.
        self.in_group = kind != 'hostloop'

    def crons(self, phase):
        if self.kind not in FLEET_KINDS:
            return wanted_crons(self.count, phase)
        return [
            dict(
                name='%s %s' % (host, url), url='https://%s.example.com/%s' % (host, url), expression=EXPRESSIONS[phase]
            )
            for host in fleet_hosts(self.n)
            for url in FLEET_URLS
        ]

    @property
    def baseline(self):
        if self.playbook in ('uri', 'controllers') or self.kind in FLEET_KINDS:
            return None
        return '%s-%d' % ('latency-uri' if self.proxied else 'uri', self.n)

    def order(self):
        group = 2 if self.proxied else 1 if self.kind == 'forks' or self.playbook == 'controllers' else 0
        return (group, self.n, KINDS.index(self.kind))


def select_cases(names, quick, baselines):
    """The cases the arguments name (every family when none), with their baselines, in running order."""
    cases = {}
    for name in names or list(FAMILIES):
        if name in FAMILIES:
            family = FAMILIES[name]
            for kind in family['kinds']:
                for n in family['quick'] if quick else family['sizes']:
                    cases[(kind, n)] = Case(kind, n)
            continue
        match = CASE_NAME.match(name)
        if not match:
            raise SystemExit(
                'unknown workload %r: give a family (%s) or KIND-N such as cron-20 (--list shows them)'
                % (name, ', '.join(FAMILIES))
            )
        cases[(match.group(1), int(match.group(2)))] = Case(match.group(1), int(match.group(2)))
    if baselines:
        for case in list(cases.values()):
            if case.baseline:
                kind, n = case.baseline.rsplit('-', 1)
                cases.setdefault((kind, int(n)), Case(kind, int(n)))
    return sorted(cases.values(), key=Case.order)


def fleet_hosts(n):
    return ['host-%03d' % number for number in range(1, n + 1)]


def fleet_inventory(n):
    """A YAML inventory of N hosts that declare their URLs as an inventory variable, as the fleet role needs."""
    lines = ['bench:', '  hosts:'] + ['    %s: {}' % host for host in fleet_hosts(n)]
    lines += ['  vars:', '    ansible_connection: local', '    fleet_cronjobs:']
    for url in FLEET_URLS:
        lines += [
            '      - name: %s' % url,
            '        url: "https://{{ inventory_hostname }}.example.com/%s"' % url,
            '        expression: "{{ expression }}"',
        ]
    return '\n'.join(lines) + '\n'


def wanted_crons(n, phase):
    return [
        dict(name='bench-%04d' % number, url='https://example.com/bench/%d' % number, expression=EXPRESSIONS[phase])
        for number in range(1, n + 1)
    ]


class Simulator:
    """A fresh simulator process at the real rate limit (unless told otherwise), with one group made."""

    def __init__(self, directory, rate_limit=RATE_LIMIT):
        self.directory = directory
        port_file = os.path.join(directory, 'port')
        self.log = open(os.path.join(directory, 'simulator.log'), 'wb')  # noqa: SIM115  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [
                sys.executable,
                SIMULATOR,
                '--port',
                '0',
                '--port-file',
                port_file,
                '--token',
                TOKEN,
                '--rate-limit',
                str(rate_limit),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while not (os.path.exists(port_file) and open(port_file, encoding='ascii').read().strip()):  # noqa: SIM115
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit('the simulator did not start; see %s' % self.log.name)
            time.sleep(0.05)
        with open(port_file, encoding='ascii') as handle:
            self.port = int(handle.read().strip())
        self.url = 'http://127.0.0.1:%d/api/v1' % self.port
        self.group_id = self.admin('POST', '/seed', {'groups': [{'name': GROUP}]})['groups'][0]['id']

    def admin(self, method, path, body=None):
        data = json.dumps(body).encode('utf-8') if body is not None else None
        request = urllib.request.Request(
            'http://127.0.0.1:%d/_admin%s' % (self.port, path),
            data=data,
            method=method,
            headers={'Content-Type': 'application/json'},
        )
        with NO_PROXY.open(request, timeout=60) as answer:
            return json.loads(answer.read().decode('utf-8'))

    def restore(self, case, phase):
        """Put the account back as it was before ``phase``: empty before a create, else the cronjobs as created."""
        self.admin('POST', '/reset')
        group = self.group_id if case.in_group else None
        crons = [] if phase == 'create' else [dict(cron, group=group) for cron in case.crons('create')]
        seeded = self.admin('POST', '/seed', {'groups': [{'name': GROUP}], 'crons': crons})
        if seeded['groups'][0]['id'] != self.group_id:
            raise SystemExit('the simulator gave the group another id after a reset')

    def requests(self, since=0):
        return self.admin('GET', '/requests?since=%d' % since)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Bench:
    """The private Ansible environment and the runs of the cases."""

    def __init__(self):
        self.bin = os.path.dirname(sys.executable)
        shutil.rmtree(WORK_DIR, ignore_errors=True)
        home = os.path.join(WORK_DIR, 'home')
        ansible_home = os.path.join(home, '.ansible')
        os.makedirs(os.path.join(ansible_home, 'tmp'))
        collection = os.path.join(WORK_DIR, 'collections', 'ansible_collections', 'fastcron')
        os.makedirs(collection)
        os.symlink(REPO_ROOT, os.path.join(collection, 'cloud'))
        config = os.path.join(WORK_DIR, 'ansible.cfg')
        with open(config, 'w', encoding='utf-8') as handle:
            handle.write('# Written by scripts/benchmark.py: Ansible defaults.\n[defaults]\n')
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(('ANSIBLE_', 'FASTCRON_', 'MOLECULE_'))
        }
        env.update(
            HOME=home,
            ANSIBLE_HOME=ansible_home,
            ANSIBLE_CONFIG=config,
            ANSIBLE_LOCAL_TEMP=os.path.join(ansible_home, 'tmp'),
            ANSIBLE_REMOTE_TEMP=os.path.join(ansible_home, 'tmp'),
            ANSIBLE_COLLECTIONS_PATH=os.path.join(WORK_DIR, 'collections'),
            ANSIBLE_PYTHON_INTERPRETER=sys.executable,
            ANSIBLE_NOCOLOR='1',
            ANSIBLE_RETRY_FILES_ENABLED='0',
            ANSIBLE_HOST_KEY_CHECKING='0',
            XDG_CACHE_HOME=os.path.join(home, '.cache'),
            PATH=self.bin + os.pathsep + os.environ.get('PATH', ''),
        )
        self.env = env

    def run_case(self, case):
        directory = os.path.join(WORK_DIR, case.name)
        os.makedirs(directory)
        playbook = os.path.join(directory, 'playbook.yml')
        with open(playbook, 'w', encoding='utf-8') as handle:
            handle.write(PLAYBOOKS[case.playbook])
        inventory = os.path.join(directory, 'inventory.yml' if case.kind in FLEET_KINDS else 'inventory.ini')
        with open(inventory, 'w', encoding='utf-8') as handle:
            if case.kind in FLEET_KINDS:
                handle.write(fleet_inventory(case.n))
            elif case.kind == 'forks':
                handle.write('[bench]\n')
                for cron in wanted_crons(case.n, 'create'):
                    handle.write(
                        'host-%s ansible_connection=local cron_name=%s cron_url=%s\n'
                        % (cron['name'][len('bench-') :], cron['name'], cron['url'])
                    )
            else:
                handle.write('localhost ansible_connection=local\n')
        simulator = Simulator(directory)
        proxy = LatencyProxy(simulator.port, PROXY_DELAY) if case.proxied else None
        try:
            api_url = 'http://127.0.0.1:%d/api/v1' % proxy.port if proxy else simulator.url
            rows = []
            for phase in case.phases:
                runs = [self.run_phase(case, phase, simulator, api_url, playbook, inventory, 1)]
                # A short phase is mostly the start-up of ansible-playbook, which the shared machine
                # makes noisy: run it again from the same state and keep the median.
                while runs[0]['requests'] <= REPEAT_UP_TO and len(runs) < REPEATS:
                    simulator.restore(case, phase)
                    runs.append(self.run_phase(case, phase, simulator, api_url, playbook, inventory, len(runs) + 1))
                rows.append(median_run(runs))
            return rows
        finally:
            if proxy:
                proxy.close()
            simulator.stop()

    def run_phase(self, case, phase, simulator, api_url, playbook, inventory, run):  # pylint: disable=too-many-arguments,too-many-locals
        directory = os.path.dirname(playbook)
        crons = case.crons(phase)
        suffix = '' if run == 1 else '-%d' % run
        if case.playbook == 'controllers':
            # Each controller its own cronjobs, variables, log, and temporary and state folders.
            jobs = []
            for number in range(CONTROLLERS):
                own = crons[number * case.n : (number + 1) * case.n]
                jobs.append(
                    self.job(
                        case,
                        phase,
                        api_url,
                        playbook,
                        inventory,
                        own,
                        directory,
                        'c%d-%s%s' % (number + 1, phase, suffix),
                        controller=number + 1,
                    )
                )
        else:
            jobs = [self.job(case, phase, api_url, playbook, inventory, crons, directory, phase + suffix)]
        before = simulator.requests()
        since = before[-1]['seq'] if before else 0
        load = os.getloadavg()[0]
        start = time.monotonic()
        processes = []
        for command, env, log in jobs:
            output = open(log, 'w', encoding='utf-8')  # noqa: SIM115  # pylint: disable=consider-using-with
            processes.append(
                (subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=directory), output)
            )
        returncode = 0
        for process, output in processes:
            returncode = max(returncode, process.wait())
            output.close()
        wall = time.monotonic() - start
        entries = simulator.requests(since)
        recap, failed_items = [], 0
        for _dummy, _dummy, log in jobs:
            with open(log, encoding='utf-8') as output:
                text = output.read()
            recap += RECAP_LINE.findall(text)
            failed_items += len(FAILED_ITEM.findall(text))
        accepted = [entry for entry in entries if entry['http_status'] != 503]
        row = dict(
            case=case.name,
            kind=case.kind,
            n=case.n,
            count=case.count,
            phase=phase,
            wall=wall,
            load=load,
            log=os.path.relpath(jobs[0][2], REPO_ROOT),
            requests=len(accepted),
            refused=len(entries) - len(accepted),
            writes=sum(1 for entry in accepted if entry['write']),
            mix=collections.Counter(entry['function'] for entry in accepted),
            span=entries[-1]['time'] - entries[0]['time'] if entries else 0.0,
            failed=sum(int(item[4]) + int(item[3]) for item in recap),
            changed=sum(int(item[2]) for item in recap),
            failed_items=failed_items,
            jobs=len(jobs),
        )
        row['problems'] = self.check(
            row, returncode, recap, simulator, crons, simulator.group_id if case.in_group else None
        )
        return row

    def job(self, case, phase, api_url, playbook, inventory, crons, directory, name, controller=None):  # pylint: disable=too-many-arguments
        """(command, environment, log) of one ansible-playbook run."""
        variables = os.path.join(directory, '%s.json' % name)
        with open(variables, 'w', encoding='utf-8') as handle:
            json.dump(
                dict(api_url=api_url, api_token=TOKEN, group=GROUP, crons=crons, expression=EXPRESSIONS[phase]), handle
            )
        command = [os.path.join(self.bin, 'ansible-playbook'), '-i', inventory, playbook, '-e', '@' + variables]
        if case.kind == 'forks':
            command += ['-f', str(case.n)]
        env = self.env
        if controller is not None:
            # Short paths: ansible-core keeps a socket in the temporary folder.
            temp = os.path.join('/tmp', 'fastcron-bench-c%d' % controller)
            shutil.rmtree(temp, ignore_errors=True)
            os.makedirs(os.path.join(temp, 'ansible'))
            state = (
                os.path.join(WORK_DIR, case.name, 'state')
                if case.kind == 'controllers-shared'
                else os.path.join(temp, 'state')
            )
            env = dict(
                self.env,
                FASTCRON_API_TOKEN=TOKEN,
                TMPDIR=temp,
                FASTCRON_STATE_DIR=state,
                ANSIBLE_LOCAL_TEMP=os.path.join(temp, 'ansible'),
            )
        return command, env, os.path.join(directory, '%s.log' % name)

    @staticmethod
    def check(row, returncode, recap, simulator, crons, group):  # pylint: disable=too-many-arguments
        """What went wrong in a phase, beyond its speed: a failure, a wrong end state, a write in a no-op."""
        problems = []
        if returncode != 0 or not recap or row['failed']:
            with open(os.path.join(REPO_ROOT, row['log']), encoding='utf-8') as output:
                error = next((line.strip() for line in output if line.startswith(('[ERROR]', 'ERROR', 'fatal:'))), '')
            problems.append(
                'ansible-playbook exited with %d, %d failed tasks (see %s)%s'
                % (returncode, row['failed'], row['log'], ': %s' % error[:300] if error else '')
            )
        listed = simulator.admin('GET', '/state')['crons']
        state = {cron['name']: cron for cron in listed}
        row['duplicates'] = len(listed) - len(state)
        if row['duplicates']:
            problems.append('%d cronjobs were made twice' % row['duplicates'])
        wrong = [
            cron['name']
            for cron in crons
            if not (
                cron['name'] in state
                and state[cron['name']]['url'] == cron['url']
                and state[cron['name']]['expression'] == cron['expression']
                and state[cron['name']]['group'] == group
            )
        ]
        if wrong or len(state) != len(crons):
            problems.append(
                'the account holds %d cronjobs, %d of the %d wanted are missing or differ'
                % (len(state), len(wrong), len(crons))
            )
        if row['phase'] == 'no-op' and (row['writes'] or row['changed']):
            problems.append('the no-op made %d writes and reported %d changes' % (row['writes'], row['changed']))
        return problems


def median_run(runs):
    """One row for the runs of a phase: the run of median wall time, with the refused requests and problems of all."""
    row = dict(sorted(runs, key=lambda run: run['wall'])[len(runs) // 2])
    row.update(
        runs=len(runs),
        walls=[run['wall'] for run in runs],
        refused=sum(run['refused'] for run in runs),
        counts=sorted({run['requests'] for run in runs}),
    )
    row['problems'] = [problem for run in runs for problem in run['problems']]
    if len(row['counts']) > 1:
        row['problems'].append('the runs made different numbers of requests: %s' % ', '.join(map(str, row['counts'])))
    return row


def floor_seconds(row):
    """The least time the API allows for the requests of a row: one a second."""
    return row['requests'] * RATE_LIMIT


def ratio(row):
    floor = floor_seconds(row)
    return row['wall'] / floor if floor else float('inf')


def targets(rows):
    """Each target, for each row it concerns: (target, row, value, limit, met)."""
    results = []
    by_key = {(row['case'], row['phase']): row for row in rows}
    for row in rows:
        n, kind, phase = row['n'], row['kind'], row['phase']
        if kind == 'batch':
            pages = math.ceil(n / 1000.0)
            limit = {'create': pages + 2, 'no-op': pages + 1, 'change': n + 2}[phase]
            formula = {'create': 'ceil(N/1000) + 2', 'no-op': 'ceil(N/1000) + 1', 'change': 'm + 2'}[phase]
            results.append(
                ('fastcron_cron_batch requests <= %s' % formula, row, row['requests'], limit, row['requests'] <= limit)
            )
        case = Case(kind, n)
        baseline = by_key.get((case.baseline, phase)) if case.baseline else None
        if case.baseline and baseline is None:
            results.append(('requests and wall time <= the uri baseline', row, None, None, None))
        elif baseline is not None:
            results.append(
                (
                    'requests <= the uri baseline (%s)' % baseline['case'],
                    row,
                    row['requests'],
                    baseline['requests'],
                    row['requests'] <= baseline['requests'],
                )
            )
            results.append(
                (
                    'wall time <= the uri baseline (%s)' % baseline['case'],
                    row,
                    round(row['wall'], 1),
                    round(baseline['wall'], 1),
                    row['wall'] <= baseline['wall'],
                )
            )
        if kind == 'fleet':
            limit = {'create': 3, 'no-op': 2, 'change': row['count'] + 2}[phase]
            formula = {'create': '3', 'no-op': '2', 'change': 'm + 2'}[phase]
            results.append(
                (
                    'fleet role requests <= %s, whatever N' % formula,
                    row,
                    row['requests'],
                    limit,
                    row['requests'] <= limit,
                )
            )
        if kind == 'cron':
            results.append(
                ('looped fastcron_cron: wall time <= 1.2 x floor', row, round(ratio(row), 2), 1.2, ratio(row) <= 1.2)
            )
        if kind in ('forks', 'latency-cron'):
            results.append(('0 refused requests', row, row['refused'], 0, row['refused'] == 0))
        if kind.startswith('controllers'):
            results.append(('0 failed items', row, row['failed_items'], 0, row['failed_items'] == 0))
            results.append(('0 duplicates', row, row['duplicates'], 0, row['duplicates'] == 0))
            results.append(('controllers: wall time <= 1.5 x floor', row, round(ratio(row), 2), 1.5, ratio(row) <= 1.5))
        if kind in ('uri', 'latency-uri'):
            results.append(('baseline earns no 503 (a fair baseline)', row, row['refused'], 0, row['refused'] == 0))
    return results


def machine(load_before, load_after, started, seconds):
    model = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as handle:
            found = re.search(r'^model name\s*:\s*(.+)$', handle.read(), re.MULTILINE)
            model = found.group(1).strip() if found else model
    except OSError:
        pass
    version = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '--version'],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    commit = subprocess.run(
        ['git', '-C', REPO_ROOT, 'describe', '--always', '--dirty'], capture_output=True, text=True, check=False
    )
    return collections.OrderedDict(
        (
            ('date', started.strftime('%Y-%m-%d %H:%M UTC')),
            ('CPU', '%s, %d cores' % (model, os.cpu_count() or 0)),
            ('load average (1, 5, 15 min) before', ', '.join('%.2f' % value for value in load_before)),
            ('load average (1, 5, 15 min) after', ', '.join('%.2f' % value for value in load_after)),
            ('system', '%s %s' % (platform.system(), platform.release())),
            ('Python', '%s (%s)' % (platform.python_version(), sys.executable)),
            ('ansible-core', version[0].strip() if version else 'unknown'),
            ('collection tree', commit.stdout.strip() or 'unknown'),
            ('total benchmark time', '%.0f s (%.1f min)' % (seconds, seconds / 60.0)),
        )
    )


def mix_text(mix):
    return ', '.join(
        '%s %d' % (function, count) for function, count in sorted(mix.items(), key=lambda item: (-item[1], item[0]))
    )


def result_table(rows):
    lines = [
        '| workload | N | phase | requests | refused (503) | wall s | floor s | ratio |',
        '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ]
    for row in rows:
        lines.append(
            '| %s | %d | %s | %d | %d | %.1f | %.0f | %.2f |'
            % (
                row['kind'],
                row['n'],
                row['phase'],
                row['requests'],
                row['refused'],
                row['wall'],
                floor_seconds(row),
                ratio(row),
            )
        )
    return lines


def controllers_table(rows):
    lines = [
        '| workload | controllers x N | phase | failed items | duplicates | refused (503) | requests | wall s '
        '| floor s | ratio |',
        '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ]
    for row in rows:
        if row['kind'].startswith('controllers'):
            lines.append(
                '| %s | %d x %d | %s | %d | %d | %d | %d | %.1f | %.0f | %.2f |'
                % (
                    row['kind'],
                    CONTROLLERS,
                    row['n'],
                    row['phase'],
                    row['failed_items'],
                    row['duplicates'],
                    row['refused'],
                    row['requests'],
                    row['wall'],
                    floor_seconds(row),
                    ratio(row),
                )
            )
    return lines


def detail_table(rows):
    lines = [
        '| workload | N | phase | requests per cronjob | requests by function | first to last request s '
        '| wall s of each run | load (1 min) at start |',
        '| --- | ---: | --- | ---: | --- | ---: | --- | ---: |',
    ]
    for row in rows:
        lines.append(
            '| %s | %d | %s | %.2f | %s | %.1f | %s | %.2f |'
            % (
                row['kind'],
                row['n'],
                row['phase'],
                row['requests'] / float(row['count']),
                mix_text(row['mix']),
                row['span'],
                ', '.join('%.1f' % wall for wall in row['walls']),
                row['load'],
            )
        )
    return lines


def target_table(results):
    lines = ['| target | workload | phase | value | limit | |', '| --- | --- | --- | ---: | ---: | --- |']
    for target, row, value, limit, met in results:
        verdict = 'not run' if met is None else 'met' if met else '**missed**'
        if row['problems']:
            verdict = 'invalid: the phase went wrong (see Problems)'
        lines.append(
            '| %s | %s | %s | %s | %s | %s |'
            % (
                target,
                row['case'],
                row['phase'],
                '-' if value is None else value,
                '-' if limit is None else limit,
                verdict,
            )
        )
    return lines


def report(rows, results, info, argv, quick):
    valid = [result for result in results if not result[1]['problems']]
    met = sum(1 for result in valid if result[4])
    missed = [result for result in valid if result[4] is False]
    problems = [(row, problem) for row in rows for problem in row['problems']]
    run = ' '.join([COMMAND, *argv])
    lines = [
        '# Benchmark',
        '',
        '`%s` measures how many API requests fastcron.cloud spends and how long it takes,' % COMMAND,
        'against the local FastCron API simulator at its real rate limit (one request a second per',
        'account; a request sooner than a second after the last accepted one gets HTTP 503), next to the',
        'same work written as plain `ansible.builtin.uri` tasks. It is not part of the test suite: at one',
        'request a second the whole set takes about 40 minutes.',
        '',
        '## Running it',
        '',
        '    %s [--quick] [--no-baselines] [--output PATH] [--list] [WORKLOAD...]' % COMMAND,
        '',
        '- Without a workload it runs all of them at full size and writes this file, `docs/benchmark.md`.',
        '  A subset or `--quick` writes `build/benchmark/benchmark.md` instead (or `--output PATH`).',
        '- A workload is a family (`uri`, `cron`, `batch`, `forks`, `latency`, `controllers`, `fleet`: every size',
        '  of it) or one size of one kind, `KIND-N` with any N: `cron-20`, `batch-5000`, `latency-cron-20`, `uri-7`.',
        '  `--list` prints them.',
        '- The baseline of each selected workload (`uri-N`, or `latency-uri-N` behind the proxy) runs too,',
        '  unless `--no-baselines`: its targets compare with it.',
        '- `--quick` runs each family at small sizes (3 cronjobs, 200 for the large ones) to try the',
        '  machinery in a few minutes.',
        '- It uses the development virtual environment (`.venv`, made by `scripts/bootstrap.sh`, which',
        '  the script runs when `.venv` is missing). Ansible runs with a HOME, configuration and',
        '  collection path of its own under `build/benchmark/`, where each workload leaves its playbook,',
        '  variables, the `ansible-playbook` output of each phase and the simulator log.',
        '',
        '## What it does',
        '',
        'Each workload runs against a fresh simulator (`tests/simulator/fastcron_simulator.py --rate-limit 1`)',
        'holding one group, `%s`. Its N cronjobs, `bench-0001`..., each with its own URL, belong to that' % GROUP,
        'group. Each phase is one `ansible-playbook` run:',
        '',
        '- **create**: none of the cronjobs exists; every one is created with expression `%s`;' % EXPRESSIONS['create'],
        '- **no-op**: the same again: nothing may be written and nothing reported changed;',
        '- **change**: one field (the expression, to `%s`) changes on every cronjob. Workloads over %d'
        % (EXPRESSIONS['change'], CHANGE_LIMIT),
        '  cronjobs run create and no-op only.',
        '',
        'The workloads:',
        '',
    ]
    lines += ['- `%s-N`: %s%s' % (kind, DESCRIPTIONS[kind], '.' if kind == KINDS[-1] else ';') for kind in KINDS]
    lines += [
        '',
        'In `hostloop-N` and `fleet-N`, N counts hosts: each declares %d URLs in the inventory' % len(FLEET_URLS),
        '(`fleet_cronjobs`), %d cronjobs a host named `<host> <URL>` (`host-001 cron.php`, ...).' % len(FLEET_URLS),
        '',
        'The baseline is what a careful user writes without the collection: `group_list` and `group_items`',
        'once, then one `cron_batch_add` for the missing cronjobs and one `cron_edit` for each that differs,',
        'with a one-second `pause` before every request (`loop_control.pause` between edits) and',
        '`until` retries on a 503 as a safety net.',
        '',
        'After each phase the account is checked (every cronjob there with its URL, expression and group,',
        'nothing more), and so are the `PLAY RECAP` (no failed task; no change in a no-op) and the request',
        'log (no write in a no-op).',
        '',
        '## How it is measured',
        '',
        '- **requests**: API requests the simulator accepted in the phase, from its `/_admin/requests` log;',
        '  **refused**: those it answered with HTTP 503.',
        '- **wall s**: the whole `ansible-playbook` run, start-up included (a few seconds on this machine).',
        '  A phase of %d requests or fewer is mostly that start-up, which a shared machine makes noisy: it'
        % REPEAT_UP_TO,
        '  runs %d times, each from the same state (the account restored through `/_admin`), and the tables' % REPEATS,
        '  show the run of median wall time; refused requests are counted over every run.',
        '- **floor s**: the least time the API allows for that many requests, one a second: requests x 1 s.',
        '- **ratio**: wall / floor. Phases of two or three requests are dominated by the start-up of',
        '  `ansible-playbook`; the ratio matters for the long phases.',
        '- The machine is shared (two cores, other work running), so wall times, and their ratios, are',
        '  comparable only within one run: the load average is recorded before and after the run and at',
        '  the start of each phase.',
        '',
        '## Targets',
        '',
        '- `fastcron_cron_batch`: a no-op in ceil(N/1000) + 1 requests, a create of N in ceil(N/1000) + 2,',
        '  a change of one field on m cronjobs in m + 2.',
        '- Every workload of the collection sends no more requests than its baseline (`uri-N`, or',
        '  `latency-uri-N`; `forks-N` too is held against `uri-N`, the same cronjobs written as a user',
        '  would without the collection) and is not slower in wall time, phase by phase.',
        '- The role `fastcron.cloud.fleet` (`fleet-N`): a no-op in 2 requests and a create in 3, whatever',
        '  the number of hosts; a change of one field on m cronjobs in m + 2.',
        '- A looped `fastcron_cron` (`cron-N`) takes at most 1.2 x the floor on a quiet machine.',
        '  Behind the proxy each request costs 0.1 s more (0.2 s on a new connection, and every',
        '  task opens one), so `latency-cron-N` is held to no refused request, as is `forks-N`.',
        '- The baselines themselves earn no 503: a baseline that hammers the API is no fair comparison.',
        '- `controllers-N` (%d controllers, N cronjobs each, no shared rate gate): 0 failed items, 0' % CONTROLLERS,
        '  duplicates, and a wall time of at most 1.5 x the floor of the accepted requests.',
        '- A looped single-cronjob task (`cron-N`, `forks-N`, `latency-cron-N`) cannot meet its baseline:',
        '  each task is a module run of its own that must look its cronjob up (a keyword search, and a',
        '  `group_lookup` for a group given by name; a create also confirms with a listing, and searches',
        '  once more after it), while the baseline reads the account once. Those rows show what a loop',
        '  costs; converging many cronjobs is what `fastcron_cron_batch` (and the role',
        '  `fastcron.cloud.account`) is for, and it meets every target.',
        '',
        '## Last run',
        '',
        '    %s' % run,
        '',
    ]
    lines += ['- %s: %s' % (key, value) for key, value in info.items()]
    if quick:
        lines += ['- **quick mode**: small sizes, not the sizes the targets are set for.']
    lines += ['', '### Results', '', *result_table(rows)]
    summary = '%d met, %d missed' % (met, len(missed))
    if len(valid) < len(results):
        summary += ', %d invalid (a phase went wrong)' % (len(results) - len(valid))
    lines += [
        '',
        '### Targets',
        '',
        summary + '. Where a workload misses its baseline, the request pattern below',
        'shows where its requests go.',
        '',
        *target_table(results),
    ]
    if any(row['kind'].startswith('controllers') for row in rows):
        lines += [
            '',
            '### Several controllers',
            '',
            'Controllers that share no state folder (AWX execution nodes, CI runners, laptops) each keep their',
            'own pace; the service refuses what comes too soon, and the refused requests are waited out (they',
            'use up no retry) while each controller slows its pace. A failed item or a duplicate is a defect;',
            'the wall time is held to 1.5 x the floor of the accepted requests.',
            '',
            *controllers_table(rows),
        ]
    lines += ['', '### Request pattern', '', *detail_table(rows)]
    if problems:
        lines += ['', '### Problems', '']
        lines += ['- %s %s: %s' % (row['case'], row['phase'], problem) for row, problem in problems]
    return '\n'.join(lines) + '\n'


# --masking: the module's own CPU time on a no-op batch whose entries carry secrets.
MASKING_SIZES = (2000, 10000)
# Growing N five times may cost at most this much more CPU: masking is linear, not quadratic.
MASKING_GROWTH_LIMIT = 5.5
# Each size runs this many times, from the same state; the least CPU counts (the machine is shared).
MASKING_REPEATS = 5


def secret_crons(n):
    """N cronjobs as batch entries, each with a password and an Authorization header of its own."""
    return [
        dict(
            name='secret-%05d' % number,
            url='https://example.com/secret/%d' % number,
            expression='*/15 * * * *',
            password='pw-%05d-not-for-logs' % number,
            http_headers={'Authorization': 'Bearer tok-%05d-not-for-logs' % number},
        )
        for number in range(1, n + 1)
    ]


def run_module_in_process(module, args):
    """Run ``module``'s main() here with ``args``; (CPU seconds, seconds in remove_values, its printed result)."""
    import contextlib  # pylint: disable=import-outside-toplevel
    import io  # pylint: disable=import-outside-toplevel

    from ansible.module_utils import basic  # pylint: disable=import-outside-toplevel

    try:
        from ansible.module_utils.testing import patch_module_args  # pylint: disable=import-outside-toplevel
    except ImportError:  # ansible-core < 2.19 reads the arguments from basic._ANSIBLE_ARGS

        @contextlib.contextmanager
        def patch_module_args(values):
            basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': values}).encode('utf-8')  # pylint: disable=protected-access
            yield

    spent = [0.0]
    remove_values = basic.remove_values

    def timed_remove_values(value, no_log_strings, *rest):
        start = time.process_time()
        try:
            return remove_values(value, no_log_strings, *rest)
        finally:
            spent[0] += time.process_time() - start

    basic.remove_values = timed_remove_values
    output = io.StringIO()
    start = time.process_time()
    try:
        with patch_module_args(args), contextlib.redirect_stdout(output), contextlib.suppress(SystemExit):
            module.main()
    finally:
        basic.remove_values = remove_values
    return time.process_time() - start, spent[0], output.getvalue()


def masking_rows(sizes):
    """The CPU of a no-op fastcron_cron_batch of each size, its entries carrying secrets.

    The sizes take turns, run after run, so that each meets the same load of a shared machine.
    """
    Bench()  # the collection path under build/benchmark
    sys.path.insert(0, os.path.join(WORK_DIR, 'collections'))
    from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron_batch  # pylint: disable=import-outside-toplevel

    simulators, arguments, runs = {}, {}, {n: [] for n in sizes}
    try:
        for n in sizes:
            directory = os.path.join(WORK_DIR, 'masking-%d' % n)
            os.makedirs(directory, exist_ok=True)
            simulators[n] = Simulator(directory, rate_limit=0)
            crons = secret_crons(n)
            seeded = [
                dict(
                    name=cron['name'],
                    url=cron['url'],
                    expression=cron['expression'],
                    password=cron['password'],
                    httpHeaders='Authorization: %s' % cron['http_headers']['Authorization'],
                )
                for cron in crons
            ]
            simulators[n].admin('POST', '/seed', {'crons': seeded})
            arguments[n] = dict(api_url=simulators[n].url, api_token=TOKEN, crons=crons, _ansible_diff=True)
        for _dummy in range(MASKING_REPEATS):
            for n in sizes:
                runs[n].append(run_module_in_process(fastcron_cron_batch, arguments[n]))
    finally:
        for simulator in simulators.values():
            simulator.stop()
    rows = []
    for n in sizes:
        cpu, in_remove_values, printed = min(runs[n])
        result = json.loads(printed[printed.index('{') :])
        problems = []
        if result.get('failed') or result.get('changed'):
            problems.append('not a no-op: %s' % (result.get('msg') or 'changed'))
        if 'not-for-logs' in printed:
            problems.append('a secret is in the result')
        rows.append(
            dict(n=n, cpu=cpu, remove_values=in_remove_values, problems=problems, runs=[run[0] for run in runs[n]])
        )
        print(
            '    %6d entries: module CPU %.2f s (runs: %s), of which remove_values %.2f s%s'
            % (
                n,
                cpu,
                ', '.join('%.2f' % run[0] for run in runs[n]),
                in_remove_values,
                ''.join('; PROBLEM: %s' % problem for problem in problems),
            ),
            flush=True,
        )
    return rows


def masking_report(rows):
    lines = ['| entries | module CPU s | in remove_values s | share |', '| ---: | ---: | ---: | ---: |']
    for row in rows:
        share = 100.0 * row['remove_values'] / row['cpu'] if row['cpu'] else 0
        lines.append('| %d | %.2f | %.2f | %.0f %% |' % (row['n'], row['cpu'], row['remove_values'], share))
    for small, large in zip(rows, rows[1:]):
        growth = large['cpu'] / small['cpu'] if small['cpu'] else float('inf')
        limit = MASKING_GROWTH_LIMIT * large['n'] / (5.0 * small['n'])
        lines.append('')
        lines.append(
            '%d -> %d entries: CPU x %.2f (limit %.2f): %s'
            % (small['n'], large['n'], growth, limit, 'met' if growth <= limit else 'MISSED')
        )
    return '\n'.join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('workloads', nargs='*', metavar='WORKLOAD', help='family (%s) or KIND-N' % ', '.join(FAMILIES))
    parser.add_argument('--quick', action='store_true', help='small sizes, to try it')
    parser.add_argument('--no-baselines', dest='baselines', action='store_false', help='do not add the uri baselines')
    parser.add_argument('--output', help='where to write the report')
    parser.add_argument('--list', action='store_true', help='print the workloads and exit')
    parser.add_argument(
        '--masking',
        action='store_true',
        help='module CPU of a no-op batch whose entries carry secrets; WORKLOADs are then sizes',
    )
    args = parser.parse_args(argv)
    if args.masking:
        rows = masking_rows([int(size) for size in args.workloads] or MASKING_SIZES)
        print()
        print(masking_report(rows))
        return 1 if any(row['problems'] for row in rows) else 0
    cases = select_cases(args.workloads, args.quick, args.baselines)
    if args.list:
        for case in cases:
            print('%-18s %s (%s)' % (case.name, DESCRIPTIONS[case.kind], ', '.join(case.phases)))
        return 0
    full = not args.workloads and not args.quick and args.baselines
    output = args.output or (DOCS_REPORT if full else os.path.join(WORK_DIR, 'benchmark.md'))

    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()
    clock = time.monotonic()
    bench = Bench()
    rows = []
    for case in cases:
        print('--- %s: %s' % (case.name, DESCRIPTIONS[case.kind]), flush=True)
        for row in bench.run_case(case):
            rows.append(row)
            print(
                '    %-7s %5d requests, %d refused, %7.1f s, ratio %.2f%s'
                % (
                    row['phase'],
                    row['requests'],
                    row['refused'],
                    row['wall'],
                    ratio(row),
                    ''.join('; PROBLEM: %s' % problem for problem in row['problems']),
                ),
                flush=True,
            )
    seconds = time.monotonic() - clock
    info = machine(load_before, os.getloadavg(), started, seconds)
    results = targets(rows)
    text = report(rows, results, info, argv, args.quick)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    with open(output, 'w', encoding='utf-8') as handle:
        handle.write(text)
    print()
    print('\n'.join(result_table(rows)))
    print()
    print('\n'.join(target_table(results)))
    print('\nreport: %s; total %.0f s' % (os.path.relpath(output), seconds))
    return 1 if any(row['problems'] for row in rows) else 0


if __name__ == '__main__':
    sys.exit(main())
