# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The live probe: asks the real FastCron service the open questions of its API reference
that a few requests can answer, and prints what it answered as a Markdown table
(question | reading observed | switch value) for docs/vendor-unknowns.md.

    FASTCRON_LIVE_TOKEN=... python tests/live/probe.py [--pace SECONDS]

FASTCRON_LIVE_URL sets another endpoint (default https://www.fastcron.com/api/v1). Without
FASTCRON_LIVE_TOKEN it says so and exits 0. It works only on objects of its own, named with
a prefix unique to the run, with ``expression: manual`` and an https://example.com/ URL, so
that nothing it makes ever fires; at most 4 cronjobs and 1 group exist at once. Everything
it made is deleted at the end, whatever happened, then the account is swept for the prefix.
It waits at least --pace seconds (default 1.05) between requests, and sends a request
refused with 503 (the rate limit) again. The token is never printed.

Exit status: 0 when the probe ran (or was skipped), 1 when it could not run its questions
or left something behind.
"""

import argparse
import json
import os
import random
import sys
import time

import requests

DEFAULT_URL = 'https://www.fastcron.com/api/v1'
TOKEN_ENV = 'FASTCRON_LIVE_TOKEN'
URL_ENV = 'FASTCRON_LIVE_URL'
DEFAULT_PACE = 1.05
ROOM_CRONJOBS = 4
ROOM_GROUPS = 1
RATE_LIMIT_RETRIES = 6
LARGE_TIMEOUT = 7200
# Fields of the vendor's example objects, of the object table, and those it does not list.
EXAMPLE_FIELDS = {
    'id',
    'group',
    'expression',
    'timezone',
    'url',
    'postData',
    'fail',
    'status',
    'name',
    'notify',
    'points',
}
TABLE_FIELDS = EXAMPLE_FIELDS | {'timeout', 'instances', 'httpMethod', 'httpHeaders', 'priority'}
ECHO_FIELDS = {'delay', 'username', 'userAgent', 'keyword'}
NOT_CHEAP = (
    (
        'the page size of `cron_list`',
        'would need more than 1000 cronjobs to see where a page ends; a free plan holds 5',
        '`page_size`',
    ),
    (
        "the rate limit's scope (account, token or address)",
        'needs a second token of the account or a second address sending at the same moment',
        '`rate_limit`',
    ),
)


class ProbeError(Exception):
    """An API call that failed: an error envelope, an HTTP failure or no answer."""

    def __init__(self, function, message, code=None, http_status=None):
        super().__init__('%s: %s' % (function, message))
        self.function = function
        self.message = message
        self.code = code
        self.http_status = http_status


class Api:
    """POSTs JSON to /<function>, one request every ``pace`` seconds, 503 sent again."""

    def __init__(self, token, base_url, pace=DEFAULT_PACE, sleep=time.sleep, clock=time.monotonic):
        self._token = token
        self.base_url = base_url.rstrip('/')
        self.pace = pace
        self.sleep = sleep
        self.clock = clock
        self.last = None
        self.requests = 0
        self.session = requests.Session()
        self.session.headers.update({'Authorization': 'Bearer %s' % token, 'User-Agent': 'fastcron.cloud live probe'})

    def scrub(self, text):
        return str(text).replace(self._token, '********') if self._token else str(text)

    def _wait_turn(self):
        if self.last is not None:
            left = self.pace - (self.clock() - self.last)
            if left > 0:
                self.sleep(left)

    def post(self, function, params=None):
        """One call; returns (HTTP status, decoded envelope or None)."""
        body = dict(params or {}, token=self._token)
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            self._wait_turn()
            try:
                answer = self.session.post('%s/%s' % (self.base_url, function), json=body, timeout=30)
            except requests.RequestException as exc:
                raise ProbeError(function, 'no answer: %s' % self.scrub(exc)) from None
            finally:
                self.last = self.clock()
                self.requests += 1
            if answer.status_code == 503 and attempt < RATE_LIMIT_RETRIES:
                retry_after = answer.headers.get('Retry-After', '')
                self.sleep(float(retry_after) if retry_after.isdigit() else min(2**attempt, 30))
                continue
            try:
                envelope = answer.json()
            except ValueError:
                envelope = None
            return answer.status_code, envelope
        raise ProbeError(function, 'still refused with 503 after %d tries' % (RATE_LIMIT_RETRIES + 1))

    def call(self, function, params=None):
        """The ``data`` of a success envelope; ProbeError otherwise."""
        status, envelope = self.post(function, params)
        if not isinstance(envelope, dict):
            raise ProbeError(function, 'HTTP %d without a JSON envelope' % status, http_status=status)
        if envelope.get('status') != 'success':
            raise ProbeError(function, self.scrub(envelope.get('message', envelope)), envelope.get('code'), status)
        return envelope.get('data')


def fields_reading(fields):
    """The simulator's field mode that matches a set of cronjob fields, or None."""
    fields = set(fields)
    if fields & ECHO_FIELDS:
        return 'echo'
    if fields >= TABLE_FIELDS:
        return 'no_echo'
    if fields <= EXAMPLE_FIELDS:
        return 'examples'
    return None


def listing_names(items):
    """The names of the objects of an answer (anything else as text)."""
    return [item.get('name') if isinstance(item, dict) else str(item) for item in items or []]


class Probe:
    """The questions, each recorded as a row; a question that fails is recorded as such."""

    def __init__(self, api, prefix, out=sys.stdout):
        self.api = api
        self.prefix = prefix
        self.out = out
        self.rows = []
        self.crons = {}  # label -> id of the cronjobs made and not yet deleted
        self.group_id = None

    def say(self, text):
        self.out.write(text + '\n')
        self.out.flush()

    def row(self, question, observed, switch):
        self.rows.append((question, observed, switch))

    def url(self, label, host='example.com'):
        return 'https://%s/fastcron-probe/%s%s' % (host, self.prefix, label)

    def label(self, name):
        """The label of a cronjob this probe named (its name without the run's prefix)."""
        return str(name).replace(self.prefix, '', 1)

    def add(self, label, **options):
        params = dict({'name': self.prefix + label, 'url': self.url(label), 'expression': 'manual'}, **options)
        job = self.api.call('cron_add', params)
        if isinstance(job, dict) and job.get('id') is not None:
            self.crons[label] = job['id']
        return job

    # -- the questions ------------------------------------------------------

    def ask(self, question, switch_hint, method):
        try:
            method()
        except ProbeError as exc:
            self.row(question, 'could not tell: %s' % self.api.scrub(exc), switch_hint)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            # an answer of another shape, or a cronjob an earlier question could not make
            self.row(
                question,
                'could not tell: unexpected answer (%s: %s)' % (type(exc).__name__, self.api.scrub(exc)),
                switch_hint,
            )

    def run(self):
        self.group_id = self.api.call('group_add', {'name': self.prefix + 'group'})['id']
        self.ask('Which fields cronjob objects carry', '`fields`', self.q_fields)
        self.ask('Whether the URL is rewritten (the `__timestamp__` account setting)', '`url_timestamp`', self.q_url)
        self.ask(
            'Whether values are stored in a form of the service (`httpHeaders`, `httpMethod`)',
            '`normalise`',
            self.q_normalise,
        )
        self.ask(
            'A `timeout` of %d s: kept, refused or clamped' % LARGE_TIMEOUT, '`timeout_cap`, `cap_mode`', self.q_timeout
        )
        self.ask('How `null` clears (`group`, a text field) in `cron_edit`', '`null_means`', self.q_null)
        self.ask('Whether `group_items` takes a page', '`group_items_paged`', self.q_group_items)
        self.ask('The order of the batch answers', '`batch_order`', self.q_batch)
        self.ask('The page past the end of a short `cron_list`', '`past_last_page`', self.q_past_last_page)
        self.ask('The HTTP status of an error envelope', '`error_status`', self.q_error_status)
        self.ask('The status of a paused cronjob', '`paused_status`', self.q_paused_status)
        self.ask("What `group_delete` does to the group's cronjobs", '`group_delete`', self.q_group_delete)

    def q_fields(self):
        # no timeout: a plan's cap (15 s on the free plan) could refuse one
        made = self.add('fields', httpHeaders='X-Probe: 1', delay=0, userAgent='fastcron-probe')
        got = self.api.call('cron_get', {'id': made['id']})
        mode = fields_reading(got)
        observed = '`cron_add` answered %s; `cron_get` answered %s' % (', '.join(sorted(made)), ', '.join(sorted(got)))
        self.row(
            'Which fields cronjob objects carry', observed, '`fields=%s`' % mode if mode else '`fields`: none fits'
        )

    def q_url(self):
        sent = self.url('fields', host='Example.COM') + '?probe=1'
        got = self.api.call('cron_edit', {'id': self.crons['fields'], 'url': sent})['url']
        timestamp = '__timestamp__' in got
        lowered = got.split('/')[2] == 'example.com'
        observed = 'sent `%s`, answered `%s`' % (self.mask(sent), self.mask(got))
        self.row(
            'Whether the URL is rewritten (the `__timestamp__` account setting)',
            observed,
            '`url_timestamp=%s`' % ('true' if timestamp else 'false'),
        )
        self.host_lowered = lowered

    def mask(self, text):
        return text.replace(self.prefix, '<prefix>')

    def q_normalise(self):
        sent = {'httpHeaders': 'X-Probe:  1\r\nX-Other: two', 'httpMethod': 'post'}
        try:
            got = self.api.call('cron_edit', dict(sent, id=self.crons['fields']))
        except ProbeError as exc:
            if exc.code is None:
                raise
            self.row(
                'Whether values are stored in a form of the service (`httpHeaders`, `httpMethod`)',
                'a lower-case `httpMethod` was refused: %s' % exc.message,
                '`normalise`: not told',
            )
            return
        rewritten, kept = [], []
        for field, value in sent.items():
            if field not in got:
                continue
            (kept if got[field] == value else rewritten).append(
                '%s %s as %s' % (field, json.dumps(value), json.dumps(got[field]))
            )
        host = getattr(self, 'host_lowered', None)
        if host is not None:
            (rewritten if host else kept).append('the URL host %s' % ('in lower case' if host else 'as sent'))
        observed = '; '.join(['stored ' + item for item in rewritten + kept]) or 'not returned'
        value = 'rewrite' if rewritten else 'none' if kept else None
        self.row(
            'Whether values are stored in a form of the service (`httpHeaders`, `httpMethod`)',
            observed,
            '`normalise=%s`' % value if value else '`normalise`: not told (fields not returned)',
        )

    def q_timeout(self):
        question = 'A `timeout` of %d s: kept, refused or clamped' % LARGE_TIMEOUT
        try:
            got = self.api.call('cron_edit', {'id': self.crons['fields'], 'timeout': LARGE_TIMEOUT})
        except ProbeError as exc:
            if exc.code is None:
                raise
            self.row(
                question, 'refused: code %s, %s' % (exc.code, exc.message), '`timeout_cap=<cap>`, `cap_mode=refuse`'
            )
            return
        if 'timeout' not in got:
            self.row(
                question,
                'taken; `timeout` is not returned, so what was kept cannot be seen',
                '`timeout_cap`: not told (no cap, or a clamp)',
            )
        elif got['timeout'] == LARGE_TIMEOUT:
            self.row(question, 'kept %d' % LARGE_TIMEOUT, '`timeout_cap=null`')
        else:
            self.row(question, 'stored %s' % got['timeout'], '`timeout_cap=%s`, `cap_mode=clamp`' % got['timeout'])

    def q_null(self):
        question = 'How `null` clears (`group`, a text field) in `cron_edit`'
        job = self.add('null', group=self.group_id, postData='a=1')
        got = self.api.call('cron_edit', {'id': job['id'], 'group': None, 'postData': None})
        group_cleared = got.get('group') in (None, 0, '')
        text_cleared = got.get('postData') in (None, '')
        parts = [
            '`group: null` %s' % ('cleared it' if group_cleared else 'kept %s' % got.get('group')),
            '`postData: null` %s' % ('cleared it' if text_cleared else 'kept %s' % json.dumps(got.get('postData'))),
        ]
        if group_cleared and text_cleared:
            self.api.call('cron_edit', {'id': job['id'], 'group': self.group_id, 'postData': 'a=1'})
        got = self.api.call('cron_edit', {'id': job['id'], 'group': 0, 'postData': ''})
        parts.append(
            '`group: 0` %s' % ('cleared it' if got.get('group') in (None, 0, '') else 'kept %s' % got.get('group'))
        )
        parts.append(
            '`postData: ""` %s'
            % ('cleared it' if got.get('postData') == '' else 'kept %s' % json.dumps(got.get('postData')))
        )
        if group_cleared and text_cleared:
            value = '`null_means=clear`'
        elif not group_cleared and not text_cleared:
            value = '`null_means=unchanged`'
        else:
            value = '`null_means`: none fits (one cleared, one kept)'
        self.row(question, '; '.join(parts), value)
        # back in the group for the questions that follow
        self.api.call('cron_edit', {'id': job['id'], 'group': self.group_id})

    def q_group_items(self):
        question = 'Whether `group_items` takes a page'
        first = self.api.call('group_items', {'id': self.group_id})
        second = self.api.call('group_items', {'id': self.group_id, 'page': 2})
        if not first:
            self.row(question, 'the group showed no cronjob; cannot tell', '`group_items_paged`: not told')
        elif second == []:
            self.row(question, 'page 2 of a group of %d answered `[]`' % len(first), '`group_items_paged=true`')
        elif listing_names(second) == listing_names(first):
            self.row(
                question,
                'page 2 of a group of %d answered the same cronjobs as without a page (not paged, '
                'or a page past the end answered as the last one)' % len(first),
                '`group_items_paged=false`',
            )
        else:
            self.row(
                question,
                'page 2 answered %d cronjobs, page 1 %d' % (len(second), len(first)),
                '`group_items_paged`: none fits',
            )

    def q_batch(self):
        question = 'The order of the batch answers'
        labels = ['batch-1', 'batch-2']
        items = [{'name': self.prefix + label, 'url': self.url(label), 'expression': 'manual'} for label in labels]
        made = self.api.call('cron_batch_add', {'data': items})
        for job in made or []:
            label = self.label(job.get('name', ''))
            if label in labels and job.get('id') is not None:
                self.crons[label] = job['id']
        missing = [label for label in labels if label not in self.crons]
        if missing:
            self.adopt(missing)
        added = [self.label(name) for name in listing_names(made)]
        ids = [self.crons[label] for label in labels if label in self.crons]
        gone = self.api.call('cron_batch_delete', {'id': ids})
        deleted = [self.label(name) for name in listing_names(gone)]
        for label in labels:
            self.crons.pop(label, None)
        self.deleted_id = ids[0] if ids else None
        orders = {tuple(labels): 'request', tuple(reversed(labels)): 'reverse'}
        add_order, delete_order = orders.get(tuple(added)), orders.get(tuple(deleted))
        observed = 'sent [1, 2]: `cron_batch_add` answered [%s], `cron_batch_delete` answered [%s]' % (
            ', '.join(label.replace('batch-', '') for label in added),
            ', '.join(label.replace('batch-', '') for label in deleted),
        )
        if add_order and add_order == delete_order:
            value = '`batch_order=%s`' % add_order
        else:
            value = '`batch_order`: none fits (add %s, delete %s)' % (add_order or 'other', delete_order or 'other')
        self.row(question, observed, value)

    def adopt(self, labels):
        """Find made cronjobs an answer did not show, so that they are deleted."""
        for job in self.api.call('cron_list', {'keyword': self.prefix}) or []:
            label = self.label(job.get('name', ''))
            if label in labels:
                self.crons[label] = job['id']

    def q_past_last_page(self):
        question = 'The page past the end of a short `cron_list`'
        first = self.api.call('cron_list', {'keyword': self.prefix, 'page': 1})
        second = self.api.call('cron_list', {'keyword': self.prefix, 'page': 2})
        if not first:
            self.row(
                question, 'the keyword found none of the probe\'s cronjobs; cannot tell', '`past_last_page`: not told'
            )
        elif second == []:
            self.row(
                question,
                'page 1 of the listing of the probe\'s prefix had %d, page 2 answered `[]`' % len(first),
                '`past_last_page=empty`',
            )
        elif sorted(job.get('id') for job in second) == sorted(job.get('id') for job in first):
            self.row(question, 'page 2 answered the %d cronjobs of page 1 again' % len(first), '`past_last_page=last`')
        else:
            self.row(
                question, 'page 1 had %d, page 2 %d others' % (len(first), len(second)), '`past_last_page`: none fits'
            )

    def q_error_status(self):
        question = 'The HTTP status of an error envelope'
        cron_id = getattr(self, 'deleted_id', None)
        if cron_id is None:
            self.row(question, 'no deleted cronjob to ask for', '`error_status`: not told')
            return
        status, envelope = self.api.post('cron_get', {'id': cron_id})
        if isinstance(envelope, dict) and envelope.get('status') == 'error':
            self.row(
                question,
                '`cron_get` of a deleted id: HTTP %d, code %s' % (status, envelope.get('code')),
                '`error_status=%s`' % ('false' if status == 200 else 'true'),
            )
        else:
            self.row(
                question,
                '`cron_get` of a deleted id answered HTTP %d without an error envelope' % status,
                '`error_status`: none fits',
            )

    def q_paused_status(self):
        got = self.api.call('cron_pause', {'id': self.crons['fields'], 'for': '1 hour'})
        self.row(
            'The status of a paused cronjob',
            '`cron_pause` answered status %s' % got.get('status'),
            '`paused_status=%s`' % got.get('status'),
        )

    def q_group_delete(self):
        question = "What `group_delete` does to the group's cronjobs"
        member = self.crons['null']
        self.api.call('group_delete', {'id': self.group_id})
        deleted_group, self.group_id = self.group_id, None
        try:
            got = self.api.call('cron_get', {'id': member})
        except ProbeError as exc:
            if exc.code is None:
                raise
            self.crons.pop('null', None)
            self.row(question, 'its cronjob is gone (`cron_get`: %s)' % exc.message, '`group_delete=delete`')
            return
        if got.get('group') in (None, 0, ''):
            self.row(question, 'its cronjob stays, without a group', '`group_delete=ungroup`')
        elif got.get('group') == deleted_group:
            self.row(question, "its cronjob stays, with the deleted group's id", '`group_delete=keep_id`')
        else:
            self.row(question, 'its cronjob stays, in group %s' % got.get('group'), '`group_delete`: none fits')

    # -- clean-up -----------------------------------------------------------

    def clean_up(self):
        """Delete what the probe made, then sweep the account for its prefix; returns what is left."""
        for label, cron_id in list(self.crons.items()):
            try:
                self.api.call('cron_delete', {'id': cron_id})
                del self.crons[label]
            except ProbeError as exc:
                self.say('clean-up: cron_delete %s: %s' % (cron_id, self.api.scrub(exc)))
        if self.group_id is not None:
            try:
                self.api.call('group_delete', {'id': self.group_id})
                self.group_id = None
            except ProbeError as exc:
                self.say('clean-up: group_delete: %s' % self.api.scrub(exc))
        return self.sweep()

    def sweep(self):
        left = []
        try:
            for job in self.api.call('cron_list', {'keyword': self.prefix}) or []:
                if str(job.get('name', '')).startswith(self.prefix):
                    self.api.call('cron_delete', {'id': job['id']})
                    left.append('cronjob %s' % job['id'])
            for group in self.api.call('group_list') or []:
                if str(group.get('name', '')).startswith(self.prefix):
                    self.api.call('group_delete', {'id': group['id']})
                    left.append('group %s' % group['id'])
        except ProbeError as exc:
            return ['the sweep failed: %s' % self.api.scrub(exc)]
        if left:
            self.say('clean-up: the sweep deleted %s' % ', '.join(left))
        return []

    # -- output -------------------------------------------------------------

    def table(self):
        lines = ['| question | reading observed | switch value |', '| --- | --- | --- |']
        lines += [
            '| %s | %s | %s |' % (question, observed.replace('|', '\\|'), switch)
            for question, observed, switch in self.rows
        ]
        return '\n'.join(lines)


def not_cheap_table():
    lines = ['| question the probe does not ask | why | switch |', '| --- | --- | --- |']
    lines += ['| %s | %s | %s |' % item for item in NOT_CHEAP]
    return '\n'.join(lines)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument(
        '--pace',
        type=float,
        default=DEFAULT_PACE,
        help='seconds between requests (default %.2f: the service allows one a second)' % DEFAULT_PACE,
    )
    return parser.parse_args(argv)


def main(argv=None, environ=None, out=sys.stdout):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    environ = os.environ if environ is None else environ
    token = environ.get(TOKEN_ENV, '').strip()
    if not token:
        out.write('live probe skipped: %s is not set\n' % TOKEN_ENV)
        return 0
    base_url = environ.get(URL_ENV, '').strip() or DEFAULT_URL
    prefix = 'fcl-probe-%s-%04d-' % (time.strftime('%Y%m%d-%H%M%S', time.gmtime()), random.randint(0, 9999))
    api = Api(token, base_url, pace=args.pace)
    probe = Probe(api, prefix, out)
    probe.say('live probe of %s: objects named %s..., expression manual, URLs on example.com' % (base_url, prefix))
    probe.say(
        'it needs room for %d cronjobs and %d group at once (a free plan holds 5 cronjobs)'
        % (ROOM_CRONJOBS, ROOM_GROUPS)
    )
    failure = None
    try:
        probe.run()
    except ProbeError as exc:
        failure = api.scrub(exc)
    finally:
        left = probe.clean_up()
    probe.say('')
    probe.say(probe.table())
    probe.say('')
    probe.say(not_cheap_table())
    probe.say('')
    probe.say('%d requests; left behind: %s' % (api.requests, ', '.join(left) if left else 'nothing'))
    if failure:
        probe.say('the probe stopped: %s' % failure)
    return 1 if failure or left else 0


if __name__ == '__main__':
    sys.exit(main())
