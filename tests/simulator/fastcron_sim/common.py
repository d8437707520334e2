# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Constants, errors, value coercion and HTTP answers shared by the simulator's modules.

The constants follow the vendor's API reference (page size, HTTP methods, limits, the
documented error code 11), never the collection's plugins.
"""

import json
import re

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
    'invalid_token': 11,  # missing or wrong API token
    'invalid_value': 20,  # a parameter has a bad type or value, or the body is unreadable
    'missing_parameter': 21,  # a required parameter is missing or empty
    'cron_not_found': 30,  # no cronjob with that id
    'group_not_found': 31,  # no group with that id
    'unknown_function': 40,  # no such API function (also the removed ones)
    'cron_not_active': 41,  # cron_run on a cronjob that is not active
    'cron_limit': 50,  # the account's maximum number of cronjobs is reached
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

WRITE_FUNCTIONS = frozenset(
    (
        'cron_add',
        'cron_edit',
        'cron_enable',
        'cron_disable',
        'cron_pause',
        'cron_delete',
        'cron_run',
        'cron_batch_add',
        'cron_batch_delete',
        'group_add',
        'group_edit',
        'group_delete',
        'group_vanish',
        'group_empty',
        'account_edit',
    )
)

HTTP_METHODS = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD')
BODY_METHODS = ('POST', 'PUT', 'PATCH')

# Cronjob status values of the vendor's 2024 reference.
STATUS_ACTIVE = 0
STATUS_DISABLED = 1  # disabled by the user
STATUS_EXPIRED = 2  # disabled because the account expired
STATUS_INACTIVE = 3  # disabled because the account's daily execution limit was reached
STATUS_FAILED = 4  # disabled after too many consecutive failures
STATUSES = (STATUS_ACTIVE, STATUS_DISABLED, STATUS_EXPIRED, STATUS_INACTIVE, STATUS_FAILED)
# Statuses the service sets for the account's sake; cron_enable cannot clear them.
ACCOUNT_STATUSES = (STATUS_EXPIRED, STATUS_INACTIVE)
# The status a paused cronjob reports is not documented: an undocumented non-zero value.
DEFAULT_PAUSED_STATUS = 5

# Cronjob object fields, in the order of the reference's object table.
PUBLIC_FIELDS = (
    'id',
    'group',
    'expression',
    'timezone',
    'timeout',
    'instances',
    'url',
    'httpMethod',
    'httpHeaders',
    'postData',
    'fail',
    'status',
    'name',
    'notify',
    'priority',
    'points',
)
# Write-only-looking options, returned only in the 'echo' field mode.
ECHO_FIELDS = ('delay', 'username', 'userAgent', 'keyword')
# Exactly the fields of the reference's own cron_get and cron_add examples.
EXAMPLE_FIELDS = (
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
)
FIELD_MODES = {
    'echo': PUBLIC_FIELDS + ECHO_FIELDS,
    'no_echo': PUBLIC_FIELDS,
    'examples': EXAMPLE_FIELDS,
}
# The vendor's example objects are the least the service promises.
DEFAULT_FIELD_MODE = 'examples'

# Switches for the readings the reference leaves open (see README.md): the values each
# takes, the default first.
SWITCH_CHOICES = {
    'batch_order': ('request', 'reverse'),
    'past_last_page': ('empty', 'last'),
    'cap_mode': ('refuse', 'clamp'),
    'null_means': ('clear', 'unchanged'),
    'normalise': ('none', 'rewrite'),
    'group_delete': ('ungroup', 'keep_id', 'delete'),
}
SWITCH_DEFAULTS = dict(
    {name: values[0] for name, values in SWITCH_CHOICES.items()},
    page_size=PAGE_SIZE,
    group_items_paged=False,
    url_timestamp=False,
    timeout_cap=None,
)
# The environment variable whose JSON object sets the defaults of every simulator.
CONFIG_ENV = 'FASTCRON_SIMULATOR_CONFIG'
# What the account setting that appends __timestamp__ adds to a URL.
TIMESTAMP_PARAMETER = '_ts=__timestamp__'
MIN_TIMEOUT = 5

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


def switch_value(name, value):
    """The checked value of one of SWITCH_DEFAULTS' switches; ValueError naming it when it is bad.

    Booleans and numbers are also taken as strings (templated bodies, command lines).
    """
    if name in SWITCH_CHOICES:
        if value not in SWITCH_CHOICES[name]:
            raise ValueError('%s must be one of %s' % (name, ', '.join(SWITCH_CHOICES[name])))
        return value
    if name in ('group_items_paged', 'url_timestamp'):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ('true', 'false', '1', '0', 'yes', 'no'):
            return value.strip().lower() in ('true', '1', 'yes')
        raise ValueError('%s must be a boolean' % name)
    if name in ('page_size', 'timeout_cap'):
        if name == 'timeout_cap' and (
            value is None or (isinstance(value, str) and value.strip().lower() in ('', 'null', 'none'))
        ):
            return None
        minimum = 1 if name == 'page_size' else MIN_TIMEOUT
        if isinstance(value, str) and re.fullmatch(r'\s*\d+\s*', value):
            value = int(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ValueError(
                '%s must be an integer >= %d%s' % (name, minimum, ' or null' if name == 'timeout_cap' else '')
            )
        return value
    raise ValueError('unknown switch %s' % name)


def resolve_fields(fields=None, echo_write_only=None):
    """The field mode from ``fields`` and the older ``echo_write_only`` switch; ValueError when they disagree.

    ``echo_write_only`` true means 'echo'; false means a mode without the write-only-looking
    fields ('no_echo', or 'examples' when that is asked for).
    """
    if fields is not None and fields not in FIELD_MODES:
        raise ValueError('fields must be one of %s' % ', '.join(FIELD_MODES))
    if echo_write_only is None:
        return fields or DEFAULT_FIELD_MODE
    if fields is None:
        return 'echo' if echo_write_only else 'no_echo'
    if (fields == 'echo') != bool(echo_write_only):
        raise ValueError('echo_write_only %s contradicts fields %r' % ('true' if echo_write_only else 'false', fields))
    return fields


# ---------------------------------------------------------------------------
# errors


class ApiError(Exception):
    """An error answered with the JSON error envelope."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class AdminError(Exception):
    """A bad admin request, answered with HTTP 400."""


def invalid(name, reason):
    return ApiError(CODES['invalid_value'], "Invalid value for parameter '%s': %s" % (name, reason))


def missing(name):
    return ApiError(CODES['missing_parameter'], "Missing required parameter '%s'" % name)


def cron_not_found(cron_id):
    return ApiError(CODES['cron_not_found'], 'Cronjob %s not found' % cron_id)


def group_not_found(group_id):
    return ApiError(CODES['group_not_found'], 'Group %s not found' % group_id)


# ---------------------------------------------------------------------------
# value coercion


def to_int(name, value, minimum=None, maximum=None):
    """Parse an integer parameter given as int or decimal string."""
    if isinstance(value, bool):
        raise invalid(name, 'an integer is required')
    if isinstance(value, int):
        number = value
    elif (isinstance(value, float) and value.is_integer()) or (
        isinstance(value, str) and re.fullmatch(r'\s*[+-]?\d+\s*', value)
    ):
        number = int(value)
    else:
        raise invalid(name, 'an integer is required')
    if minimum is not None and maximum is not None and not minimum <= number <= maximum:
        raise invalid(name, 'must be between %d and %d' % (minimum, maximum))
    if minimum is not None and number < minimum:
        raise invalid(name, 'minimum is %d' % minimum)
    if maximum is not None and number > maximum:
        raise invalid(name, 'maximum is %d' % maximum)
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
    raise invalid(name, 'a boolean is required (1, 0, true or false)')


def to_str(name, value, nullable=False):
    """Parse a string parameter; JSON numbers become strings."""
    if value is None:
        return None if nullable else ''
    if isinstance(value, bool):
        raise invalid(name, 'a string is required')
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        raise invalid(name, 'a string is required')
    return value


def is_blank(value):
    return value is None or (isinstance(value, str) and value.strip() == '')


def is_json(text):
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


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
# HTTP answers


def html_error_page(status):
    """An nginx-like HTML error page."""
    title = '%d %s' % (status, HTTP_ERROR_REASONS.get(status, 'Error'))
    return (
        '<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n'
        '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n' % (title, title)
    )


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
