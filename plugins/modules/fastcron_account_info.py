#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: fastcron_account_info
short_description: Read the FastCron account
version_added: 0.2.0
description:
  - Returns the FastCron account the API token belongs to (C(account_get)), with its time zone, plan and limits.
author:
  - fastcron.cloud maintainers (@fastcron-ansible)
extends_documentation_fragment: [fastcron.cloud.fastcron, fastcron.cloud.attributes.info]
seealso:
  - module: fastcron.cloud.fastcron_account
notes:
  - Makes one API request.
  - FastCron once documented the account functions and has since left them out of its API
    reference; every field is returned as it comes, and any may be missing.
'''

EXAMPLES = r'''
- name: Read the account
  fastcron.cloud.fastcron_account_info:
  register: fastcron

- name: Show its time zone
  ansible.builtin.debug:
    msg: "{{ fastcron.account.timezone }}"
'''

RETURN = r'''
account:
  description:
    - The account as the API returns it, its keys in snake_case (since 0.2.0; C(memberLimit) is
      RV(account.member_limit)); any field the service adds is converted the same way.
  returned: success
  type: dict
  contains:
    id:
      description: ID of the account.
      type: int
      sample: 1
    name:
      description: Name of the account.
      type: str
      sample: Example Ltd
    timezone:
      description: Time zone of the account; new cronjobs use it when created without one.
      type: str
      sample: Europe/London
    plan:
      description: The account's plan.
      type: str
      sample: Business
    cron:
      description: The most cronjobs the account may have. Some accounts report RV(account.daily_exec) instead.
      type: int
      sample: 5000
    daily_exec:
      description:
        - Reported by some accounts instead of RV(account.cron); the API reference names it (C(dailyExec)) without
          describing it.
        - Named C(dailyExec) before 0.2.0.
      type: int
      sample: 10000
    member_limit:
      description:
        - The account's member limit (C(memberLimit) in the API reference).
        - Named C(memberLimit) before 0.2.0.
      type: int
      sample: 5
    expiry_date:
      description:
        - When the account expires.
        - Named C(expiryDate) before 0.2.0.
      type: str
      sample: "2027-12-31"
  sample: {"id": 1, "name": "Example Ltd", "timezone": "Europe/London", "plan": "Business", "cron": 5000,
           "member_limit": 5, "expiry_date": "2027-12-31"}
'''

from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import FastCronRun
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import ACCOUNT


class AccountInfoModule(FastCronRun):
    def perform(self):
        self.exit(**{ACCOUNT.key: ACCOUNT.public(self.read(ACCOUNT.get_function))})


def main():
    AccountInfoModule.execute()


if __name__ == '__main__':
    main()
