# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one rule that keeps the credentials a cronjob carries out of every output.

A secret is masked where it stands, so that the rest still shows:
``Bearer ********``, ``https://user:********@host/path?api_key=********&team=ops``.
What is masked: the password and the token; the password in a URL; the values
of credential headers (``Authorization``, ``Proxy-Authorization``, ``Cookie``
and every name holding one of SECRET_WORDS, in any case); the values of query
and form fields, and of JSON keys, with such names in the URL, the post data
and a run's payload.

Pure functions, no I/O and no Ansible: the cost is linear in what is masked,
and a value is replaced by the field it stands in, whatever its length, so a
short secret never blanks other text the way a registered no-log value does.
Comparing always uses the real values; only what is shown goes through here.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_plus

MASK = '********'
# Said after the mask of a secret that differs from the one before it, in a diff.
CHANGED = ' (changed)'
# A write-only secret sent again (update_password: always), in a diff.
SENT_AGAIN = '(changed)'

# A header, query, form or JSON field whose name holds one of these, in any case, is a credential.
SECRET_WORDS = ('token', 'key', 'secret', 'auth', 'session', 'passw', 'pwd', 'cookie', 'credential', 'signature')
# Header values that start with an authentication scheme, which stays shown: "Bearer ********".
SCHEME_HEADERS = ('authorization', 'proxy-authorization')
SCHEME_VALUE = re.compile(r'([A-Za-z][A-Za-z0-9!#$%&\'*+.^_`|~-]*)([ \t]+)\S')
_JSON_PAIR = re.compile(r'("(?:[^"\\]|\\.)*")(\s*:\s*)("(?:[^"\\]|\\.)*"|[^\s,}\]]+)')
_LINE_BREAK = re.compile(r'(\r\n|\n|\r)')


def is_secret_name(name):
    """Whether a header, query, form or JSON field of this name carries a credential."""
    lowered = str(name).lower()
    return any(word in lowered for word in SECRET_WORDS)


def _changed(previous, value):
    """The marker of a secret that differs from ``previous`` (None: nothing to compare with)."""
    return CHANGED if previous is not None and previous != value else ''


def _masked(value):
    """A whole secret: empty stays empty (nothing is hidden), anything else is the mask."""
    return value if value in (None, '') else MASK


# --- headers


def mask_header_value(name, value, previous=None):
    """The value of header ``name`` as shown: the mask for a credential, the scheme word kept."""
    text = '' if value is None else str(value)
    if not is_secret_name(name) or not text.strip():
        return value
    shown = MASK
    if str(name).strip().lower() in SCHEME_HEADERS:
        scheme = SCHEME_VALUE.match(text.strip())
        if scheme:
            shown = '%s %s' % (scheme.group(1), MASK)
    return shown + _changed(previous, value)


def mask_headers(headers, previous=None):
    """Headers as a dict of names to values, or raw ``Name: value`` lines, with credential values masked.

    ``previous`` (the same kind, from before a change) marks the credentials that changed.
    """
    if isinstance(headers, dict):
        before = previous if isinstance(previous, dict) else None
        return {
            name: mask_header_value(name, value, None if before is None else before.get(name, ''))
            for name, value in headers.items()
        }
    if not isinstance(headers, str):
        return headers
    before = _header_lines(previous) if isinstance(previous, str) else None
    parts = _LINE_BREAK.split(headers)
    for index in range(0, len(parts), 2):  # odd indexes hold the line breaks
        name, sep, value = parts[index].partition(':')
        if sep and is_secret_name(name.strip()) and value.strip():
            space = value[: len(value) - len(value.lstrip())]
            old = None if before is None else before.get(name.strip().lower(), '')
            parts[index] = '%s:%s%s' % (name, space, mask_header_value(name, value.strip(), old))
    return ''.join(parts)


def _header_lines(text):
    headers = {}
    for line in _LINE_BREAK.split(text)[::2]:
        name, sep, value = line.partition(':')
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers


# --- query strings, forms, URLs


def _pairs(text):
    pairs = {}
    for part in text.split('&'):
        name, sep, value = part.partition('=')
        if sep:
            pairs[name] = value
    return pairs


def mask_pairs(text, previous=None):
    """``name=value&...`` (a query string, a form) with the values of credential names masked."""
    before = _pairs(previous) if isinstance(previous, str) else None
    parts = text.split('&')
    for index, part in enumerate(parts):
        name, sep, value = part.partition('=')
        if sep and value and is_secret_name(unquote_plus(name)):
            parts[index] = '%s=%s%s' % (name, MASK, _changed(None if before is None else before.get(name, ''), value))
    return '&'.join(parts)


def _split_url(url):
    """(scheme://, user info without its @ or None, the rest) of an absolute URL; None when it is not one."""
    match = re.match(r'[A-Za-z][A-Za-z0-9+.-]*://', url)
    if not match:
        return None
    rest = url.partition(match.group(0))[2]
    end = len(rest)
    for stop in '/?#':
        found = rest.find(stop)
        if found != -1:
            end = min(end, found)
    userinfo, at, host = rest[:end].rpartition('@')
    return match.group(0), (userinfo if at else None), host + rest[end:]


def _split_query(rest):
    """(before the query, query or None, fragment or None) of the part of a URL after its user info."""
    head, hash_sign, fragment = rest.partition('#')
    path, question, query = head.partition('?')
    return path, (query if question else None), (fragment if hash_sign else None)


def mask_url(url, previous=None):
    """A URL with the password of its user info and the values of credential query fields masked.

    Without a password or such a field it comes back as it was, character for character.
    """
    if not isinstance(url, str):
        return url
    split = _split_url(url)
    old = _split_url(previous) if isinstance(previous, str) else None
    if split is None:
        return mask_pairs(url, previous if isinstance(previous, str) else None) if '=' in url else url
    scheme, userinfo, rest = split
    shown = scheme
    if userinfo is not None:
        user, colon, password = userinfo.partition(':')
        if colon and password:
            old_password = None
            if old is not None:
                old_password = (old[1] or '').partition(':')[2]
            shown += '%s:%s%s@' % (user, MASK, _changed(old_password, password))
        else:
            shown += userinfo + '@'
    path, query, fragment = _split_query(rest)
    _old_path, old_query, old_fragment = _split_query(old[2]) if old is not None else (None, None, None)
    if old is not None:
        old_query, old_fragment = old_query or '', old_fragment or ''
    shown += path
    if query is not None:
        shown += '?' + mask_pairs(query, old_query)
    if fragment is not None:
        shown += '#' + (mask_pairs(fragment, old_fragment) if '=' in fragment else fragment)
    return shown


# --- post data, payloads


def mask_json(value, previous=None):
    """Decoded JSON with the value of every key of a credential name masked, at any depth."""
    if isinstance(value, dict):
        before = previous if isinstance(previous, dict) else None
        masked = {}
        for key, item in value.items():
            old = None if before is None else before.get(key, '')
            if is_secret_name(key) and item not in (None, ''):
                masked[key] = MASK + _changed(old, item)
            else:
                masked[key] = mask_json(item, old if isinstance(old, (dict, list)) else None)
        return masked
    if isinstance(value, list):
        return [mask_json(item) for item in value]
    return value


def mask_post_data(text, previous=None):
    """A request body (JSON, or a form) with the values of credential fields masked.

    JSON whose fields are masked is shown re-encoded; a body with nothing to mask
    comes back as it was.
    """
    if not isinstance(text, str) or not text.strip():
        return text
    stripped = text.strip()
    if stripped.startswith(('{', '[')):
        try:
            data = json.loads(stripped)
        except ValueError:
            return _JSON_PAIR.sub(_mask_json_pair, text)
        old = None
        if isinstance(previous, str):
            try:
                old = json.loads(previous)
            except ValueError:
                old = None
        masked = mask_json(data, old)
        return text if masked == data else json.dumps(masked, ensure_ascii=False)
    return mask_pairs(text, previous if isinstance(previous, str) else None)


def _mask_json_pair(match):
    # Malformed JSON: mask what looks like "key": value.
    key, sep, _value = match.groups()
    return '%s%s"%s"' % (key, sep, MASK) if is_secret_name(key.strip('"')) else match.group(0)


def mask_payload(payload, previous=None):
    """A run's payload: a dict or list sent as JSON, or a string sent as given."""
    if isinstance(payload, (dict, list)):
        return mask_json(payload, previous)
    return mask_post_data(payload, previous)


# --- options, objects, diffs


def _whole(value, previous=None):
    return _masked(value)


# How each option (snake_case) or API field (camelCase) that may carry a credential is shown.
MASKERS = {
    'password': _whole,
    'api_token': _whole,
    'token': _whole,
    'url': mask_url,
    'http_headers': mask_headers,
    'httpHeaders': mask_headers,
    'post_data': mask_post_data,
    'postData': mask_post_data,
    'payload': mask_payload,
}


def mask_option(option, value):
    """One option value (or API field) of a cronjob as it may be shown: url, http_headers (a dict or raw
    lines), post_data, password, payload... masked; any other option comes back as it is."""
    masker = MASKERS.get(option)
    return value if masker is None or value is None else masker(value)


def mask_fields(obj):
    """A dict of options or an API object with its credentials masked, lists of such dicts (batch entries) too."""
    if not isinstance(obj, dict):
        return obj
    masked = {}
    for key, value in obj.items():
        if key in MASKERS:
            masked[key] = mask_option(key, value)
        elif isinstance(value, list):
            masked[key] = [mask_fields(item) if isinstance(item, dict) else item for item in value]
        else:
            masked[key] = value
    return masked


def mask_change(before, after):
    """The before and after views of one object (option names to values) as a diff shows them.

    Both sides are masked; a credential that differs is marked ``(changed)`` on the
    after side, so a rotated secret shows as changed without either value.
    """
    before = before if isinstance(before, dict) else {}
    shown_before, shown_after = mask_fields(before), {}
    for option, value in (after if isinstance(after, dict) else {}).items():
        masker = MASKERS.get(option)
        if masker is None or value is None:
            shown_after[option] = value
        elif option == 'password' and value == SENT_AGAIN:
            shown_after[option] = value  # the marker of a password sent again, never the password
        else:
            shown_after[option] = masker(value, before.get(option) if option in before else None)
    return shown_before, shown_after
