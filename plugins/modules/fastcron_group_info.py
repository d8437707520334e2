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
extends_documentation_fragment: [fastcron.cloud.fastcron, fastcron.cloud.attributes.info]
seealso:
  - module: fastcron.cloud.fastcron_group
notes:
  - Makes one API request.
'''

EXAMPLES = r'''
- name: List every group
  fastcron.cloud.fastcron_group_info:
  register: all_groups

- name: Find the groups named backups
  fastcron.cloud.fastcron_group_info:
    name: backups
  register: backups

- name: Show their ids
  ansible.builtin.debug:
    msg: "{{ backups.groups | map(attribute='id') | list }}"
'''

RETURN = r'''
groups:
  description:
    - The matching groups as the API returns them.
    - See RV(fastcron.cloud.fastcron_group#module:group) for the fields.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 123, "name": "backups", "jobCount": 4, "priority": 0}]
'''

from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import FastCronModule
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import GROUP


class GroupInfoModule(FastCronModule):

    def run(self):
        group_id, name = self.module.params['id'], self.module.params['name']
        if group_id is not None:
            group = self.account.get(GROUP, group_id)
            groups = [group] if group else []
        elif name is not None:
            groups = self.account.named(GROUP, name)
        else:
            groups = self.call(GROUP.listing) or []
        if name is not None:
            groups = [group for group in groups if group.get('name') == name]
        self.exit(groups=groups)


def main():
    GroupInfoModule.execute(
        id=dict(type='int'),
        name=dict(type='str'),
    )


if __name__ == '__main__':
    main()
