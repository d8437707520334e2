# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API objects as the service returns them, for scripted answers."""

from __future__ import annotations


def cron(cron_id, name, **fields):
    """A cronjob object with every field of the reference's object table; ``fields`` override."""
    job = {
        'id': cron_id,
        'group': None,
        'expression': '15 minutes',
        'timezone': 'Europe/London',
        'timeout': 30,
        'instances': 0,
        'url': 'https://x.test/%s' % name,
        'httpMethod': 'GET',
        'httpHeaders': '',
        'postData': '',
        'fail': 0,
        'status': 0,
        'name': name,
        'notify': True,
        'priority': 0,
        'points': 1,
    }
    job.update(fields)
    return job


# The API's camelCase fields, as results name them (the options' names, else plain snake_case).
RESULT_NAMES = {
    'httpMethod': 'http_method',
    'httpHeaders': 'http_headers',
    'postData': 'post_data',
    'userAgent': 'user_agent',
    'jobCount': 'job_count',
    'dailyExec': 'daily_exec',
    'memberLimit': 'member_limit',
    'expiryDate': 'expiry_date',
}


def shown(obj):
    """An API object (cronjob, group, account) with its keys as results name them; values unchanged.

    A camelCase key this table does not know fails, so a new field is looked at once.
    """
    named = {}
    for key, value in obj.items():
        name = RESULT_NAMES.get(key, key)
        assert name == name.lower(), 'no result name for %r' % key
        named[name] = value
    return named


def unanswered(warning):
    """The option a "FastCron answered without <option>" warning names; None for another warning."""
    words = warning.split(' ')
    return words[3].rstrip(',') if warning.startswith('FastCron answered without ') else None
