# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The look-ups of one module run: objects of the account by id and by exact name.

``Account`` reads through the run's calls, keeps the listings it read (a write drops
them) and follows the pages of a listing under the stop rules of read_pages().
"""

from __future__ import annotations

from ansible_collections.fastcron.cloud.plugins.module_utils._index import Index
from ansible_collections.fastcron.cloud.plugins.module_utils._normal import is_id
from ansible_collections.fastcron.cloud.plugins.module_utils.client import INVALID_TOKEN_CODE
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON

# cron_list answers up to this many cronjobs a page (the API reference).
CRON_LIST_PAGE_SIZE = 1000
# A listing stops past this many full pages (a million cronjobs at that size), whatever the service answers.
MAX_PAGES = 1000


class Account:
    """Finds the objects of the account, by id and by exact name, for one module run."""

    def __init__(self, run):
        self.run = run
        self.listings = {}
        self.all_crons = None

    def forget(self):
        """Drop the cronjob listing read for look-ups: a write is about to change the account."""
        self.all_crons = None

    def read_whole(self, resource):
        """Find ``resource`` objects by id and name in one listing from now on, read when first needed."""
        self.listings.setdefault(resource.kind, None)

    def _listed(self, resource):
        if self.listings[resource.kind] is None:
            self.listings[resource.kind] = self.run.call(resource.listing) or []
        return self.listings[resource.kind]

    def get(self, resource, object_id):
        """The object with ``object_id``, or None when it does not exist."""
        if resource.kind in self.listings:
            return next((item for item in self._listed(resource) if item.get('id') == object_id), None)
        found, error = self.run.try_call(resource.get, {'id': object_id})
        if error is None:
            return found
        if error.code in (None, INVALID_TOKEN_CODE):
            self.run.fail_api(error)
        # The API documents no "not found" code: an error is taken for "no such
        # object" when it comes as a 404, else once a search confirms the id is absent.
        if error.http_status != 404:
            if resource is not CRON:
                candidates = self.every(resource)
            else:
                candidates = self.all_crons if self.all_crons is not None else self.crons(str(object_id))
            if any(item.get('id') == object_id for item in candidates):
                self.run.fail_api(error)
        return None

    def listing(self, resource):
        """Every object of ``resource``, from the one listing of read_whole() when it is in effect."""
        return self._listed(resource) if resource.kind in self.listings else self.every(resource)

    def every(self, resource):
        """Every object of ``resource`` in the account; the cronjob listing is read once a run."""
        if resource is not CRON:
            return self.run.call(resource.listing) or []
        if self.all_crons is None:
            self.all_crons = self.crons()
        return self.all_crons

    def crons(self, keyword=None):
        """Every cronjob matching ``keyword`` (name, ID or URL); follows pages only when one is full."""
        params = {'keyword': keyword} if keyword else {}
        return self.pages('cron_list', params, name_first_page=True)

    def group_items(self, group_id):
        """Every cronjob of the group ``group_id``: one answer, or its pages if the service pages it."""
        return self.pages('group_items', {'id': group_id})

    def pages(self, function, params, name_first_page=False):
        """Every object of a listing in pages of CRON_LIST_PAGE_SIZE, each once (see read_pages)."""
        return [item for fresh, dummy in self.read_pages(function, params, name_first_page) for item in fresh]

    def read_pages(self, function, params, name_first_page=False):
        """The pages of a listing as (objects not read before, whether more pages follow), a request each.

        What comes past the last page is not documented (an empty page, or the
        last one again), nor whether a listing may shift between two reads: the
        listing ends on a short or empty page or on one that brings no id not
        yet read, and repeats are dropped. Past MAX_PAGES full pages it fails.
        """
        seen, page = set(), 1
        while True:
            # group_items documents no page: its first page is asked for as the reference shows it.
            paged = dict(params, page=page) if page > 1 or name_first_page else params
            batch = self.run.call(function, paged) or []
            fresh = [item for item in batch if item.get('id') not in seen]
            if page > 1 and not fresh:
                return
            seen.update(item.get('id') for item in fresh)
            more = len(batch) >= CRON_LIST_PAGE_SIZE
            if more and page == MAX_PAGES:
                self.run.fail(
                    '%s: still full pages after %d pages (%d objects); the listing does not end. '
                    'Limit the task to a group, or ask FastCron about the listing.' % (function, MAX_PAGES, len(seen))
                )
            yield fresh, more
            if not more:
                return
            page += 1

    def covering(self, ids, names):
        """Cronjobs that include every one with an id of ``ids`` or a name of ``names``, in few requests.

        The size of the account is not known up front. The listing is read, and
        once as many of its pages are read as there are ids and names, each is
        looked up on its own instead (look_up); when that cannot settle them,
        the rest of the listing is read after all.
        """
        listing = []
        if not (ids or names):
            return listing
        for pages, (fresh, more) in enumerate(self.read_pages('cron_list', {}, name_first_page=True), start=1):
            listing.extend(fresh)
            if more and pages == len(ids) + len(names):
                found = self.look_up(ids, names)
                if found is not None:
                    return found
        self.all_crons = listing
        return listing

    def look_up(self, ids, names):
        """The cronjobs with these ids (cron_get) and names (the keyword search); None when that cannot tell.

        How the service matches a keyword is not documented: a name the search
        does not find (a cronjob to create) is settled only by the whole
        listing, and so is one whose matches fill a page.
        """
        found = {}
        for object_id in ids:
            obj = self.get(CRON, object_id)
            if obj is not None:
                found[obj.get('id')] = obj
        for name in names:
            matches = self._page(name, 1)
            named = [cron for cron in matches if cron.get('name') == name]
            if len(matches) >= CRON_LIST_PAGE_SIZE or not named:
                return None
            found.update((cron.get('id'), cron) for cron in named)
        return list(found.values())

    def _page(self, keyword, page):
        params = {'page': page}
        if keyword:
            params['keyword'] = keyword
        return self.run.call('cron_list', params) or []

    def search(self, keyword):
        """Cronjobs that include every one matching ``keyword``, in as few requests as possible.

        One page of the keyword search when it holds every match; when it is
        full, the matches may fill many more pages (a name common in URLs), so
        the whole listing, read once a run, is used instead.
        """
        if self.all_crons is None:
            first = self._page(keyword, 1)
            if len(first) < CRON_LIST_PAGE_SIZE:
                return first
        return self.every(CRON)

    def named(self, resource, name, confirm=False):
        """Every object named exactly ``name``.

        The searches match loosely (the cronjob keyword also searches URLs, the
        group look-up may ignore case), so only exact names are kept. With
        ``confirm``, a cronjob the keyword search did not find is looked for in
        the whole listing: how the service matches a keyword is not documented.
        """
        if resource.kind in self.listings:
            return [item for item in self._listed(resource) if item.get('name') == name]
        if resource is CRON:
            found = [cron for cron in self.search(name) if cron.get('name') == name]
            if not found and confirm:
                found = [cron for cron in self.every(CRON) if cron.get('name') == name]
            return found
        return [item for item in self.run.call(resource.lookup, {'name': name}) or [] if item.get('name') == name]

    def single(self, resource, name, confirm=False, option=None):
        """The one object named ``name``, None for none; two or more fail, naming their ids."""
        return self.one(resource, name, self.named(resource, name, confirm), option)

    def one(self, resource, name, items, option=None):
        """The one of ``items``, the objects named ``name``; None for none; two or more fail, naming their ids."""
        if len(items) > 1:
            ids = ', '.join(str(item.get('id')) for item in items)
            prefix = '%s: ' % option if option else ''
            # The service numbers new objects upwards in every answer seen so far; the
            # highest id is the likely duplicate of a create that raced another controller.
            newest = max((item.get('id') for item in items if isinstance(item.get('id'), int)), default=None)
            hint = '' if newest is None else ' The one created last is most likely %s (the highest id).' % newest
            self.run.fail(
                '%s%d %ss are named %r (ids %s); pass the id option to choose one.%s'
                % (prefix, len(items), resource.kind, name, ids, hint)
            )
        return items[0] if items else None

    def reference(self, resource, value, option, current=None):
        """The id for an option naming a ``resource`` by name or id; "" is none (None).

        A name must match exactly one object; in check mode a missing name stays
        a name, since an earlier task of the play may create it. An id is checked
        to exist only when it differs from ``current``, that is when it is written.
        """
        value = value.strip()
        if not value:
            return None
        if is_id(value):
            if int(value) != current and self.get(resource, int(value)) is None:
                self.run.fail('%s: no %s has the id %s.' % (option, resource.kind, value))
            return int(value)
        found = self.single(resource, value, option=option)
        if found is not None:
            return found['id']
        if self.run.module.check_mode:
            self.run.module.warn(
                '%s: no %s is named %r yet; check mode assumes that an earlier task creates it.'
                % (option, resource.kind, value)
            )
            return value
        self.run.fail('%s: no %s is named %r; create it first.' % (option, resource.kind, value))

    def requested(self, resource, params, current=None, prefix=''):
        """The fields ``params`` sets, with references resolved to ids once; ``prefix`` goes before option names."""
        requested = resource.requested(params)
        for field, value in requested.items():
            if field.reference is not None:
                current_id = current.get(field.api) if current else None
                requested[field] = self.reference(field.reference, value, prefix + field.option, current_id)
        return requested

    def adopt(self, resource, names, found):
        """After a lost create: (the objects of ``found`` named ``names``, exactly one each; the names missing)."""
        index = Index(found)
        matches = [index.named(name) for name in names]
        missing = [repr(name) for name, items in zip(names, matches) if len(items) != 1]
        plural = 's' if len(missing) > 1 else ''
        described = '%s%s %s' % (resource.kind, plural, ', '.join(missing)) if missing else ''
        return [items[0] for items in matches if len(items) == 1], described
