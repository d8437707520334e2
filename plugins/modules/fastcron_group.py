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
  name:
    description:
      - Name of the group.
      - Identifies the group when O(id) is not given. FastCron does not keep names unique;
        if two groups share the name, the module fails and lists their ids.
      - Together with O(id), the group is renamed to O(name).
    type: str
  id:
    description:
      - ID of the group.
      - A group cannot be created with a chosen ID, so with O(state=present) the group must exist.
    type: int
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
attributes:
  check_mode:
    support: full
    description: Check mode makes no write call and predicts the result.
  diff_mode:
    support: full
    description: The diff shows the name and the number of cronjobs of the group before and after.
seealso:
  - module: fastcron.cloud.fastcron_group_info
  - module: fastcron.cloud.fastcron_cron
  - name: FastCron API documentation
    description: The HTTP API the module uses.
    link: https://www.fastcron.com/api
notes:
  - A run that changes nothing makes one API request.
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
    name: nightly-backups
    state: absent
    delete_cronjobs: true
'''

RETURN = r'''
group:
  description:
    - The group as the API returns it.
    - After deletion the API sets RV(group.id) to V(null); when the group did not exist, an empty dict.
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
    jobCount:
      description: Number of cronjobs in the group.
      type: int
      sample: 4
    priority:
      description: Priority of the group's cronjobs, C(0) normal, C(1) high, C(2) higher.
      type: int
      sample: 0
  sample: {"id": 123, "name": "backups", "jobCount": 4, "priority": 0}
api_function:
  description: On an API failure, the API function that failed.
  returned: failure
  type: str
  sample: group_add
api_code:
  description: On an API failure, the error code the API answered with.
  returned: failure
  type: int
  sample: 11
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import (
    FastCronModule,
    fastcron_argument_spec,
)


class FastCronGroup(FastCronModule):

    def find(self):
        group_id, name = self.module.params['id'], self.module.params['name']
        if group_id is not None:
            return self.get_group(group_id)
        return self.single(self.lookup_groups(name), 'group', name)

    def run(self):
        params = self.module.params
        if params['name'] is not None and not params['name'].strip():
            self.fail('name must not be empty.')
        state = params['state']
        if state == 'absent':
            group = self.ensure_absent(self.find())
        elif params['id'] is None:
            # Find and create as one step across processes, or parallel runs create duplicates.
            with self.name_lock('group', params['name']):
                group = self.ensure_present(self.find())
        else:
            group = self.ensure_present(self.find())
        if state == 'empty':
            group = self.ensure_empty(group)
        self.exit(group=group or {})

    def ensure_present(self, group):
        params = self.module.params
        name = params['name']
        if group is None:
            if params['id'] is not None:
                self.fail('No group has the id %d; leave out id to create a group by name.' % params['id'])
            if not self.record_change({}, self.view({'name': name, 'jobCount': 0})):
                return {'id': None, 'name': name, 'jobCount': 0, 'priority': 0}
            return self.create_object('group_add', {'name': name}, 'group %r created (group_add)' % name,
                                      lambda: self.lookup_groups(name))
        self.result['diff'] = dict(before=self.view(group), after=self.view(group))
        if name is not None and name != group.get('name'):
            if not self.record_change(self.view(group), self.view(dict(group, name=name))):
                return dict(group, name=name)
            return self.write('group_edit', {'id': group['id'], 'name': name},
                              'group %d renamed to %r (group_edit)' % (group['id'], name))
        return group

    def ensure_empty(self, group):
        job_count = group.get('jobCount')
        if job_count is None and group.get('id') is not None:
            job_count = len(self.call('group_items', {'id': group['id']}))
        if not job_count:
            return group
        before = self.result['diff']['before']
        if not self.record_change(before, self.view(dict(group, jobCount=0))):
            return dict(group, jobCount=0)
        return self.write('group_empty', {'id': group['id']}, "group %d emptied (group_empty)" % group['id'])

    def ensure_absent(self, group):
        if group is None:
            self.result['diff'] = dict(before={}, after={})
            return None
        if not self.record_change(self.view(group), {}):
            return dict(group, id=None)
        function = 'group_vanish' if self.module.params['delete_cronjobs'] else 'group_delete'
        deleted = self.delete_object(function, {'id': group['id']}, 'group %d deleted (%s)' % (group['id'], function),
                                     lambda: self.get_group(group['id']) is not None)
        return deleted or dict(group, id=None)

    @staticmethod
    def view(group):
        """The fields shown in the diff."""
        return {'name': group.get('name'), 'jobCount': group.get('jobCount')}


def main():
    argument_spec = fastcron_argument_spec()
    argument_spec.update(
        name=dict(type='str'),
        id=dict(type='int'),
        state=dict(type='str', choices=['present', 'absent', 'empty'], default='present'),
        delete_cronjobs=dict(type='bool', default=False),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        required_one_of=[('name', 'id')],
        supports_check_mode=True,
    )
    FastCronGroup(module).run()


if __name__ == '__main__':
    main()
