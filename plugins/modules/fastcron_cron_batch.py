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
      - C(group) in an entry must then be left out or give the same group, by the same value, or by
        its id where O(group) is its name or the other way round.
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
    one request per 1000 cronjobs (one with O(group); fewer without, see below); creating any
    number of cronjobs adds one; deleting any number adds one; each cronjob that drifts adds one for its edit and one if
    C(enabled) differs. Group names, in O(group) or in C(group), add one request
    for all of them; so does a group ID that would be written to a cronjob."
  - Without O(group), an account of more than 1000 cronjobs is not always read whole. The API
    does not tell how many cronjobs an account holds, so the listing is read page by page, and once
    as many pages are read as O(crons) has entries, each entry is looked up on its own instead,
    C(cron_get) for an C(id) and the keyword search of C(cron_list) for a C(name). So n entries
    in an account of more than n pages cost n pages and n look-ups, not every page; entries as
    many as the pages or more cost the pages, as before. A name the search does not find (a
    cronjob to create) sends the task back to the rest of the listing, since how the keyword
    matches is not documented; such a run costs up to twice the pages it reads before the look-ups."
  - A create whose answer is lost is never sent again, so it cannot make duplicates. One fresh
    listing adopts the cronjobs it made; when some are not found, the task fails saying that they
    may still be created, and a rerun adopts or creates them. Edits, enabling and disabling are
    sent again; a delete that fails is checked by a listing, and cronjobs that are gone count as
    deleted.
  - Reading the account and creating happen under the same per-name locks on the controller as
    for M(fastcron.cloud.fastcron_cron), one for each name an entry may create (a fixed set of
    64 locks per account, taken in one order), so that a batch, parallel forks and other
    playbooks on the controller create a name once; so do controllers that share
    E(FASTCRON_STATE_DIR).
  - The answer of C(cron_batch_add) is paired with the entries by name (names that create are
    unique in O(crons)), since the API reference does not state the order of the answer. Entries
    that the answer does not show exactly once are looked for in one fresh listing, as after a
    lost answer; RV(created), RV(updated) and RV(deleted) follow the order of O(crons).
  - The listing is read page by page while the pages hold 1000 cronjobs (the page size this
    collection reads from the API reference). It ends on a shorter or empty page, or on one that
    brings no cronjob not read yet (a service that answers the last page again past the end), and
    a cronjob that comes twice (a listing that shifts between two reads) is kept once. Past 1000
    full pages (a million cronjobs) the task fails naming C(cron_list) rather than read on.
    C(group_items) is read the same way, in case the service pages it.
  - Controllers that share no state folder (for example AWX jobs on separate execution nodes) are
    not covered by that lock. For a batch, the listing read just before C(cron_batch_add) is the
    confirmation that the names it creates are free; it does not look again after the write, since
    that would cost a request more than the role C(fastcron.cloud.fleet) is held to (three to
    create, once its group exists). Two controllers creating the same name may both create it when
    they start within about two seconds of each other (measured with single tasks against a service
    at one request a second). Such a duplicate shows on the next run, which fails naming both ids
    and the one most likely created last (the highest id), without a write; delete the one you do
    not want by its id. M(fastcron.cloud.fastcron_cron) and M(fastcron.cloud.fastcron_group) do look
    again right after a create, and fail in that same run.
  - The role C(fastcron.cloud.account) converges the groups and cronjobs of a whole account
    with this module.
  - The diff and the result name the cronjobs; a credential that changed shows as C(******** (changed)),
    a password sent again with C(update_password=always) as C((changed)) under C(password).
  - The credentials a cronjob carries are masked in every output of the module, at every verbosity
    and with C(--diff) - results, diffs, the invocation, warnings, error messages and the module's
    log line. C(password), the password in a URL, the values of credential headers (C(Authorization),
    C(Proxy-Authorization), C(Cookie), names containing C(token), C(key), C(secret), C(auth), C(session),
    C(password) and a few more) and of query, form or JSON fields with such names are shown as
    C(********) where they stand, so the rest still shows; comparing uses the real values. The
    collection's guide "Credentials in cronjobs" lists what is masked and what is not.
  - An option is compared only when the API returns its field, as the notes of
    M(fastcron.cloud.fastcron_cron) explain; otherwise it is sent when the cronjob is created and
    left alone afterwards, and the task warns once for each such option, however many entries
    give it.
  - Every answer to the batch create, an edit, an enable or a disable is checked against what was
    sent, as M(fastcron.cloud.fastcron_cron) does. A value kept otherwise fails the task after its
    other writes, naming the option, the cronjob, the value sent and the value FastCron kept.
    RV(updated) lists only cronjobs on which something took, and RV(applied) what took on each.
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
  description:
    - The cronjobs edited, enabled or disabled (V(id) and V(name)) when something sent to them took,
      in the order of O(crons).
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1043, "name": "status-ping"}]
deleted:
  description:
    - The cronjobs deleted (V(id) and V(name)), those with C(state=absent) in the order of O(crons),
      then those purged.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1001, "name": "legacy-export"}]
applied:
  description:
    - What took on each cronjob created, edited, enabled or disabled, in the order of the writes - its
      V(id), V(name), V(options) (the options whose values the answers show as sent, sorted) and,
      when its group was cleared, V(cleared_with), which maps C(group) to the JSON value that cleared
      it - V(null), or V(0) when the service kept the group after V(null).
    - In check mode, the options that would be sent to each cronjob, V(id) V(null) for a new one.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1043, "name": "status-ping", "options": ["enabled", "timeout"]}]
crons:
  description:
    - The cronjobs of O(crons) with C(state=present), in that order, as the API returns
      them (in check mode, as they would be), never with a password, their credentials masked.
    - Their keys are named as the options are (C(http_method), C(post_data), C(http_headers), C(user_agent)),
      any other key in snake_case (since 0.2.0).
    - See RV(fastcron.cloud.fastcron_cron#module:cron) for the fields.
  returned: always
  type: list
  elements: dict
  sample:
    - {"id": 1042, "name": "billing-invoices", "url": "https://shop.example.com/hooks/invoices",
       "expression": "0 2 * * *", "group": null, "http_method": "POST", "post_data": "", "status": 0,
       "status_name": "active", "enabled": true}
api_function:
  description: On an API failure, the API function that failed.
  returned: failure
  type: str
  sample: cron_batch_add
api_code:
  description: On an API failure, the error code the API answered with.
  returned: failure
  type: int
  sample: 11
'''

from ansible_collections.fastcron.cloud.plugins.module_utils._batch import BatchRun
from ansible_collections.fastcron.cloud.plugins.module_utils._normal import is_id
from ansible_collections.fastcron.cloud.plugins.module_utils._state import StateRun
from ansible_collections.fastcron.cloud.plugins.module_utils.cron_options import (
    creation_problem,
    cron_argument_spec,
    cron_problem,
)
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON, GROUP


class CronBatchModule(BatchRun):
    resource = CRON
    entry_spec = dict(StateRun.options(), **cron_argument_spec())
    # The id of the group the task is limited to (a name in check mode when it does not exist yet).
    scope = None
    wanted = None  # the entries the plan's listing must cover, until it is read

    def check_entries(self, entries):
        if self.module.params['purge'] and not (self.module.params['group'] or '').strip():
            self.fail('purge needs group: it deletes the cronjobs of that group that crons does not name.')
        super().check_entries(entries)
        self.wanted = entries

    def check_entry(self, entry):
        group, given = (self.module.params['group'] or '').strip(), entry['group']
        # Two names must be the same; a name and an id are compared once the group is looked up.
        if group and given is not None and given.strip() != group and not (is_id(given.strip()) or is_id(group)):
            return self.wrong_group()
        return cron_problem(entry)

    def wrong_group(self):
        return 'group must be left out or be %r, the group of the task.' % self.module.params['group']

    def create_problem(self, entry):
        return creation_problem(entry)

    def begin(self):
        self.finder.read_whole(GROUP)  # every group name and id from one group_list, read when first needed
        group = (self.module.params['group'] or '').strip()
        self.scope = int(group) if is_id(group) else self.finder.reference_id(GROUP, group, 'group') if group else None

    def plan_listing(self):
        if self.scope is None and self.wanted is not None:
            # The plan needs only the cronjobs of the entries; without a purge nothing else is touched.
            entries, self.wanted = self.wanted, None
            return self.finder.covering(
                CRON,
                [entry['id'] for entry in entries if entry['id'] is not None],
                [entry['name'] for entry in entries if entry['id'] is None],
            )
        if self.scope is None:
            return self.finder.every(CRON)
        # In check mode a group that an earlier task would create holds nothing yet.
        return [] if isinstance(self.scope, str) else self.finder.in_group(CRON, self.scope)

    def find_elsewhere(self, object_id):
        # A cronjob outside the group, given by id: the entry moves it in.
        return self.finder.get(CRON, object_id) if self.scope is not None else None

    def entry_fields(self, option, entry, current):
        if self.scope is None:
            return super().entry_fields(option, entry, current)
        given = (entry['group'] or '').strip()
        # The group by name or by id, as long as it is the group of the task (an export gives it by id).
        if (
            given
            and given != self.module.params['group'].strip()
            and self.finder.reference_id(GROUP, given, option + '.group') != self.scope
        ):
            self.fail('%s: %s' % (option, self.wrong_group()))
        requested = super().entry_fields(option, dict(entry, group=None), current)
        requested.update(CRON.requested_fields({'group': self.scope}))
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
