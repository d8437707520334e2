# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run of a fastcron.cloud module.

``FastCronRun`` is one module run: checked connection options, the client,
writes under their lost-answer policies, and the look-ups' errors turned into
clean failures; what it reports, and how it ends, it has from ``Report``.

What lives where in module_utils:

- ``fastcron.py``: FastCronRun, a module run: its options, client, finder and writes.
- ``_report.py``: Report, a run's result and diff, what took or was kept, exit and failures.
- ``_state.py``, ``_batch.py``, ``_action.py``: the run templates (state, batch, action and settings).
- ``_finder.py``: Finder, the look-ups by id and by name, raising FinderError; no task ends there.
- ``resources.py``: the declarations GROUP, CRON, ACCOUNT (API functions, paging, fields).
- ``_resource.py``: Resource, Field, Toggle, Operation, Paging, and the comparison of objects.
- ``_normal.py``: the normal forms of field values; ``_index.py``: a listing by id and name.
- ``client.py``: FastCronClient, the transport: HTTP, the envelope, retries, the rate gate.
- ``_api_error.py``: FastCronApiError, the one failure of an API call, and its causes in words.
- ``gate.py``: the state folder, the rate gate and the name locks shared by processes.
- ``_connection.py``: the connection options and their limits.
- ``cron_options.py``: the options of one cronjob and their checks.
- ``info.py``: what the info modules return beside the API objects.
- ``masking.py``, ``_masking_text.py``: credentials masked in fields and in free text.
- ``masked_module.py``: MaskedAnsibleModule, the AnsibleModule whose own outputs are masked.

A module declares its resource, takes a template and adds its own hooks.
"""

from __future__ import annotations

import contextlib
import json
from urllib.parse import urlsplit

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.fastcron.cloud.plugins.module_utils._api_error import INVALID_TOKEN_CODE, FastCronApiError
from ansible_collections.fastcron.cloud.plugins.module_utils._connection import (
    CONNECTION_LIMITS,
    CONTROL_CHARACTERS,
    DEFAULT_API_URL,
    TOKEN_PATTERN,
    fastcron_argument_spec,
)
from ansible_collections.fastcron.cloud.plugins.module_utils._finder import Finder, FinderError
from ansible_collections.fastcron.cloud.plugins.module_utils._report import Report
from ansible_collections.fastcron.cloud.plugins.module_utils.client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    FastCronClient,
)
from ansible_collections.fastcron.cloud.plugins.module_utils.gate import (
    NameLock,
    StateFolderError,
    create_stripe,
)
from ansible_collections.fastcron.cloud.plugins.module_utils.masked_module import MaskedAnsibleModule
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import (
    CONFIRM_ABSENT,
    NEVER_RESEND,
)

LOST_CREATE_ADVICE = (
    'The answer was lost and the create of %s may still take effect; it was not sent again, so that '
    'no duplicate can appear. Run the task again: it finds what was made by name and adopts it, or '
    'creates what does not exist.'
)
LOST_ACTION_ADVICE = 'The answer was lost and the service may have acted on it; it was not sent again.'


class FastCronRun(Report):
    """One module run: the checked connection options, the client, the finder and the result.

    Every answer to an edit, a create or a switch is checked against what was
    sent (see Report). A look-up that cannot give what the task needs, and an
    API call that fails, end the task with the message they carry.
    """

    required_one_of = ()

    @classmethod
    def options(cls):
        """The options every module of this kind takes, besides the connection options."""
        return {}

    @classmethod
    def execute(cls, **options):
        """Run the module: the connection options, the template's and ``options``."""
        argument_spec = fastcron_argument_spec()
        argument_spec.update(cls.options())
        argument_spec.update(options)
        module = MaskedAnsibleModule(
            argument_spec=argument_spec, required_one_of=list(cls.required_one_of), supports_check_mode=True
        )
        run = cls(module)
        try:
            run.perform()
        except StateFolderError as exc:
            # A lock file that cannot be used safely (a link planted in a shared folder, say).
            run.fail(str(exc))
        except FinderError as exc:
            run.fail(str(exc))
        except FastCronApiError as exc:
            run.fail_api(exc)

    def perform(self):
        """What the module does; ends with exit() or a failure."""
        raise NotImplementedError

    def __init__(self, module):
        super().__init__(module)
        self._check_connection_options()
        params = module.params
        try:
            self.client = FastCronClient(
                token=params['api_token'],
                base_url=params['api_url'] or DEFAULT_API_URL,
                timeout=params['api_timeout'],
                retries=params['api_retries'],
                retry_max_delay=params['api_retry_max_delay'],
                retry_timeout=params['api_retry_timeout'],
                validate_certs=params['validate_certs'],
            )
        except StateFolderError as exc:
            self.module.fail_json(msg=str(exc))
        self.finder = Finder(self.client.call, check_mode=module.check_mode, warn=module.warn)

    def _check_connection_options(self):
        params = self.module.params
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        if not params['api_token']:
            self.module.fail_json(
                msg='api_token is required: set the api_token option or the FASTCRON_API_TOKEN environment variable.'
            )
        if not TOKEN_PATTERN.fullmatch(params['api_token']):
            # Never echo the value: it is a secret, even when malformed.
            self.module.fail_json(
                msg='api_token must be printable ASCII without spaces or line breaks, '
                'as on the Profile page of the FastCron account.'
            )
        url = params['api_url']
        if url is not None:
            if CONTROL_CHARACTERS.search(url) or ' ' in url:
                self.module.fail_json(msg='api_url must not contain spaces or control characters.')
            if not url.startswith(('http://', 'https://')) or not urlsplit(url).netloc:
                self.module.fail_json(msg='api_url must be an http:// or https:// URL, got %r.' % url)
        for name, minimum, maximum in CONNECTION_LIMITS:
            if not minimum <= params[name] <= maximum:
                self.module.fail_json(
                    msg='%s must be between %d and %d, got %d.' % (name, minimum, maximum, params[name])
                )

    def read(self, function, params=None):
        """Call a reading API function; any failure ends the task with a clean message."""
        try:
            return self.client.call(function, params)
        except FastCronApiError as error:
            self.fail_api(error)

    def send(self, operation, params, what, find_created=None, still_exists=None):
        """Send a write under its policy for a lost answer; ``what`` describes it in messages.

        ``find_created`` (creates) looks again after a lost answer and returns
        (what it found in place of the answer, a description of what it did not
        find or ""); ``still_exists`` (deletes) tells whether the object is still there.
        """
        self.finder.forget()
        try:
            data = self.client.call(operation.function, params, resend=operation.policy != NEVER_RESEND)
        except FastCronApiError as error:
            if operation.policy == NEVER_RESEND and error.maybe_processed:
                if find_created is None:
                    self.fail_api(error, LOST_ACTION_ADVICE)
                found, missing = find_created()
                if not missing:
                    self._applied(what)
                    return found
                self.fail_api(error, LOST_CREATE_ADVICE % missing)
            # A lost answer, or an error envelope to a resent delete ("not found"), may hide a delete that took.
            hidden = error.maybe_processed or error.code not in (None, INVALID_TOKEN_CODE)
            if operation.policy == CONFIRM_ABSENT and hidden and not still_exists():
                self._applied(what)
                return None
            self.fail_api(error)
        if what is not None:  # None: the caller says what took once it has read the answer
            self._applied(what)
        return data

    def edit(self, resource, current, changes):
        """Send every change of ``current`` in one edit; the object as its answer shows it.

        A field cleared with ``null`` that the answer shows kept is cleared again
        with its ``clear_again`` value; ``note`` records which form took.
        """
        if not changes:
            return current
        function = resource.edit.function
        obj = self.send(resource.edit, dict(changes, id=current['id']), None)
        took, kept, unknown = resource.check_answer(obj, changes)
        # A null the service took for "not given" left the value: the value that clears it is sent next.
        again = [field for field in kept if field.clear_again is not None and changes[field.api] is None]
        cleared = {
            field.option: 'null' for field in took if field.clear_again is not None and changes[field.api] is None
        }
        sent = {api: [value] for api, value in changes.items()}
        self.answered(
            resource,
            obj,
            sent,
            (took, dict(item for item in kept.items() if item[0] not in again), unknown),
            function,
            cleared,
        )
        self._edited(resource, current, took, function)
        for field in again:
            obj = self.send(resource.edit, {'id': current['id'], field.api: field.clear_again}, None)
            checked = resource.check_answer(obj, {field.api: None})
            self.answered(
                resource,
                obj,
                {field.api: [None, field.clear_again]},
                checked,
                function,
                {field.option: json.dumps(field.clear_again)} if checked[0] else None,
            )
            self._edited(resource, current, checked[0], function)
        return obj

    def _edited(self, resource, current, took, function):
        if took:
            self._applied(
                '%s %s edited: %s (%s)'
                % (resource.kind, current['id'], ', '.join(sorted(field.option for field in took)), function)
            )

    def check_created(self, resource, obj, body, function):
        """Check the answer ``obj`` to a create against the API parameters ``body`` it was sent."""
        sent = {api: [value] for api, value in body.items()}
        self.answered(resource, obj, sent, resource.check_answer(obj, body), function)

    def switch(self, resource, obj, toggles):
        """Apply the toggles, one action each; fail if the service would not switch one."""
        for toggle, wanted in toggles:
            if toggle.value(obj) == wanted:
                continue  # a new object may already be as wished (created active)
            operation = toggle.on if wanted else toggle.off
            what = '%s %s %s (%s)' % (resource.kind, obj['id'], toggle.verb(wanted), operation.function)
            obj = self.send(operation, {'id': obj['id']}, what)
            if toggle.api in obj and toggle.value(obj) != wanted:
                self.applied.pop()  # the call went through, but nothing changed
                self.result['changed'] = bool(self.applied)
                self.fail(
                    '%s: FastCron kept %s %s at %s after %s; the service does not allow it to be %s.'
                    % (
                        toggle.option,
                        resource.kind,
                        obj['id'],
                        toggle.describe(obj),
                        operation.function,
                        toggle.verb(wanted),
                    )
                )
            self.note(obj, [toggle.option])
        return obj

    @contextlib.contextmanager
    def create_lock(self, kind, names):
        """Holds off other processes finding or creating a ``kind`` named as one of ``names`` on this account.

        Every task that may create a name takes the same lock for it: one of a
        fixed set per account, chosen by the name, so that a batch of thousands
        of names holds a bounded number of files. The locks are taken in one
        order, so two tasks never wait for each other.
        """
        stripes = sorted({create_stripe(name) for name in names})
        with contextlib.ExitStack() as held:
            for stripe in stripes:
                held.enter_context(NameLock(self.client.account_key, '%s create' % kind, str(stripe)))
            yield
