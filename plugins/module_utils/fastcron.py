# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run of a fastcron.cloud module, and its look-ups.

``FastCronModule`` is one module run: checked connection options, the client,
the result, writes under their lost-answer policies, clean failures.
Its look-ups (``Account``) live in ``_finder.py``, the connection options in
``_connection.py``. The templates modules are made from live beside it:
``_state.py``, ``_batch.py``, ``_action.py`` (with the settings template); a
module declares its resource and adds its own hooks.
"""

from __future__ import annotations

import contextlib
import json
from urllib.parse import urlsplit

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.fastcron.cloud.plugins.module_utils._connection import (
    CONNECTION_LIMITS,
    CONTROL_CHARACTERS,
    DEFAULT_API_URL,
    TOKEN_PATTERN,
    fastcron_argument_spec,
)
from ansible_collections.fastcron.cloud.plugins.module_utils._finder import Account
from ansible_collections.fastcron.cloud.plugins.module_utils._results import result_keys
from ansible_collections.fastcron.cloud.plugins.module_utils.client import (
    HAS_REQUESTS,
    INVALID_TOKEN_CODE,
    REQUESTS_IMPORT_ERROR,
    FastCronApiError,
    FastCronClient,
)
from ansible_collections.fastcron.cloud.plugins.module_utils.gate import (
    NameLock,
    StateFolderError,
    create_stripe,
)
from ansible_collections.fastcron.cloud.plugins.module_utils.masked_module import MaskedAnsibleModule
from ansible_collections.fastcron.cloud.plugins.module_utils.masking import mask_change, mask_fields, mask_option
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
MAYBE_APPLIED_ADVICE = 'The service may have applied it before the answer was lost.'


class FastCronModule:
    """One module run: the checked connection options, the client and the result.

    ``changed`` becomes true only once a write has taken (or, in check mode,
    would be made); a failure after some writes says which ones. Every answer
    to an edit, a create or a switch is checked against what was sent: a value
    it shows kept otherwise fails the task at its end, naming the field.
    """

    required_one_of = ()
    # Result keys holding cronjobs, shown with their credentials masked (the info modules show what the account holds).
    masked_results = ('cron', 'crons')

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
            run.run()
        except StateFolderError as exc:
            # A lock file that cannot be used safely (a link planted in a shared folder, say).
            run.fail(str(exc))

    def __init__(self, module):
        self.module = module
        self.result = dict(changed=False)
        self.applied = []
        self.took = {}  # object id -> {id, name, options that took[, cleared_with]}
        self.kept = []  # what the service kept other than sent, one message each
        self.unverified = set()  # options already warned about
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
        self.account = Account(self)

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

    def call(self, function, params=None):
        """Call a reading API function; any failure ends the task with a clean message."""
        data, error = self.try_call(function, params)
        if error is not None:
            self.fail_api(error)
        return data

    def try_call(self, function, params=None):
        """Call an API function and return (data, error) instead of failing."""
        try:
            return self.client.call(function, params), None
        except FastCronApiError as exc:
            return None, exc

    def send(self, operation, params, what, find_created=None, still_exists=None):
        """Send a write under its policy for a lost answer; ``what`` describes it in messages.

        ``find_created`` (creates) looks again after a lost answer and returns
        (what it found in place of the answer, a description of what it did not
        find or ""); ``still_exists`` (deletes) tells whether the object is still there.
        """
        self.account.forget()
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

    def _applied(self, what):
        self.applied.append(what)
        self.result['changed'] = True

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

    def answered(self, resource, obj, sent, checked, function, cleared=None):
        """Record what a write's answer shows: the options that took, those kept otherwise, those it lacks.

        ``sent`` maps API names to the values sent, in order; ``checked`` is
        (took, kept, unknown) from ``check_answer``.
        """
        took, kept, unknown = checked
        self.warn_unverifiable(resource, [field.option for field in unknown])
        for field, value in kept.items():
            self.kept.append(
                '%s: sent %s to %s for %s %s, FastCron kept %s'
                % (
                    field.option,
                    ', then '.join(self.shown(field, item) for item in sent[field.api]),
                    function,
                    resource.kind,
                    obj.get('id'),
                    self.shown(field, value),
                )
            )
        self.note(obj, [field.option for field in took], cleared)

    @staticmethod
    def shown(field, value):
        """A value for a message: in the option's form, credentials masked."""
        if value is None:
            return 'null'
        return json.dumps(mask_option(field.option, field.export(value)), default=str)

    def note(self, obj, options, cleared=None):
        """Add ``options`` to what took on ``obj``; ``cleared`` says in which form a field was cleared."""
        if not options:
            return
        entry = self.took.setdefault(obj.get('id'), dict(id=obj.get('id'), name=obj.get('name'), options=[]))
        entry['name'] = obj.get('name')
        entry['options'] = sorted(set(entry['options']) | set(options))
        if cleared:
            entry.setdefault('cleared_with', {}).update(cleared)

    def warn_unverifiable(self, resource, options):
        """Warn once a run for each option whose field FastCron did not return: it cannot be compared."""
        for option in options:
            if option not in self.unverified:
                self.unverified.add(option)
                self.module.warn(
                    '%s: not compared, since FastCron answered without it; it is sent when a %s is created '
                    'and left alone afterwards.' % (option, resource.kind)
                )

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

    def fail_api(self, exc, advice=None):
        if advice is None and exc.maybe_processed:
            advice = MAYBE_APPLIED_ADVICE
        msg = '%s. %s' % (exc, advice) if advice else str(exc)
        self.module.fail_json(
            msg=self._with_applied(msg),
            api_function=exc.function,
            api_code=exc.code,
            api_message=exc.message,
            http_status=exc.http_status,
            **self.masked_result(self._failed_result()),
        )

    def fail(self, msg):
        self.module.fail_json(msg=self._with_applied(msg), **self.masked_result(self._failed_result()))

    def _failed_result(self):
        # A diff reports a change: none when nothing took (check mode reports what it would do).
        if not self.result['changed']:
            return {key: value for key, value in self.result.items() if key != 'diff'}
        return self.result

    def _with_applied(self, msg):
        if self.kept:
            msg = '%s FastCron also kept other values than those sent: %s.' % (
                msg.rstrip('.') + '.',
                '; '.join(self.kept),
            )
        if self.applied:
            msg = '%s Applied before the failure: %s.' % (msg.rstrip('.') + '.', '; '.join(self.applied))
        return msg

    def exit(self, **result):
        self.result.update(result)
        if self.kept:
            kept, self.kept = self.kept, []
            self.fail('FastCron kept other values than those sent: %s.' % '; '.join(kept))
        self.module.exit_json(**self.masked_result(self.result))

    def masked_result(self, result):
        """The result as it may be shown: in option names (result_keys), credentials of cronjobs and diff masked.

        Masked field by field, in time linear in the result, instead of registering
        each secret with Ansible (whose scan of every output string for every
        registered value is quadratic in a batch).
        """
        shown = result_keys(result)
        for key in self.masked_results:
            if isinstance(shown.get(key), dict):
                shown[key] = mask_fields(shown[key])
            elif isinstance(shown.get(key), list):
                shown[key] = [mask_fields(item) for item in shown[key]]
        if isinstance(shown.get('diff'), dict):
            shown['diff'] = self.masked_diff(shown['diff'])
        return shown

    def masked_diff(self, diff):
        """A diff of one object, masked; a credential that changed says so, without either value."""
        before, after = mask_change(diff.get('before'), diff.get('after'))
        return dict(diff, before=before, after=after)
