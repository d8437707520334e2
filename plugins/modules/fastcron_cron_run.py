#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: fastcron_cron_run
short_description: Run a FastCron cronjob now or at a given time
version_added: 0.2.0
description:
  - Asks FastCron to run a cronjob once, now or at a given time, optionally with a payload.
  - The cronjob is found by O(id) when given, else by its exact O(name).
  - Every run is a change. A run whose answer is lost is never sent again, so a cronjob never
    runs twice because of this module; the task then fails and says that it may have run.
author:
  - fastcron.cloud maintainers (@fastcron-ansible)
options:
  run_at:
    description:
      - When to run it, as a Unix timestamp (ASCII digits only) or an ISO 8601 date and time such as
        V(2026-12-01T07:30:00+01:00) (without a zone, UTC).
      - Left out, FastCron runs it within the next minute.
    type: str
  payload:
    description:
      - Data for this run. A dict is sent as JSON, a string as given.
      - For V(POST), V(PUT) and V(PATCH) cronjobs it replaces the request body of this run; for
        the other methods it must be a query string, appended to the URL. JSON (a dict, or a
        string starting with V({) or V([)) for a cronjob whose method FastCron reports and is
        another one fails before the run is asked for. When FastCron's answer does not carry the
        method (its example objects do not), the payload is sent and FastCron answers for it.
    type: raw
extends_documentation_fragment: [fastcron.cloud.fastcron, fastcron.cloud.fastcron.target]
attributes:
  check_mode:
    support: full
    description: Check mode finds the cronjob, checks that it can run, and asks for nothing.
  diff_mode:
    support: none
    description: A run changes no setting of the cronjob.
seealso:
  - module: fastcron.cloud.fastcron_cron
notes:
  - FastCron does not run disabled cronjobs, so a cronjob it reports as disabled (status V(1)) fails
    the task before anything is sent. For any other status (a paused cronjob, or one stopped by
    failures) the run is asked for, and FastCron's answer, an error naming C(cron_run) if it refuses,
    is the result.
  - The module makes two requests, the look-up and the run (three when a name is not found by
    the keyword search).
  - The credentials a cronjob carries are masked in every output of the module, at every verbosity
    and with C(--diff) - results, diffs, the invocation, warnings, error messages and the module's
    log line. C(password), the password in a URL, the values of credential headers (C(Authorization),
    C(Proxy-Authorization), C(Cookie), names containing C(token), C(key), C(secret), C(auth), C(session),
    C(password) and a few more) and of query, form or JSON fields with such names are shown as
    C(********) where they stand, so the rest still shows; comparing uses the real values. The
    collection's guide "Credentials in cronjobs" lists what is masked and what is not.
  - The values of fields of O(payload) with such names are masked too.
'''

EXAMPLES = r'''
- name: Run the nightly report now
  fastcron.cloud.fastcron_cron_run:
    name: nightly-report

# A dict payload is sent as JSON, in place of the request body of this run: that takes a cronjob
# whose http_method is POST, PUT or PATCH. For GET and the others, give a query string (shop=eu).
- name: Rebuild the search index in an hour, for one shop only (a POST cronjob)
  fastcron.cloud.fastcron_cron_run:
    name: rebuild-index
    run_at: "{{ now(utc=true).timestamp() | int + 3600 }}"
    payload:
      shop: eu
'''

RETURN = r'''
run_at:
  description: When FastCron will run the cronjob (in check mode, when it was asked to).
  returned: success
  type: dict
  contains:
    timestamp:
      description: Unix timestamp.
      type: int
      sample: 1796164200
    iso:
      description: The same time in ISO 8601, UTC.
      type: str
      sample: "2026-12-01T22:30:00+00:00"
cron:
  description:
    - The cronjob that runs, as the API returned it when it was looked up, its credentials masked.
    - See RV(fastcron.cloud.fastcron_cron#module:cron) for the fields, named as the options are (since 0.2.0).
  returned: success
  type: dict
  sample: {"id": 1042, "name": "nightly-report", "http_method": "GET", "status": 0, "status_name": "active",
           "enabled": true}
'''

import datetime
import json
import time

from ansible_collections.fastcron.cloud.plugins.module_utils._action import ActionRun
from ansible_collections.fastcron.cloud.plugins.module_utils._normal import is_id
from ansible_collections.fastcron.cloud.plugins.module_utils.info import run_time
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import NEVER_RESEND, STATUS_DISABLED, Operation

BODY_METHODS = ('POST', 'PUT', 'PATCH')


class CronRunModule(ActionRun):
    operation = Operation('cron_run', NEVER_RESEND)

    def prepare(self):
        request = {}
        if self.module.params['run_at'] is not None:
            request['time'] = self.timestamp(self.module.params['run_at'].strip())
        payload = self.module.params['payload']
        if isinstance(payload, (dict, list)):
            payload = json.dumps(payload)
        if payload is not None:
            request['payload'] = str(payload)
        return request

    def timestamp(self, value):
        """run_at as a Unix timestamp: ASCII digits are one, anything else must be ISO 8601."""
        if is_id(value):
            return int(value)
        try:
            stamp = datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))
        except ValueError:
            self.fail('run_at must be a Unix timestamp or an ISO 8601 date and time, got %r.' % value)
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=datetime.timezone.utc)
        return int(stamp.timestamp())

    def check_target(self, target, request):
        # Refused here only what the reference says cannot work; the service answers for the rest.
        method = str(target.get('httpMethod') or '').strip().upper()
        json_payload = request.get('payload', '').lstrip().startswith(('{', '['))
        if json_payload and method and method not in BODY_METHODS:
            self.fail(
                'payload: FastCron takes JSON only for POST, PUT and PATCH cronjobs; cronjob %s uses %s. '
                'Give a query string instead.' % (target['id'], method)
            )
        if str(target.get('status')).strip() == str(STATUS_DISABLED):
            self.fail(
                'cronjob %s is disabled; FastCron does not run disabled cronjobs. Enable it first.' % target['id']
            )

    def outcome(self, target, data, request):
        timestamp = int(data) if data is not None else request.get('time') or (int(time.time()) // 60 + 1) * 60
        return {'run_at': run_time(timestamp), 'cron': self.resource.public(target)}


def main():
    CronRunModule.execute(run_at=dict(type='str'), payload=dict(type='raw'))


if __name__ == '__main__':
    main()
