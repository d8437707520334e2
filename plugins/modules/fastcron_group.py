#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: fastcron_group
short_description: Manage FastCron cronjob groups
version_added: 0.1.0
description:
  - Create, rename, empty and delete groups of cronjobs in a FastCron account.
  - A group is found by O(id) when given, else by its exact O(name).
author:
  - fastcron.cloud maintainers (@fastcron-ansible)
options:
  state:
    description:
      - V(present) makes sure the group exists.
      - V(empty) makes sure the group exists and holds no cronjobs; its cronjobs are deleted.
      - V(absent) deletes the group. Its cronjobs stay in the account, without a group,
        unless O(delete_cronjobs=true).
    type: str
    choices: [ present, absent, empty ]
    default: present
  delete_cronjobs:
    description:
      - With O(state=absent), also delete every cronjob of the group.
      - Ignored with the other states.
    type: bool
    default: false
extends_documentation_fragment:
  - fastcron.cloud.fastcron
  - fastcron.cloud.fastcron.identity
  - fastcron.cloud.attributes.state
seealso:
  - module: fastcron.cloud.fastcron_group_info
  - module: fastcron.cloud.fastcron_cron
  - name: FastCron API documentation
    description: The HTTP API the module uses.
    link: https://www.fastcron.com/api
notes:
  - A run that changes nothing makes one API request. A create makes three, C(group_lookup),
    C(group_add) and C(group_lookup) once more after it (see below); check mode makes only the first.
  - Looking a group up by name and creating it happen under a lock per account and name on the
    controller, so parallel forks and playbooks create it once; so do controllers that share
    E(FASTCRON_STATE_DIR). Controllers that share no state folder are not covered by that lock and
    may both create the name when they start within about two seconds of each other (measured
    against a service at one request a second). Right after its create the task looks the name up
    once more; when another group has the name by then, the task fails with C(changed) and the group
    it created in RV(group), naming both ids and the one most likely created last (the highest id),
    and deletes nothing. Every later run fails naming both ids, without a write; delete the one you
    do not want by O(id) with O(state=absent).
'''

EXAMPLES = r'''
- name: Make sure the group "backups" exists
  fastcron.cloud.fastcron_group:
    name: backups
    api_token: "{{ vault_fastcron_api_token }}"

- name: Rename group 123
  fastcron.cloud.fastcron_group:
    id: 123
    name: nightly-backups

- name: Delete all cronjobs of the group, keep the group
  fastcron.cloud.fastcron_group:
    name: nightly-backups
    state: empty

- name: Delete the group and its cronjobs
  fastcron.cloud.fastcron_group:
    name: old-reports
    state: absent
    delete_cronjobs: true
'''

RETURN = r'''
applied:
  version_added: 0.2.0
  description:
    - The options whose values the service's answer shows as sent (V([name]) after a rename or a
      create); V([]) when nothing took. In check mode, the options that would be sent. The answer
      to a create or a rename that shows another name fails the task, naming the name sent and
      the name kept.
  returned: always
  type: list
  elements: str
  sample: [name]
group:
  description:
    - The group as the API returns it, its keys in snake_case (since 0.2.0; C(jobCount) is RV(group.job_count)).
      After deletion the API sets RV(group.id) to V(null); when the group did not exist, an empty dict.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the group; V(null) once deleted.
      type: int
      sample: 123
    name:
      description: Name of the group.
      type: str
      sample: backups
    job_count:
      description:
        - Number of cronjobs in the group.
        - Named C(jobCount) before 0.2.0.
      type: int
      sample: 4
    priority:
      description: Priority of the group's cronjobs, C(0) normal, C(1) high, C(2) higher.
      type: int
      sample: 0
  sample: {"id": 123, "name": "backups", "job_count": 4, "priority": 0}
'''

from ansible_collections.fastcron.cloud.plugins.module_utils._state import StateRun
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CONFIRM_ABSENT, CRON, GROUP, Operation

VANISH = Operation('group_vanish', CONFIRM_ABSENT)  # deletes the group and its cronjobs
EMPTY = Operation('group_empty')  # deletes its cronjobs, keeps the group


class GroupModule(StateRun):
    resource = GROUP
    states = ('present', 'absent', 'empty')

    def delete_operation(self):
        return VANISH if self.module.params['delete_cronjobs'] else GROUP.delete

    def converge(self, obj):
        """state=empty: the group holds no cronjobs."""
        group = obj
        job_count = group.get('jobCount')
        if job_count is None and group.get('id') is not None:
            job_count = len(self.finder.in_group(CRON, group['id']))
        if not job_count:
            return group
        before = self.result.get('diff', {}).get('before') or GROUP.view(group)
        if not self.record_change(before, GROUP.view(dict(group, jobCount=0))):
            return dict(group, jobCount=0)
        return self.send(EMPTY, {'id': group['id']}, 'group %s emptied (%s)' % (group['id'], EMPTY.function))


def main():
    GroupModule.execute(delete_cronjobs=dict(type='bool', default=False))


if __name__ == '__main__':
    main()
