# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The options of one cronjob: fastcron_cron's, and those of each entry of
    # fastcron_cron_batch's crons. Mirrors cron_argument_spec() and the state of
    # StateRun.options().
    DOCUMENTATION = r'''
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
      - Compared with the scheme and the host in lower case. A stored URL that adds query
        parameters whose name or value is V(__timestamp__) or V(__timestamp_ms__) to this URL
        counts as this URL, since an account setting of FastCron appends one to every URL.
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
        the service enforces. A value the service refuses fails the task with its error; a value
        it lowers to the plan's cap fails the task naming O(timeout), the value sent and the
        value kept.
    type: int
  instances:
    description:
      - How many runs may overlap; V(0) for unlimited, V(1) to V(5) otherwise.
    type: int
  http_method:
    description:
      - HTTP method used to call the URL, one of V(GET), V(POST), V(PUT), V(PATCH), V(DELETE) or V(HEAD).
      - Taken in any case (V(post) is V(POST)) and sent and compared in upper case, so a cronjob whose
        method is V(POST) is left alone by a task saying V(post).
    type: str
  post_data:
    description:
      - Request body for V(POST), V(PUT) and V(PATCH), either a query string without newlines or JSON.
      - V("") clears it (an empty string is sent, which clears it however FastCron reads V(null)).
    type: str
  http_headers:
    description:
      - HTTP headers sent with each call, as a dict of header names to values.
      - Names are HTTP tokens (letters, digits and the punctuation that HTTP allows in a
        header name, no spaces); values are one line without control characters, spaces
        around them removed.
      - Compared as a dict with header names in any case, whatever separator or spacing the
        service stores the lines with.
      - V({}) removes every header (an empty string is sent).
    type: dict
  user_agent:
    description:
      - User-Agent header of each call; one line without control characters.
      - V("") clears it (an empty string is sent).
      - Write-only when the API does not return it; see the notes.
    type: str
  username:
    description:
      - User name for HTTP basic authentication; one line without control characters.
      - V("") clears it (an empty string is sent).
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
      - V("") clears it (an empty string is sent).
      - Write-only when the API does not return it; see the notes.
    type: str
  group:
    description:
      - The group of the cronjob, as a group name or a numeric group ID.
      - A value made only of the digits V(0) to V(9) is taken as an ID.
      - V("") takes the cronjob out of its group. Left out, the group is not changed.
      - To take it out, V(null) is sent first; when the answer still shows the group (a
        service that reads V(null) as "not given"), V(0) is sent next. The result's
        C(cleared_with) says which form took.
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
'''
