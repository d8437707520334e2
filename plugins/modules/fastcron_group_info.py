#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: fastcron_group_info
short_description: List FastCron cronjob groups
version_added: 0.1.0
description:
  - Lists the groups of a FastCron account, optionally only the one with an ID or the ones with a name.
author:
  - fastcron.cloud maintainers (@fastcron-ansible)
options:
  id:
    description: Only the group with this ID; no match gives an empty list.
    type: int
  name:
    description: Only the groups with exactly this name; several groups may share a name.
    type: str
  cronjobs:
    version_added: 0.2.0
    description:
      - Add to each group its cronjobs (C(group_items)) as RV(groups[].cronjobs).
      - Costs one request for each group listed, at most one request per second.
    type: bool
    default: false
  as_params:
    version_added: 0.2.0
    description:
      - Return each group as options of M(fastcron.cloud.fastcron_group) instead of as the API
        object, to adopt groups made elsewhere; the list can go as it is into the
        C(account_groups) of the role C(fastcron.cloud.account), or into a vars file.
      - A group holds its C(name), and its C(id) as well when the name is blank or shared with
        another group of the account (a blank name is left out), or when the name cannot stand for
        the group in a cronjob's C(group) option (a name of digits only, which reads as an id, or one
        with spaces around it). The role finds groups by name only, so it takes this list when every
        group has a name of its own that is no number and has no spaces around it.
      - With O(cronjobs=true), RV(groups[].cronjobs) holds options of M(fastcron.cloud.fastcron_cron),
        as O(fastcron.cloud.fastcron_cron_info#module:as_params) describes them, ready for
        O(fastcron.cloud.fastcron_cron_batch#module:crons). Their C(group) is the group's name, or
        its id when the group's C(id) is given, so give O(fastcron.cloud.fastcron_cron_batch#module:group)
        the same way, C(id) when there is one, else C(name), as the examples show. C(cronjobs) itself
        is no option of M(fastcron.cloud.fastcron_group).
      - The groups are then read with one C(group_list), whichever filter is set.
    type: bool
    default: false
extends_documentation_fragment: [fastcron.cloud.fastcron, fastcron.cloud.attributes.info]
seealso:
  - module: fastcron.cloud.fastcron_group
  - module: fastcron.cloud.fastcron_cron_info
notes:
  - Makes one API request, plus one for each group listed with O(cronjobs=true).
  - With O(cronjobs=true) the result holds what the account holds, as the service returns it, credentials included
    (the API never returns passwords) - the URLs, C(http_headers) and C(post_data) of the cronjobs
    are not masked, unlike in the results of the modules that change cronjobs. Set C(no_log)
    to true on the task when the cronjobs carry credentials, and keep a vars file made from its
    result in a vault.
'''

EXAMPLES = r'''
- name: List every group
  fastcron.cloud.fastcron_group_info:
  register: all_groups

- name: List the groups with their cronjobs, which carry credentials, without showing them
  fastcron.cloud.fastcron_group_info:
    cronjobs: true
  register: groups_and_crons
  no_log: true

- name: Find the groups named backups
  fastcron.cloud.fastcron_group_info:
    name: backups
  register: backups

- name: Show their ids
  ansible.builtin.debug:
    msg: "{{ backups.groups | map(attribute='id') | list }}"

- name: The cronjobs of the backups group, as fastcron_cron options (two requests)
  fastcron.cloud.fastcron_group_info:
    name: backups
    cronjobs: true
    as_params: true
  register: exported

- name: The vars folder beside the playbook exists
  ansible.builtin.file:
    path: "{{ playbook_dir }}/vars"
    state: directory
    mode: "0700"
  delegate_to: localhost

- name: Keep them in a vars file
  ansible.builtin.copy:
    content: "{{ {'backup_cronjobs': exported.groups[0].cronjobs} | to_nice_yaml(indent=2) }}"
    dest: "{{ playbook_dir }}/vars/backup_cronjobs.yml"
    mode: "0600"
  delegate_to: localhost

# From then on, a playbook names the file in vars_files (vars/backup_cronjobs.yml); here it is read at once.
- name: Read the vars file
  ansible.builtin.include_vars:
    file: "{{ playbook_dir }}/vars/backup_cronjobs.yml"

- name: From then on, the group holds exactly the cronjobs of the file
  fastcron.cloud.fastcron_cron_batch:
    group: backups
    purge: true
    crons: "{{ backup_cronjobs }}"

- name: Export every group with its cronjobs
  fastcron.cloud.fastcron_group_info:
    cronjobs: true
    as_params: true
  register: every_group

- name: Feed each group back - by id where the export gives one (a name such as 2024 reads as an id)
  fastcron.cloud.fastcron_cron_batch:
    group: "{{ item.id | default(item.name) }}"
    purge: true
    crons: "{{ item.cronjobs }}"
  loop: "{{ every_group.groups }}"
  loop_control:
    label: "{{ item.name | default(item.id) }}"
'''

RETURN = r'''
groups:
  description:
    - The matching groups as the API returns them, their keys in snake_case (since 0.2.0).
    - See RV(fastcron.cloud.fastcron_group#module:group) for the fields.
    - With O(as_params=true), each group as options of M(fastcron.cloud.fastcron_group) instead.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 123, "name": "backups", "job_count": 4, "priority": 0}]
  contains:
    cronjobs:
      version_added: 0.2.0
      description:
        - The cronjobs of the group (C(group_items)), as RV(fastcron.cloud.fastcron_cron_info#module:crons)
          gives them; with O(as_params=true), as options of M(fastcron.cloud.fastcron_cron).
      returned: when O(cronjobs=true)
      type: list
      elements: dict
      sample:
        - {"name": "nightly-backup", "url": "https://app.example.com/cron/backup", "expression": "0 3 * * *",
           "group": "backups", "enabled": true}
'''

from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import FastCronRun
from ansible_collections.fastcron.cloud.plugins.module_utils.info import cron_params, group_params, group_references
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON, GROUP


class GroupInfoModule(FastCronRun):
    def perform(self):
        params = self.module.params
        group_id, name = params['id'], params['name']
        if params['as_params']:
            self.finder.read_whole(GROUP)  # the whole listing tells which names are shared
        if group_id is not None:
            group = self.finder.get(GROUP, group_id)
            groups = [group] if group else []
        elif name is not None:
            groups = self.finder.named(GROUP, name)
        else:
            groups = self.finder.listing(GROUP)
        if name is not None:
            groups = [group for group in groups if group.get('name') == name]
        cronjobs = [self.finder.in_group(CRON, group['id']) for group in groups] if params['cronjobs'] else None
        if params['as_params']:
            listing = self.finder.listing(GROUP)
            references = group_references(listing)
            exported = group_params(groups, listing)
            for group, crons in zip(exported, cronjobs or []):
                group['cronjobs'] = cron_params(crons, references)
            self.exit(groups=exported)
        if cronjobs is not None:
            groups = [
                dict(group, cronjobs=[CRON.public(cron) for cron in crons]) for group, crons in zip(groups, cronjobs)
            ]
        self.exit(groups=groups)


def main():
    GroupInfoModule.execute(
        id=dict(type='int'),
        name=dict(type='str'),
        cronjobs=dict(type='bool', default=False),
        as_params=dict(type='bool', default=False),
    )


if __name__ == '__main__':
    main()
