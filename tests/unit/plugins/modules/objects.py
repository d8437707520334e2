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
