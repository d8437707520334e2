# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local simulator of the FastCron HTTP API, for tests of this collection.

Modules:

- ``common``: constants of the reference, errors, value coercion, HTTP answers;
- ``expressions``: the expression engine (crontab, English time expressions, dates, next runs);
- ``api``: the account state and every API function;
- ``admin``: faults and the ``/_admin`` surface (configuration, seed, state, request log, clock);
- ``server``: the HTTP server (``Simulator``);
- ``cli``: the command line (``main``);
- ``proxy``: ``LatencyProxy``, a slow network in front of it.

The names imported here are the public surface; ``fastcron_simulator.py`` next to this
folder re-exports them. See README.md in the parent folder.
"""

from .admin import CONFIG_KEYS, Admin, parse_config
from .api import API_FUNCTIONS, Account
from .cli import build_parser, main
from .common import (
    ACCOUNT_CRON_LIMIT,
    ACCOUNT_STATUSES,
    ADMIN_PREFIX,
    API_PREFIX,
    CODES,
    CONFIG_ENV,
    CRON_DEFAULTS,
    DEFAULT_FIELD_MODE,
    DEFAULT_PAUSED_STATUS,
    DEFAULT_TIMEZONE,
    DEFAULT_TOKEN,
    ECHO_FIELDS,
    ERROR_HTTP_STATUSES,
    EXAMPLE_FIELDS,
    FAULT_KINDS,
    FIELD_MODES,
    FIRST_CRON_ID,
    FIRST_GROUP_ID,
    HTTP_METHODS,
    INVALID_TOKEN_MESSAGE,
    MAX_NEXT_RUNS,
    PAGE_SIZE,
    PUBLIC_FIELDS,
    STATUS_ACTIVE,
    STATUS_DISABLED,
    STATUS_EXPIRED,
    STATUS_FAILED,
    STATUS_INACTIVE,
    STATUSES,
    SWITCH_CHOICES,
    SWITCH_DEFAULTS,
    TIMESTAMP_PARAMETER,
    WRITE_FUNCTIONS,
    AdminError,
    ApiError,
    Reply,
    switch_value,
)
from .expressions import duration_end, next_runs, normalise_expression, parse_expression, valid_timezone
from .proxy import LatencyProxy
from .server import BUILT_IN_CONFIG, UNSET, Simulator, effective_config, env_config

__all__ = [
    'ACCOUNT_CRON_LIMIT',
    'ACCOUNT_STATUSES',
    'ADMIN_PREFIX',
    'API_FUNCTIONS',
    'API_PREFIX',
    'BUILT_IN_CONFIG',
    'CODES',
    'CONFIG_ENV',
    'CONFIG_KEYS',
    'CRON_DEFAULTS',
    'DEFAULT_FIELD_MODE',
    'DEFAULT_PAUSED_STATUS',
    'DEFAULT_TIMEZONE',
    'DEFAULT_TOKEN',
    'ECHO_FIELDS',
    'ERROR_HTTP_STATUSES',
    'EXAMPLE_FIELDS',
    'FAULT_KINDS',
    'FIELD_MODES',
    'FIRST_CRON_ID',
    'FIRST_GROUP_ID',
    'HTTP_METHODS',
    'INVALID_TOKEN_MESSAGE',
    'MAX_NEXT_RUNS',
    'PAGE_SIZE',
    'PUBLIC_FIELDS',
    'STATUSES',
    'STATUS_ACTIVE',
    'STATUS_DISABLED',
    'STATUS_EXPIRED',
    'STATUS_FAILED',
    'STATUS_INACTIVE',
    'SWITCH_CHOICES',
    'SWITCH_DEFAULTS',
    'TIMESTAMP_PARAMETER',
    'UNSET',
    'WRITE_FUNCTIONS',
    'Account',
    'Admin',
    'AdminError',
    'ApiError',
    'LatencyProxy',
    'Reply',
    'Simulator',
    'build_parser',
    'duration_end',
    'effective_config',
    'env_config',
    'main',
    'next_runs',
    'normalise_expression',
    'parse_config',
    'parse_expression',
    'switch_value',
    'valid_timezone',
]
