# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The state template: one object of a resource made to be as its options say."""

from __future__ import annotations

from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import FastCronRun


class StateRun(FastCronRun):
    """The run of a module that makes one object of ``resource`` be as its options say.

    Identity is ``id`` or ``name``; ``state`` is present or absent. Hooks:
    ``check_options`` (refuse bad input before any request), ``check_create``,
    ``delete_operation``, ``converge`` (more states on a present object).
    The result's ``applied`` names the options that took (in check mode, that
    would be sent); the diff's ``after`` is what the answers show.
    """

    resource = None
    states = ('present', 'absent')
    required_one_of = (('name', 'id'),)

    @classmethod
    def options(cls):
        return dict(
            name=dict(type='str'),
            id=dict(type='int'),
            state=dict(type='str', choices=list(cls.states), default='present'),
        )

    def perform(self):
        self.check_options()
        params = self.module.params
        if params['state'] == 'absent':
            obj = self.ensure_absent(self.find())
        elif params['id'] is None:
            # Find and create as one step across processes, or parallel runs create duplicates.
            with self.create_lock(self.resource.kind, [params['name']]):
                obj = self.ensure_present(self.find())
        else:
            obj = self.ensure_present(self.find())
        if params['state'] not in ('present', 'absent'):
            obj = self.converge(obj)
        self.exit(**dict(self.what_took(), **{self.resource.key: self.resource.public(obj)}))

    def what_took(self):
        """``applied``, and ``cleared_with`` when a field was cleared: what took on the object."""
        if self.module.check_mode:
            return dict(applied=sorted(self.result.get('diff', {}).get('after', {})) if self.result['changed'] else [])
        outcome = dict(applied=sorted({option for entry in self.took.values() for option in entry['options']}))
        cleared = dict(item for entry in self.took.values() for item in entry.get('cleared_with', {}).items())
        if cleared:
            outcome['cleared_with'] = cleared
        return outcome

    def check_options(self):
        if self.module.params['name'] is not None and not self.module.params['name'].strip():
            self.fail('name must not be empty.')

    def check_create(self):
        pass

    def delete_operation(self):
        return self.resource.delete

    def converge(self, obj):
        return obj

    def find(self):
        params = self.module.params
        return self.finder.find_one(self.resource, params['id'], params['name'])

    def ensure_present(self, current):
        if current is None:
            return self.create()
        return self.update(current)

    def create(self):
        params = self.module.params
        if params['id'] is not None:
            self.fail('No %s has the id %d; leave out id to create one by name.' % (self.resource.kind, params['id']))
        self.check_create()
        body, after = self.resource.creation(self.finder.resolved_fields(self.resource, params))
        toggles = self.resource.switches(params, None)
        after.update((toggle.option, wanted) for toggle, wanted in toggles)
        if not self.record_change({}, after):
            return self.resource.predict(dict(body, id=None), {}, toggles)
        name = params['name']
        adopted = []  # the look-up that adopts after a lost answer is the look after the create too
        obj = self.send(
            self.resource.add,
            body,
            '%s %r created (%s)' % (self.resource.kind, name, self.resource.add.function),
            find_created=lambda: self._adopt_one(name, adopted),
        )
        self.check_created(self.resource, obj, body, self.resource.add.function)
        self.result['diff']['after'] = self.resource.observed(after, obj)
        if not adopted:
            self.look_after_create(name, obj)
        obj = self.switch(self.resource, obj, toggles)
        self.result['diff']['after'] = self.resource.observed(after, obj)
        return obj

    def _adopt_one(self, name, adopted):
        adopted.append(name)
        found, missing = self.finder.adopt(self.resource, [name], self.finder.named(self.resource, name))
        return (found or [None])[0], missing

    def look_after_create(self, name, created):
        """Look ``name`` up once more after its create; fail when another object has it too.

        The name lock does not reach controllers that share no state folder: two of
        them may both find the name free and both create it. The later create's
        look-up sees the earlier one. Nothing is deleted on a guess and nothing more
        is written: the task fails (``changed``, the created object in the result),
        naming both ids and the one most likely created last.
        """
        ids = [item.get('id') for item in self.finder.named(self.resource, name, confirm=True)]
        if not [object_id for object_id in ids if object_id != created.get('id')]:
            return
        if created.get('id') not in ids:
            ids.append(created.get('id'))
        newest = max((object_id for object_id in ids if isinstance(object_id, int)), default=None)
        last = (
            ''
            if newest is None
            else ' The one created last is most likely %s (the highest id)%s.'
            % (
                newest,
                ', the one this task created' if newest == created.get('id') else '',
            )
        )
        self.result[self.resource.key] = self.resource.public(created)
        self.fail(
            '%s %r was created with the id %s, but a look-up right after the create finds %d %ss named '
            'so (ids %s): another controller, or a process that shares no state folder with this one, '
            'created the name at the same time.%s Nothing was deleted and nothing more was written; '
            'delete the one you do not want by id with state=absent, and the next run converges.'
            % (
                self.resource.kind,
                name,
                created.get('id'),
                len(ids),
                self.resource.kind,
                ', '.join(str(object_id) for object_id in ids),
                last,
            )
        )

    def update(self, current):
        params = self.module.params
        requested = self.finder.resolved_fields(self.resource, params, current)
        self.warn_unverifiable(self.resource, self.resource.unverifiable(current, requested))
        changes, toggles, before, after = self.resource.changes_to(current, requested, params)
        self.result['diff'] = dict(before=before, after=after)
        if not (changes or toggles):
            return current
        if not self.record_change(before, after):
            return self.resource.predict(current, changes, toggles)
        obj = self.switch(self.resource, self.edit(self.resource, current, changes), toggles)
        self.result['diff'] = observed_diff(self.resource, before, after, obj)
        return obj

    def ensure_absent(self, current):
        if current is None:
            self.result['diff'] = dict(before={}, after={})
            return None
        if not self.record_change(self.resource.view(current), {}):
            return dict(current, id=None)
        operation = self.delete_operation()
        deleted = self.send(
            operation,
            {'id': current['id']},
            '%s %s deleted (%s)' % (self.resource.kind, current['id'], operation.function),
            still_exists=lambda: self.finder.get(self.resource, current['id']) is not None,
        )
        return deleted or dict(current, id=None)


def observed_diff(resource, before, after, obj):
    """A diff as the answer ``obj`` shows it, without the options that did not move."""
    after = resource.observed(after, obj)
    return dict(
        before={key: value for key, value in before.items() if after.get(key) != value},
        after={key: value for key, value in after.items() if before.get(key) != value},
    )
