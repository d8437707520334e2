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
options:
  state:
    description:
      - Whether the cronjob should exist.
    type: str
    choices: [ present, absent ]
    default: present
  url:
    description:
      - The URL FastCron calls. Required to create a cronjob.
      - Spaces around it are removed; spaces, line breaks and control characters inside it
        are refused (percent-encode them).
    type: str
  expression:
    description:
      - When to run, as crontab syntax (V(*/5 * * * *)), an English interval (V(5 minutes),
        V(1 day 17:05)), a one-time date, or V(manual) to run only when triggered.
      - Compared with runs of whitespace folded into one space.
      - FastCron uses V(15 minutes) when a cronjob is created without it.
    type: str
  timezone:
    description:
      - IANA time zone of the expression, for example V(Europe/London).
      - FastCron uses the account's time zone when a cronjob is created without it.
    type: str
  delay:
    description:
      - Random delay before each run, in minutes, from V(0) to V(2147483647).
      - FastCron documents no maximum; the bound is what an API integer holds.
      - Write-only when the API does not return it; see the notes.
    type: int
  timeout:
    description:
      - Seconds to wait for the URL to answer, from V(5) to V(7200).
      - V(7200) is the longest request timeout FastCron offers; plans may allow less, which
        the service enforces.
    type: int
  instances:
    description:
      - How many runs may overlap; V(0) for unlimited, V(1) to V(5) otherwise.
    type: int
  http_method:
    description:
      - HTTP method used to call the URL.
    type: str
    choices: [ GET, POST, PUT, PATCH, DELETE, HEAD ]
  post_data:
    description:
      - Request body for V(POST), V(PUT) and V(PATCH), either a query string without newlines or JSON.
    type: str
  http_headers:
    description:
      - HTTP headers sent with each call, as a dict of header names to values.
      - Names are HTTP tokens (letters, digits and the punctuation that HTTP allows in a
        header name, no spaces); values are one line without control characters, spaces
        around them removed.
      - Compared with header names in any case; V({}) removes every header.
    type: dict
  user_agent:
    description:
      - User-Agent header of each call; one line without control characters.
      - Write-only when the API does not return it; see the notes.
    type: str
  username:
    description:
      - User name for HTTP basic authentication; one line without control characters.
      - Write-only when the API does not return it; see the notes.
    type: str
  password:
    description:
      - Password for HTTP basic authentication.
      - The API never returns it, so it is sent as O(update_password) says.
    type: str
  update_password:
    description:
      - V(on_create) sends O(password) only when the cronjob is created.
      - V(always) sends O(password) on every run, which then always reports a change.
    type: str
    choices: [ always, on_create ]
    default: on_create
  notify:
    description:
      - Whether FastCron notifies the account when a run fails.
    type: bool
  keyword:
    description:
      - Text that must appear in the output of the URL for a run to succeed; at most 100 characters.
      - Write-only when the API does not return it; see the notes.
    type: str
  group:
    description:
      - The group of the cronjob, as a group name or a numeric group ID.
      - A value made only of the digits V(0) to V(9) is taken as an ID.
      - V("") takes the cronjob out of its group. Left out, the group is not changed.
      - An unknown group fails the task before anything is written. In check mode an unknown
        group name only warns, since an earlier task of the play may create it.
    type: str
  enabled:
    description:
      - V(true) makes the cronjob active (status V(0)), V(false) disables it (status V(1)).
      - A paused cronjob, or one stopped by failures, is neither; V(true) activates it and
        V(false) disables it, so that it does not run again when the pause ends.
      - A cronjob FastCron will not activate (the account expired, or the daily limit is
        reached) fails the task with its status instead of reporting a change.
    type: bool
extends_documentation_fragment: [fastcron.cloud.fastcron, fastcron.cloud.fastcron.identity, fastcron.cloud.attributes.state]
seealso:
  - module: fastcron.cloud.fastcron_cron_info
  - module: fastcron.cloud.fastcron_group
  - module: ansible.builtin.user
    description: The same O(update_password) choices for a secret that cannot be read back.
  - name: FastCron API documentation
    description: The HTTP API the module uses.
    link: https://www.fastcron.com/api
notes:
  - A run that changes nothing makes one API request. Creating or updating makes two;
    a group given by name adds one, and changing O(enabled) adds one.
  - A create whose answer is lost is never sent again, so it cannot make a duplicate. One
    look-up by name adopts the new cronjob, or the task fails saying that a rerun adopts or
    creates it. Edits, enabling and disabling are sent again; a delete that fails is checked
    by a look-up, and a cronjob that is gone counts as deleted.
  - Looking a cronjob up by name and creating it happen under a lock per account and name
    on the controller, so parallel forks and playbooks create it once.
  - The FastCron API documents no read-back of O(delay), O(username), O(user_agent) and
    O(keyword). When the API returns them, they are compared like the other options.
    When it does not, they are sent when the cronjob is created and left alone afterwards,
    so that a run does not report a change it cannot verify. To change such a value on an
    existing cronjob, delete and re-create it, or use the FastCron web interface.
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
    name: legacy-sync
    state: absent
'''

RETURN = r'''
cron:
  description:
    - The cronjob as the API returns it, never with a password.
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
      description:
        - The meaning of RV(cron.status), added by this collection - V(active), V(disabled), V(expired),
          V(inactive), V(failed), or V(unknown) for a value FastCron does not document.
      type: str
      sample: active
    httpMethod:
      description: HTTP method of each call.
      type: str
      sample: GET
    httpHeaders:
      description: Raw header lines.
      type: str
      sample: "X-Api-Version: 2"
    postData:
      description: Request body.
      type: str
      sample: ""
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
    httpMethod: GET
    httpHeaders: ""
    postData: ""
    timeout: 120
    instances: 0
    notify: true
    fail: 0
    priority: 0
    points: 1
'''

import re

from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import (
    CONTROL_CHARACTERS,
    StateModule,
)
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON

HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']
KEYWORD_MAX_LENGTH = 100
# The vendor's highest published request timeout (plan caps below it are the service's to enforce);
# it documents no maximum delay, so the delay is bounded by what an API integer holds.
LIMITS = (('delay', 0, 2 ** 31 - 1), ('timeout', 5, 7200), ('instances', 0, 5))
# A header name is an HTTP token (RFC 9110); a value may hold no control character but tab.
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
HEADER_VALUE_FORBIDDEN = re.compile(r'[\x00-\x08\x0a-\x1f\x7f]')


class CronModule(StateModule):
    resource = CRON

    def check_options(self):
        """Refuse bad input before any request."""
        super().check_options()
        params = self.module.params
        for name in ('url', 'expression'):
            if params[name] is not None and not params[name].strip():
                self.fail('%s must not be empty.' % name)
        url = params['url']
        if url is not None:
            if re.search(r'[\s\x00-\x1f\x7f]', url.strip()):
                self.fail('url must not contain spaces, line breaks or control characters; percent-encode them.')
            if not url.strip().lower().startswith(('http://', 'https://')):
                self.fail('url must start with http:// or https://, got %r.' % url)
        for name in ('user_agent', 'username'):
            if params[name] is not None and CONTROL_CHARACTERS.search(params[name]):
                self.fail('%s must be one line without control characters.' % name)
        for name, low, high in LIMITS:
            if params[name] is not None and not low <= params[name] <= high:
                self.fail('%s must be between %d and %d, got %d.' % (name, low, high, params[name]))
        if params['keyword'] is not None and len(params['keyword']) > KEYWORD_MAX_LENGTH:
            self.fail('keyword must be at most %d characters, got %d.' % (KEYWORD_MAX_LENGTH, len(params['keyword'])))
        for header, value in (params['http_headers'] or {}).items():
            if not HEADER_NAME.fullmatch(header):
                self.fail('http_headers: %r is not a valid header name (letters, digits and !#$%%&\'*+.^_`|~- only).' % header)
            if HEADER_VALUE_FORBIDDEN.search(str(value)):
                self.fail('http_headers: the value of %r must be one line without control characters.' % header)

    def check_create(self):
        if self.module.params['url'] is None:
            self.fail('url is required to create the cronjob %r.' % self.module.params['name'])


def main():
    CronModule.execute(
        url=dict(type='str'),
        expression=dict(type='str'),
        timezone=dict(type='str'),
        delay=dict(type='int'),
        timeout=dict(type='int'),
        instances=dict(type='int'),
        http_method=dict(type='str', choices=HTTP_METHODS),
        post_data=dict(type='str'),
        http_headers=dict(type='dict'),
        user_agent=dict(type='str'),
        username=dict(type='str'),
        password=dict(type='str', no_log=True),
        update_password=dict(type='str', choices=['always', 'on_create'], default='on_create', no_log=False),
        notify=dict(type='bool'),
        keyword=dict(type='str', no_log=False),
        group=dict(type='str'),
        enabled=dict(type='bool'),
    )


if __name__ == '__main__':
    main()
