# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Results in the options' language: every key of every result in snake_case, named as the options are.

The API speaks camelCase (``httpMethod``, ``jobCount``); the options, the diffs
and the results speak snake_case (``http_method``, ``job_count``), so that a
result fed back as options means what it says. A field that backs an option is
named as the option; any other field (one the service adds) is converted the
same way. Keys only: values stay as they came, and a dict whose keys are the
user's (header names, the JSON keys of a payload) is left as it is.

Pure functions, no I/O: every module's result passes through ``result_keys``
once, on its way out.
"""

from __future__ import annotations

import functools

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.fastcron.cloud.plugins.module_utils.resources import ACCOUNT, CRON, GROUP

# Result keys left as they are: a diff already speaks option names, and a batch's diff is keyed by the
# entries' own labels; the invocation is Ansible's.
KEPT_KEYS = ('diff', 'invocation')
# Values whose keys are the user's, at any depth: header names, the JSON keys of a payload.
USER_KEYED = ('http_headers', 'payload')


def _option_names():
    names = {}
    for resource in (CRON, GROUP, ACCOUNT):
        for field in resource.fields:
            names[field.api] = field.option
    return names


# API field -> option, for the fields that back an option (``httpHeaders`` is ``http_headers``).
OPTION_NAMES = _option_names()


# The same few names come back in every object of a listing: each is converted once.
@functools.lru_cache(maxsize=4096)
def snake_key(name):
    """An API field name as results show it: the option it backs, or in snake_case (``httpStatus``: ``http_status``)."""
    if not isinstance(name, str):
        return name  # a key of another type is nobody's camelCase
    if name in OPTION_NAMES:
        return OPTION_NAMES[name]
    return next(iter(camel_dict_to_snake_dict({name: None})))


def snake_keys(value):
    """``value`` with the keys of its dicts, at any depth, as ``snake_key`` names them; values untouched.

    The dicts under a USER_KEYED key keep their keys. (camel_dict_to_snake_dict's own ``ignore_list``
    protects them at the top level only, its nested calls get none, so the walk is done here.)
    """
    if isinstance(value, list):
        return [snake_keys(item) for item in value]
    if not isinstance(value, dict):
        return value
    converted = {}
    for key, item in value.items():
        name = snake_key(key)
        converted[name] = item if name in USER_KEYED else snake_keys(item)
    return converted


def result_keys(result):
    """A module's result with every object it holds in the options' language (see the module's docstring)."""
    return {key: value if key in KEPT_KEYS else snake_keys(value) for key, value in result.items()}
