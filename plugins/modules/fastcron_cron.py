#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: fastcron_cron
short_description: Manage FastCron cronjobs
version_added: 0.1.0
description:
  - Create, update, enable, disable and delete cronjobs in a FastCron account.
  - A cronjob is found by O(id) when given, else by its exact O(name).
  - Only the options that are set are compared and sent; an option left out keeps
    whatever value the cronjob has.
author:
  - fastcron.cloud maintainers (@fastcron-ansible)
extends_documentation_fragment:
  - fastcron.cloud.fastcron
  - fastcron.cloud.fastcron.identity
  - fastcron.cloud.cron
  - fastcron.cloud.attributes.state
seealso:
  - module: fastcron.cloud.fastcron_cron_info
  - module: fastcron.cloud.fastcron_group
  - module: ansible.builtin.user
    description: The same O(update_password) choices for a secret that cannot be read back.
  - name: FastCron API documentation
    description: The HTTP API the module uses.
    link: https://www.fastcron.com/api
notes:
  - A run that changes nothing makes one API request, an update two. A create makes four on an
    account of up to 1000 cronjobs, since a listing without keyword confirms that no cronjob has
    the name before one is made, and the keyword search is made once more after it (see below).
    A group given by name adds one, and changing O(enabled) adds one. Check mode makes none of
    the writes and not the look after them.
  - When the name is common in URLs and its keyword search fills a page, the listing of the account
    (a request per 1000 cronjobs) is read once instead of every page of matches.
  - To converge many cronjobs, M(fastcron.cloud.fastcron_cron_batch) reads the account once for all
    of them; a looped task pays its look-ups for each cronjob.
  - A create whose answer is lost is never sent again, so it cannot make a duplicate. One
    look-up by name adopts the new cronjob, or the task fails saying that a rerun adopts or
    creates it. Edits, enabling and disabling are sent again; a delete that fails is checked
    by a look-up, and a cronjob that is gone counts as deleted.
  - Looking a cronjob up by name and creating it happen under a lock per account and name
    on the controller, the same lock M(fastcron.cloud.fastcron_cron_batch) takes for the names it
    may create, so parallel forks, playbooks and batches create it once; so do controllers that
    share E(FASTCRON_STATE_DIR).
  - Controllers that share no state folder (for example AWX jobs on separate execution nodes) are
    not covered by that lock. Two of them creating the same name may both create it when they start
    within about two seconds of each other (measured against a service at one request a second; the
    window is the time between a controller's last look-up and its create). Right after its create
    the task looks the name up once more (one request, or the listing when the name's keyword search
    fills a page); when another cronjob has the name by then, the task fails with C(changed) and the
    cronjob it created in RV(cron), naming both ids and the one most likely created last (the
    highest id). It deletes nothing and writes nothing more (not O(enabled) either). Every later run
    fails naming both ids, without a write; delete the one you do not want by O(id) with
    O(state=absent) and the next run converges.
  - The FastCron API documents no read-back of O(delay), O(username), O(user_agent) and
    O(keyword), and the cronjobs of its own examples carry no O(timeout), O(instances),
    O(http_method) or O(http_headers). Any option whose field the API returns is compared like
    the others. An option whose field it does not return is sent when the cronjob is created
    and left alone afterwards, so that a run does not report a change it cannot verify; the
    task warns once for each such option it was given, naming it. To change such a value on an
    existing cronjob, delete and re-create it, or use the FastCron web interface.
  - Every answer to a create, an edit, an enable or a disable is checked against what was sent,
    in the normal form the options describe. An option the answer shows with another value (a
    plan that lowers O(timeout) to its cap, for one) fails the task, naming the option, the value
    sent and the value FastCron kept, after the task's other writes. C(changed) is true only when
    a value sent took or the cronjob was created; RV(applied) lists the options that took, and
    the diff shows what the answers show. A failed task that changed nothing has no diff.
  - The credentials a cronjob carries are masked in every output of the module, at every verbosity
    and with C(--diff) - results, diffs, the invocation, warnings, error messages and the module's
    log line. C(password), the password in a URL, the values of credential headers (C(Authorization),
    C(Proxy-Authorization), C(Cookie), names containing C(token), C(key), C(secret), C(auth), C(session),
    C(password) and a few more) and of query, form or JSON fields with such names are shown as
    C(********) where they stand, so the rest still shows; comparing uses the real values. The
    collection's guide "Credentials in cronjobs" lists what is masked and what is not.
'''

EXAMPLES = r'''
- name: Call the backup endpoint every night
  fastcron.cloud.fastcron_cron:
    name: nightly-backup
    url: https://app.example.com/cron/backup
    expression: "0 3 * * *"
    timezone: Europe/London
    timeout: 120
    group: backups
    api_token: "{{ vault_fastcron_api_token }}"

- name: POST JSON with a header and basic authentication
  fastcron.cloud.fastcron_cron:
    name: sync-orders
    url: https://app.example.com/hooks/sync
    expression: 10 minutes
    http_method: POST
    post_data: '{"full": false}'
    http_headers:
      X-Api-Version: "2"
    username: cron
    password: "{{ vault_sync_password }}"
    instances: 1

- name: Disable a cronjob without deleting it
  fastcron.cloud.fastcron_cron:
    name: sync-orders
    enabled: false

- name: Rename cronjob 1042 and take it out of its group
  fastcron.cloud.fastcron_cron:
    id: 1042
    name: legacy-sync
    group: ""

- name: Delete a cronjob
  fastcron.cloud.fastcron_cron:
    name: old-newsletter
    state: absent
'''

RETURN = r'''
applied:
  version_added: 0.2.0
  description:
    - The options whose values the service's answers show as sent (a create lists every option
      sent that its answer carries), sorted; V([]) when nothing took. In check mode, the options
      that would be sent.
  returned: always
  type: list
  elements: str
  sample: [expression, timeout]
cleared_with:
  version_added: 0.2.0
  description:
    - For each option cleared in a form that needs saying, the JSON value that cleared it -
      for O(group), V(null), or V(0) when the service kept the group after V(null).
  returned: when a group was cleared
  type: dict
  sample: {"group": "0"}
cron:
  description:
    - The cronjob as the API returns it, never with a password, its credentials masked
      (such as C(https://user:********@host/path?api_key=********) and C(Bearer ********) for an Authorization header).
    - Its keys speak the options' language (since 0.2.0) - a field that backs an option is named as the
      option (C(http_method), C(post_data), C(http_headers), C(user_agent)), any other field the service
      returns is in snake_case. The values are as the API returns them (C(group) is the group's ID,
      C(http_headers) the raw header lines); RV(cron_params) holds them as option values.
    - After deletion the API sets RV(cron.id) to V(null); when the cronjob did not exist, an empty dict.
  returned: always
  type: dict
  contains:
    id:
      description: ID of the cronjob; V(null) once deleted.
      type: int
      sample: 1042
    name:
      description: Name of the cronjob.
      type: str
      sample: nightly-backup
    url:
      description: The URL called.
      type: str
      sample: https://app.example.com/cron/backup
    expression:
      description: When it runs.
      type: str
      sample: "0 3 * * *"
    timezone:
      description: Time zone of the expression.
      type: str
      sample: Europe/London
    group:
      description: ID of its group, or V(null).
      type: int
      sample: 101
    status:
      description:
        - V(0) when active. FastCron's 2024 reference named V(1) disabled, V(2) expired (the account
          expired), V(3) inactive (daily limit reached) and V(4) failed (stopped by failures); the
          status of a paused cronjob is not documented.
      type: int
      sample: 0
    status_name:
      version_added: 0.2.0
      description:
        - The meaning of RV(cron.status), added by this collection - V(active), V(disabled), V(expired),
          V(inactive), V(failed), or V(unknown) for a value FastCron does not document.
      type: str
      sample: active
    enabled:
      description:
        - RV(cron.status) as the O(enabled) option reads it, added by this collection - V(true) for
          status V(0), V(false) for V(1), V(null) for any other status (neither option value holds).
      type: bool
      sample: true
      version_added: 0.2.0
    http_method:
      description:
        - HTTP method of each call.
        - Named C(httpMethod) before 0.2.0.
      type: str
      sample: GET
    http_headers:
      description:
        - Raw header lines, as the API returns them; RV(cron_params) holds them as a dict.
        - Named C(httpHeaders) before 0.2.0.
      type: str
      sample: "X-Api-Version: 2"
    post_data:
      description:
        - Request body.
        - Named C(postData) before 0.2.0.
      type: str
      sample: ""
    user_agent:
      description:
        - User agent of each call, when the service returns it.
        - Named C(userAgent) before 0.2.0.
      type: str
      sample: shop-cron/2.0
    timeout:
      description: Seconds to wait for the URL.
      type: int
      sample: 30
    instances:
      description: How many runs may overlap.
      type: int
      sample: 0
    notify:
      description: Whether failures are notified.
      type: bool
      sample: true
    fail:
      description: Current number of consecutive failures.
      type: int
      sample: 0
  sample:
    id: 1042
    name: nightly-backup
    url: https://app.example.com/cron/backup
    expression: "0 3 * * *"
    timezone: Europe/London
    group: 101
    status: 0
    status_name: active
    enabled: true
    http_method: GET
    http_headers: ""
    post_data: ""
    timeout: 120
    instances: 0
    notify: true
    fail: 0
    priority: 0
    points: 1
cron_params:
  description:
    - The cronjob as options of this module, which fed back as they are change nothing - the way a
      registered result becomes options again, for this module, for an entry of
      O(fastcron.cloud.fastcron_cron_batch#module:crons) or for a vars file.
    - The same form as O(fastcron.cloud.fastcron_cron_info#module:as_params) gives - the settable
      fields the service returned, in the options' types (C(http_headers) a dict, C(enabled) a bool,
      only for status V(0) or V(1)), no null value, never a password; C(id) only when the name is blank.
    - C(group) is the group as the task named it, else its ID as a string; V("") for none.
    - An option whose value holds a credential (a password in the URL, a credential header, a
      credential field of the post data) is left out rather than shown masked - an option left out is
      left alone, so feeding the result back keeps the credential as it is.
    - In check mode, the cronjob as it would be. After deletion, and when the cronjob did not exist,
      an empty dict.
    - 'To feed it back, with the result registered as C(sync): give it as an entry of
      O(fastcron.cloud.fastcron_cron_batch#module:crons) - C(crons: ["{{ sync.cron_params }}"]) - or to
      this module as the task''s C(args: "{{ sync.cron_params }}") (Ansible warns that templated
      C(args) are unsafe when their values come from untrusted sources; these come from the module).
      Either reports no change; an option set beside it (the Jinja2 C(combine) filter) changes that option only.'
  returned: always
  type: dict
  version_added: 0.2.0
  sample:
    name: nightly-backup
    url: https://app.example.com/cron/backup
    expression: "0 3 * * *"
    timezone: Europe/London
    timeout: 120
    instances: 0
    http_method: GET
    http_headers: {"X-Api-Version": "2"}
    post_data: ""
    notify: true
    group: backups
    enabled: true
'''

from ansible_collections.fastcron.cloud.plugins.module_utils._normal import is_id
from ansible_collections.fastcron.cloud.plugins.module_utils._state import StateRun
from ansible_collections.fastcron.cloud.plugins.module_utils.cron_options import (
    creation_problem,
    cron_argument_spec,
    cron_problem,
)
from ansible_collections.fastcron.cloud.plugins.module_utils.info import cron_params
from ansible_collections.fastcron.cloud.plugins.module_utils.masking import mask_option
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON


class CronModule(StateRun):
    resource = CRON
    masked_results = ('cron', 'crons', 'cron_params')

    def exit(self, **result):
        if 'cron' in result:
            result['cron_params'] = self.as_params(result['cron'])
        super().exit(**result)

    def as_params(self, cron):
        """The cronjob as options of this module, as fastcron_cron_info's as_params gives them, that fed back
        change nothing: the group as the task named it (else its id), and no option whose value holds a
        credential (it would be shown masked; an option left out is left alone)."""
        if self.module.params['state'] == 'absent' or not cron:
            return {}
        group = (self.module.params['group'] or '').strip()
        references = {cron.get('group'): group} if group and not is_id(group) else {}
        options = cron_params([cron], references)[0]
        return {option: value for option, value in options.items() if mask_option(option, value) == value}

    def check_options(self):
        """Refuse bad input before any request."""
        super().check_options()
        problem = cron_problem(self.module.params)
        if problem:
            self.fail(problem)

    def check_create(self):
        problem = creation_problem(self.module.params)
        if problem:
            self.fail(problem)


def main():
    CronModule.execute(**cron_argument_spec())


if __name__ == '__main__':
    main()
