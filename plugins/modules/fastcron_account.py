#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: fastcron_account
short_description: Manage the settings of the FastCron account
version_added: 0.2.0
description:
  - Sets the settings of the FastCron account the API token belongs to. The API lets one set the
    time zone only.
  - Reads the account (C(account_get)), compares the options that are set, and writes
    (C(account_edit)) only when one differs. Options left out are left as they are.
author:
  - fastcron.cloud maintainers (@fastcron-ansible)
options:
  timezone:
    description:
      - IANA time zone of the account, for example V(Europe/London). New cronjobs use it when
        created without a time zone of their own.
      - Spaces around it are removed. A name with other characters than letters, digits and
        V(/), V(_), V(-), V(+) fails before any request; whether FastCron knows the zone is for
        FastCron to say.
    type: str
extends_documentation_fragment: [fastcron.cloud.fastcron, fastcron.cloud.attributes.state]
seealso:
  - module: fastcron.cloud.fastcron_account_info
  - module: fastcron.cloud.fastcron_cron
notes:
  - A run that changes nothing makes one API request; a change makes two.
  - The API reference does not say whether existing cronjobs follow a change of the account's
    time zone.
  - A setting that the API's answer does not carry cannot be compared. It is then not sent, so
    that no run reports a change it cannot verify, and the module warns.
  - FastCron once documented the account functions and has since left them out of its API
    reference.
'''

EXAMPLES = r'''
- name: Keep the account in the Berlin time zone
  fastcron.cloud.fastcron_account:
    timezone: Europe/Berlin
    api_token: "{{ vault_fastcron_api_token }}"
'''

RETURN = r'''
account:
  description:
    - The account as the API returned it, after the change; in check mode, as it would be.
    - See RV(fastcron.cloud.fastcron_account_info#module:account) for the fields, in snake_case (since 0.2.0).
  returned: success
  type: dict
  sample: {"id": 1, "name": "Example Ltd", "timezone": "Europe/Berlin", "plan": "Business", "cron": 5000,
           "member_limit": 5, "expiry_date": "2027-12-31"}
'''

import re

from ansible_collections.fastcron.cloud.plugins.module_utils._action import SettingsRun
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import ACCOUNT

# The characters of IANA time zone names (Europe/London, America/Port-au-Prince, Etc/GMT+5, UTC).
TIME_ZONE = re.compile(r'[A-Za-z0-9_+/-]+')


class AccountModule(SettingsRun):
    resource = ACCOUNT

    def check_options(self):
        value = self.module.params['timezone']
        if value is not None and not TIME_ZONE.fullmatch(value.strip()):
            self.fail('timezone must be an IANA time zone name such as Europe/London, got %r.' % value)


def main():
    AccountModule.execute(timezone=dict(type='str'))


if __name__ == '__main__':
    main()
