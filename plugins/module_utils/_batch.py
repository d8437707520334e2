# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The batch template: many objects of a resource converged over one listing."""

from __future__ import annotations

from collections import Counter

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.fastcron.cloud.plugins.module_utils._index import Index, label
from ansible_collections.fastcron.cloud.plugins.module_utils._state import observed_diff
from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import FastCronRun
from ansible_collections.fastcron.cloud.plugins.module_utils.masking import mask_change, mask_fields


class BatchRun(FastCronRun):
    """The run of a module that makes many objects of ``resource`` be as the entries of a list say, in few requests.

    The list is the option ``<resource key>s``; an entry has the options of one
    object, ``id`` or ``name`` as identity and ``state``. The objects are read
    once (``plan_listing``); the missing ones are made in one ``batch_add``, the
    doomed ones (``state: absent``, and ``purged``) go in one ``batch_delete``,
    and only objects that drift are edited and switched, a request each. Hooks:
    ``check_entry`` and ``create_problem`` (a problem, or None), ``begin`` (the
    look-ups the listing needs), ``plan_listing``, ``find_elsewhere`` (an id that the
    listing lacks), ``entry_fields`` and ``purged``.
    """

    resource = None
    entry_spec = None  # the options of one entry, checked like a module's own

    @property
    def option(self):
        return '%ss' % self.resource.key

    def perform(self):
        entries = [self.validated(index, entry) for index, entry in enumerate(self.module.params[self.option])]
        self.check_entries(entries)
        # Reading and creating must not interleave with another task creating one of these names, or both create.
        names = [entry['name'] for entry in entries if entry['id'] is None and entry['state'] == 'present']
        with self.create_lock(self.resource.kind, names):
            self.begin()
            listing = Index(self.plan_listing())
            plans = [self.plan('%s[%d]' % (self.option, index), entry, listing) for index, entry in enumerate(entries)]
            found = Counter(plan['current']['id'] for plan in plans if plan['current'])
            twice = [str(object_id) for object_id, count in found.items() if count > 1]
            if twice:
                self.fail(
                    '%s: %s %s is given by more than one entry.' % (self.option, self.resource.kind, ', '.join(twice))
                )
            doomed = [plan['current'] for plan in plans if plan['delete']] + self.purged(listing, set(found))
            self.write_plans(
                [plan for plan in plans if plan['body'] is not None],
                [plan for plan in plans if plan['changes'] or plan['toggles']],
                doomed,
            )
        self.exit(
            applied=self.applied_list(plans),
            **{
                self.option: [
                    self.resource.public(plan['result']) for plan in plans if plan['entry']['state'] == 'present'
                ]
            },
        )

    def applied_list(self, plans):
        """What took on each object created or edited, in the order of the writes.

        In check mode, what would be sent.
        """
        if not self.module.check_mode:
            return list(self.took.values())
        return [
            dict(id=plan['result'].get('id'), name=plan['result'].get('name'), options=sorted(plan['after']))
            for plan in plans
            if plan['body'] is not None or plan['changes'] or plan['toggles']
        ]

    def masked_diff(self, diff):
        """A diff of many objects, keyed by label: each masked as one object's."""
        before, after = diff.get('before') or {}, diff.get('after') or {}
        shown_before, shown_after = {}, {}
        for key, view in after.items():
            shown_before_view, shown_after[key] = mask_change(before.get(key), view)
            if key in before:
                shown_before[key] = shown_before_view
        for key, view in before.items():
            if key not in after:
                shown_before[key] = mask_fields(view)
        return dict(diff, before=shown_before, after=shown_after)

    def validated(self, index, entry):
        """One entry with its types, choices and defaults applied.

        Its secrets are not registered as no-log values: Ansible would scan every
        output string for each of them. Every output masks them field by field.
        """
        result = ArgumentSpecValidator(self.entry_spec, required_one_of=[['name', 'id']]).validate(entry)
        if result.error_messages:
            messages = [
                ('unsupported options: %s' if isinstance(error, UnsupportedError) else '%s') % error.msg
                for error in result.errors.errors
            ]
            self.fail('%s[%d]: %s' % (self.option, index, ' '.join(messages)))
        return result.validated_parameters

    def check_entries(self, entries):
        """Refuse a bad entry, and an object given twice, before any request."""
        seen = {}
        for index, entry in enumerate(entries):
            problem = self.check_entry(entry)
            if problem:
                self.fail('%s[%d]: %s' % (self.option, index, problem))
            # By its id when given: the name is then only the name it gets, which others may share.
            identity = 'id' if entry['id'] is not None else 'name'
            if entry[identity] is not None:
                seen.setdefault((identity, entry[identity]), []).append('%s[%d]' % (self.option, index))
        twice = [
            '%s have the same %s %r' % (' and '.join(at), identity, value)
            for (identity, value), at in seen.items()
            if len(at) > 1
        ]
        if twice:
            self.fail('%s; give each %s once.' % ('; '.join(twice), self.resource.kind))

    def check_entry(self, entry):
        return None

    def create_problem(self, entry):
        return None

    def begin(self):
        pass

    def plan_listing(self):
        return self.finder.every(self.resource)

    def find_elsewhere(self, object_id):
        return None

    def entry_fields(self, option, entry, current):
        return self.finder.resolved_fields(self.resource, entry, current, option + '.')

    def purged(self, listing, kept):
        return []

    def plan(self, option, entry, listing):
        """What one entry needs: a body to create, changes and toggles, or a delete."""
        if entry['id'] is None:
            current = self.finder.one(self.resource, entry['name'], listing.named(entry['name']), option)
        else:
            current = listing.by_id.get(entry['id']) or self.find_elsewhere(entry['id'])
        plan = dict(entry=entry, current=current, result=current, body=None, changes={}, toggles=[], delete=False)
        if entry['state'] == 'absent':
            return dict(plan, delete=current is not None)
        requested = self.entry_fields(option, entry, current)
        if current is not None:
            self.warn_unverifiable(self.resource, self.resource.unverifiable(current, requested))
            plan['changes'], plan['toggles'], plan['before'], plan['after'] = self.resource.changes_to(
                current, requested, entry
            )
            return plan
        problem = (
            self.create_problem(entry)
            if entry['id'] is None
            else 'no %s has the id %d; leave out id to create one by name.' % (self.resource.kind, entry['id'])
        )
        if problem:
            self.fail('%s: %s' % (option, problem))
        plan['body'], plan['after'] = self.resource.creation(requested)
        plan['after'].update((toggle.option, wanted) for toggle, wanted in self.resource.switches(entry, None))
        return plan

    def write_plans(self, creates, updates, doomed):
        before, after = {}, {}
        for plan in updates:
            key = plan['label'] = label(plan['current'], after)
            before[key], after[key] = plan['before'], plan['after']
        for plan in creates:
            key = plan['label'] = label(plan['body'], after)
            after[key] = plan['after']
        for obj in doomed:
            before[label(obj, before)] = self.resource.view(obj)
        self.result.update(diff=dict(before=before, after=after), created=[], updated=[], deleted=[])
        if not (creates or updates or doomed):
            return
        if not self.record_change(before, after):
            for plan in creates:
                plan['result'] = self.resource.predict(
                    dict(plan['body'], id=None), {}, self.resource.switches(plan['entry'], None)
                )
            for plan in updates:
                plan['result'] = self.resource.predict(plan['current'], plan['changes'], plan['toggles'])
            self.done('created', [plan['result'] for plan in creates])
            self.done('updated', [plan['result'] for plan in updates])
            self.done('deleted', doomed)
            return
        if creates:
            self.create_all(creates)
        for plan in updates:
            plan['result'] = self.switch(
                self.resource, self.edit(self.resource, plan['current'], plan['changes']), plan['toggles']
            )
            if plan['current']['id'] in self.took:  # not when the service kept every value
                self.done('updated', [plan['result']])
            self.observe(plan)
        if doomed:
            ids = [obj['id'] for obj in doomed]
            self.send(
                self.resource.batch_delete,
                {'id': ids},
                self.what('deleted', ids, self.resource.batch_delete),
                still_exists=lambda: any(obj.get('id') in ids for obj in self.finder.every(self.resource)),
            )
            self.done('deleted', doomed)

    def create_all(self, creates):
        """One batch create; each answer is paired with its entry by name (the answer's order is not documented)."""
        names = [plan['entry']['name'] for plan in creates]
        made = self.send(
            self.resource.batch_add,
            {'data': [plan['body'] for plan in creates]},
            self.what('created', names, self.resource.batch_add),
            find_created=lambda: self.adopt_created(names),
        )
        answered = Index(made if isinstance(made, list) else [])
        objects = {name: answered.named(name)[0] for name in names if len(answered.named(name)) == 1}
        unmatched = [name for name in names if name not in objects]
        missing = ''
        if unmatched:
            # As after a lost answer: one fresh listing tells what was made of the rest.
            found, missing = self.finder.adopt(self.resource, unmatched, self.plan_listing())
            objects.update((obj.get('name'), obj) for obj in found)
        done = [plan for plan in creates if plan['entry']['name'] in objects]
        self.done('created', [objects[plan['entry']['name']] for plan in done])
        for plan in done:
            obj = objects[plan['entry']['name']]
            self.check_created(self.resource, obj, plan['body'], self.resource.batch_add.function)
            plan['result'] = self.switch(self.resource, obj, self.resource.switches(plan['entry'], obj))
            self.observe(plan)
        if missing:
            self.fail(
                '%s answered without the %s, and one fresh listing does not show exactly one of each; '
                'run the task again: it adopts what was made, or creates what does not exist.'
                % (self.resource.batch_add.function, missing)
            )

    def observe(self, plan):
        """The diff of one object as the answers show it."""
        diff, key = self.result['diff'], plan['label']
        if plan['body'] is not None:
            diff['after'][key] = self.resource.observed(plan['after'], plan['result'])
            return
        seen = observed_diff(self.resource, plan['before'], plan['after'], plan['result'])
        for side in ('before', 'after'):
            if seen['after'] or seen['before']:
                diff[side][key] = seen[side]
            else:
                diff[side].pop(key, None)

    def adopt_created(self, names):
        """After a lost batch create: what one fresh listing finds of it; a part found is applied."""
        found, missing = self.finder.adopt(self.resource, names, self.plan_listing())
        if found and missing:
            self._applied(self.what('created', [obj.get('name') for obj in found], self.resource.batch_add))
            self.done('created', found)
        return found, missing

    def done(self, key, objects):
        self.result[key].extend(dict(id=obj.get('id'), name=obj.get('name')) for obj in objects)

    def what(self, verb, names, operation):
        return '%ss %s %s (%s)' % (
            self.resource.kind,
            ', '.join(repr(name) for name in names),
            verb,
            operation.function,
        )
