# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The options of one cronjob: their argument spec and their checks.

fastcron_cron takes them as its options, fastcron_cron_batch as the options of
each entry of ``crons``; both refuse bad input with the same messages.
"""

from __future__ import annotations

import re

from ansible_collections.fastcron.cloud.plugins.module_utils._connection import CONTROL_CHARACTERS

# Taken in any case, sent and compared in upper case: choices would be case-sensitive.
HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']
KEYWORD_MAX_LENGTH = 100
# The vendor's highest published request timeout (plan caps below it are the service's to enforce);
# it documents no maximum delay, so the delay is bounded by what an API integer holds.
LIMITS = (('delay', 0, 2**31 - 1), ('timeout', 5, 7200), ('instances', 0, 5))
# A header name is an HTTP token (RFC 9110); a value may hold no control character but tab.
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
HEADER_VALUE_FORBIDDEN = re.compile(r'[\x00-\x08\x0a-\x1f\x7f]')


def cron_argument_spec():
    """The settings of a cronjob, besides its identity (name, id) and state."""
    return dict(
        url=dict(type='str'),
        expression=dict(type='str'),
        timezone=dict(type='str'),
        delay=dict(type='int'),
        timeout=dict(type='int'),
        instances=dict(type='int'),
        http_method=dict(type='str'),
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


def cron_problem(params):
    """What is wrong with the options of one cronjob, as a message naming the option; None when nothing is."""
    for name in ('name', 'url', 'expression'):
        if params[name] is not None and not params[name].strip():
            return '%s must not be empty.' % name
    url = params['url']
    if url is not None:
        if re.search(r'[\s\x00-\x1f\x7f]', url.strip()):
            return 'url must not contain spaces, line breaks or control characters; percent-encode them.'
        if not url.strip().lower().startswith(('http://', 'https://')):
            return 'url must start with http:// or https://, got %r.' % url
    for name in ('name', 'user_agent', 'username'):
        if params[name] is not None and CONTROL_CHARACTERS.search(params[name]):
            return '%s must be one line without control characters.' % name
    method = params['http_method']
    if method is not None and method.upper() not in HTTP_METHODS:
        return 'value of http_method must be one of: %s, in any case; got %r.' % (', '.join(HTTP_METHODS), method)
    for name, low, high in LIMITS:
        if params[name] is not None and not low <= params[name] <= high:
            return '%s must be between %d and %d, got %d.' % (name, low, high, params[name])
    if params['keyword'] is not None and len(params['keyword']) > KEYWORD_MAX_LENGTH:
        return 'keyword must be at most %d characters, got %d.' % (KEYWORD_MAX_LENGTH, len(params['keyword']))
    for header, value in (params['http_headers'] or {}).items():
        if not HEADER_NAME.fullmatch(header):
            return 'http_headers: %r is not a valid header name (letters, digits and !#$%%&\'*+.^_`|~- only).' % header
        if HEADER_VALUE_FORBIDDEN.search(str(value)):
            return 'http_headers: the value of %r must be one line without control characters.' % header
    return None


def creation_problem(params):
    """Why these options cannot create a cronjob; None when they can."""
    if params['url'] is None:
        return 'url is required to create the cronjob %r.' % params['name']
    return None
