# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How cronjob options map to API fields, and how the two are compared.

Pure functions, no I/O: the fastcron_cron module feeds them the requested
options and the object the API returned.
"""

from __future__ import annotations


def _text(value):
    return '' if value is None else str(value)


def _expression(value):
    # The service may store an expression with other spacing than it was sent with.
    return ' '.join(_text(value).split())


def _upper(value):
    return _text(value).upper()


def _integer(value):
    return None if value is None or value == '' else int(value)


def _boolean(value):
    if isinstance(value, str):
        return value.strip().lower() in ('1', 'true', 'yes', 'on')
    return bool(value)


def _group(value):
    # The API has no group as null; some answers may carry 0 for it. In check
    # mode a group that an earlier task would create stays a name.
    if value in (None, '', 0):
        return None
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        return value
    return int(value)


def parse_headers(text):
    """Raw ``Name: value`` lines as the API stores them, to a dict with lower-case names."""
    headers = {}
    for line in _text(text).replace('\r\n', '\n').split('\n'):
        name, sep, value = line.partition(':')
        if sep and name.strip():
            headers[name.strip().lower()] = value.strip()
    return headers


def headers_to_text(headers):
    """The http_headers option as the API takes it: ``Name: value`` lines joined by CRLF."""
    return '\r\n'.join('%s: %s' % (name, str(value).strip()) for name, value in headers.items())


class Field:
    """One cronjob option: its API name, its normal form, and whether the API may leave it out."""

    def __init__(self, option, api, normalise, may_be_unreturned=False):
        self.option = option
        self.api = api
        self.normalise = normalise
        self.may_be_unreturned = may_be_unreturned


# The API may or may not return delay, username, userAgent and keyword (the
# reference leaves it open); those are compared only when they come back.
FIELDS = (
    Field('name', 'name', _text),
    Field('url', 'url', _text),
    Field('expression', 'expression', _expression),
    Field('timezone', 'timezone', _text),
    Field('delay', 'delay', _integer, may_be_unreturned=True),
    Field('timeout', 'timeout', _integer),
    Field('instances', 'instances', _integer),
    Field('http_method', 'httpMethod', _upper),
    Field('post_data', 'postData', _text),
    Field('http_headers', 'httpHeaders', parse_headers),
    Field('user_agent', 'userAgent', _text, may_be_unreturned=True),
    Field('username', 'username', _text, may_be_unreturned=True),
    Field('notify', 'notify', _boolean),
    Field('keyword', 'keyword', _text, may_be_unreturned=True),
    Field('group', 'group', _group),
)

FIELD_OPTIONS = tuple(field.option for field in FIELDS)


def to_api_value(field, value):
    """A requested option value in the form the API takes.

    The one normalisation of an option: what is checked, sent and compared.
    """
    if field.option == 'http_headers':
        return headers_to_text(value)
    if field.option == 'http_method':
        return value.upper()
    if field.option == 'expression':
        return _expression(value)
    if field.option in ('url', 'timezone'):
        return value.strip()
    return value


def requested_fields(params, group_id):
    """The options the user set, by Field; ``group`` already resolved to an id (or None)."""
    requested = {}
    for field in FIELDS:
        value = params.get(field.option)
        if value is None:
            continue
        requested[field] = group_id if field.option == 'group' else value
    return requested


def is_enabled(cron):
    """Status 0 means active; every other status (disabled, paused, failing) is not."""
    return _integer(cron.get('status')) == 0


def compare(current, requested):
    """What must change to go from the ``current`` API object to the ``requested`` fields.

    Returns (changes, before, after): ``changes`` maps API names to the values to
    send; ``before`` and ``after`` map the option names of the fields that differ
    to their normalised values. Fields the API did not return are not compared.
    """
    changes, before, after = {}, {}, {}
    for field, value in requested.items():
        if field.api not in current and field.may_be_unreturned:
            continue
        have = field.normalise(current.get(field.api))
        want = field.normalise(to_api_value(field, value))
        if have != want:
            changes[field.api] = to_api_value(field, value)
            before[field.option] = have
            after[field.option] = want
    return changes, before, after


def creation_fields(requested):
    """The API parameters of a cron_add, and the option view of them for the diff."""
    params, view = {}, {}
    for field, value in requested.items():
        params[field.api] = to_api_value(field, value)
        view[field.option] = field.normalise(params[field.api])
    return params, view


def option_view(cron):
    """A cronjob object as option names and normalised values, for the diff of a deletion."""
    view = dict((field.option, field.normalise(cron[field.api])) for field in FIELDS if field.api in cron)
    view['enabled'] = is_enabled(cron)
    return view


def without_secrets(cron):
    """The API object as returned to the user: never a password."""
    if cron is None:
        return {}
    return dict((key, value) for key, value in cron.items() if key != 'password')
