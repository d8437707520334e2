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
extends_documentation_fragment: [fastcron.cloud.fastcron, fastcron.cloud.attributes.info]
seealso:
  - module: fastcron.cloud.fastcron_cron
  - module: fastcron.cloud.fastcron_group_info
notes:
  - The listing returns up to 1000 cronjobs a page and every page costs one request,
    at most one request per second. O(id) costs one request; O(group) costs one, plus one
    when given by name.
  - The API never returns passwords.
'''

EXAMPLES = r'''
- name: List every cronjob of the account
  fastcron.cloud.fastcron_cron_info:
  register: all_crons

- name: The cronjobs of the backups group that call the storage host
  fastcron.cloud.fastcron_cron_info:
    group: backups
    keyword: storage.example.com
  register: storage_backups

- name: Names of the disabled cronjobs
  ansible.builtin.debug:
    msg: "{{ all_crons.crons | rejectattr('status', 'equalto', 0) | map(attribute='name') | list }}"
'''

RETURN = r'''
crons:
  description:
    - The matching cronjobs as the API returns them, each with C(status_name) added.
    - See RV(fastcron.cloud.fastcron_cron#module:cron) for the fields.
  returned: always
  type: list
  elements: dict
  sample:
    - {"id": 1042, "name": "nightly-backup", "url": "https://app.example.com/cron/backup", "expression": "0 3 * * *",
       "group": 101, "status": 0, "status_name": "active"}
'''

from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import FastCronModule
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON, GROUP


class CronInfoModule(FastCronModule):

    def run(self):
        params = self.module.params
        group_id = self.account.reference(GROUP, params['group'], 'group') if params['group'] else None
        searched = False
        if isinstance(group_id, str):
            crons = []  # check mode, and the group does not exist yet: it holds nothing
        elif params['id'] is not None:
            cron = self.account.get(CRON, params['id'])
            crons = [cron] if cron else []
        elif group_id is not None:
            crons = self.call('group_items', {'id': group_id}) or []
        elif params['keyword']:
            crons, searched = self.account.crons(params['keyword']), True
        elif params['name'] is not None:
            crons = self.account.named(CRON, params['name'], confirm=True)
        else:
            crons = self.account.crons()
        self.exit(crons=[CRON.public(cron) for cron in crons if self.matches(cron, group_id, searched)])

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
    )


if __name__ == '__main__':
    main()
