# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credentials in free text: messages and warnings that may echo what was sent.

The rule of ``masking.py`` applied to text rather than to fields: the known secrets of the
arguments, the URLs in the text and ``name: value`` pairs of credential names. Pure
functions, no I/O, no Ansible.
"""

from __future__ import annotations

import contextlib
import json
import re
from urllib.parse import unquote_plus

from ansible_collections.fastcron.cloud.plugins.module_utils.masking import (
    MASK,
    SCHEME_HEADERS,
    SCHEME_VALUE,
    SECRET_WORDS,
    _header_lines,
    _pairs,
    _split_query,
    _split_url,
    is_secret_name,
    mask_url,
)

# Secrets shorter than this are never searched for in free text: they would match too much
# (ids, numbers). Their fields are masked by rendering, whatever their length.
MIN_TEXT_SECRET = 6

_URL_IN_TEXT = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*://[^\s\'"<>`]+')
_NAME_VALUE_IN_TEXT = re.compile(
    r'(?P<name>[A-Za-z0-9_.-]*(?:%s)[A-Za-z0-9_.-]*)(?P<sep>["\']?[ \t]*[:=][ \t]*["\']?)'
    r'(?P<scheme>(?:Bearer|Basic|Digest|Token|Negotiate)[ \t]+)?(?P<value>[^\s"\'&;,}\]]+)' % '|'.join(SECRET_WORDS),
    re.IGNORECASE,
)


def secret_values(obj):
    """The credential values in options or API objects (dicts, lists of them), whole and as they stand
    in the URL, headers and bodies; for masking free text that may echo them."""
    found = set()
    _collect(obj, found)
    return {value for value in found if len(value) >= MIN_TEXT_SECRET}


def _collect(obj, found):
    if isinstance(obj, list):
        for item in obj:
            _collect(item, found)
        return
    if not isinstance(obj, dict):
        return
    for key, value in obj.items():
        if value is None:
            continue
        if key in ('password', 'api_token', 'token'):
            found.add(str(value))
        elif key == 'url' and isinstance(value, str):
            _collect_url(value, found)
        elif key in ('http_headers', 'httpHeaders'):
            headers = value.items() if isinstance(value, dict) else _header_lines(str(value)).items()
            for name, item in headers:
                if is_secret_name(name):
                    _collect_header(name, str(item).strip(), found)
        elif key in ('post_data', 'postData', 'payload'):
            _collect_body(value, found)
        elif isinstance(value, list):
            _collect(value, found)


def _collect_header(name, text, found):
    # "Authorization: Bearer xyz": the credential is what follows the scheme word, which stays shown.
    scheme = SCHEME_VALUE.match(text) if str(name).strip().lower() in SCHEME_HEADERS else None
    credential = text.replace(scheme.group(0)[:-1], '', 1) if scheme else text
    found.add(credential.strip())


def _collect_url(url, found):
    split = _split_url(url)
    rest = url
    if split is not None:
        if split[1] and ':' in split[1]:
            found.add(split[1].partition(':')[2])
        rest = split[2]
    _dummy, query, fragment = _split_query(rest)
    for part in (query, fragment):
        if part:
            _collect_pairs(part, found)


def _collect_pairs(text, found):
    for name, value in _pairs(text).items():
        if value and is_secret_name(unquote_plus(name)):
            found.add(value)
            found.add(unquote_plus(value))


def _collect_body(value, found):
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = json.loads(value) if value.strip().startswith(('{', '[')) else value
    if isinstance(value, str):
        _collect_pairs(value, found)
    else:
        _collect_json(value, found)


def _collect_json(value, found):
    if isinstance(value, dict):
        for key, item in value.items():
            if is_secret_name(key) and item not in (None, '') and not isinstance(item, (dict, list)):
                found.add(str(item))
            else:
                _collect_json(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect_json(item, found)


def mask_text(text, secrets=()):
    """Free text (a message, a warning) with credentials masked: the ``secrets`` it may echo, the
    passwords and credential fields of the URLs in it, and ``name: value`` or ``name=value`` pairs
    of credential names."""
    if not isinstance(text, str) or not text:
        return text
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    text = _URL_IN_TEXT.sub(lambda match: mask_url(match.group(0)), text)
    return _NAME_VALUE_IN_TEXT.sub(_mask_name_value, text)


def _mask_name_value(match):
    if match.group('value') == MASK:
        return match.group(0)
    return '%s%s%s%s' % (match.group('name'), match.group('sep'), match.group('scheme') or '', MASK)
