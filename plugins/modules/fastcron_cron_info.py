#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: fastcron_cron_info
short_description: List FastCron cronjobs
version_added: 0.1.0
description:
  - Lists the cronjobs of a FastCron account, every page of the listing followed.
  - The filters combine; a cronjob must match all that are set.
author:
  - fastcron.cloud maintainers (@fastcron-ansible)
options:
  id:
    description:
      - Only the cronjob with this ID. No match gives an empty list.
    type: int
  name:
    description:
      - Only the cronjobs with exactly this name. Several cronjobs may share a name.
    type: str
  keyword:
    description:
      - Only the cronjobs whose name, ID or URL contains this text, as the FastCron search matches it.
    type: str
  group:
    description:
      - Only the cronjobs of this group, given by name or numeric ID.
      - A value made only of digits is taken as an ID. An unknown group name fails the task,
        except in check mode, where it gives an empty list and a warning (an earlier task may create the group).
    type: str
  logs:
    version_added: 0.2.0
    description:
      - Add to each cronjob its execution results (C(cron_logs)) as RV(crons[].logs).
      - Costs one request for each selected cronjob, at most one request per second; narrow the
        list with the filters first.
    type: bool
    default: false
  failures:
    version_added: 0.2.0
    description:
      - Add to each cronjob its failed execution results (C(cron_failures)) as RV(crons[].failures).
      - Costs one request for each selected cronjob, at most one request per second.
    type: bool
    default: false
  log_keyword:
    version_added: 0.2.0
    description:
      - Only the execution results whose output contains this text, as the FastCron search matches
        it (the C(keyword) of C(cron_logs) and C(cron_failures)).
      - Needs O(logs=true) or O(failures=true).
    type: str
  next_runs:
    version_added: 0.2.0
    description:
      - Add to each cronjob its next run times, up to 100 (C(cron_next)), as RV(crons[].next_runs).
      - Costs one request for each selected cronjob, at most one request per second.
    type: bool
    default: false
  as_params:
    version_added: 0.2.0
    description:
      - Return each cronjob as options of M(fastcron.cloud.fastcron_cron) instead of as the API
        object, to adopt cronjobs made elsewhere. The list can go as it is into
        O(fastcron.cloud.fastcron_cron_batch#module:crons), into the C(account_cronjobs) of the
        role C(fastcron.cloud.account), or into a vars file (see the examples); unchanged, it
        changes nothing.
      - Each cronjob holds the settable fields that the service returned, with the option names
        (V(http_method), V(post_data), V(http_headers) as a dict, ...), without null values and
        never with a password (the API does not return it, and C(update_password=on_create)
        keeps the one set).
      - C(group) is the group's name, V("") for no group, or the group's ID as a string when
        its name is shared with another group, blank, or made of digits. Costs one request
        (C(group_list)) when a cronjob is in a group.
      - C(enabled) is given only for status V(0) (true) and V(1) (false). An expired, inactive,
        failed or paused cronjob gets none, since the service would not make it active again.
      - C(name) identifies a cronjob. A cronjob whose name is blank, or shared with another
        cronjob of the list, also gets C(id) (a blank name is left out).
      - Cannot be combined with O(logs), O(failures) or O(next_runs).
    type: bool
    default: false
extends_documentation_fragment: [fastcron.cloud.fastcron, fastcron.cloud.attributes.info]
seealso:
  - module: fastcron.cloud.fastcron_cron
  - module: fastcron.cloud.fastcron_cron_batch
  - module: fastcron.cloud.fastcron_group_info
notes:
  - The listing returns up to 1000 cronjobs a page and every page costs one request,
    at most one request per second. O(id) costs one request; O(group) costs two, the group's
    look-up and its cronjobs (with O(as_params=true), the look-up is the C(group_list) that
    names the groups).
  - The listing is read page by page while the pages hold 1000 cronjobs (the page size this
    collection reads from the API reference). It ends on a shorter or empty page, or on one that
    brings no cronjob not read yet (a service that answers the last page again past the end), and
    a cronjob that comes twice (a listing that shifts between two reads) is kept once. Past 1000
    full pages (a million cronjobs) the task fails naming C(cron_list) rather than read on.
    C(group_items) is read the same way, in case the service pages it.
  - O(logs), O(failures) and O(next_runs) each cost one more request for every cronjob
    selected; 60 cronjobs with all three take at least three minutes.
    These reads are sent again when an answer is lost.
  - The API never returns passwords.
  - The result holds what the account holds, as the service returns it, credentials included
    (the API never returns passwords) - the URLs, C(http_headers) and C(post_data) of the cronjobs
    are not masked, unlike in the results of the modules that change cronjobs. Set C(no_log)
    to true on the task when the cronjobs carry credentials, and keep a vars file made from its
    result in a vault.
'''

EXAMPLES = r'''
- name: List every cronjob of the account
  fastcron.cloud.fastcron_cron_info:
  register: all_crons

- name: List the cronjobs of an account whose cronjobs carry credentials, without showing them
  fastcron.cloud.fastcron_cron_info:
  register: secret_crons
  no_log: true

- name: The cronjobs of the backups group that call the storage host
  fastcron.cloud.fastcron_cron_info:
    group: backups
    keyword: storage.example.com
  register: storage_backups

- name: Names of the disabled cronjobs
  ansible.builtin.debug:
    msg: "{{ all_crons.crons | rejectattr('status', 'equalto', 0) | map(attribute='name') | list }}"

- name: The failed runs of one cronjob that timed out, and when it runs next (two more requests)
  fastcron.cloud.fastcron_cron_info:
    name: nightly-backup
    failures: true
    log_keyword: timeout
    next_runs: true
  register: backup

- name: Show them
  ansible.builtin.debug:
    msg:
      - "{{ backup.crons[0].failures | map(attribute='time_iso') | list }}"
      - "{{ backup.crons[0].next_runs[0].iso }}"

# Adopt an account whose cronjobs were made by hand: export them once as options...
- name: Export the groups as fastcron_group options
  fastcron.cloud.fastcron_group_info:
    as_params: true
  register: exported_groups

- name: Export the cronjobs as fastcron_cron options
  fastcron.cloud.fastcron_cron_info:
    as_params: true
  register: exported_crons

- name: The vars folder beside the playbook exists
  ansible.builtin.file:
    path: "{{ playbook_dir }}/vars"
    state: directory
    mode: "0700"
  delegate_to: localhost

- name: Write them to a vars file for the role fastcron.cloud.account
  ansible.builtin.copy:
    content: "{{ {'account_groups': exported_groups.groups, 'account_cronjobs': exported_crons.crons}
      | to_nice_yaml(indent=2) }}"
    dest: "{{ playbook_dir }}/vars/fastcron_account.yml"
    mode: "0600"
  delegate_to: localhost

# ... then manage them from that file; unchanged, it changes nothing. A playbook of its own
# names it in vars_files (vars/fastcron_account.yml) instead of reading it here.
- name: Read the vars file
  ansible.builtin.include_vars:
    file: "{{ playbook_dir }}/vars/fastcron_account.yml"

- name: Converge the cronjobs from the vars file
  fastcron.cloud.fastcron_cron_batch:
    crons: "{{ account_cronjobs }}"
'''

RETURN = r'''
crons:
  description:
    - The matching cronjobs as the API returns them, each with C(status_name) and C(enabled) added, their
      keys named as the options of M(fastcron.cloud.fastcron_cron) are (C(http_method), C(post_data),
      C(http_headers), C(user_agent)), any other key in snake_case (since 0.2.0).
    - See RV(fastcron.cloud.fastcron_cron#module:cron) for the fields.
    - With O(as_params=true), each cronjob as options of M(fastcron.cloud.fastcron_cron) instead.
  returned: always
  type: list
  elements: dict
  sample:
    - {"id": 1042, "name": "nightly-backup", "url": "https://app.example.com/cron/backup", "expression": "0 3 * * *",
       "group": 101, "http_method": "GET", "post_data": "", "status": 0, "status_name": "active", "enabled": true}
  contains:
    logs:
      version_added: 0.2.0
      description:
        - The execution results of the cronjob (C(cron_logs)), in the order of the API.
        - Each holds the fields below, and any other field the service returns, its name in snake_case.
      returned: when O(logs=true)
      type: list
      elements: dict
      contains:
        output:
          description: What the URL answered, as the service keeps it.
          type: str
          sample: OK
        downloaded:
          description: Bytes downloaded.
          type: int
          sample: 2
        http_status:
          description: HTTP status of the answer.
          type: int
          sample: 200
        error:
          description: Why the run failed; empty when it did not.
          type: str
          sample: ""
        time:
          description: When the run was scheduled, as a Unix timestamp.
          type: int
          sample: 1796090400
        time_iso:
          description: The same time in ISO 8601, UTC; V(null) when the service gave no time.
          type: str
          sample: "2026-12-01T02:00:00+00:00"
        execution_time:
          description: Seconds the call took.
          type: float
          sample: 0.42
        status:
          description: V(0) for a success.
          type: int
          sample: 0
      sample:
        - {"output": "OK", "downloaded": 2, "http_status": 200, "error": "", "time": 1796090400,
           "time_iso": "2026-12-01T02:00:00+00:00", "execution_time": 0.42, "status": 0}
    failures:
      version_added: 0.2.0
      description:
        - The failed execution results of the cronjob (C(cron_failures)), with the fields of RV(crons[].logs).
      returned: when O(failures=true)
      type: list
      elements: dict
      sample:
        - {"output": "", "downloaded": 0, "http_status": 504, "error": "Operation timed out", "time": 1796090400,
           "time_iso": "2026-12-01T02:00:00+00:00", "execution_time": 30.0, "status": 1}
    next_runs:
      version_added: 0.2.0
      description: The next times the cronjob runs (C(cron_next)), up to 100.
      returned: when O(next_runs=true)
      type: list
      elements: dict
      contains:
        timestamp:
          description: Unix timestamp.
          type: int
          sample: 1796090400
        iso:
          description: The same time in ISO 8601, UTC.
          type: str
          sample: "2026-12-01T02:00:00+00:00"
'''

from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import FastCronRun
from ansible_collections.fastcron.cloud.plugins.module_utils.info import (
    cron_params,
    execution_result,
    group_references,
    run_time,
)
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON, GROUP

OPT_INS = ('logs', 'failures', 'next_runs')


class CronInfoModule(FastCronRun):
    masked_results = ()  # what the account holds, as it holds it

    def perform(self):
        params = self.module.params
        self.check_options()
        if params['as_params']:
            self.finder.read_whole(GROUP)  # one group_list finds the group filter and names the groups
        group_id = self.finder.reference_id(GROUP, params['group'], 'group') if params['group'] else None
        searched = False
        if isinstance(group_id, str):
            crons = []  # check mode, and the group does not exist yet: it holds nothing
        elif params['id'] is not None:
            cron = self.finder.get(CRON, params['id'])
            crons = [cron] if cron else []
        elif group_id is not None:
            crons = self.finder.in_group(CRON, group_id)
        elif params['keyword']:
            crons, searched = self.finder.matching(CRON, params['keyword']), True
        elif params['name'] is not None:
            crons = self.finder.named(CRON, params['name'], confirm=True)
        else:
            crons = self.finder.matching(CRON)
        crons = [cron for cron in crons if self.matches(cron, group_id, searched)]
        if params['as_params']:
            grouped = any(cron.get('group') not in (None, '', 0, '0') for cron in crons)
            self.exit(crons=cron_params(crons, group_references(self.finder.listing(GROUP)) if grouped else {}))
        self.exit(crons=[self.opt_ins(CRON.public(cron)) for cron in crons])

    def check_options(self):
        params = self.module.params
        if params['log_keyword'] is not None and not (params['logs'] or params['failures']):
            self.fail('log_keyword filters execution results: set logs or failures as well.')
        chosen = [option for option in OPT_INS if params[option]]
        if params['as_params'] and chosen:
            self.fail(
                'as_params returns fastcron_cron options, which hold no %s: leave out as_params or %s.'
                % (' or '.join(chosen), ' and '.join(chosen))
            )

    def opt_ins(self, cron):
        """The cronjob with the execution results and run times asked for, one request each."""
        params = self.module.params
        keyword = {'keyword': params['log_keyword']} if params['log_keyword'] else {}
        for option, function in (('logs', 'cron_logs'), ('failures', 'cron_failures')):
            if params[option]:
                cron[option] = [
                    execution_result(item) for item in self.read(function, dict(id=cron['id'], **keyword)) or []
                ]
        if params['next_runs']:
            cron['next_runs'] = [run_time(timestamp) for timestamp in self.read('cron_next', {'id': cron['id']}) or []]
        return cron

    def matches(self, cron, group_id, searched):
        params = self.module.params
        if params['name'] is not None and cron.get('name') != params['name']:
            return False
        if group_id is not None and cron.get('group') != group_id:
            return False
        keyword = params['keyword']
        if keyword and not searched:
            fields = (str(cron.get(key) or '').lower() for key in ('name', 'id', 'url'))
            if not any(keyword.lower() in field for field in fields):
                return False
        return True


def main():
    CronInfoModule.execute(
        id=dict(type='int'),
        name=dict(type='str'),
        keyword=dict(type='str', no_log=False),
        group=dict(type='str'),
        logs=dict(type='bool', default=False),
        failures=dict(type='bool', default=False),
        log_keyword=dict(type='str', no_log=False),
        next_runs=dict(type='bool', default=False),
        as_params=dict(type='bool', default=False),
    )


if __name__ == '__main__':
    main()
