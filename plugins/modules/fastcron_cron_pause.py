#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: fastcron_cron_pause
short_description: Pause a FastCron cronjob for a while
version_added: 0.2.0
description:
  - Asks FastCron to pause a cronjob for a given time, counted from now (C(cron_pause)).
  - The cronjob is found by O(id) when given, else by its exact O(name).
  - Every pause is a change. Pausing a paused cronjob starts its pause again from now, so a
    pause whose answer is lost is sent again.
author:
  - fastcron.cloud maintainers (@fastcron-ansible)
options:
  for:
    description:
      - How long to pause it, as FastCron takes it, for example V(15 minutes), V(1 hour) or V(2 days).
      - A whole number above zero and a unit, V(minute), V(hour) or V(day), singular or plural, in any case;
        anything else fails before any request. It is sent in lower case, with one space.
      - Left out, FastCron pauses it for its default time, which its API reference does not state.
    type: str
extends_documentation_fragment: [fastcron.cloud.fastcron, fastcron.cloud.fastcron.target]
attributes:
  check_mode:
    support: full
    description: Check mode finds the cronjob and asks for nothing.
  diff_mode:
    support: none
    description: A pause changes no setting of the cronjob, and FastCron reports no end of the pause to show.
seealso:
  - module: fastcron.cloud.fastcron_cron
  - module: fastcron.cloud.fastcron_cron_run
notes:
  - A pause is an action, not a state. FastCron returns no time at which a pause ends, and the status
    of a paused cronjob is not documented, so a module cannot read whether a cronjob is paused and
    until when, nor compare it with a wish. This is why pausing is a module of its own rather than an
    option of M(fastcron.cloud.fastcron_cron), whose options are all compared and left alone when
    they hold already.
  - The API reference documents no way to end a pause early.
  - What a pause does to a cronjob that is not active (disabled, stopped by failures) is not documented.
  - The module makes two requests, the look-up and the pause (three when a name is not found by the
    keyword search).
  - The credentials a cronjob carries are masked in every output of the module, at every verbosity
    and with C(--diff) - results, diffs, the invocation, warnings, error messages and the module's
    log line. C(password), the password in a URL, the values of credential headers (C(Authorization),
    C(Proxy-Authorization), C(Cookie), names containing C(token), C(key), C(secret), C(auth), C(session),
    C(password) and a few more) and of query, form or JSON fields with such names are shown as
    C(********) where they stand, so the rest still shows; comparing uses the real values. The
    collection's guide "Credentials in cronjobs" lists what is masked and what is not.
'''

EXAMPLES = r'''
- name: Hold the nightly report for the maintenance window
  fastcron.cloud.fastcron_cron_pause:
    name: nightly-report
    for: 2 hours

- name: Pause cronjob 1042 for FastCron's default time
  fastcron.cloud.fastcron_cron_pause:
    id: 1042
'''

RETURN = r'''
cron:
  description:
    - The paused cronjob as the API returned it, with C(status_name) added; in check mode, the
      cronjob as it was looked up. Its credentials are masked.
    - FastCron does not document the status of a paused cronjob; it is reported as it comes.
    - See RV(fastcron.cloud.fastcron_cron#module:cron) for the fields.
  returned: success
  type: dict
  sample: {"id": 1042, "name": "nightly-report", "status": 5, "status_name": "unknown"}
'''

import re

from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import ActionModule
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import RESEND, Operation

# The durations of the API reference (15 minutes, 1 hour, 1 day): a whole number and a unit.
DURATION = re.compile(r'\s*([0-9]+)\s*(minutes?|hours?|days?)\s*', re.IGNORECASE)


def duration(value):
    """The ``for`` option as it is sent, or None when it is not a duration FastCron documents."""
    match = DURATION.fullmatch(value)
    if match is None or int(match.group(1)) < 1:
        return None
    return '%d %s' % (int(match.group(1)), match.group(2).lower())


class CronPauseModule(ActionModule):
    # A lost answer may be resent: a second pause starts again from now.
    operation = Operation('cron_pause', RESEND)

    def check_options(self):
        value = self.module.params['for']
        self.duration = None
        if value is not None:
            self.duration = duration(value)
            if self.duration is None:
                self.fail('for must be a whole number above zero and a unit (minutes, hours or days), '
                          'such as "15 minutes", "1 hour" or "1 day"; got %r.' % value)

    def action_params(self, target):
        return {} if self.duration is None else {'for': self.duration}


def main():
    CronPauseModule.execute(**{'for': dict(type='str')})


if __name__ == '__main__':
    main()
