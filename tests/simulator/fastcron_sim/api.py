# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API functions on an in-memory account: cronjobs, groups and the account itself.

``Account`` holds the state and implements every function of the reference as an
``fn_<function>`` method taking the request parameters and returning the ``data`` of
the envelope, or raising ``ApiError``. Nothing here knows about HTTP.
"""

import json
import re
import threading
import time
from urllib.parse import urlsplit, urlunsplit

from .common import (
    ACCOUNT_CRON_LIMIT,
    ACCOUNT_STATUSES,
    BODY_METHODS,
    CODES,
    CRON_DEFAULTS,
    DEFAULT_PAUSED_STATUS,
    DEFAULT_TIMEZONE,
    ECHO_FIELDS,
    FIELD_MODES,
    FIRST_CRON_ID,
    FIRST_GROUP_ID,
    HTTP_METHODS,
    MIN_TIMEOUT,
    PUBLIC_FIELDS,
    STATUS_ACTIVE,
    STATUS_DISABLED,
    STATUS_FAILED,
    STATUSES,
    SWITCH_DEFAULTS,
    TIMESTAMP_PARAMETER,
    ApiError,
    cron_not_found,
    group_not_found,
    invalid,
    is_blank,
    is_json,
    missing,
    resolve_fields,
    switch_value,
    to_bool,
    to_int,
    to_str,
)
from .expressions import duration_end, next_runs, normalise_expression, parse_expression, valid_timezone

DEFAULT_PAUSE_SECONDS = 3600


def _lookup_key(name, ignore_case):
    """How group_lookup compares names: exactly, or ignoring case and spacing."""
    return ' '.join(name.split()).casefold() if ignore_case else name


def _lower_host(url):
    """The URL with its host (not the user information) in lower case."""
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition('@')
    return urlunsplit(parts._replace(netloc=userinfo + at + host.lower()))


def _with_timestamp(url):
    """The URL plus the __timestamp__ query parameter, unless it already holds __timestamp__."""
    if '__timestamp__' in url:
        return url
    base, hash_sign, fragment = url.partition('#')
    joiner = '' if base.endswith(('?', '&')) else '&' if '?' in base else '?'
    return base + joiner + TIMESTAMP_PARAMETER + hash_sign + fragment


def _rejoin_headers(text):
    """Header lines as 'Name:value', one per line, separated by a bare newline."""
    lines = []
    for line in re.split(r'\r?\n', text):
        if line.strip():
            name, _dummy, value = line.partition(':')
            lines.append('%s:%s' % (name.strip(), value.strip()))
    return '\n'.join(lines)


def _page(items, params, page_size, past_last_page):
    """One page of ``items`` (the 'page' parameter, from 1); past the end: none, or the last page again."""
    page = to_int('page', params['page'], minimum=1) if not is_blank(params.get('page')) else 1
    last = max(1, -(-len(items) // page_size))
    if page > last and past_last_page == 'last':
        page = last
    start = (page - 1) * page_size
    return items[start:][:page_size]


class Account:
    """The state of one FastCron account and the API functions on it.

    Behaviours the reference leaves open are switches:

    - ``fields``: which fields cronjob objects carry ('echo', 'no_echo' or 'examples');
    - ``paused_status``: the status a cronjob reports while a pause lasts;
    - ``group_lookup_ignores_case``: group_lookup ignores case and spacing of names;
    - ``keyword_ignores_names``: cron_list's keyword matches the ID and the URL only;
    - the switches of ``SWITCH_DEFAULTS`` (``batch_order``, ``past_last_page``, ``page_size``,
      ``group_items_paged``, ``url_timestamp``, ``timeout_cap``, ``cap_mode``, ``null_means``,
      ``normalise``, ``group_delete``), described in README.md.
    """

    def __init__(
        self,
        timezone=DEFAULT_TIMEZONE,
        fields=None,
        paused_status=DEFAULT_PAUSED_STATUS,
        group_lookup_ignores_case=False,
        keyword_ignores_names=False,
        **switches,
    ):
        unknown = sorted(set(switches) - set(SWITCH_DEFAULTS))
        if unknown:
            raise TypeError('unknown switches: %s' % ', '.join(unknown))
        for name, default in SWITCH_DEFAULTS.items():
            setattr(self, name, switch_value(name, switches.get(name, default)))
        if not valid_timezone(timezone):
            raise ValueError('unknown time zone %r' % (timezone,))
        if isinstance(paused_status, bool) or not isinstance(paused_status, int) or paused_status < 0:
            raise ValueError('paused_status must be an integer >= 0')
        self.default_timezone = timezone
        self.fields = resolve_fields(fields)
        self.paused_status = paused_status
        self.group_lookup_ignores_case = bool(group_lookup_ignores_case)
        self.keyword_ignores_names = bool(keyword_ignores_names)
        self.lock = threading.RLock()
        self._init_state()

    def _init_state(self):
        self.crons = {}
        self.groups = {}
        self.cron_logs = {}
        self.next_cron_id = FIRST_CRON_ID
        self.next_group_id = FIRST_GROUP_ID
        self.clock_offset = 0.0
        self.account = {
            'id': 1,
            'name': 'FastCron simulator',
            'timezone': self.default_timezone,
            'plan': 'Business',
            'cron': ACCOUNT_CRON_LIMIT,
            'memberLimit': 5,
            'expiryDate': '2099-12-31',
        }

    @property
    def echo_write_only(self):
        """The older name of the 'echo' field mode."""
        return self.fields == 'echo'

    def now(self):
        """The simulator's clock (real time plus the admin clock offset)."""
        return time.time() + self.clock_offset

    # -- status ------------------------------------------------------------

    def _refresh(self, job):
        """End a pause that is over."""
        if job['pauseUntil'] is not None and job['pauseUntil'] <= self.now():
            job['pauseUntil'] = None

    def status_of(self, job):
        """The status a cronjob reports: paused_status while a pause lasts, unless the account disabled it."""
        self._refresh(job)
        if job['pauseUntil'] is not None and job['status'] not in ACCOUNT_STATUSES:
            return self.paused_status
        return job['status']

    def is_active(self, job):
        """Active: status 0 and not paused (whatever status a paused cronjob reports)."""
        self._refresh(job)
        return job['status'] == STATUS_ACTIVE and job['pauseUntil'] is None

    # -- rendering ---------------------------------------------------------

    def render_cron(self, job, deleted=False):
        out = {field: job[field] for field in FIELD_MODES[self.fields]}
        out['status'] = self.status_of(job)
        if deleted:
            out['id'] = None
        return out

    def render_cron_admin(self, job):
        out = {field: job[field] for field in PUBLIC_FIELDS + ECHO_FIELDS}
        out['status'] = self.status_of(job)
        out['password'] = job['password']
        out['pauseUntil'] = job['pauseUntil']
        out['runs'] = [dict(run) for run in job['runs']]
        return out

    def _job_count(self, group_id):
        return sum(1 for job in self.crons.values() if job['group'] == group_id)

    def render_group(self, group, deleted=False, counts=None):
        job_count = counts.get(group['id'], 0) if counts is not None else self._job_count(group['id'])
        return {
            'id': None if deleted else group['id'],
            'name': group['name'],
            'jobCount': job_count,
            'priority': group['priority'],
        }

    # -- lookups -----------------------------------------------------------

    @staticmethod
    def _required_id(params, name='id'):
        value = params.get(name)
        if is_blank(value):
            raise missing(name)
        return to_int(name, value, minimum=1)

    def _job(self, params):
        cron_id = self._required_id(params)
        job = self.crons.get(cron_id)
        if job is None:
            raise cron_not_found(cron_id)
        return job

    def _group(self, params):
        group_id = self._required_id(params)
        group = self.groups.get(group_id)
        if group is None:
            raise group_not_found(group_id)
        return group

    # -- cronjob options ---------------------------------------------------

    def _parse_group_option(self, value):
        if value is None or (isinstance(value, str) and value.strip() in ('', '0')) or value == 0:
            return None
        group_id = to_int('group', value, minimum=1)
        if group_id not in self.groups:
            raise ApiError(CODES['group_not_found'], "Group %d not found (parameter 'group')" % group_id)
        return group_id

    @staticmethod
    def _parse_expression_option(value):
        """The expression as sent, checked in its folded form."""
        if value is None or isinstance(value, bool) or not isinstance(value, (str, int)):
            raise invalid('expression', 'a string is required')
        value = str(value)
        folded = normalise_expression(value)
        if not folded:
            raise invalid('expression', 'must not be empty')
        try:
            parse_expression(folded)
        except ValueError as exc:
            raise invalid('expression', str(exc)) from None
        return value

    def parse_options(self, params, adding, method_hint='GET', extra_fields=False):
        """Validate cron_add / cron_edit options present in params; return the changes and the run."""
        changes = {}
        if 'url' in params or adding:
            value = params.get('url')
            if adding and is_blank(value):
                raise missing('url')
            value = to_str('url', value).strip()
            if not value:
                raise invalid('url', 'must not be empty')
            parts = urlsplit(value)
            if parts.scheme.lower() not in ('http', 'https') or not parts.netloc:
                # Echoes the value, as services often do: the modules must mask what it holds.
                raise invalid('url', "an http:// or https:// URL with a host is required, got '%s'" % value)
            changes['url'] = value
        if 'expression' in params:
            changes['expression'] = self._parse_expression_option(params['expression'])
        for name, minimum, maximum in (('delay', 0, None), ('timeout', 5, None), ('instances', 0, 5)):
            if name in params:
                changes[name] = to_int(name, params[name], minimum, maximum)
        if 'timezone' in params:
            value = to_str('timezone', params['timezone']).strip()
            if not valid_timezone(value):
                raise invalid('timezone', "unknown time zone '%s'" % value)
            changes['timezone'] = value
        for name in ('username', 'password', 'userAgent'):
            if name in params:
                changes[name] = to_str(name, params[name], nullable=True)
        if 'keyword' in params:
            value = to_str('keyword', params['keyword'], nullable=True)
            if value is not None and len(value) > 100:
                raise invalid('keyword', 'maximum length is 100 characters')
            changes['keyword'] = value
        if 'httpMethod' in params:
            value = to_str('httpMethod', params['httpMethod'])
            if value.strip().upper() not in HTTP_METHODS:
                raise invalid('httpMethod', 'must be one of %s' % ', '.join(HTTP_METHODS))
            changes['httpMethod'] = value
        if 'postData' in params:
            value = to_str('postData', params['postData'])
            if ('\n' in value or '\r' in value or value.lstrip().startswith('{')) and not is_json(value):
                raise invalid('postData', 'must be valid JSON when it contains newlines or starts with "{"')
            changes['postData'] = value
        if 'httpHeaders' in params:
            value = to_str('httpHeaders', params['httpHeaders'])
            for line in re.split(r'\r?\n', value):
                if line.strip() and not re.match(r'[!#$%&\'*+.^_`|~0-9A-Za-z-]+:', line):
                    raise invalid('httpHeaders', "each line must be 'Name: value', got '%s'" % line)
            changes['httpHeaders'] = value
        if 'notify' in params:
            changes['notify'] = to_bool('notify', params['notify'])
        if 'group' in params:
            changes['group'] = self._parse_group_option(params['group'])
        if 'name' in params:
            changes['name'] = to_str('name', params['name'])
        if extra_fields:
            for name, minimum, maximum in (
                ('status', 0, max(STATUSES)),
                ('fail', 0, None),
                ('priority', 0, 2),
                ('points', 0, None),
            ):
                if name in params:
                    changes[name] = to_int(name, params[name], minimum, maximum)
        run = self._parse_run(params, changes.get('httpMethod', method_hint))
        return changes, run

    def _parse_run(self, params, http_method):
        """The 'run' and 'payload' options of cron_add / cron_edit."""
        value = params.get('run')
        payload = self._parse_payload(params, http_method)
        if is_blank(value):
            return None
        when = to_int('run', value, minimum=0)
        if when == 0:
            return None
        if when == 1:
            when = self._default_run_time()
        return {'time': when, 'payload': payload}

    @staticmethod
    def _parse_payload(params, http_method):
        value = params.get('payload')
        if value is None:
            return None
        value = to_str('payload', value)
        http_method = http_method.strip().upper()
        looks_json = '\n' in value or '\r' in value or value.lstrip().startswith(('{', '['))
        if looks_json:
            if http_method not in BODY_METHODS:
                raise invalid('payload', 'a query string is required for %s cronjobs' % http_method)
            if not is_json(value):
                raise invalid('payload', 'must be valid JSON when it contains newlines or starts with "{"')
        return value

    def _given(self, params):
        """The parameters of a write; with null_means 'unchanged' a JSON null counts as not given."""
        if self.null_means == 'unchanged':
            return {key: value for key, value in params.items() if value is not None}
        return params

    def _service_form(self, changes, adding):
        """What the service stores of checked options: the plan's timeout cap, the account's
        __timestamp__ setting and, with normalise 'rewrite', its own form of values."""
        cap = self.timeout_cap
        if cap is not None:
            if adding and 'timeout' not in changes and CRON_DEFAULTS['timeout'] > cap:
                changes['timeout'] = max(cap, MIN_TIMEOUT)
            if changes.get('timeout', 0) > cap:
                if self.cap_mode == 'refuse':
                    raise invalid(
                        'timeout',
                        '%d is above the longest timeout of the plan (%d seconds)' % (changes['timeout'], cap),
                    )
                changes['timeout'] = cap
        if self.normalise == 'rewrite':
            if 'url' in changes:
                changes['url'] = _lower_host(changes['url'])
            if 'expression' in changes:
                changes['expression'] = normalise_expression(changes['expression'])
            if 'httpHeaders' in changes:
                changes['httpHeaders'] = _rejoin_headers(changes['httpHeaders'])
            if 'httpMethod' in changes:
                changes['httpMethod'] = changes['httpMethod'].strip().upper()
        if self.url_timestamp and 'url' in changes:
            changes['url'] = _with_timestamp(changes['url'])
        return changes

    def _default_run_time(self):
        return (int(self.now()) // 60 + 1) * 60

    def new_job(self, changes):
        job = dict(CRON_DEFAULTS)
        job['timezone'] = self.account['timezone']
        job.update(changes)
        job['id'] = self.next_cron_id
        job['pauseUntil'] = None
        job['runs'] = []
        self.next_cron_id += 1
        self.crons[job['id']] = job
        return job

    def record_run(self, job, run):
        if run is not None and self.is_active(job):
            job['runs'].append(run)

    def _check_limit(self, adding):
        if len(self.crons) + adding > self.account['cron']:
            raise ApiError(CODES['cron_limit'], 'Cronjob limit of the account reached (%d)' % self.account['cron'])

    def _delete_job(self, job):
        rendered = self.render_cron(job, deleted=True)
        del self.crons[job['id']]
        self.cron_logs.pop(job['id'], None)
        return rendered

    # -- dispatch ----------------------------------------------------------

    def call(self, function, params):
        """Run one API function (lock held by the caller); raise ApiError."""
        handler = getattr(self, 'fn_' + function, None) if function in API_FUNCTIONS else None
        if handler is None:
            raise ApiError(CODES['unknown_function'], "Unknown API function '%s'" % function)
        return handler(params)

    # -- cronjob functions -------------------------------------------------

    def _keyword_matches(self, job, keyword):
        if keyword in str(job['id']) or keyword in job['url'].lower():
            return True
        return not self.keyword_ignores_names and keyword in job['name'].lower()

    def fn_cron_list(self, params):
        keyword = to_str('keyword', params.get('keyword')).strip().lower()
        jobs = [self.crons[cron_id] for cron_id in sorted(self.crons)]
        if keyword:
            jobs = [job for job in jobs if self._keyword_matches(job, keyword)]
        return [self.render_cron(job) for job in _page(jobs, params, self.page_size, self.past_last_page)]

    def fn_cron_get(self, params):
        return self.render_cron(self._job(params))

    def fn_cron_add(self, params):
        self._check_limit(1)
        changes, run = self.parse_options(self._given(params), adding=True)
        job = self.new_job(self._service_form(changes, adding=True))
        self.record_run(job, run)
        return self.render_cron(job)

    def fn_cron_edit(self, params):
        job = self._job(params)
        options = {key: value for key, value in self._given(params).items() if key != 'id'}
        changes, run = self.parse_options(options, adding=False, method_hint=job['httpMethod'])
        job.update(self._service_form(changes, adding=False))
        self.record_run(job, run)
        return self.render_cron(job)

    def fn_cron_enable(self, params):
        job = self._job(params)
        job['pauseUntil'] = None
        if job['status'] not in ACCOUNT_STATUSES:
            job['status'] = STATUS_ACTIVE
        return self.render_cron(job)

    def fn_cron_disable(self, params):
        job = self._job(params)
        job['status'] = STATUS_DISABLED
        job['pauseUntil'] = None
        return self.render_cron(job)

    def fn_cron_pause(self, params):
        job = self._job(params)
        duration = params.get('for')
        if duration is not None and not isinstance(duration, str):
            raise invalid('for', 'a string like "15 minutes", "1 hour" or "1 day" is required')
        now = self.now()
        if is_blank(duration):
            until = now + DEFAULT_PAUSE_SECONDS
        else:
            try:
                until = duration_end(normalise_expression(duration), now)
            except ValueError as exc:
                raise invalid('for', str(exc)) from None
        if job['status'] in (STATUS_DISABLED, STATUS_FAILED):
            job['status'] = STATUS_ACTIVE  # it runs again once the pause is over
        job['pauseUntil'] = until
        return self.render_cron(job)

    def fn_cron_delete(self, params):
        return self._delete_job(self._job(params))

    def fn_cron_run(self, params):
        job = self._job(params)
        when = None if is_blank(params.get('time')) else to_int('time', params['time'], minimum=1)
        payload = self._parse_payload(params, job['httpMethod'])
        if not self.is_active(job):
            detail = 'status %d%s' % (self.status_of(job), ', paused' if job['pauseUntil'] is not None else '')
            raise ApiError(
                CODES['cron_not_active'], 'Cronjob %d is not active (%s) and cannot be run' % (job['id'], detail)
            )
        run = {'time': when if when is not None else self._default_run_time(), 'payload': payload}
        job['runs'].append(run)
        return run['time']

    def _results(self, params, failures):
        job = self._job(params)
        keyword = to_str('keyword', params.get('keyword')).lower()
        items = self.cron_logs.get(job['id'], [])
        if failures:
            items = [item for item in items if item['result'].get('status') != 0]
        if keyword:
            items = [item for item in items if keyword in str(item['result'].get('output', '')).lower()]
        return json.loads(json.dumps(items))

    def fn_cron_logs(self, params):
        return self._results(params, failures=False)

    def fn_cron_failures(self, params):
        return self._results(params, failures=True)

    def fn_cron_next(self, params):
        job = self._job(params)
        return next_runs(job['expression'], job['timezone'], self.now(), seed=job['id'])

    def fn_cron_batch_add(self, params):
        items = params.get('data')
        if items is None:
            raise missing('data')
        if not isinstance(items, list):
            raise invalid('data', 'an array is required (send a JSON body)')
        parsed = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise invalid('data', 'item %d is not an object' % index)
            try:
                changes, run = self.parse_options(
                    self._given({k: v for k, v in item.items() if k != 'token'}), adding=True
                )
                parsed.append((self._service_form(changes, adding=True), run))
            except ApiError as exc:
                raise ApiError(exc.code, 'data[%d]: %s' % (index, exc.message)) from None
        self._check_limit(len(parsed))
        result = []
        for changes, run in parsed:
            job = self.new_job(changes)
            self.record_run(job, run)
            result.append(self.render_cron(job))
        return result[::-1] if self.batch_order == 'reverse' else result

    def fn_cron_batch_delete(self, params):
        ids = params.get('id')
        if ids is None:
            raise missing('id')
        if not isinstance(ids, list):
            raise invalid('id', 'an array is required (send a JSON body)')
        wanted = []
        for index, value in enumerate(ids):
            cron_id = to_int('id[%d]' % index, value, minimum=1)
            if cron_id not in self.crons:
                raise cron_not_found(cron_id)
            if cron_id not in wanted:
                wanted.append(cron_id)
        result = [self._delete_job(self.crons[cron_id]) for cron_id in wanted]
        return result[::-1] if self.batch_order == 'reverse' else result

    # -- group functions ---------------------------------------------------

    def _group_counts(self):
        counts = {}
        for job in self.crons.values():
            if job['group'] is not None:
                counts[job['group']] = counts.get(job['group'], 0) + 1
        return counts

    def fn_group_list(self, _params):
        counts = self._group_counts()
        return [self.render_group(self.groups[group_id], counts=counts) for group_id in sorted(self.groups)]

    def fn_group_get(self, params):
        return self.render_group(self._group(params))

    def fn_group_lookup(self, params):
        wanted = _lookup_key(self._group_name(params), self.group_lookup_ignores_case)
        counts = self._group_counts()
        return [
            self.render_group(self.groups[group_id], counts=counts)
            for group_id in sorted(self.groups)
            if _lookup_key(self.groups[group_id]['name'], self.group_lookup_ignores_case) == wanted
        ]

    @staticmethod
    def _group_name(params):
        if is_blank(params.get('name')):
            raise missing('name')
        return to_str('name', params['name'])

    def fn_group_add(self, params):
        name = self._group_name(params)
        group = {'id': self.next_group_id, 'name': name, 'priority': 0}
        self.next_group_id += 1
        self.groups[group['id']] = group
        return self.render_group(group)

    def fn_group_edit(self, params):
        group = self._group(params)
        if 'name' in params:
            group['name'] = self._group_name(params)
        return self.render_group(group)

    def fn_group_delete(self, params):
        group = self._group(params)
        rendered = self.render_group(group, deleted=True)
        members = [job for job in self.crons.values() if job['group'] == group['id']]
        for job in members:
            if self.group_delete == 'delete':
                self._delete_job(job)
            elif self.group_delete == 'ungroup':
                job['group'] = None
            # 'keep_id': the cronjobs keep the id of a group that is gone
        del self.groups[group['id']]
        return rendered

    def fn_group_vanish(self, params):
        group = self._group(params)
        rendered = self.render_group(group, deleted=True)
        for job in [job for job in self.crons.values() if job['group'] == group['id']]:
            self._delete_job(job)
        del self.groups[group['id']]
        return rendered

    def fn_group_empty(self, params):
        group = self._group(params)
        for job in [job for job in self.crons.values() if job['group'] == group['id']]:
            self._delete_job(job)
        return self.render_group(group)

    def fn_group_items(self, params):
        group = self._group(params)
        jobs = [self.crons[cron_id] for cron_id in sorted(self.crons) if self.crons[cron_id]['group'] == group['id']]
        if self.group_items_paged:
            jobs = _page(jobs, params, self.page_size, self.past_last_page)
        return [self.render_cron(job) for job in jobs]

    # -- account functions -------------------------------------------------

    def fn_account_get(self, _params):
        return dict(self.account)

    def fn_account_edit(self, params):
        if 'timezone' in params:
            value = to_str('timezone', params['timezone']).strip()
            if not valid_timezone(value):
                raise invalid('timezone', "unknown time zone '%s'" % value)
            self.account['timezone'] = value
        return dict(self.account)


API_FUNCTIONS = frozenset(name[3:] for name in dir(Account) if name.startswith('fn_'))
