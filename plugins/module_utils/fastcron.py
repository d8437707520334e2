# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The resource layer shared by the fastcron.cloud modules.

It validates the connection options, owns the one API client of a module run,
turns API failures into clean task failures, and carries the find / compare /
diff / write steps that every module repeats.
"""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.fastcron.cloud.plugins.module_utils.client import (
    HAS_REQUESTS,
    INVALID_TOKEN_CODE,
    REQUESTS_IMPORT_ERROR,
    FastCronApiError,
    FastCronClient,
)

DEFAULT_API_URL = 'https://www.fastcron.com/api/v1'
CRON_LIST_PAGE_SIZE = 1000


def fastcron_argument_spec():
    """The connection options of every module, documented by the fastcron doc fragment."""
    return dict(
        api_token=dict(type='str', aliases=['token'], no_log=True, fallback=(env_fallback, ['FASTCRON_API_TOKEN'])),
        api_url=dict(type='str', fallback=(env_fallback, ['FASTCRON_API_URL'])),
        api_timeout=dict(type='int', default=30),
        api_retries=dict(type='int', default=5),
        api_retry_max_delay=dict(type='int', default=30),
        validate_certs=dict(type='bool', default=True),
    )


class FastCronModule:
    """One module run: the checked connection options, the client and the result."""

    def __init__(self, module):
        self.module = module
        self.result = dict(changed=False)
        self._check_connection_options()
        params = module.params
        self.client = FastCronClient(
            token=params['api_token'],
            base_url=params['api_url'] or DEFAULT_API_URL,
            timeout=params['api_timeout'],
            retries=params['api_retries'],
            retry_max_delay=params['api_retry_max_delay'],
            validate_certs=params['validate_certs'],
        )

    def _check_connection_options(self):
        params = self.module.params
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        if not params['api_token']:
            self.module.fail_json(msg='api_token is required: set the api_token option or the FASTCRON_API_TOKEN environment variable.')
        url = params['api_url']
        if url is not None and not url.startswith(('http://', 'https://')):
            self.module.fail_json(msg='api_url must start with http:// or https://, got %r.' % url)
        for name, minimum in (('api_timeout', 1), ('api_retries', 0), ('api_retry_max_delay', 0)):
            if params[name] < minimum:
                self.module.fail_json(msg='%s must be at least %d, got %d.' % (name, minimum, params[name]))

    def call(self, function, params=None, recover=None):
        """Call an API function; any failure ends the task with a clean message."""
        try:
            return self.client.call(function, params, recover=recover)
        except FastCronApiError as exc:
            self.fail_api(exc)

    def try_call(self, function, params=None):
        """Call an API function and return (data, error) instead of failing."""
        try:
            return self.client.call(function, params), None
        except FastCronApiError as exc:
            return None, exc

    def fail_api(self, exc):
        self.module.fail_json(
            msg=str(exc),
            api_function=exc.function,
            api_code=exc.code,
            api_message=exc.message,
            http_status=exc.http_status,
            **self.result
        )

    def get_group(self, group_id):
        """The group with ``group_id``, or None when it does not exist."""
        return self._get_by_id('group_get', group_id, lambda: self.call('group_list'))

    def get_cron(self, cron_id):
        """The cronjob with ``cron_id``, or None when it does not exist."""
        return self._get_by_id('cron_get', cron_id, lambda: self.list_crons(str(cron_id)))

    def _get_by_id(self, function, object_id, list_candidates):
        found, error = self.try_call(function, {'id': object_id})
        if error is None:
            return found
        if error.code in (None, INVALID_TOKEN_CODE):
            self.fail_api(error)
        # The API documents no "not found" code, so any other error is only taken
        # for "no such object" once a listing confirms the id is absent.
        if any(item.get('id') == object_id for item in list_candidates()):
            self.fail_api(error)
        return None

    def lookup_groups(self, name):
        """Every group named exactly ``name`` (one request)."""
        return self.call('group_lookup', {'name': name}) or []

    def list_crons(self, keyword=None):
        """Every cronjob matching ``keyword`` (name, ID or URL); follows pages only when one is full."""
        crons, page = [], 1
        while True:
            params = {'page': page}
            if keyword:
                params['keyword'] = keyword
            batch = self.call('cron_list', params) or []
            crons.extend(batch)
            if len(batch) < CRON_LIST_PAGE_SIZE:
                return crons
            page += 1

    def crons_named(self, name):
        """Every cronjob named exactly ``name``; the API's search matches substrings."""
        return [cron for cron in self.list_crons(name) if cron.get('name') == name]

    def resolve_group(self, value):
        """The group id for a group option: a name, a numeric id, or "" for no group (None).

        A name costs one lookup and must match exactly one group. A numeric id
        is taken as given: the caller checks it only when it is about to write it.
        """
        value = value.strip()
        if not value:
            return None
        if value.isdigit():
            return int(value)
        group = self.single(self.lookup_groups(value), 'group', value, option='group')
        if group is None:
            self.fail('group: no group is named %r; create it first with fastcron.cloud.fastcron_group.' % value)
        return group['id']

    def single(self, items, what, name, option=None):
        """The one object named ``name``, None for none; two or more fail, naming their ids."""
        if len(items) > 1:
            ids = ', '.join(str(item.get('id')) for item in items)
            prefix = '%s: ' % option if option else ''
            self.fail('%s%d %ss are named %r (ids %s); pass the id option to choose one.' % (prefix, len(items), what, name, ids))
        return items[0] if items else None

    def fail(self, msg):
        self.module.fail_json(msg=msg, **self.result)

    def exit(self, **result):
        self.result.update(result)
        self.module.exit_json(**self.result)

    def record_change(self, before, after):
        """Mark the run as changed and record the before/after of the compared fields."""
        self.result['changed'] = True
        self.result['diff'] = dict(before=before, after=after)


def newest(items):
    """The object with the highest id, or None: after a lost create answer, the one just made."""
    return max(items, key=lambda item: item.get('id') or 0) if items else None
