# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run of a fastcron.cloud module, and its look-ups.

``FastCronModule`` is one module run: checked connection options, the client,
the result, writes under their lost-answer policies, clean failures.
``Account`` finds objects by id and name. The templates modules are made from
live beside it: ``_state.py``, ``_batch.py``, ``_action.py`` (with the
settings template); a module declares its resource and adds its own hooks.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.fastcron.cloud.plugins.module_utils.client import (
    HAS_REQUESTS,
    INVALID_TOKEN_CODE,
    REQUESTS_IMPORT_ERROR,
    DEFAULT_RETRY_TIMEOUT,
    FastCronApiError,
    FastCronClient,
    NameLock,
    StateFolderError,
)
from ansible_collections.fastcron.cloud.plugins.module_utils.masked_module import MaskedAnsibleModule
from ansible_collections.fastcron.cloud.plugins.module_utils.masking import mask_change, mask_fields, mask_option
from ansible_collections.fastcron.cloud.plugins.module_utils._index import Index
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import (
    CONFIRM_ABSENT,
    CRON,
    NEVER_RESEND,
    is_id,
)

DEFAULT_API_URL = 'https://www.fastcron.com/api/v1'
# cron_list answers up to this many cronjobs a page (the API reference).
CRON_LIST_PAGE_SIZE = 1000
# A listing stops past this many full pages (a million cronjobs at that size), whatever the service answers.
MAX_PAGES = 1000

# Upper bounds of the connection options: far above any sensible value, low
# enough that a typo cannot turn into a wait of centuries.
CONNECTION_LIMITS = (('api_timeout', 1, 3600), ('api_retries', 0, 100), ('api_retry_max_delay', 0, 3600),
                     ('api_retry_timeout', 0, 86400))
# A token is sent in an HTTP header: printable ASCII without spaces only.
TOKEN_PATTERN = re.compile(r'[\x21-\x7e]+')
# Characters that must never reach a URL or a header value.
CONTROL_CHARACTERS = re.compile(r'[\x00-\x1f\x7f]')

LOST_CREATE_ADVICE = ('The answer was lost and the create of %s may still take effect; it was not sent again, so that '
                      'no duplicate can appear. Run the task again: it finds what was made by name and adopts it, or '
                      'creates what does not exist.')
LOST_ACTION_ADVICE = 'The answer was lost and the service may have acted on it; it was not sent again.'
MAYBE_APPLIED_ADVICE = 'The service may have applied it before the answer was lost.'

# Creates of one account are locked by the name's stripe: two tasks creating the same name
# always share a lock, tasks creating other names rarely do, and a batch holds at most this many.
CREATE_LOCK_STRIPES = 64


def create_stripe(name):
    """The create lock that covers ``name`` (see FastCronModule.create_lock)."""
    return int(hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest(), 16) % CREATE_LOCK_STRIPES


def fastcron_argument_spec():
    """The connection options of every module, documented by the fastcron doc fragment."""
    return dict(
        api_token=dict(type='str', aliases=['token'], no_log=True, fallback=(env_fallback, ['FASTCRON_API_TOKEN'])),
        api_url=dict(type='str', fallback=(env_fallback, ['FASTCRON_API_URL'])),
        api_timeout=dict(type='int', default=30),
        api_retries=dict(type='int', default=5),
        api_retry_max_delay=dict(type='int', default=30),
        api_retry_timeout=dict(type='int', default=DEFAULT_RETRY_TIMEOUT, fallback=(env_fallback, ['FASTCRON_API_RETRY_TIMEOUT'])),
        validate_certs=dict(type='bool', default=True),
    )


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
        module = MaskedAnsibleModule(argument_spec=argument_spec, required_one_of=list(cls.required_one_of), supports_check_mode=True)
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
        cleared = dict((field.option, 'null') for field in took if field.clear_again is not None and changes[field.api] is None)
        sent = dict((api, [value]) for api, value in changes.items())
        self.answered(resource, obj, sent, (took, dict(item for item in kept.items() if item[0] not in again), unknown),
                      function, cleared)
        self._edited(resource, current, took, function)
        for field in again:
            obj = self.send(resource.edit, {'id': current['id'], field.api: field.clear_again}, None)
            checked = resource.check_answer(obj, {field.api: None})
            self.answered(resource, obj, {field.api: [None, field.clear_again]}, checked, function,
                          {field.option: json.dumps(field.clear_again)} if checked[0] else None)
            self._edited(resource, current, checked[0], function)
        return obj

    def _edited(self, resource, current, took, function):
        if took:
            self._applied('%s %s edited: %s (%s)' % (resource.kind, current['id'], ', '.join(sorted(field.option for field in took)),
                                                     function))

    def check_created(self, resource, obj, body, function):
        """Check the answer ``obj`` to a create against the API parameters ``body`` it was sent."""
        sent = dict((api, [value]) for api, value in body.items())
        self.answered(resource, obj, sent, resource.check_answer(obj, body), function)

    def answered(self, resource, obj, sent, checked, function, cleared=None):
        """Record what a write's answer shows: the options that took, those kept otherwise, those it lacks.

        ``sent`` maps API names to the values sent, in order; ``checked`` is
        (took, kept, unknown) from ``check_answer``.
        """
        took, kept, unknown = checked
        self.warn_unverifiable(resource, [field.option for field in unknown])
        for field, value in kept.items():
            self.kept.append('%s: sent %s to %s for %s %s, FastCron kept %s' % (
                field.option, ', then '.join(self.shown(field, item) for item in sent[field.api]), function,
                resource.kind, obj.get('id'), self.shown(field, value)))
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
                self.module.warn('%s: not compared, since FastCron answered without it; it is sent when a %s is created '
                                 'and left alone afterwards.' % (option, resource.kind))

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
                self.fail('%s: FastCron kept %s %s at %s after %s; the service does not allow it to be %s.'
                          % (toggle.option, resource.kind, obj['id'], toggle.describe(obj), operation.function,
                             toggle.verb(wanted)))
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
        stripes = sorted(set(create_stripe(name) for name in names))
        with contextlib.ExitStack() as held:
            for stripe in stripes:
                held.enter_context(NameLock(self.client.account_key, '%s create' % kind, str(stripe)))
            yield

    def fail_api(self, exc, advice=None):
        if advice is None and exc.maybe_processed:
            advice = MAYBE_APPLIED_ADVICE
        msg = '%s. %s' % (exc, advice) if advice else str(exc)
        self.module.fail_json(msg=self._with_applied(msg), api_function=exc.function, api_code=exc.code,
                              api_message=exc.message, http_status=exc.http_status, **self.masked_result(self._failed_result()))

    def fail(self, msg):
        self.module.fail_json(msg=self._with_applied(msg), **self.masked_result(self._failed_result()))

    def _failed_result(self):
        # A diff reports a change: none when nothing took (check mode reports what it would do).
        if not self.result['changed']:
            return dict((key, value) for key, value in self.result.items() if key != 'diff')
        return self.result

    def _with_applied(self, msg):
        if self.kept:
            msg = '%s FastCron also kept other values than those sent: %s.' % (msg.rstrip('.') + '.', '; '.join(self.kept))
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
        """The result as it may be shown: the credentials of its cronjobs and of its diff masked.

        Masked field by field, in time linear in the result, instead of registering
        each secret with Ansible (whose scan of every output string for every
        registered value is quadratic in a batch).
        """
        shown = dict(result)
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
                self.run.fail('%s: still full pages after %d pages (%d objects); the listing does not end. '
                              'Limit the task to a group, or ask FastCron about the listing.'
                              % (function, MAX_PAGES, len(seen)))
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
        listing, pages = [], 0
        if not (ids or names):
            return listing
        for fresh, more in self.read_pages('cron_list', {}, name_first_page=True):
            listing.extend(fresh)
            pages += 1
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
            self.run.fail('%s%d %ss are named %r (ids %s); pass the id option to choose one.%s'
                          % (prefix, len(items), resource.kind, name, ids, hint))
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
            self.run.module.warn('%s: no %s is named %r yet; check mode assumes that an earlier task creates it.'
                                 % (option, resource.kind, value))
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
