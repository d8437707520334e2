# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The look-ups of one module run: objects of the account by id and by exact name.

``Finder`` reads through the API call it is given, keeps the listings it read
(a write drops them) and follows the pages of a listing under the stop rules
of read_pages(). Which functions it calls, and whether a listing comes in
pages, it reads from the resource declarations of ``resources.py``. It never
ends the task: what it cannot find it raises as a ``FinderError`` (an API
failure as the ``FastCronApiError`` of ``_api_error.py``), and the module run
turns that into the failed result.
"""

from __future__ import annotations

from ansible_collections.fastcron.cloud.plugins.module_utils._api_error import INVALID_TOKEN_CODE, FastCronApiError
from ansible_collections.fastcron.cloud.plugins.module_utils._index import Index
from ansible_collections.fastcron.cloud.plugins.module_utils._normal import is_id

# A listing stops past this many full pages (a million cronjobs at that size), whatever the service answers.
MAX_PAGES = 1000


class FinderError(Exception):
    """A look-up that cannot give what the task needs; its message is the task's failure message."""


class NotFound(FinderError):
    """No object has the id or the name the task gives."""


class NotUnique(FinderError):
    """Two or more objects have the name the task gives: ``ids`` theirs, ``newest`` the highest (or None)."""

    def __init__(self, message, ids, newest):
        super().__init__(message)
        self.ids, self.newest = ids, newest


class Unresolved(FinderError):
    """An option naming another object (a cronjob's group) by a name or id that no object has."""


class EndlessListing(FinderError):
    """A listing still brings full pages after MAX_PAGES of them."""


class Finder:
    """Finds the objects of the account, by id and by exact name, for one module run.

    ``call(function, params)`` is the API call: it returns the answer's data
    or raises FastCronApiError. ``check_mode`` lets a reference to a name that
    does not exist yet stand (an earlier task may create it), with a warning
    given to ``warn`` (by default kept in ``warnings``).
    """

    def __init__(self, call, check_mode=False, warn=None):
        self.call = call
        self.check_mode = check_mode
        self.warnings = []
        self.warn = self.warnings.append if warn is None else warn
        self.listings = {}  # kind -> the one listing of read_whole(), None until read
        self.wholes = {}  # kind -> every object of a resource listed in pages, read once a run

    def forget(self):
        """Drop the paged listings read for look-ups: a write is about to change the account."""
        self.wholes.clear()

    def read_whole(self, resource):
        """Find ``resource`` objects by id and name in one listing from now on, read when first needed."""
        self.listings.setdefault(resource.kind, None)

    def _listed(self, resource):
        if self.listings[resource.kind] is None:
            self.listings[resource.kind] = self.call(resource.list_function) or []
        return self.listings[resource.kind]

    def get(self, resource, object_id):
        """The object with ``object_id``, or None when it does not exist."""
        if resource.kind in self.listings:
            return next((item for item in self._listed(resource) if item.get('id') == object_id), None)
        try:
            return self.call(resource.get_function, {'id': object_id})
        except FastCronApiError as error:
            if error.code in (None, INVALID_TOKEN_CODE):
                raise
            # The API documents no "not found" code: an error is taken for "no such
            # object" when it comes as a 404, else once a search confirms the id is absent.
            if error.http_status != 404:
                candidates = self.wholes.get(resource.kind)
                if candidates is None:
                    found_by_id = resource.search_finds_ids and resource.paging is not None
                    candidates = self.matching(resource, str(object_id)) if found_by_id else self.every(resource)
                if any(item.get('id') == object_id for item in candidates):
                    raise
        return None

    def find_one(self, resource, object_id=None, name=None):
        """The object with ``object_id`` when given, else the one named ``name``; None for none."""
        if object_id is not None:
            return self.get(resource, object_id)
        return self.single(resource, name, confirm=True)

    def existing(self, resource, object_id=None, name=None):
        """As find_one(), but none raises NotFound."""
        found = self.find_one(resource, object_id, name)
        if found is None:
            identity = ('id', object_id) if object_id is not None else ('name', name)
            raise NotFound('No %s has the %s %r.' % (resource.kind, *identity))
        return found

    def listing(self, resource):
        """Every object of ``resource``, from the one listing of read_whole() when it is in effect."""
        return self._listed(resource) if resource.kind in self.listings else self.every(resource)

    def every(self, resource):
        """Every object of ``resource`` in the account; a listing in pages is read once a run."""
        if resource.paging is None:
            return self.call(resource.list_function) or []
        if self.wholes.get(resource.kind) is None:
            self.wholes[resource.kind] = self.read_all(resource, resource.list_function, {})
        return self.wholes[resource.kind]

    def matching(self, resource, keyword=None):
        """Every object matching ``keyword`` (every object without one); follows pages only when one is full."""
        if keyword:
            return self.read_all(resource, resource.search_function, {resource.search_param: keyword})
        return self.read_all(resource, resource.list_function, {})

    def in_group(self, resource, group_id):
        """Every object of the group ``group_id``: one answer, or its pages if the service pages it."""
        return self.read_all(resource, resource.group_function, {'id': group_id})

    def read_all(self, resource, function, params):
        """Every object of a listing in pages of the resource's page size, each once (see read_pages)."""
        return [item for fresh, dummy in self.read_pages(resource, function, params) for item in fresh]

    def read_pages(self, resource, function, params):
        """The pages of a listing as (objects not read before, whether more pages follow), a request each.

        What comes past the last page is not documented (an empty page, or the
        last one again), nor whether a listing may shift between two reads: the
        listing ends on a short or empty page or on one that brings no id not
        yet read, and repeats are dropped. Past MAX_PAGES full pages it raises
        EndlessListing.
        """
        seen, page = set(), 1
        numbered = function in resource.paging.numbered
        while True:
            # A listing that documents no page has its first page asked for as the reference shows it.
            paged = dict(params, page=page) if page > 1 or numbered else params
            batch = self.call(function, paged) or []
            fresh = [item for item in batch if item.get('id') not in seen]
            if page > 1 and not fresh:
                return
            seen.update(item.get('id') for item in fresh)
            more = len(batch) >= resource.paging.size
            if more and page == MAX_PAGES:
                raise EndlessListing(
                    '%s: still full pages after %d pages (%d objects); the listing does not end. '
                    'Limit the task to a group, or ask FastCron about the listing.' % (function, MAX_PAGES, len(seen))
                )
            yield fresh, more
            if not more:
                return
            page += 1

    def covering(self, resource, ids, names):
        """Objects that include every one with an id of ``ids`` or a name of ``names``, in few requests.

        The size of the account is not known up front. The listing is read, and
        once as many of its pages are read as there are ids and names, each is
        looked up on its own instead (look_up); when that cannot settle them,
        the rest of the listing is read after all.
        """
        listing = []
        if not (ids or names):
            return listing
        pages = self.read_pages(resource, resource.list_function, {})
        for count, (fresh, more) in enumerate(pages, start=1):
            listing.extend(fresh)
            if more and count == len(ids) + len(names):
                found = self.look_up(resource, ids, names)
                if found is not None:
                    return found
        self.wholes[resource.kind] = listing
        return listing

    def look_up(self, resource, ids, names):
        """The objects with these ids (one get each) and names (the search); None when that cannot tell.

        How the service matches a search is not documented: a name the search
        does not find (an object to create) is settled only by the whole
        listing, and so is one whose matches fill a page.
        """
        found = {}
        for object_id in ids:
            obj = self.get(resource, object_id)
            if obj is not None:
                found[obj.get('id')] = obj
        for name in names:
            matches = self._search_page(resource, name, 1)
            named = [item for item in matches if item.get('name') == name]
            if len(matches) >= resource.paging.size or not named:
                return None
            found.update((item.get('id'), item) for item in named)
        return list(found.values())

    def _search_page(self, resource, keyword, page):
        params = {'page': page}
        if keyword:
            params[resource.search_param] = keyword
        return self.call(resource.search_function if keyword else resource.list_function, params) or []

    def _searched(self, resource, keyword):
        """Objects that include every one matching ``keyword``, in as few requests as possible.

        One page of the search when it holds every match; when it is full, the
        matches may fill many more pages (a name common in URLs), so the whole
        listing, read once a run, is used instead.
        """
        if self.wholes.get(resource.kind) is None:
            first = self._search_page(resource, keyword, 1)
            if len(first) < resource.paging.size:
                return first
        return self.every(resource)

    def named(self, resource, name, confirm=False):
        """Every object named exactly ``name``.

        The searches match loosely (the cronjob keyword also searches URLs, the
        group look-up may ignore case), so only exact names are kept. With
        ``confirm``, an object that a search in pages did not find is looked for
        in the whole listing: how the service matches a search is not documented.
        """
        if resource.kind in self.listings:
            return [item for item in self._listed(resource) if item.get('name') == name]
        if resource.paging is not None:
            found = [item for item in self._searched(resource, name) if item.get('name') == name]
            if not found and confirm:
                found = [item for item in self.every(resource) if item.get('name') == name]
            return found
        answer = self.call(resource.search_function, {resource.search_param: name}) or []
        return [item for item in answer if item.get('name') == name]

    def single(self, resource, name, confirm=False, option=None):
        """The one object named ``name``, None for none; two or more raise NotUnique, naming their ids."""
        return self.one(resource, name, self.named(resource, name, confirm), option)

    def one(self, resource, name, items, option=None):
        """The one of ``items``, the objects named ``name``; None for none; two or more raise NotUnique."""
        if len(items) > 1:
            ids = ', '.join(str(item.get('id')) for item in items)
            prefix = '%s: ' % option if option else ''
            # The service numbers new objects upwards in every answer seen so far; the
            # highest id is the likely duplicate of a create that raced another controller.
            newest = max((item.get('id') for item in items if isinstance(item.get('id'), int)), default=None)
            hint = '' if newest is None else ' The one created last is most likely %s (the highest id).' % newest
            raise NotUnique(
                '%s%d %ss are named %r (ids %s); pass the id option to choose one.%s'
                % (prefix, len(items), resource.kind, name, ids, hint),
                [item.get('id') for item in items],
                newest,
            )
        return items[0] if items else None

    def reference_id(self, resource, value, option, current=None):
        """The id for an option naming a ``resource`` by name or id; "" is none (None).

        A name must match exactly one object; in check mode a missing name stays
        a name, since an earlier task of the play may create it. An id is checked
        to exist only when it differs from ``current``, that is when it is written.
        One that does not resolve raises Unresolved.
        """
        value = value.strip()
        if not value:
            return None
        if is_id(value):
            if int(value) != current and self.get(resource, int(value)) is None:
                raise Unresolved('%s: no %s has the id %s.' % (option, resource.kind, value))
            return int(value)
        found = self.single(resource, value, option=option)
        if found is not None:
            return found['id']
        if self.check_mode:
            self.warn(
                '%s: no %s is named %r yet; check mode assumes that an earlier task creates it.'
                % (option, resource.kind, value)
            )
            return value
        raise Unresolved('%s: no %s is named %r; create it first.' % (option, resource.kind, value))

    def resolved_fields(self, resource, params, current=None, prefix=''):
        """The fields ``params`` sets, with references resolved to ids once; ``prefix`` goes before option names."""
        requested = resource.requested_fields(params)
        for field, value in requested.items():
            if field.reference is not None:
                current_id = current.get(field.api) if current else None
                requested[field] = self.reference_id(field.reference, value, prefix + field.option, current_id)
        return requested

    def adopt(self, resource, names, found):
        """After a lost create: (the objects of ``found`` named ``names``, exactly one each; the names missing)."""
        index = Index(found)
        matches = [index.named(name) for name in names]
        missing = [repr(name) for name, items in zip(names, matches) if len(items) != 1]
        plural = 's' if len(missing) > 1 else ''
        described = '%s%s %s' % (resource.kind, plural, ', '.join(missing)) if missing else ''
        return [items[0] for items in matches if len(items) == 1], described
