# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection options every module takes, and the limits they are checked against.

Declarations only: fastcron_argument_spec() is mirrored by the ``fastcron`` doc fragment
(a unit test keeps them equal); the module run checks the values before any request.
"""

from __future__ import annotations

import re

from ansible.module_utils.basic import env_fallback

from ansible_collections.fastcron.cloud.plugins.module_utils.client import DEFAULT_RETRY_TIMEOUT

DEFAULT_API_URL = 'https://www.fastcron.com/api/v1'

# Upper bounds of the connection options: far above any sensible value, low
# enough that a typo cannot turn into a wait of centuries.
CONNECTION_LIMITS = (
    ('api_timeout', 1, 3600),
    ('api_retries', 0, 100),
    ('api_retry_max_delay', 0, 3600),
    ('api_retry_timeout', 0, 86400),
)
# A token is sent in an HTTP header: printable ASCII without spaces only.
TOKEN_PATTERN = re.compile(r'[\x21-\x7e]+')
# Characters that must never reach a URL or a header value.
CONTROL_CHARACTERS = re.compile(r'[\x00-\x1f\x7f]')


def fastcron_argument_spec():
    """The connection options of every module, documented by the fastcron doc fragment."""
    return dict(
        api_token=dict(type='str', aliases=['token'], no_log=True, fallback=(env_fallback, ['FASTCRON_API_TOKEN'])),
        api_url=dict(type='str', fallback=(env_fallback, ['FASTCRON_API_URL'])),
        api_timeout=dict(type='int', default=30),
        api_retries=dict(type='int', default=5),
        api_retry_max_delay=dict(type='int', default=30),
        api_retry_timeout=dict(
            type='int', default=DEFAULT_RETRY_TIMEOUT, fallback=(env_fallback, ['FASTCRON_API_RETRY_TIMEOUT'])
        ),
        validate_certs=dict(type='bool', default=True),
    )
