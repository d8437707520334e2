# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action template (find an object, act on it once) and the settings template (the one object of its kind)."""

from __future__ import annotations

from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import FastCronRun
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON


class ActionRun(FastCronRun):
    """The run of a module that finds one object of ``resource`` by ``id`` or ``name`` and acts on it once.

    Declares ``operation``; hooks: ``prepare()`` (the API parameters of the
    action, from the options, checked before any request),
    ``check_target(target, request)`` and ``outcome(target, data, request)``
    (the result keys).
    """

    resource = CRON
    operation = None
    required_one_of = (('name', 'id'),)

    @classmethod
    def options(cls):
        return dict(name=dict(type='str'), id=dict(type='int'))

    def perform(self):
        request = self.prepare()
        params = self.module.params
        target = self.finder.existing(self.resource, params['id'], params['name'])
        self.check_target(target, request)
        if self.module.check_mode:
            self.result['changed'] = True
            self.exit(**self.outcome(target, None, request))
        what = '%s %s: %s' % (self.resource.kind, target['id'], self.operation.function)
        data = self.send(self.operation, dict(request, id=target['id']), what)
        self.exit(**self.outcome(target, data, request))

    def prepare(self):
        return {}

    def check_target(self, target, request):
        pass

    def outcome(self, target, data, request):
        return {self.resource.key: self.resource.public(data if isinstance(data, dict) else target)}


class SettingsRun(FastCronRun):
    """The run of a module that makes the one ``resource`` object of the account (no identity) as its options say.

    One ``get``, the fields the user set compared, one ``edit`` (without an id)
    with every change. As for other objects, a field the service did not return
    cannot be verified: it is neither compared nor sent, and a warning says so.
    Hook: ``check_options``.
    """

    resource = None

    def perform(self):
        self.check_options()
        requested = self.resource.requested_fields(self.module.params)
        current = self.read(self.resource.get_function) or {}
        unverifiable = sorted(field.option for field in requested if field.api not in current)
        if unverifiable:
            self.module.warn(
                "%s: not sent, since %s answered without %s and the %s's value cannot be compared."
                % (
                    ', '.join(unverifiable),
                    self.resource.get_function,
                    'them' if len(unverifiable) > 1 else 'it',
                    self.resource.kind,
                )
            )
        changes, before, after = self.resource.compare(current, requested)
        self.result['diff'] = dict(before=before, after=after)
        if changes:
            if self.record_change(before, after):
                what = '%s edited: %s (%s)' % (
                    self.resource.kind,
                    ', '.join(sorted(after)),
                    self.resource.edit.function,
                )
                current = self.send(self.resource.edit, changes, what)
            else:
                current = self.resource.predict(current, changes, ())
        self.exit(**{self.resource.key: self.resource.public(current)})

    def check_options(self):
        pass
