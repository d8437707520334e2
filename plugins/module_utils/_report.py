# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a module run reports: its result, the writes that took, and how it ends.

``Report`` keeps the result and the diff, the writes applied and the options
that took or that the service kept otherwise, and ends the task: exit() with
the result, fail() and fail_api() with a message that says what was applied
before the failure. Every result and diff it shows has its credentials masked.
The module run of ``fastcron.py`` is a Report.
"""

from __future__ import annotations

import json

from ansible_collections.fastcron.cloud.plugins.module_utils._results import result_keys
from ansible_collections.fastcron.cloud.plugins.module_utils.masking import mask_change, mask_fields, mask_option

MAYBE_APPLIED_ADVICE = 'The service may have applied it before the answer was lost.'


class Report:
    """The result of one module run, and the ways it ends.

    ``changed`` becomes true only once a write has taken (or, in check mode,
    would be made); a failure after some writes says which ones. A value an
    answer shows kept otherwise fails the task at its end, naming the field.
    """

    # Result keys holding cronjobs, shown with their credentials masked (the info modules show what the account holds).
    masked_results = ('cron', 'crons')

    def __init__(self, module):
        self.module = module
        self.result = dict(changed=False)
        self.applied = []
        self.took = {}  # object id -> {id, name, options that took[, cleared_with]}
        self.kept = []  # what the service kept other than sent, one message each
        self.unverified = set()  # options already warned about

    def _applied(self, what):
        self.applied.append(what)
        self.result['changed'] = True

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
                    # Not "option: ..." - free-text masking reads "keyword: not" as a credential pair.
                    'FastCron answered without %s, so it is not compared: it is sent when a %s is created '
                    'and left alone afterwards.' % (option, resource.kind)
                )

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
