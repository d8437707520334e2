# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The resource layer shared by the fastcron.cloud modules.

It validates the connection options, owns the one API client of a module run,
turns API failures into clean task failures, and carries the find / compare /
diff / write steps that every module repeats.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.fastcron.cloud.plugins.module_utils.client import (
    HAS_REQUESTS,
    INVALID_TOKEN_CODE,
    REQUESTS_IMPORT_ERROR,
    FastCronApiError,
    FastCronClient,
    NameLock,
)

DEFAULT_API_URL = 'https://www.fastcron.com/api/v1'
CRON_LIST_PAGE_SIZE = 1000

# Functions that change the account; a lost answer to one may hide a change.
WRITE_FUNCTIONS = frozenset((
    'cron_add', 'cron_edit', 'cron_enable', 'cron_disable', 'cron_pause', 'cron_delete', 'cron_run',
    'cron_batch_add', 'cron_batch_delete', 'group_add', 'group_edit', 'group_delete', 'group_vanish',
    'group_empty', 'account_edit',
))


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


# Upper bounds of the connection options: far above any sensible value, low
# enough that a typo cannot turn into a wait of centuries.
CONNECTION_LIMITS = (('api_timeout', 1, 3600), ('api_retries', 0, 100), ('api_retry_max_delay', 0, 3600))

# A token is sent in an HTTP header: printable ASCII without spaces only.
TOKEN_PATTERN = re.compile(r'[\x21-\x7e]+')
# Characters that must never reach a URL or a header value.
CONTROL_CHARACTERS = re.compile(r'[\x00-\x1f\x7f]')


class FastCronModule:
    """One module run: the checked connection options, the client and the result.

    ``changed`` becomes true only once a write has succeeded (or, in check
    mode, would be made); a failure after some writes says which ones.
    """

    def __init__(self, module):
        self.module = module
        self.result = dict(changed=False)
        self.applied = []
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
        if not TOKEN_PATTERN.fullmatch(params['api_token']):
            # Never echo the value: it is a secret, even when malformed.
            self.module.fail_json(msg='api_token must be printable ASCII without spaces or line breaks, '
                                      'as on the Profile page of the FastCron account.')
        url = params['api_url']
        if url is not None:
            if CONTROL_CHARACTERS.search(url) or ' ' in url:
                self.module.fail_json(msg='api_url must not contain spaces or control characters.')
            if not url.startswith(('http://', 'https://')) or not urlsplit(url).netloc:
                self.module.fail_json(msg='api_url must be an http:// or https:// URL, got %r.' % url)
        for name, minimum, maximum in CONNECTION_LIMITS:
            if not minimum <= params[name] <= maximum:
                self.module.fail_json(msg='%s must be between %d and %d, got %d.' % (name, minimum, maximum, params[name]))

    def call(self, function, params=None):
        """Call a reading API function; any failure ends the task with a clean message."""
        try:
            return self.client.call(function, params)
        except FastCronApiError as exc:
            self.fail_api(exc)

    def try_call(self, function, params=None):
        """Call an API function and return (data, error) instead of failing."""
        try:
            return self.client.call(function, params), None
        except FastCronApiError as exc:
            return None, exc

    def write(self, function, params, what):
        """Send a write that is safe to send again; ``what`` describes it in failure messages."""
        data, error = self._write(function, params, what, resend=True)
        if error is not None:
            self.fail_api(error)
        return data

    def _write(self, function, params, what, resend):
        try:
            data = self.client.call(function, params, resend=resend)
        except FastCronApiError as exc:
            return None, exc
        self.applied_write(what)
        return data, None

    def applied_write(self, what):
        self.applied.append(what)
        self.result['changed'] = True

    def create_object(self, function, params, what, find_by_name):
        """Send a create once, never again: a resent create could make a duplicate.

        When the answer is lost, ``find_by_name`` (one look-up) tells whether the
        create took effect; if it cannot tell, the task fails and says so.
        """
        data, error = self._write(function, params, what, resend=False)
        if error is None:
            return data
        if error.maybe_processed:
            found = find_by_name()
            if len(found) == 1:
                self.applied_write(what)
                return found[0]
            self.fail_api(error, 'The answer was lost and the create may still take effect; it was not sent again, so '
                                 'that no duplicate can appear. Run the task again: it finds the object by its name '
                                 'and adopts it, or creates it if it does not exist.')
        self.fail_api(error)

    def delete_object(self, function, params, what, still_exists):
        """Delete, confirming absence when the delete fails: a lost answer may hide a delete that took."""
        data, error = self._write(function, params, what, resend=True)
        if error is None:
            return data
        # A lost answer, or an error envelope to a resent delete ("not found"), may hide a delete that took.
        hidden = error.maybe_processed or error.code not in (None, INVALID_TOKEN_CODE)
        if hidden and not still_exists():
            self.applied_write(what)
            return None
        self.fail_api(error)

    def fail_api(self, exc, advice=None):
        msg = str(exc)
        if advice:
            msg = '%s. %s' % (msg, advice)
        elif exc.maybe_processed and exc.function in WRITE_FUNCTIONS:
            msg = '%s. The service may have applied it before the answer was lost.' % msg
        self.module.fail_json(
            msg=self._with_applied(msg),
            api_function=exc.function,
            api_code=exc.code,
            api_message=exc.message,
            http_status=exc.http_status,
            **self.result
        )

    def _with_applied(self, msg):
        if self.applied:
            msg = '%s Applied before the failure: %s.' % (msg.rstrip('.') + '.', '; '.join(self.applied))
        return msg

    def name_lock(self, kind, name):
        """Holds off other processes finding or creating a ``kind`` named ``name`` on this account."""
        return NameLock(self.client.account_key, kind, name)

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
        if is_group_id(value):
            return int(value)
        group = self.single(self.lookup_groups(value), 'group', value, option='group')
        if group is not None:
            return group['id']
        if self.module.check_mode:
            # An earlier task of the play may create it; a real run would then find it.
            self.module.warn('group: no group is named %r yet; check mode assumes that an earlier task creates it.' % value)
            return value
        self.fail('group: no group is named %r; create it first with fastcron.cloud.fastcron_group.' % value)

    def single(self, items, what, name, option=None):
        """The one object named ``name``, None for none; two or more fail, naming their ids."""
        if len(items) > 1:
            ids = ', '.join(str(item.get('id')) for item in items)
            prefix = '%s: ' % option if option else ''
            self.fail('%s%d %ss are named %r (ids %s); pass the id option to choose one.' % (prefix, len(items), what, name, ids))
        return items[0] if items else None

    def fail(self, msg):
        self.module.fail_json(msg=self._with_applied(msg), **self.result)

    def exit(self, **result):
        self.result.update(result)
        self.module.exit_json(**self.result)

    def record_change(self, before, after):
        """Record the diff of a change about to be made.

        Returns whether to make it: in check mode the change is reported, not made.
        ``changed`` itself waits for a write that succeeds.
        """
        self.result['diff'] = dict(before=before, after=after)
        if self.module.check_mode:
            self.result['changed'] = True
            return False
        return True


def is_group_id(value):
    """True for a group option made of ASCII digits only (str.isdigit also takes '²')."""
    return value.isascii() and value.isdigit()
