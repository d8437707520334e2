# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults and the ``/_admin`` surface: configuration, reset, seed, state, request log, clock.

``Admin`` extends the account with what tests use to arrange and inspect it; the HTTP
layer (``server.Simulator``) builds on it.
"""

import json
from urllib.parse import parse_qsl

from .api import Account
from .common import (
    ADMIN_PREFIX,
    FAULT_KINDS,
    FIELD_MODES,
    SEED_LIST_LIMIT,
    SWITCH_DEFAULTS,
    AdminError,
    ApiError,
    Reply,
    admin_bool,
    admin_number,
    is_blank,
    resolve_fields,
    switch_value,
)

CONFIG_KEYS = (
    'rate_limit',
    'echo_write_only',
    'fields',
    'paused_status',
    'group_lookup_ignores_case',
    'keyword_ignores_names',
    'retry_after',
    'error_status',
    'tokens',
    *tuple(SWITCH_DEFAULTS),
)
FAULT_KEYS = ('kind', 'count', 'function', 'delay', 'after_processing')
SEED_KEYS = ('groups', 'crons', 'generate', 'logs')


def flat_query(text):
    """Query or form string to a dict; a repeated key keeps its last value."""
    return dict(parse_qsl(text, keep_blank_values=True))


def parse_config(values):
    """Admin configuration keys to attribute changes; raise AdminError on bad ones."""
    if not isinstance(values, dict):
        raise AdminError('a JSON object is required')
    unknown = sorted(set(values) - set(CONFIG_KEYS))
    if unknown:
        raise AdminError('unknown configuration keys: %s' % ', '.join(unknown))
    changes = {}
    if 'rate_limit' in values:
        changes['rate_limit'] = admin_number('rate_limit', values['rate_limit'])
    if 'fields' in values or 'echo_write_only' in values:
        fields = values.get('fields')
        if 'fields' in values and fields not in FIELD_MODES:
            raise AdminError('fields must be one of %s' % ', '.join(FIELD_MODES))
        echo = admin_bool('echo_write_only', values['echo_write_only']) if 'echo_write_only' in values else None
        try:
            changes['fields'] = resolve_fields(fields, echo)
        except ValueError as exc:
            raise AdminError(str(exc)) from None
    if 'paused_status' in values:
        changes['paused_status'] = admin_number('paused_status', values['paused_status'], integer=True)
    for name in ('group_lookup_ignores_case', 'keyword_ignores_names', 'error_status'):
        if name in values:
            changes[name] = admin_bool(name, values[name])
    if 'retry_after' in values:
        value = values['retry_after']
        value = None if value in (None, '') else value
        changes['retry_after'] = admin_number('retry_after', value, integer=True, nullable=True)
    if 'tokens' in values:
        value = values['tokens']
        if not isinstance(value, list) or not value or not all(isinstance(item, str) and item for item in value):
            raise AdminError('tokens must be a non-empty list of strings')
        changes['tokens'] = list(value)
    for name in SWITCH_DEFAULTS:
        if name in values:
            try:
                changes[name] = switch_value(name, values[name])
            except ValueError as exc:
                raise AdminError(str(exc)) from None
    return changes


class Admin(Account):
    """An account with faults, a request log, the server-side switches and the admin surface."""

    def __init__(self, tokens=None, rate_limit=1.0, retry_after=None, error_status=False, **account_options):
        self.tokens = list(tokens) if tokens else []
        self.rate_limit = float(rate_limit)
        self.retry_after = retry_after
        self.error_status = bool(error_status)
        self.request_log = []
        self.next_seq = 1
        super().__init__(**account_options)

    def _init_state(self):
        super()._init_state()
        self.faults = []
        self.last_accepted = None

    # -- configuration -----------------------------------------------------

    def config(self):
        with self.lock:
            return {
                'rate_limit': self.rate_limit,
                'echo_write_only': self.echo_write_only,
                'fields': self.fields,
                'paused_status': self.paused_status,
                'group_lookup_ignores_case': self.group_lookup_ignores_case,
                'keyword_ignores_names': self.keyword_ignores_names,
                'retry_after': self.retry_after,
                'error_status': self.error_status,
                'tokens': list(self.tokens),
                **{name: getattr(self, name) for name in SWITCH_DEFAULTS},
            }

    def configure(self, values):
        """Apply admin configuration keys; raise AdminError on bad ones."""
        changes = parse_config(values)
        with self.lock:
            for key, value in changes.items():
                setattr(self, key, value)

    # -- faults ------------------------------------------------------------

    def add_fault(self, body):
        if not isinstance(body, dict):
            raise AdminError('a JSON object is required')
        unknown = sorted(set(body) - set(FAULT_KEYS))
        if unknown:
            raise AdminError('unknown fault keys: %s' % ', '.join(unknown))
        kind = str(body.get('kind'))
        if kind not in FAULT_KINDS:
            raise AdminError('kind must be one of %s' % ', '.join(FAULT_KINDS))
        count = admin_number('count', body.get('count', 1), minimum=1, integer=True)
        function = body.get('function')
        if function is not None and not isinstance(function, str):
            raise AdminError('function must be a string or null')
        delay = admin_number('delay', body.get('delay', 2.0))
        after = admin_bool('after_processing', body.get('after_processing', False))
        fault = {'kind': kind, 'count': count, 'function': function or None, 'delay': delay, 'after_processing': after}
        with self.lock:
            self.faults.append(fault)
            return [dict(item) for item in self.faults]

    def take_fault(self, function):
        """The next queued fault for ``function`` (lock held), counted down; None when there is none."""
        for index, fault in enumerate(self.faults):
            if fault['function'] is None or fault['function'] == function:
                fault['count'] -= 1
                if fault['count'] <= 0:
                    del self.faults[index]
                return dict(fault)
        return None

    def fault_reply(self, fault):
        kind = fault['kind']
        if kind == 'drop':
            return Reply(0, drop=True)
        if kind == 'non_json':
            return Reply(200, b'<html>Oops</html>', 'text/html')
        status = int(kind)
        return Reply.html(status, self.retry_after if status == 503 else None)

    # -- seed, state, reset ------------------------------------------------

    def _seed_logs(self, logs):
        if not isinstance(logs, dict):
            raise AdminError('logs must be an object mapping cronjob ids to arrays')
        for key, items in logs.items():
            try:
                cron_id = int(key)
            except ValueError:
                raise AdminError('logs: bad cronjob id %r' % (key,)) from None
            if cron_id not in self.crons:
                raise AdminError('logs: cronjob %d not found' % cron_id)
            if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
                raise AdminError('logs: an array of objects is required for cronjob %d' % cron_id)
            for item in items:
                item = dict(item) if 'result' in item else {'result': dict(item)}
                result = dict(item['result'])
                result.setdefault('output', '')
                result.setdefault('downloaded', len(str(result['output']).encode('utf-8')))
                result.setdefault('httpStatus', 200)
                result.setdefault('error', '')
                result.setdefault('time', int(self.now()))
                result.setdefault('executionTime', 0.1)
                result.setdefault('status', 0)
                item['result'] = result
                self.cron_logs.setdefault(cron_id, []).append(item)

    def _seed_groups(self, items):
        groups = []
        for item in items or []:
            if not isinstance(item, dict) or is_blank(item.get('name')):
                raise AdminError('each group needs a name')
            priority = admin_number('priority', item.get('priority', 0), integer=True)
            if priority not in (0, 1, 2):
                raise AdminError('group priority must be 0, 1 or 2')
            group = {'id': self.next_group_id, 'name': str(item['name']), 'priority': priority}
            self.next_group_id += 1
            self.groups[group['id']] = group
            groups.append(group)
        return groups

    def seed(self, body):
        """Create groups, cronjobs and execution results directly."""
        if not isinstance(body, dict):
            raise AdminError('a JSON object is required')
        unknown = sorted(set(body) - set(SEED_KEYS))
        if unknown:
            raise AdminError('unknown seed keys: %s' % ', '.join(unknown))
        with self.lock:
            groups = self._seed_groups(body.get('groups'))
            created = []
            for index, item in enumerate(body.get('crons') or []):
                if not isinstance(item, dict):
                    raise AdminError('crons[%d] is not an object' % index)
                try:
                    changes, run = self.parse_options(item, adding=True, extra_fields=True)
                except ApiError as exc:
                    raise AdminError('crons[%d]: %s' % (index, exc.message)) from None
                job = self.new_job(changes)
                self.record_run(job, run)
                created.append(job)
            generate = body.get('generate')
            if generate:
                created.extend(self._generate(generate))
            if body.get('logs'):
                self._seed_logs(body['logs'])
            result = {'groups': [self.render_group(group) for group in groups], 'count': len(created)}
            if len(created) < SEED_LIST_LIMIT:
                result['crons'] = [self.render_cron_admin(job) for job in created]
            return result

    def _generate(self, spec):
        if not isinstance(spec, dict):
            raise AdminError('generate must be an object')
        count = admin_number('generate.count', spec.get('count', 0), integer=True)
        prefix = str(spec.get('prefix') or 'job')
        group = spec.get('group')
        group = None if group in (None, '', 0, '0') else admin_number('generate.group', group, minimum=1, integer=True)
        if group is not None and group not in self.groups:
            raise AdminError('generate.group: group %s not found' % group)
        created = []
        for number in range(1, count + 1):
            created.append(
                self.new_job(
                    {
                        'name': '%s-%04d' % (prefix, number),
                        'url': 'https://example.com/%s/%d' % (prefix, number),
                        'group': group,
                    }
                )
            )
        return created

    def state(self):
        with self.lock:
            return {
                'crons': [self.render_cron_admin(self.crons[cron_id]) for cron_id in sorted(self.crons)],
                'groups': [self.render_group(self.groups[group_id]) for group_id in sorted(self.groups)],
                'account': dict(self.account),
                'logs': {str(cron_id): items for cron_id, items in sorted(self.cron_logs.items())},
            }

    def reset(self, body=None):
        if body:
            self.configure(body)
        with self.lock:
            self._init_state()
            self.request_log = []
            self.next_seq = 1

    def requests(self, since=0):
        with self.lock:
            return [
                dict(entry, params=dict(entry['params']), token_via=list(entry['token_via']))
                for entry in self.request_log
                if entry['seq'] > since
            ]

    # -- routing -----------------------------------------------------------

    def handle_admin(self, http_method, path, query_string, body):
        """Serve one admin request; returns a Reply."""
        try:
            payload = json.loads(body.decode('utf-8')) if body.strip() else None
        except (ValueError, UnicodeDecodeError):
            return Reply.json({'ok': False, 'error': 'the body must be JSON'}, 400)
        route = path.replace(ADMIN_PREFIX, '', 1).strip('/')
        query = flat_query(query_string)
        try:
            result = self._admin_route(http_method, route, query, payload)
        except AdminError as exc:
            return Reply.json({'ok': False, 'error': str(exc)}, 400)
        if result is None:
            return Reply.json({'ok': False, 'error': 'no admin endpoint %s %s' % (http_method, path)}, 404)
        return Reply.json(result)

    def _admin_route(self, http_method, route, query, payload):
        result = None
        if route == 'ping' and http_method == 'GET':
            result = {'ok': True, 'url': self.url}
        elif route == 'reset' and http_method == 'POST':
            self.reset(payload)
            result = {'ok': True}
        elif route == 'config' and http_method == 'GET':
            result = self.config()
        elif route == 'config' and http_method == 'POST':
            self.configure(payload if payload is not None else {})
            result = self.config()
        elif route == 'seed' and http_method == 'POST':
            result = self.seed(payload if payload is not None else {})
        elif route == 'state' and http_method == 'GET':
            result = self.state()
        elif route == 'requests' and http_method == 'GET':
            try:
                since = int(query.get('since') or 0)
            except ValueError:
                raise AdminError('since must be an integer') from None
            result = self.requests(since)
        elif route == 'requests' and http_method == 'DELETE':
            with self.lock:
                self.request_log = []
            result = {'ok': True}
        elif route == 'faults' and http_method == 'GET':
            with self.lock:
                result = [dict(item) for item in self.faults]
        elif route == 'faults' and http_method == 'POST':
            result = {'ok': True, 'faults': self.add_fault(payload)}
        elif route == 'faults' and http_method == 'DELETE':
            with self.lock:
                self.faults = []
            result = {'ok': True}
        elif route == 'clock' and http_method in ('GET', 'POST'):
            result = self._clock(payload if http_method == 'POST' else None)
        return result

    def _clock(self, payload):
        if payload is not None:
            if not isinstance(payload, dict) or set(payload) - {'advance', 'offset'}:
                raise AdminError('clock takes {"advance": seconds} or {"offset": seconds}')
            offset = admin_number('offset', payload.get('offset'), minimum=float('-inf'), nullable=True)
            advance = admin_number('advance', payload.get('advance'), minimum=float('-inf'), nullable=True)
            with self.lock:
                if offset is not None:
                    self.clock_offset = offset
                if advance is not None:
                    self.clock_offset += advance
        with self.lock:
            return {'now': self.now(), 'offset': self.clock_offset}
