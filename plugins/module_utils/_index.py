# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Objects of a listing indexed by id and by name, and their labels in a diff of many."""

from __future__ import annotations


class Index:
    """Objects of a listing by id and by name, indexed once: each look-up costs the same whatever the size."""

    def __init__(self, objects):
        self.objects = objects
        self.by_id = {}
        self.by_name = {}
        for obj in objects:
            self.by_id.setdefault(obj.get('id'), obj)
            self.by_name.setdefault(obj.get('name'), []).append(obj)

    def __iter__(self):
        return iter(self.objects)

    def named(self, name):
        return self.by_name.get(name, [])


def label(obj, taken=()):
    """An object's key in a diff of many: its name, with its id when the name is empty or ``taken``."""
    name = obj.get('name')
    return name if name and name not in taken else '%s (id %s)' % (name or '', obj.get('id'))
