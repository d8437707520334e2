# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the info modules return beside the API objects: execution results, next
runs, and objects as the options of the modules that manage them.

Pure functions, no I/O: the modules read, these shape what was read.
"""

from __future__ import annotations

import datetime
from collections import Counter

from ansible_collections.fastcron.cloud.plugins.module_utils._normal import is_id
from ansible_collections.fastcron.cloud.plugins.module_utils._results import snake_key
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON, GROUP

# The fields of an execution result (items of cron_logs and cron_failures), as the API reference lists them.
EXECUTION_RESULT_FIELDS = ('output', 'downloaded', 'http_status', 'error', 'time', 'execution_time', 'status')


def iso_time(timestamp):
    """A Unix timestamp in ISO 8601, UTC; None for a value that is no timestamp."""
    if isinstance(timestamp, bool):
        return None
    try:
        return datetime.datetime.fromtimestamp(int(float(timestamp)), datetime.timezone.utc).isoformat()
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def execution_result(item):
    """One item of cron_logs or cron_failures, flat, in snake_case, with its time in ISO 8601 as well.

    The reference puts the fields under ``result``; fields beside it, or an item
    without it, are kept too. The documented fields are always there (None when
    the service left one out).
    """
    if not isinstance(item, dict):
        item = {'result': item}
    fields = {key: value for key, value in item.items() if key != 'result'}
    result = item.get('result')
    if isinstance(result, dict):
        fields.update(result)
    elif result is not None:
        fields['result'] = result
    converted = dict.fromkeys(EXECUTION_RESULT_FIELDS)
    converted.update((snake_key(key), value) for key, value in fields.items())
    converted['time_iso'] = iso_time(converted['time'])
    return converted


def run_time(timestamp):
    """One time of cron_next: the timestamp as it came, and in ISO 8601, UTC."""
    return {'timestamp': timestamp, 'iso': iso_time(timestamp)}


def _blank(name):
    return not (isinstance(name, str) and name.strip())


def _usable_name(name, count):
    return not _blank(name) and count == 1


def _identified(obj, options, count):
    """The ``options`` of ``obj``, led by its id when its name is blank or shared (``count`` objects have it).

    A blank name is left out: the modules refuse an empty name.
    """
    return options if _usable_name(obj.get('name'), count) else _with_id(obj, options)


def _with_id(obj, options):
    """The ``options`` of ``obj`` led by its id; a blank name is left out."""
    rest = [(option, value) for option, value in options.items() if not (option == 'name' and _blank(obj.get('name')))]
    return dict([('id', obj.get('id')), *rest])


def group_params(groups, account_groups):
    """Groups as fastcron_group options: the name, and the id when the name does not single the group out
    among ``account_groups`` or cannot name it in a cronjob's group option (see group_references), so that
    the id can give the group where the cronjobs give it by id."""
    references = group_references(account_groups)
    params = []
    for group in groups:
        options = GROUP.as_options(group)
        params.append(options if references.get(group.get('id')) == group.get('name') else _with_id(group, options))
    return params


def group_references(groups):
    """{group id: the value of a cronjob's group option for it}.

    The name when it names only that group and cannot be read as an ID;
    otherwise the ID, as a string (the group option takes either).
    """
    counts = Counter(group.get('name') for group in groups)
    references = {}
    for group in groups:
        name = group.get('name')
        usable = _usable_name(name, counts[name]) and name == name.strip() and not is_id(name)
        references[group.get('id')] = name if usable else str(group.get('id'))
    return references


def cron_params(crons, references):
    """Cronjobs as fastcron_cron options, in the order given.

    Only settable fields the service returned, never a password, no null
    value; ``enabled`` only for status 0 or 1; the group by ``references``
    (see group_references), "" for none. A cronjob whose name is blank or
    shared with another of ``crons`` is given by its id as well.
    """
    counts = Counter(cron.get('name') for cron in crons)
    params = []
    for cron in crons:
        options = CRON.as_options(cron)
        if 'group' in options:
            group = options['group']
            key = int(group) if is_id(str(group)) else group
            options['group'] = '' if key in (None, '', 0) else references.get(key, str(group))
        options = {option: value for option, value in options.items() if value is not None}
        params.append(_identified(cron, options, counts[cron.get('name')]))
    return params
