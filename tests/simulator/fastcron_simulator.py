# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local simulator of the FastCron HTTP API, for tests of this collection.

It implements every function of the API reference (``/api/v1/<function>``) on an
in-memory account, plus an ``/_admin`` surface that lets tests reset and seed the
state, read the request log, change the configuration and inject faults.

Run it with ``python tests/simulator/fastcron_simulator.py --help``; see README.md
in the same folder for the CLI, the admin endpoints and the error codes.
"""

import argparse
import calendar
import datetime
import functools
import json
import os
import random
import re
import signal
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

try:
    import zoneinfo
except ImportError:  # Python without zoneinfo: fall back to a name-shape check
    zoneinfo = None


DEFAULT_TOKEN = '0123456789abcdef0123456789abcdef'
DEFAULT_TIMEZONE = 'Europe/London'
API_PREFIX = '/api/v1/'
ADMIN_PREFIX = '/_admin'
PAGE_SIZE = 1000
MAX_NEXT_RUNS = 100
ACCOUNT_CRON_LIMIT = 5000
FIRST_CRON_ID = 1000
FIRST_GROUP_ID = 100
SEED_LIST_LIMIT = 200

# Error codes of the simulator. Only 11 is documented by the service; the others
# are the simulator's own choice.
CODES = {
    'invalid_token': 11,       # missing or wrong API token
    'invalid_value': 20,       # a parameter has a bad type or value, or the body is unreadable
    'missing_parameter': 21,   # a required parameter is missing or empty
    'cron_not_found': 30,      # no cronjob with that id
    'group_not_found': 31,     # no group with that id
    'unknown_function': 40,    # no such API function (also the removed ones)
    'cron_not_active': 41,     # cron_run on a cronjob whose status is not 0
    'cron_limit': 50,          # the account's maximum number of cronjobs is reached
}

INVALID_TOKEN_MESSAGE = 'Invalid API token, user not found.'

# The HTTP status of an error envelope when errors come with 4xx statuses (the
# reference shows the envelope but not its status; the default answers 200).
ERROR_HTTP_STATUSES = {
    CODES['invalid_token']: 401,
    CODES['invalid_value']: 400,
    CODES['missing_parameter']: 400,
    CODES['cron_not_found']: 404,
    CODES['group_not_found']: 404,
    CODES['unknown_function']: 404,
    CODES['cron_not_active']: 409,
    CODES['cron_limit']: 403,
}

WRITE_FUNCTIONS = frozenset((
    'cron_add', 'cron_edit', 'cron_enable', 'cron_disable', 'cron_pause', 'cron_delete',
    'cron_run', 'cron_batch_add', 'cron_batch_delete', 'group_add', 'group_edit',
    'group_delete', 'group_vanish', 'group_empty', 'account_edit',
))

HTTP_METHODS = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD')
BODY_METHODS = ('POST', 'PUT', 'PATCH')

STATUS_ACTIVE = 0
STATUS_DISABLED = 1
STATUS_PAUSED = 2

# Cronjob object fields, in the order of the reference.
PUBLIC_FIELDS = (
    'id', 'group', 'expression', 'timezone', 'timeout', 'instances', 'url', 'httpMethod',
    'httpHeaders', 'postData', 'fail', 'status', 'name', 'notify', 'priority', 'points',
)
# Write-only-looking options returned only when echo_write_only is on.
ECHO_FIELDS = ('delay', 'username', 'userAgent', 'keyword')

CRON_DEFAULTS = {
    'group': None,
    'expression': '15 minutes',
    'timeout': 30,
    'instances': 0,
    'httpMethod': 'GET',
    'httpHeaders': '',
    'postData': '',
    'fail': 0,
    'status': STATUS_ACTIVE,
    'name': '',
    'notify': True,
    'priority': 0,
    'points': 1,
    'delay': 0,
    'username': None,
    'password': None,
    'userAgent': None,
    'keyword': None,
}

FAULT_KINDS = ('503', '500', '502', '504', 'non_json', 'slow', 'drop')
HTTP_ERROR_REASONS = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    405: 'Not Allowed',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Temporarily Unavailable',
    504: 'Gateway Time-out',
}

CRON_FIELDS = (('minute', 0, 59), ('hour', 0, 23), ('day', 1, 31), ('month', 1, 12), ('weekday', 1, 7))
CRON_TOKEN_RE = re.compile(r'[0-9*/,\-LR]+')
CRON_ITEM_RE = re.compile(r'(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?')
CRON_RANDOM_RE = re.compile(r'R(\d*)(?:,(.+))?')
INTERVAL_UNITS = {
    'minute': 60, 'minutes': 60, 'hour': 3600, 'hours': 3600,
    'day': 86400, 'days': 86400, 'week': 604800, 'weeks': 604800,
}
PAUSE_UNITS = {
    'second': 1, 'seconds': 1, 'minute': 60, 'minutes': 60, 'min': 60, 'mins': 60,
    'hour': 3600, 'hours': 3600, 'day': 86400, 'days': 86400, 'week': 604800, 'weeks': 604800,
}
WEEKDAYS = ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')
EN_INTERVAL_RE = re.compile(r'(?:every )?(\d+) (minutes?|hours?|days?|weeks?)(?: (\d{1,2}):(\d{2}))?', re.IGNORECASE)
EN_WEEKDAY_RE = re.compile(r'(?:next |every )?(%s)(?: (\d{1,2}):(\d{2}))?' % '|'.join(WEEKDAYS), re.IGNORECASE)
EN_DATE_RE = re.compile(r'(\d{4})-(\d{2})-(\d{2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?')
PAUSE_PART_RE = re.compile(r'\s*(\d+)\s*([a-zA-Z]+)\s*')


class ApiError(Exception):
    """An error answered with the JSON error envelope."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class AdminError(Exception):
    """A bad admin request, answered with HTTP 400."""


def _invalid(name, reason):
    return ApiError(CODES['invalid_value'], "Invalid value for parameter '%s': %s" % (name, reason))


def _missing(name):
    return ApiError(CODES['missing_parameter'], "Missing required parameter '%s'" % name)


def _cron_not_found(cron_id):
    return ApiError(CODES['cron_not_found'], 'Cronjob %s not found' % cron_id)


def _group_not_found(group_id):
    return ApiError(CODES['group_not_found'], 'Group %s not found' % group_id)


# ---------------------------------------------------------------------------
# value coercion

def to_int(name, value, minimum=None, maximum=None):
    """Parse an integer parameter given as int or decimal string."""
    if isinstance(value, bool):
        raise _invalid(name, 'an integer is required')
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r'\s*[+-]?\d+\s*', value):
        number = int(value)
    else:
        raise _invalid(name, 'an integer is required')
    if minimum is not None and maximum is not None and not minimum <= number <= maximum:
        raise _invalid(name, 'must be between %d and %d' % (minimum, maximum))
    if minimum is not None and number < minimum:
        raise _invalid(name, 'minimum is %d' % minimum)
    if maximum is not None and number > maximum:
        raise _invalid(name, 'maximum is %d' % maximum)
    return number


def to_bool(name, value):
    """Parse a boolean given as JSON bool, 0/1 or the strings 0/1/true/false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ('1', 'true'):
            return True
        if lowered in ('0', 'false'):
            return False
    raise _invalid(name, 'a boolean is required (1, 0, true or false)')


def to_str(name, value, nullable=False):
    """Parse a string parameter; JSON numbers become strings."""
    if value is None:
        return None if nullable else ''
    if isinstance(value, bool):
        raise _invalid(name, 'a string is required')
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        raise _invalid(name, 'a string is required')
    return value


def _is_blank(value):
    return value is None or (isinstance(value, str) and value.strip() == '')


@functools.lru_cache(maxsize=None)
def _zone_names():
    if zoneinfo is None:
        return frozenset()
    try:
        return frozenset(zoneinfo.available_timezones())
    except (OSError, ValueError):
        return frozenset()


def valid_timezone(name):
    """True when name is a known IANA time zone."""
    if not isinstance(name, str) or not name:
        return False
    names = _zone_names()
    if names:
        return name in names
    return name == 'UTC' or re.fullmatch(r'[A-Z][A-Za-z_+-]*(/[A-Za-z0-9_+-]+){1,2}', name) is not None


def get_tzinfo(name):
    """A tzinfo for name, UTC when it cannot be loaded."""
    if zoneinfo is not None:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return datetime.timezone.utc


def parse_duration(name, text):
    """Seconds of a duration like '15 minutes', '1 hour', '2 days' or '1 hour 30 minutes'."""
    if not isinstance(text, str) or not text.strip():
        raise _invalid(name, 'a duration like "1 hour" is required')
    total = 0
    position = 0
    while position < len(text):
        match = PAUSE_PART_RE.match(text, position)
        if not match or match.group(2).lower() not in PAUSE_UNITS:
            raise _invalid(name, 'a duration like "15 minutes", "1 hour" or "2 days" is required')
        total += int(match.group(1)) * PAUSE_UNITS[match.group(2).lower()]
        position = match.end()
    if total <= 0:
        raise _invalid(name, 'the duration must be positive')
    return total


# ---------------------------------------------------------------------------
# expressions

def _parse_cron_values(text, index):
    """Set of values of a crontab list without R; also whether L (last day) is in it."""
    name, low, high = CRON_FIELDS[index]
    values = set()
    last_day = False
    for item in text.split(','):
        if item == 'L' and index == 2:
            last_day = True
            continue
        match = CRON_ITEM_RE.fullmatch(item)
        if not match:
            raise ValueError("%s field: invalid item '%s'" % (name, item))
        if match.group(1) == '*':
            start, end = low, high
        else:
            start = int(match.group(2))
            end = int(match.group(3)) if match.group(3) is not None else start
            if match.group(4) is not None and match.group(3) is None:
                raise ValueError("%s field: a step needs '*' or a range in '%s'" % (name, item))
        step = int(match.group(4)) if match.group(4) is not None else 1
        for number in (start, end):
            if not low <= number <= high:
                raise ValueError('%s field: value %d out of range %d-%d' % (name, number, low, high))
        if start > end:
            raise ValueError("%s field: range '%s' is reversed" % (name, item))
        if step < 1:
            raise ValueError("%s field: step must be at least 1 in '%s'" % (name, item))
        values.update(range(start, end + 1, step))
    return values, last_day


def parse_crontab(expression, seed=None):
    """Parse a 5-field crontab; raise ValueError naming the bad field.

    ``R`` picks one random value of the field, ``Rn`` picks n values, ``R,<list>`` and
    ``Rn,<list>`` pick from the list. The picks are fixed by ``seed`` (the cronjob id).
    """
    parts = expression.split(' ')
    if len(parts) != 5:
        raise ValueError('a crontab expression has 5 fields')
    fields = []
    last_day = False
    for index, text in enumerate(parts):
        name, low, high = CRON_FIELDS[index]
        if text.startswith('R'):
            if index > 1:
                raise ValueError('%s field: R is allowed only in the minute and hour fields' % name)
            match = CRON_RANDOM_RE.fullmatch(text)
            if not match:
                raise ValueError("%s field: invalid random item '%s'" % (name, text))
            count = int(match.group(1)) if match.group(1) else 1
            pool = sorted(_parse_cron_values(match.group(2), index)[0]) if match.group(2) else list(range(low, high + 1))
            if not 1 <= count <= len(pool):
                raise ValueError("%s field: cannot pick %d random values in '%s'" % (name, count, text))
            chooser = random.Random('%s:%d:%s' % (seed, index, text))
            fields.append(set(chooser.sample(pool, count)))
            continue
        values, is_last = _parse_cron_values(text, index)
        last_day = last_day or is_last
        fields.append(values)
    return {
        'minutes': sorted(fields[0]),
        'hours': sorted(fields[1]),
        'days': fields[2],
        'last_day': last_day,
        'months': fields[3],
        'weekdays': fields[4],
        'day_star': parts[2].startswith('*'),
        'weekday_star': parts[4].startswith('*'),
    }


def _check_hour_minute(hour, minute):
    if hour is None:
        return 0, 0
    hour, minute = int(hour), int(minute)
    if hour > 23 or minute > 59:
        raise ValueError('invalid time of day %02d:%02d' % (hour, minute))
    return hour, minute


def parse_expression(expression, seed=None):
    """Classify and validate an expression; raise ValueError with a reason.

    Returns a tuple: ('cron', fields), ('interval', seconds, time_of_day or None),
    ('weekly', iso_weekday, (hour, minute)), ('once', datetime_naive) or ('manual',).
    """
    parts = expression.split(' ')
    if len(parts) == 5 and all(CRON_TOKEN_RE.fullmatch(part) for part in parts):
        return ('cron', parse_crontab(expression, seed))
    if expression.lower() == 'manual':
        return ('manual',)
    match = EN_INTERVAL_RE.fullmatch(expression)
    if match:
        count = int(match.group(1))
        unit = match.group(2).lower()
        if count < 1:
            raise ValueError('the interval must be at least 1 %s' % unit.rstrip('s'))
        time_of_day = None
        if match.group(3) is not None:
            if unit.startswith(('minute', 'hour')):
                raise ValueError('a time of day is allowed only with days or weeks')
            time_of_day = _check_hour_minute(match.group(3), match.group(4))
        return ('interval', count * INTERVAL_UNITS[unit], time_of_day)
    match = EN_WEEKDAY_RE.fullmatch(expression)
    if match:
        weekday = WEEKDAYS.index(match.group(1).lower()) + 1
        return ('weekly', weekday, _check_hour_minute(match.group(2), match.group(3)))
    match = EN_DATE_RE.fullmatch(expression)
    if match:
        numbers = [int(group) if group is not None else 0 for group in match.groups()]
        try:
            when = datetime.datetime(*numbers)
        except ValueError as exc:
            raise ValueError('invalid date: %s' % exc) from None
        return ('once', when)
    raise ValueError("not a crontab expression, an English interval, a date or 'manual'")


def normalise_expression(value):
    """Collapse runs of whitespace to one space and strip (the simulator's normalisation)."""
    return ' '.join(value.split())


def _local_ts(tz, day, hour, minute):
    return int(datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).timestamp())


def _day_matches(fields, day):
    """The crontab day rule: when both day and weekday are restricted, either match runs it."""
    if day.month not in fields['months']:
        return False
    day_ok = day.day in fields['days'] or (fields['last_day'] and day.day == calendar.monthrange(day.year, day.month)[1])
    weekday_ok = day.isoweekday() in fields['weekdays']
    if fields['day_star'] or fields['weekday_star']:
        return day_ok and weekday_ok
    return day_ok or weekday_ok


def _cron_next(fields, tz, now, limit):
    """Walk day by day (at most 5 years) and list the matching minutes of each day."""
    result = []
    day = datetime.datetime.fromtimestamp(now, tz).date()
    for dummy in range(366 * 5):  # pylint: disable=unused-variable
        if _day_matches(fields, day):
            for hour in fields['hours']:
                for minute in fields['minutes']:
                    stamp = _local_ts(tz, day, hour, minute)
                    if stamp > now and (not result or stamp > result[-1]):
                        result.append(stamp)
            if len(result) >= limit:
                return result[:limit]
        day += datetime.timedelta(days=1)
    return result


def _daily_next(tz, now, first_day, step_days, hour, minute, limit):
    result = []
    day = first_day
    while len(result) < limit:
        stamp = _local_ts(tz, day, hour, minute)
        if stamp > now and (not result or stamp > result[-1]):
            result.append(stamp)
        day += datetime.timedelta(days=step_days)
    return result


def next_runs(expression, timezone, now, seed=None, limit=MAX_NEXT_RUNS):
    """Up to ``limit`` next Unix run times of an expression after ``now``."""
    kind = parse_expression(expression, seed)
    tz = get_tzinfo(timezone)
    now = int(now)
    today = datetime.datetime.fromtimestamp(now, tz).date()
    if kind[0] == 'cron':
        return _cron_next(kind[1], tz, now, limit)
    if kind[0] == 'manual':
        return []
    if kind[0] == 'once':
        when = kind[1]
        stamp = int(datetime.datetime(when.year, when.month, when.day, when.hour, when.minute, when.second, tzinfo=tz).timestamp())
        return [stamp] if stamp > now else []
    if kind[0] == 'weekly':
        weekday, (hour, minute) = kind[1], kind[2]
        first = today + datetime.timedelta(days=(weekday - today.isoweekday()) % 7)
        return _daily_next(tz, now, first, 7, hour, minute, limit)
    seconds, time_of_day = kind[1], kind[2]
    if time_of_day is None:
        base = now - now % 60
        return [base + seconds * step for step in range(1, limit + 1)]
    return _daily_next(tz, now, today, seconds // 86400, time_of_day[0], time_of_day[1], limit)


# ---------------------------------------------------------------------------
# HTTP answers

def html_error_page(status):
    """An nginx-like HTML error page."""
    title = '%d %s' % (status, HTTP_ERROR_REASONS.get(status, 'Error'))
    return ('<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n'
            '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n' % (title, title))


class Reply:
    """One HTTP answer (or a dropped connection)."""

    def __init__(self, status=200, body=b'', content_type='application/json', headers=None, drop=False, reason=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = list(headers or ())
        self.drop = drop
        self.reason = reason or HTTP_ERROR_REASONS.get(status)

    @classmethod
    def json(cls, payload, status=200):
        body = json.dumps(payload, separators=(',', ':')).encode('utf-8')
        return cls(status, body, 'application/json; charset=utf-8')

    @classmethod
    def html(cls, status, retry_after=None):
        headers = [('Retry-After', str(retry_after))] if retry_after is not None else []
        return cls(status, html_error_page(status).encode('utf-8'), 'text/html', headers)


def _success(data):
    return {'data': data, 'status': 'success', 'code': 0}


def _error(code, message):
    return {'message': message, 'status': 'error', 'code': code}


def _flat_query(text):
    """Query or form string to a dict; a repeated key keeps its last value."""
    return dict(parse_qsl(text, keep_blank_values=True))


class _ApiRequest:
    """A parsed API request."""

    def __init__(self, function, http_method):
        self.function = function
        self.http_method = http_method
        self.params = {}
        self.body_format = None
        self.parse_error = None
        self.token = None
        self.token_via = []

    def logged_params(self):
        params = dict(self.params)
        if any(via != 'header' for via in self.token_via):
            params['token'] = '***'
        return params


def admin_number(name, value, minimum=0, integer=False, nullable=False):
    """A number of an admin body; numeric strings are accepted (templated bodies)."""
    if value is None and nullable:
        return None
    if isinstance(value, str):
        try:
            value = int(value) if integer else float(value)
        except ValueError:
            raise AdminError('%s must be a number' % name) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not float(value).is_integer()):
        raise AdminError('%s must be %s' % (name, 'an integer' if integer else 'a number'))
    if value < minimum:
        raise AdminError('%s must be >= %s' % (name, minimum))
    return int(value) if integer else float(value)


def admin_bool(name, value):
    """A boolean of an admin body; also true/false/1/0 as strings (templated bodies)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ('true', 'false', '1', '0', 'yes', 'no'):
        return value.strip().lower() in ('true', '1', 'yes')
    raise AdminError('%s must be a boolean' % name)


# ---------------------------------------------------------------------------
# the simulator

class Simulator:
    """An in-memory FastCron account served over HTTP.

    ``Simulator(...).start()`` serves in a background thread; ``stop()`` ends it.
    It is also a context manager.
    """

    def __init__(self, host='127.0.0.1', port=0, tokens=None, rate_limit=1.0, echo_write_only=True,
                 timezone=DEFAULT_TIMEZONE, retry_after=None, verbose=False, error_status=False,
                 tls_cert=None, tls_key=None):
        if not valid_timezone(timezone):
            raise ValueError('unknown time zone %r' % (timezone,))
        self.host = host
        self.requested_port = port
        self.tokens = list(tokens) if tokens else [DEFAULT_TOKEN]
        self.rate_limit = float(rate_limit)
        self.echo_write_only = bool(echo_write_only)
        self.retry_after = retry_after
        self.error_status = bool(error_status)
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self.default_timezone = timezone
        self.verbose = verbose
        self.lock = threading.RLock()
        self.server = None
        self.thread = None
        self.request_log = []
        self.next_seq = 1
        self._init_state()

    # -- lifecycle ---------------------------------------------------------

    def _init_state(self):
        self.crons = {}
        self.groups = {}
        self.cron_logs = {}
        self.next_cron_id = FIRST_CRON_ID
        self.next_group_id = FIRST_GROUP_ID
        self.faults = []
        self.last_accepted = None
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

    def start(self):
        """Bind and serve in a background thread; returns self."""
        if self.server is not None:
            return self
        server_class = _Server6 if ':' in self.host else _Server
        self.server = server_class((self.host, self.requested_port), _Handler)
        self.server.simulator = self
        if self.tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.tls_cert, self.tls_key)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.1},
                                       name='fastcron-simulator', daemon=True)
        self.thread.start()
        return self

    def stop(self):
        """Stop serving and close the socket."""
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
        self.server = None
        self.thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self.server.server_address[1] if self.server else None

    @property
    def _base(self):
        host = '[%s]' % self.host if ':' in self.host else self.host
        return '%s://%s:%s' % ('https' if self.tls_cert else 'http', host, self.port)

    @property
    def url(self):
        return self._base + API_PREFIX.rstrip('/')

    @property
    def admin_url(self):
        return self._base + ADMIN_PREFIX

    def now(self):
        """The simulator's clock (real time plus the admin clock offset)."""
        return time.time() + self.clock_offset

    # -- configuration -----------------------------------------------------

    def config(self):
        with self.lock:
            return {
                'rate_limit': self.rate_limit,
                'echo_write_only': self.echo_write_only,
                'retry_after': self.retry_after,
                'error_status': self.error_status,
                'tokens': list(self.tokens),
            }

    def configure(self, values):
        """Apply admin configuration keys; raise AdminError on bad ones."""
        if not isinstance(values, dict):
            raise AdminError('a JSON object is required')
        unknown = sorted(set(values) - {'rate_limit', 'echo_write_only', 'retry_after', 'error_status', 'tokens'})
        if unknown:
            raise AdminError('unknown configuration keys: %s' % ', '.join(unknown))
        changes = {}
        if 'rate_limit' in values:
            changes['rate_limit'] = admin_number('rate_limit', values['rate_limit'])
        if 'echo_write_only' in values:
            changes['echo_write_only'] = admin_bool('echo_write_only', values['echo_write_only'])
        if 'error_status' in values:
            changes['error_status'] = admin_bool('error_status', values['error_status'])
        if 'retry_after' in values:
            value = values['retry_after']
            value = None if value in (None, '') else value
            changes['retry_after'] = admin_number('retry_after', value, integer=True, nullable=True)
        if 'tokens' in values:
            value = values['tokens']
            if not isinstance(value, list) or not value or not all(isinstance(item, str) and item for item in value):
                raise AdminError('tokens must be a non-empty list of strings')
            changes['tokens'] = list(value)
        with self.lock:
            for key, value in changes.items():
                setattr(self, key, value)

    # -- rendering ---------------------------------------------------------

    def _refresh(self, job):
        if job['status'] == STATUS_PAUSED and job['pauseUntil'] is not None and job['pauseUntil'] <= self.now():
            job['status'] = STATUS_ACTIVE
            job['pauseUntil'] = None

    def _render_cron(self, job, deleted=False):
        self._refresh(job)
        out = {field: job[field] for field in PUBLIC_FIELDS}
        if self.echo_write_only:
            for field in ECHO_FIELDS:
                out[field] = job[field]
        if deleted:
            out['id'] = None
        return out

    def _render_cron_admin(self, job):
        self._refresh(job)
        out = {field: job[field] for field in PUBLIC_FIELDS + ECHO_FIELDS}
        out['password'] = job['password']
        out['pauseUntil'] = job['pauseUntil']
        out['runs'] = [dict(run) for run in job['runs']]
        return out

    def _job_count(self, group_id):
        return sum(1 for job in self.crons.values() if job['group'] == group_id)

    def _render_group(self, group, deleted=False, counts=None):
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
        if _is_blank(value):
            raise _missing(name)
        return to_int(name, value, minimum=1)

    def _job(self, params):
        cron_id = self._required_id(params)
        job = self.crons.get(cron_id)
        if job is None:
            raise _cron_not_found(cron_id)
        return job

    def _group(self, params):
        group_id = self._required_id(params)
        group = self.groups.get(group_id)
        if group is None:
            raise _group_not_found(group_id)
        return group

    # -- cronjob options ---------------------------------------------------

    def _parse_group_option(self, value):
        if value is None or (isinstance(value, str) and value.strip() in ('', '0')) or value == 0:
            return None
        group_id = to_int('group', value, minimum=1)
        if group_id not in self.groups:
            raise ApiError(CODES['group_not_found'], "Group %d not found (parameter 'group')" % group_id)
        return group_id

    def _parse_options(self, params, adding, method_hint='GET', extra_fields=False):
        """Validate cron_add / cron_edit options present in params; return the changes."""
        changes = {}
        if 'url' in params or adding:
            value = params.get('url')
            if adding and _is_blank(value):
                raise _missing('url')
            value = to_str('url', value).strip()
            if not value:
                raise _invalid('url', 'must not be empty')
            parts = urlsplit(value)
            if parts.scheme.lower() not in ('http', 'https') or not parts.netloc:
                raise _invalid('url', 'an http:// or https:// URL is required')
            changes['url'] = value
        if 'expression' in params:
            value = params['expression']
            if value is None or isinstance(value, bool) or not isinstance(value, (str, int)):
                raise _invalid('expression', 'a string is required')
            value = normalise_expression(str(value))
            if not value:
                raise _invalid('expression', 'must not be empty')
            try:
                parse_expression(value)
            except ValueError as exc:
                raise _invalid('expression', str(exc)) from None
            changes['expression'] = value
        for name, minimum, maximum in (('delay', 0, None), ('timeout', 5, None), ('instances', 0, 5)):
            if name in params:
                changes[name] = to_int(name, params[name], minimum, maximum)
        if 'timezone' in params:
            value = to_str('timezone', params['timezone']).strip()
            if not valid_timezone(value):
                raise _invalid('timezone', "unknown time zone '%s'" % value)
            changes['timezone'] = value
        for name in ('username', 'password', 'userAgent'):
            if name in params:
                changes[name] = to_str(name, params[name], nullable=True)
        if 'keyword' in params:
            value = to_str('keyword', params['keyword'], nullable=True)
            if value is not None and len(value) > 100:
                raise _invalid('keyword', 'maximum length is 100 characters')
            changes['keyword'] = value
        if 'httpMethod' in params:
            value = to_str('httpMethod', params['httpMethod']).strip().upper()
            if value not in HTTP_METHODS:
                raise _invalid('httpMethod', 'must be one of %s' % ', '.join(HTTP_METHODS))
            changes['httpMethod'] = value
        if 'postData' in params:
            value = to_str('postData', params['postData'])
            if ('\n' in value or '\r' in value or value.lstrip().startswith('{')) and not _is_json(value):
                raise _invalid('postData', 'must be valid JSON when it contains newlines or starts with "{"')
            changes['postData'] = value
        if 'httpHeaders' in params:
            value = to_str('httpHeaders', params['httpHeaders'])
            for line in re.split(r'\r?\n', value):
                if line.strip() and not re.match(r'[!#$%&\'*+.^_`|~0-9A-Za-z-]+:', line):
                    raise _invalid('httpHeaders', "each line must be 'Name: value', got '%s'" % line)
            changes['httpHeaders'] = value
        if 'notify' in params:
            changes['notify'] = to_bool('notify', params['notify'])
        if 'group' in params:
            changes['group'] = self._parse_group_option(params['group'])
        if 'name' in params:
            changes['name'] = to_str('name', params['name'])
        if extra_fields:
            for name, minimum, maximum in (('status', 0, None), ('fail', 0, None), ('priority', 0, 2), ('points', 0, None)):
                if name in params:
                    changes[name] = to_int(name, params[name], minimum, maximum)
        run = self._parse_run(params, changes.get('httpMethod', method_hint))
        return changes, run

    def _parse_run(self, params, http_method):
        """The 'run' and 'payload' options of cron_add / cron_edit."""
        value = params.get('run')
        payload = self._parse_payload(params, http_method)
        if _is_blank(value):
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
        looks_json = '\n' in value or '\r' in value or value.lstrip().startswith(('{', '['))
        if looks_json:
            if http_method not in BODY_METHODS:
                raise _invalid('payload', 'a query string is required for %s cronjobs' % http_method)
            if not _is_json(value):
                raise _invalid('payload', 'must be valid JSON when it contains newlines or starts with "{"')
        return value

    def _default_run_time(self):
        return (int(self.now()) // 60 + 1) * 60

    def _new_job(self, changes):
        job = dict(CRON_DEFAULTS)
        job['timezone'] = self.account['timezone']
        job.update(changes)
        job['id'] = self.next_cron_id
        job['pauseUntil'] = None
        job['runs'] = []
        self.next_cron_id += 1
        self.crons[job['id']] = job
        return job

    def _record_run(self, job, run):
        if run is not None and job['status'] == STATUS_ACTIVE:
            job['runs'].append(run)

    def _check_limit(self, adding):
        if len(self.crons) + adding > self.account['cron']:
            raise ApiError(CODES['cron_limit'], 'Cronjob limit of the account reached (%d)' % self.account['cron'])

    def _delete_job(self, job):
        rendered = self._render_cron(job, deleted=True)
        del self.crons[job['id']]
        self.cron_logs.pop(job['id'], None)
        return rendered

    # -- API functions -----------------------------------------------------

    def fn_cron_list(self, params):
        page = to_int('page', params['page'], minimum=1) if not _is_blank(params.get('page')) else 1
        keyword = to_str('keyword', params.get('keyword')).strip().lower()
        jobs = [self.crons[cron_id] for cron_id in sorted(self.crons)]
        if keyword:
            jobs = [job for job in jobs if keyword in job['name'].lower() or keyword in str(job['id']) or keyword in job['url'].lower()]
        start = (page - 1) * PAGE_SIZE
        return [self._render_cron(job) for job in jobs[start:start + PAGE_SIZE]]

    def fn_cron_get(self, params):
        return self._render_cron(self._job(params))

    def fn_cron_add(self, params):
        self._check_limit(1)
        changes, run = self._parse_options(params, adding=True)
        job = self._new_job(changes)
        self._record_run(job, run)
        return self._render_cron(job)

    def fn_cron_edit(self, params):
        job = self._job(params)
        options = {key: value for key, value in params.items() if key != 'id'}
        changes, run = self._parse_options(options, adding=False, method_hint=job['httpMethod'])
        job.update(changes)
        self._record_run(job, run)
        return self._render_cron(job)

    def fn_cron_enable(self, params):
        job = self._job(params)
        job['status'] = STATUS_ACTIVE
        job['pauseUntil'] = None
        return self._render_cron(job)

    def fn_cron_disable(self, params):
        job = self._job(params)
        job['status'] = STATUS_DISABLED
        job['pauseUntil'] = None
        return self._render_cron(job)

    def fn_cron_pause(self, params):
        job = self._job(params)
        duration = params.get('for')
        seconds = 3600 if _is_blank(duration) else parse_duration('for', duration)
        job['status'] = STATUS_PAUSED
        job['pauseUntil'] = self.now() + seconds
        return self._render_cron(job)

    def fn_cron_delete(self, params):
        return self._delete_job(self._job(params))

    def fn_cron_run(self, params):
        job = self._job(params)
        when = None if _is_blank(params.get('time')) else to_int('time', params['time'], minimum=1)
        payload = self._parse_payload(params, job['httpMethod'])
        self._refresh(job)
        if job['status'] != STATUS_ACTIVE:
            raise ApiError(CODES['cron_not_active'], 'Cronjob %d is not active (status %d) and cannot be run' % (job['id'], job['status']))
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
            raise _missing('data')
        if not isinstance(items, list):
            raise _invalid('data', 'an array is required (send a JSON body)')
        parsed = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise _invalid('data', 'item %d is not an object' % index)
            try:
                parsed.append(self._parse_options({k: v for k, v in item.items() if k != 'token'}, adding=True))
            except ApiError as exc:
                raise ApiError(exc.code, 'data[%d]: %s' % (index, exc.message)) from None
        self._check_limit(len(parsed))
        result = []
        for changes, run in parsed:
            job = self._new_job(changes)
            self._record_run(job, run)
            result.append(self._render_cron(job))
        return result

    def fn_cron_batch_delete(self, params):
        ids = params.get('id')
        if ids is None:
            raise _missing('id')
        if not isinstance(ids, list):
            raise _invalid('id', 'an array is required (send a JSON body)')
        wanted = []
        for index, value in enumerate(ids):
            cron_id = to_int('id[%d]' % index, value, minimum=1)
            if cron_id not in self.crons:
                raise _cron_not_found(cron_id)
            if cron_id not in wanted:
                wanted.append(cron_id)
        return [self._delete_job(self.crons[cron_id]) for cron_id in wanted]

    def fn_group_list(self, _params):
        counts = self._group_counts()
        return [self._render_group(self.groups[group_id], counts=counts) for group_id in sorted(self.groups)]

    def _group_counts(self):
        counts = {}
        for job in self.crons.values():
            if job['group'] is not None:
                counts[job['group']] = counts.get(job['group'], 0) + 1
        return counts

    def fn_group_get(self, params):
        return self._render_group(self._group(params))

    def fn_group_lookup(self, params):
        if _is_blank(params.get('name')):
            raise _missing('name')
        name = to_str('name', params['name'])
        counts = self._group_counts()
        return [self._render_group(self.groups[group_id], counts=counts) for group_id in sorted(self.groups)
                if self.groups[group_id]['name'] == name]

    @staticmethod
    def _group_name(params):
        if _is_blank(params.get('name')):
            raise _missing('name')
        return to_str('name', params['name'])

    def fn_group_add(self, params):
        name = self._group_name(params)
        group = {'id': self.next_group_id, 'name': name, 'priority': 0}
        self.next_group_id += 1
        self.groups[group['id']] = group
        return self._render_group(group)

    def fn_group_edit(self, params):
        group = self._group(params)
        if 'name' in params:
            group['name'] = self._group_name(params)
        return self._render_group(group)

    def fn_group_delete(self, params):
        group = self._group(params)
        rendered = self._render_group(group, deleted=True)
        for job in self.crons.values():
            if job['group'] == group['id']:
                job['group'] = None
        del self.groups[group['id']]
        return rendered

    def fn_group_vanish(self, params):
        group = self._group(params)
        rendered = self._render_group(group, deleted=True)
        for job in [job for job in self.crons.values() if job['group'] == group['id']]:
            self._delete_job(job)
        del self.groups[group['id']]
        return rendered

    def fn_group_empty(self, params):
        group = self._group(params)
        for job in [job for job in self.crons.values() if job['group'] == group['id']]:
            self._delete_job(job)
        return self._render_group(group)

    def fn_group_items(self, params):
        group = self._group(params)
        return [self._render_cron(self.crons[cron_id]) for cron_id in sorted(self.crons) if self.crons[cron_id]['group'] == group['id']]

    def fn_account_get(self, _params):
        return dict(self.account)

    def fn_account_edit(self, params):
        if 'timezone' in params:
            value = to_str('timezone', params['timezone']).strip()
            if not valid_timezone(value):
                raise _invalid('timezone', "unknown time zone '%s'" % value)
            self.account['timezone'] = value
        return dict(self.account)

    # -- API request handling ----------------------------------------------

    def parse_api_request(self, function, http_method, query_string, headers, body):
        """Turn the HTTP parts into an _ApiRequest (params, token, how it came)."""
        request = _ApiRequest(function, http_method)
        query = _flat_query(query_string)
        body_params = {}
        content_type = (headers.get('Content-Type') or '').split(';')[0].strip().lower()
        if body:
            if content_type == 'application/json' or content_type.endswith('+json'):
                request.body_format = 'json'
                try:
                    decoded = json.loads(body.decode('utf-8'))
                except (ValueError, UnicodeDecodeError):
                    decoded = None
                if isinstance(decoded, dict):
                    body_params = decoded
                else:
                    request.parse_error = 'the JSON body must be an object'
            elif content_type in ('', 'application/x-www-form-urlencoded'):
                request.body_format = 'form'
                try:
                    body_params = _flat_query(body.decode('utf-8'))
                except UnicodeDecodeError:
                    request.parse_error = 'the form body is not UTF-8'
            else:
                request.parse_error = "unsupported Content-Type '%s'" % content_type
        candidates = []
        authorization = headers.get('Authorization') or ''
        scheme, dummy, value = authorization.strip().partition(' ')
        if scheme.lower() == 'bearer':
            candidates.append(('header', value.strip()))
        if 'token' in body_params:
            candidates.append((request.body_format, body_params['token']))
        if 'token' in query:
            candidates.append(('query', query['token']))
        request.token_via = [candidate[0] for candidate in candidates]
        if candidates:
            request.token = candidates[0][1]
        params = dict(query)
        params.update(body_params)
        params.pop('token', None)
        request.params = params
        return request

    def _take_fault(self, function):
        for index, fault in enumerate(self.faults):
            if fault['function'] is None or fault['function'] == function:
                fault['count'] -= 1
                if fault['count'] <= 0:
                    del self.faults[index]
                return dict(fault)
        return None

    def _fault_reply(self, fault):
        kind = fault['kind']
        if kind == 'drop':
            return Reply(0, drop=True)
        if kind == 'non_json':
            return Reply(200, b'<html>Oops</html>', 'text/html')
        status = int(kind)
        return Reply.html(status, self.retry_after if status == 503 else None)

    def _process(self, request, entry):
        """Authenticate, rate-limit and run one API request (lock held)."""
        if not isinstance(request.token, str) or request.token not in self.tokens:
            entry['code'] = CODES['invalid_token']
            return self._error_reply(CODES['invalid_token'], INVALID_TOKEN_MESSAGE)
        moment = time.monotonic()
        if self.rate_limit > 0 and self.last_accepted is not None and moment - self.last_accepted < self.rate_limit:
            return Reply.html(503, self.retry_after)
        self.last_accepted = moment
        try:
            if request.parse_error:
                raise ApiError(CODES['invalid_value'], 'Invalid request body: %s' % request.parse_error)
            handler = getattr(self, 'fn_' + request.function, None) if request.function in API_FUNCTIONS else None
            if handler is None:
                raise ApiError(CODES['unknown_function'], "Unknown API function '%s'" % request.function)
            data = handler(request.params)
        except ApiError as exc:
            entry['code'] = exc.code
            return self._error_reply(exc.code, exc.message)
        entry['code'] = 0
        return Reply.json(_success(data))

    def _error_reply(self, code, message):
        status = ERROR_HTTP_STATUSES.get(code, 400) if self.error_status else 200
        return Reply.json(_error(code, message), status)

    def handle_api(self, function, http_method, query_string, headers, body):
        """Serve one API request; returns a Reply."""
        request = self.parse_api_request(function, http_method, query_string, headers, body)
        with self.lock:
            fault = self._take_fault(function)
            entry = {
                'seq': self.next_seq,
                'time': time.time(),
                'function': function,
                'http_method': http_method,
                'token_via': list(request.token_via),
                'params': request.logged_params(),
                'body_format': request.body_format,
                'http_status': None,
                'code': None,
                'write': function in WRITE_FUNCTIONS,
                'fault': fault['kind'] if fault else None,
            }
            self.next_seq += 1
            self.request_log.append(entry)
        if fault and fault['kind'] == 'slow' and not fault['after_processing']:
            time.sleep(fault['delay'])
        if fault and fault['kind'] != 'slow' and not fault['after_processing']:
            reply = self._fault_reply(fault)
        else:
            with self.lock:
                reply = self._process(request, entry)
            if fault and fault['kind'] == 'slow':
                if fault['after_processing']:
                    time.sleep(fault['delay'])
            elif fault:
                reply = self._fault_reply(fault)
        with self.lock:
            entry['http_status'] = reply.status
        return reply

    # -- admin -------------------------------------------------------------

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

    def seed(self, body):
        """Create groups, cronjobs and execution results directly."""
        if not isinstance(body, dict):
            raise AdminError('a JSON object is required')
        unknown = sorted(set(body) - {'groups', 'crons', 'generate', 'logs'})
        if unknown:
            raise AdminError('unknown seed keys: %s' % ', '.join(unknown))
        with self.lock:
            groups = []
            for item in body.get('groups') or []:
                if not isinstance(item, dict) or _is_blank(item.get('name')):
                    raise AdminError('each group needs a name')
                priority = admin_number('priority', item.get('priority', 0), integer=True)
                if priority not in (0, 1, 2):
                    raise AdminError('group priority must be 0, 1 or 2')
                group = {'id': self.next_group_id, 'name': str(item['name']), 'priority': priority}
                self.next_group_id += 1
                self.groups[group['id']] = group
                groups.append(group)
            created = []
            for index, item in enumerate(body.get('crons') or []):
                if not isinstance(item, dict):
                    raise AdminError('crons[%d] is not an object' % index)
                try:
                    changes, run = self._parse_options(item, adding=True, extra_fields=True)
                except ApiError as exc:
                    raise AdminError('crons[%d]: %s' % (index, exc.message)) from None
                job = self._new_job(changes)
                self._record_run(job, run)
                created.append(job)
            generate = body.get('generate')
            if generate:
                created.extend(self._generate(generate))
            if body.get('logs'):
                self._seed_logs(body['logs'])
            result = {'groups': [self._render_group(group) for group in groups], 'count': len(created)}
            if len(created) < SEED_LIST_LIMIT:
                result['crons'] = [self._render_cron_admin(job) for job in created]
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
            created.append(self._new_job({
                'name': '%s-%04d' % (prefix, number),
                'url': 'https://example.com/%s/%d' % (prefix, number),
                'group': group,
            }))
        return created

    def state(self):
        with self.lock:
            return {
                'crons': [self._render_cron_admin(self.crons[cron_id]) for cron_id in sorted(self.crons)],
                'groups': [self._render_group(self.groups[group_id]) for group_id in sorted(self.groups)],
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
            return [dict(entry, params=dict(entry['params']), token_via=list(entry['token_via']))
                    for entry in self.request_log if entry['seq'] > since]

    def add_fault(self, body):
        if not isinstance(body, dict):
            raise AdminError('a JSON object is required')
        unknown = sorted(set(body) - {'kind', 'count', 'function', 'delay', 'after_processing'})
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

    def handle_admin(self, http_method, path, query_string, body):
        """Serve one admin request; returns a Reply."""
        try:
            payload = json.loads(body.decode('utf-8')) if body.strip() else None
        except (ValueError, UnicodeDecodeError):
            return Reply.json({'ok': False, 'error': 'the body must be JSON'}, 400)
        route = path[len(ADMIN_PREFIX):].strip('/')
        query = _flat_query(query_string)
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


def _is_json(text):
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


API_FUNCTIONS = frozenset(name[3:] for name in dir(Simulator) if name.startswith('fn_'))


# ---------------------------------------------------------------------------
# HTTP server

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    simulator = None


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    timeout = 60

    def version_string(self):
        return 'nginx (FastCron simulator)'

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.simulator.verbose:
            super().log_message(format, *args)

    def _read_body(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass
                    return b''.join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length > 0 else b''

    def _serve(self, http_method):
        simulator = self.server.simulator
        parts = urlsplit(self.path)
        try:
            body = self._read_body()
        except ValueError:
            self._send(Reply.html(400))
            self.close_connection = True
            return
        if parts.path == ADMIN_PREFIX or parts.path.startswith(ADMIN_PREFIX + '/'):
            reply = simulator.handle_admin(http_method, parts.path, parts.query, body)
        elif parts.path.startswith(API_PREFIX) and http_method in ('GET', 'POST'):
            function = parts.path[len(API_PREFIX):].strip('/')
            reply = simulator.handle_api(function, http_method, parts.query, self.headers, body)
        elif parts.path.startswith(API_PREFIX):
            reply = Reply.html(405)
        else:
            reply = Reply.html(404)
        self._send(reply)

    def _send(self, reply):
        if reply.drop:
            self.close_connection = True
            return
        try:
            self.send_response(reply.status, reply.reason)
            self.send_header('Content-Type', reply.content_type)
            self.send_header('Content-Length', str(len(reply.body)))
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_GET(self):  # pylint: disable=invalid-name
        self._serve('GET')

    def do_POST(self):  # pylint: disable=invalid-name
        self._serve('POST')

    def do_DELETE(self):  # pylint: disable=invalid-name
        self._serve('DELETE')

    def do_PUT(self):  # pylint: disable=invalid-name
        self._serve('PUT')

    def do_PATCH(self):  # pylint: disable=invalid-name
        self._serve('PATCH')


# ---------------------------------------------------------------------------
# command line

def _write_port_file(path, port):
    tmp = '%s.tmp.%d' % (path, os.getpid())
    with open(tmp, 'w', encoding='utf-8') as handle:
        handle.write('%d\n' % port)
    os.replace(tmp, path)


def build_parser():
    parser = argparse.ArgumentParser(description='Local simulator of the FastCron HTTP API.')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=0, help='port to listen on; 0 picks a free port (default)')
    parser.add_argument('--token', action='append', dest='tokens', metavar='TOKEN',
                        help='a valid API token; repeat for several (default %s)' % DEFAULT_TOKEN)
    parser.add_argument('--rate-limit', type=float, default=1.0, metavar='SECONDS',
                        help='minimum interval between accepted API requests; 0 switches it off (default 1.0)')
    parser.add_argument('--retry-after', type=int, default=None, metavar='SECONDS',
                        help='send Retry-After with 503 answers (default: no header)')
    echo = parser.add_mutually_exclusive_group()
    echo.add_argument('--echo-write-only', dest='echo_write_only', action='store_true',
                      help='include delay, username, userAgent and keyword in cronjob objects (default)')
    echo.add_argument('--no-echo-write-only', dest='echo_write_only', action='store_false',
                      help='leave delay, username, userAgent and keyword out of cronjob objects')
    parser.set_defaults(echo_write_only=True)
    parser.add_argument('--error-status', action='store_true',
                        help='answer error envelopes with a 4xx HTTP status instead of 200')
    parser.add_argument('--tls-cert', metavar='PATH', help='serve HTTPS with this certificate (PEM)')
    parser.add_argument('--tls-key', metavar='PATH', help='private key of --tls-cert (PEM)')
    parser.add_argument('--port-file', metavar='PATH', help='write the port number to PATH once listening')
    parser.add_argument('--timezone', default=DEFAULT_TIMEZONE, help='account time zone (default %s)' % DEFAULT_TIMEZONE)
    parser.add_argument('--verbose', action='store_true', help='log every HTTP request to stderr')
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.rate_limit < 0:
        parser.error('--rate-limit must be >= 0')
    if args.retry_after is not None and args.retry_after < 0:
        parser.error('--retry-after must be >= 0')
    if not valid_timezone(args.timezone):
        parser.error('unknown time zone %r' % args.timezone)
    simulator = Simulator(host=args.host, port=args.port, tokens=args.tokens, rate_limit=args.rate_limit,
                          echo_write_only=args.echo_write_only, timezone=args.timezone,
                          retry_after=args.retry_after, verbose=args.verbose, error_status=args.error_status,
                          tls_cert=args.tls_cert, tls_key=args.tls_key)
    stopping = threading.Event()

    def _on_signal(_signum, _frame):
        stopping.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        simulator.start()
    except OSError as exc:
        sys.stderr.write('cannot listen on %s:%s: %s\n' % (args.host, args.port, exc))
        return 2
    try:
        if args.port_file:
            _write_port_file(args.port_file, simulator.port)
        print('FastCron simulator listening on %s' % simulator.url, flush=True)
        while not stopping.wait(0.5):
            pass
    finally:
        simulator.stop()
        if args.port_file and os.path.exists(args.port_file):
            os.remove(args.port_file)
    return 0


if __name__ == '__main__':
    sys.exit(main())
