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
      - How long to pause it, as FastCron takes it, for example V(15 minutes), V(1 hour), V(1 week)
        or V(1 hour 30 minutes).
      - One line of terms, each a whole number and a unit, V(second), V(minute), V(hour), V(day),
        V(week) or V(month), singular or plural, in any case; the terms add up and their sum must be
        above zero. Each number is at most 100000 and the whole value at most 200 characters.
        Anything else (empty, control characters, signs, fractions, words) fails before any request.
        It is sent in lower case, one space apart.
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

- name: Hold the weekly export for a week and a half
  fastcron.cloud.fastcron_cron_pause:
    name: weekly-export
    for: 1 week 3 days 12 hours

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
    - See RV(fastcron.cloud.fastcron_cron#module:cron) for the fields, named as the options are (since 0.2.0).
  returned: success
  type: dict
  sample: {"id": 1042, "name": "nightly-report", "status": 5, "status_name": "unknown", "enabled": null}
'''

import re

from ansible_collections.fastcron.cloud.plugins.module_utils._action import ActionRun
from ansible_collections.fastcron.cloud.plugins.module_utils._connection import CONTROL_CHARACTERS
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import RESEND, Operation

# The reference's durations ("15 minutes, 1 hour, 1 day, etc.") are read like PHP's strtotime:
# <number> <unit> terms, seconds to months, which may be combined ("1 hour 30 minutes").
TERM = re.compile(r'([0-9]+) *(second|minute|hour|day|week|month)s?', re.IGNORECASE)
DURATION = re.compile(r' *%s( +%s)* *' % (TERM.pattern, TERM.pattern), re.IGNORECASE)
# A number of any unit above this is a typo, not a pause (100000 minutes are 69 days); the whole
# value is at most this long (ten terms and more).
MAX_NUMBER = 100000
MAX_LENGTH = 200


def duration_problem(value):
    """Why ``value`` is no duration to send as ``for``; None when it is one."""
    if not value.strip():
        return 'for must not be empty; leave it out for FastCron\'s default time.'
    if len(value) > MAX_LENGTH:
        return 'for must be at most %d characters, got %d.' % (MAX_LENGTH, len(value))
    if CONTROL_CHARACTERS.search(value):
        return 'for must be one line without control characters, got %r.' % value
    if not DURATION.fullmatch(value):
        return (
            'for must be one or more terms of a whole number and a unit (seconds, minutes, hours, days, weeks '
            'or months), such as "15 minutes", "1 week" or "1 hour 30 minutes"; got %r.' % value
        )
    numbers = [int(number) for number, dummy in TERM.findall(value)]
    if max(numbers) > MAX_NUMBER:
        return 'for: each number must be at most %d, got %d.' % (MAX_NUMBER, max(numbers))
    if not any(numbers):
        return 'for must be a time above zero, got %r.' % value
    return None


def duration(value):
    """The ``for`` option as it is sent: its terms in lower case, one space apart."""
    return ' '.join(
        '%d %s' % (int(term.group(1)), term.group(0).replace(term.group(1), '', 1).strip().lower())
        for term in TERM.finditer(value)
    )


class CronPauseModule(ActionRun):
    # A lost answer may be resent: a second pause starts again from now.
    operation = Operation('cron_pause', RESEND)

    def prepare(self):
        value = self.module.params['for']
        if value is None:
            return {}
        problem = duration_problem(value)
        if problem:
            self.fail(problem)
        return {'for': duration(value)}


def main():
    CronPauseModule.execute(**{'for': dict(type='str')})


if __name__ == '__main__':
    main()
