# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The normal forms of the fields of ``resources.py``: one per field, used for the check,
the request and the comparison, and the equalities of what the service may rewrite.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections import Counter

from ansible.module_utils.parsing.convert_bool import boolean


def _text(value):
    return '' if value is None else str(value)


def _folded(value):
    # The service may store an expression with other spacing than it was sent with.
    return ' '.join(_text(value).split())


def _stripped(value):
    return _text(value).strip()


# The keywords the service replaces at run time; its account setting that stamps every URL
# appends a query parameter holding one of them, which the API gives no way to read.
TIMESTAMP_KEYWORDS = ('__timestamp__', '__timestamp_ms__')
# scheme://authority, then the rest; only the scheme and the host are case-insensitive.
URL_PARTS = re.compile(r'(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<authority>[^/?#]*)(?P<rest>.*)', re.DOTALL)


def _url(value):
    """A URL in the form compared: spaces around it removed, the scheme and the host in lower case."""
    text = _stripped(value)
    parts = URL_PARTS.fullmatch(text)
    if not parts:
        return text
    userinfo, at, host = parts.group('authority').rpartition('@')
    return parts.group('scheme').lower() + userinfo + at + host.lower() + parts.group('rest')


def _query(url):
    """(the URL before its query, its query parameters, its fragment with the #)."""
    main, hash_, fragment = url.partition('#')
    base, _dummy, query = main.partition('?')
    return base, [item for item in query.split('&') if item], hash_ + fragment


def _is_timestamp(parameter):
    name, _dummy, value = parameter.partition('=')
    return name in TIMESTAMP_KEYWORDS or value in TIMESTAMP_KEYWORDS


def _same_url(stored, sent):
    """Whether a stored URL is the one sent, once the timestamp parameters the sent one lacked are taken out."""
    stored, sent = _url(stored), _url(sent)
    if stored == sent:
        return True
    base, parameters, fragment = _query(stored)
    sent_base, sent_parameters, sent_fragment = _query(sent)
    spare = Counter(sent_parameters)
    kept = []
    for parameter in parameters:
        if spare[parameter]:
            spare[parameter] -= 1
        elif _is_timestamp(parameter):
            continue  # added by the service
        kept.append(parameter)
    return (base, kept, fragment) == (sent_base, sent_parameters, sent_fragment)


def _upper(value):
    return _text(value).strip().upper()


def _integer(value):
    return None if value is None or value == '' else int(value)


def _boolean(value):
    """Ansible's reading of a boolean (the words a bool option takes); any other value (null, 2, a list) is false."""
    try:
        return boolean(value, strict=False)
    except TypeError:  # older ansible-core (2.16) raises for a list or a dict
        return False


def is_id(value):
    """True for a value of ASCII digits only (str.isdigit also takes '²')."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


def _reference(value):
    # No group is null (some answers may carry 0). In check mode a group that an
    # earlier task would create stays a name.
    if value in (None, '', 0):
        return None
    if isinstance(value, str) and not is_id(value):
        return value
    return int(value)


def parse_headers(text, lower=True):
    """Raw ``Name: value`` lines as the API stores them, to a dict (names in lower case to compare)."""
    headers = {}
    for line in _text(text).replace('\r\n', '\n').split('\n'):
        name, sep, value = line.partition(':')
        if sep and name.strip():
            headers[name.strip().lower() if lower else name.strip()] = value.strip()
    return headers


def headers_to_text(headers):
    """The http_headers option as the API takes it: ``Name: value`` lines joined by CRLF."""
    return '\r\n'.join('%s: %s' % (name, str(value).strip()) for name, value in headers.items())


def _same(value):
    return value
