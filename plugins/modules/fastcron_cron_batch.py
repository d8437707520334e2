#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: fastcron_cron_batch
short_description: Converge many FastCron cronjobs in a few requests
version_added: 0.2.0
description:
  - Makes a list of cronjobs be as it says, with the options, comparison and lost-answer
    policies of M(fastcron.cloud.fastcron_cron), in a few API requests instead of two or more
    per cronjob.
  - The account (or the group O(group)) is read once. Every missing cronjob is created in one
    request, and every cronjob to delete is deleted in one request; only cronjobs that drift
    are edited, each in one request with all its changed options, and enabled or disabled
    where C(enabled) differs.
  - With O(group) and O(purge=true), the cronjobs of that group that O(crons) does not name
    are deleted. Cronjobs outside the group are never touched by the purge.
author:
  - fastcron.cloud maintainers (@fastcron-ansible)
options:
  crons:
    description:
      - The cronjobs. Each entry takes the options of M(fastcron.cloud.fastcron_cron) (C(name)
        or C(id) to find it, C(state), C(url), C(expression), C(group), C(enabled), C(password),
        C(update_password) and the others), checked the same way before any request.
      - A cronjob is found by C(id) when given, else by its exact C(name); a cronjob may be
        given only once, by name and by id.
      - V([]) with O(purge=true) deletes every cronjob of O(group).
    type: list
    elements: dict
    required: true
  group:
    description:
      - The scope of the task, as a group name or a numeric group ID.
      - Only the cronjobs of this group are read; C(name) is looked for in it, and an
        entry without C(group) is created in it. A cronjob of that name elsewhere in
        the account is left alone; one given by C(id) is moved into the group.
      - C(group) must then be left out or be the same value.
      - An unknown group fails the task before anything is written. In check mode an unknown
        group name only warns, since an earlier task of the play may create it.
    type: str
  purge:
    description:
      - Delete the cronjobs of O(group) that O(crons) does not name, in the same request as
        the entries with C(state=absent).
      - Needs O(group).
    type: bool
    default: false
extends_documentation_fragment: [fastcron.cloud.fastcron, fastcron.cloud.attributes.state]
seealso:
  - module: fastcron.cloud.fastcron_cron
    description: The same options for one cronjob, with a request or two for each.
  - module: fastcron.cloud.fastcron_cron_info
    description: The cronjobs of an account, every page of the listing followed.
notes:
  - "Requests, for N cronjobs in the account (or in O(group)): a run that changes nothing makes
    one request per 1000 cronjobs (one with O(group)); creating any number of cronjobs adds one;
    deleting any number adds one; each cronjob that drifts adds one for its edit and one if
    C(enabled) differs. Group names, in O(group) or in C(group), add one request
    for all of them; so does a group ID that would be written to a cronjob."
  - A create whose answer is lost is never sent again, so it cannot make duplicates. One fresh
    listing adopts the cronjobs it made; when some are not found, the task fails saying that they
    may still be created, and a rerun adopts or creates them. Edits, enabling and disabling are
    sent again; a delete that fails is checked by a listing, and cronjobs that are gone count as
    deleted.
  - Batch tasks of one account run one at a time on the controller, so that parallel forks do
    not create the same cronjob twice; so do the batch tasks of controllers that share
    E(FASTCRON_STATE_DIR).
  - Controllers that share no state folder (for example AWX jobs on separate execution nodes)
    are not covered by that lock. Two batches creating the same name may both create it when
    they start within about three seconds of each other (measured with single tasks against a
    service at one request a second). Every later run then fails naming both ids, without a
    write; delete one by its id.
  - The role C(fastcron.cloud.account) converges the groups and cronjobs of a whole account
    with this module.
  - The diff and the result name the cronjobs; passwords never appear in either.
  - C(delay), C(username), C(user_agent) and C(keyword) are compared
    only when the API returns them, as the notes of M(fastcron.cloud.fastcron_cron) explain.
'''

EXAMPLES = r'''
- name: Converge every cronjob of the shop in a few requests
  fastcron.cloud.fastcron_cron_batch:
    crons:
      - name: billing-invoices
        url: https://shop.example.com/hooks/invoices
        expression: "0 2 * * *"
        username: cron
        password: "{{ vault_invoice_password }}"
      - name: status-ping
        url: https://shop.example.com/health
        expression: 5 minutes
        enabled: false
      - name: legacy-export
        state: absent
    api_token: "{{ vault_fastcron_api_token }}"

- name: Own the group "maintenance" - what the list does not name is deleted
  fastcron.cloud.fastcron_cron_batch:
    group: maintenance
    purge: true
    crons:
      - name: cache-warmup
        url: https://shop.example.com/cron/warmup
        expression: "*/10 * * * *"
      - name: log-rotate
        url: https://shop.example.com/cron/rotate-logs
        expression: "30 4 * * 7"

- name: Empty the group "scratch", keep the group
  fastcron.cloud.fastcron_cron_batch:
    group: scratch
    purge: true
    crons: []
'''

RETURN = r'''
created:
  description: The cronjobs created (V(id) and V(name)), in the order of O(crons); in check mode their V(id) is V(null).
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1042, "name": "billing-invoices"}]
updated:
  description: The cronjobs edited, enabled or disabled (V(id) and V(name)).
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1043, "name": "status-ping"}]
deleted:
  description: The cronjobs deleted (V(id) and V(name)), those with C(state=absent) and those purged.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1001, "name": "legacy-export"}]
crons:
  description:
    - The cronjobs of O(crons) with C(state=present), in that order, as the API returns
      them (in check mode, as they would be), never with a password.
    - See RV(fastcron.cloud.fastcron_cron#module:cron) for the fields.
  returned: always
  type: list
  elements: dict
  sample:
    - {"id": 1042, "name": "billing-invoices", "url": "https://shop.example.com/hooks/invoices",
       "expression": "0 2 * * *", "group": null, "status": 0, "status_name": "active"}
api_function: {description: "On an API failure, the API function that failed.", returned: failure, type: str, sample: cron_batch_add}
api_code: {description: "On an API failure, the error code the API answered with.", returned: failure, type: int, sample: 11}
'''

from ansible_collections.fastcron.cloud.plugins.module_utils.cron_options import (
    creation_problem,
    cron_argument_spec,
    cron_problem,
)
from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import BatchModule, StateModule
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON, GROUP, is_id


class CronBatchModule(BatchModule):
    resource = CRON
    entry_spec = dict(StateModule.options(), **cron_argument_spec())
    scope = None  # the id of the group the task is limited to (a name in check mode when it does not exist yet)

    def check_entries(self, entries):
        if self.module.params['purge'] and not (self.module.params['group'] or '').strip():
            self.fail('purge needs group: it deletes the cronjobs of that group that crons does not name.')
        super().check_entries(entries)

    def check_entry(self, entry):
        group = self.module.params['group']
        if group and entry['group'] not in (None, group):
            return 'group must be left out or be %r, the group of the task.' % group
        return cron_problem(entry)

    def check_create(self, entry):
        return creation_problem(entry)

    def begin(self):
        self.account.read_whole(GROUP)  # every group name and id from one group_list, read when first needed
        group = (self.module.params['group'] or '').strip()
        self.scope = int(group) if is_id(group) else self.account.reference(GROUP, group, 'group') if group else None

    def listing(self):
        if self.scope is None:
            return self.account.every(CRON)
        # In check mode a group that an earlier task would create holds nothing yet.
        return [] if isinstance(self.scope, str) else self.call('group_items', {'id': self.scope}) or []

    def find_elsewhere(self, object_id):
        # A cronjob outside the group, given by id: the entry moves it in.
        return self.account.get(CRON, object_id) if self.scope is not None else None

    def requested(self, option, entry, current):
        if self.scope is None:
            return super().requested(option, entry, current)
        requested = super().requested(option, dict(entry, group=None), current)
        requested.update(CRON.requested({'group': self.scope}))
        return requested

    def purged(self, listing, kept):
        if not self.module.params['purge'] or self.scope is None:
            return []
        return [cron for cron in listing if cron['id'] not in kept and cron.get('group', self.scope) == self.scope]


def main():
    CronBatchModule.execute(
        crons=dict(type='list', elements='dict', required=True),
        group=dict(type='str'),
        purge=dict(type='bool', default=False),
    )


if __name__ == '__main__':
    main()
