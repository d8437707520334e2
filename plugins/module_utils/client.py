# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP transport for the FastCron API.

This layer only speaks HTTP and the response envelope: authentication, the
one-request-per-second rate limit (shared by every process using the same
token), retries with backoff, and one exception type for every failure.
Resource logic (finding, comparing, diffing) lives in ``fastcron.py``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import random
import tempfile
import time

try:
    import requests
    from urllib3.exceptions import NewConnectionError
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised through missing_required_lib
    requests = NewConnectionError = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc


# The collection's version: galaxy.yml's, which a unit test keeps equal.
COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'ansible-fastcron.cloud/%s' % COLLECTION_VERSION

# The service allows one request per second per account. The gate counts the
# second from the previous answer, so only timer granularity needs a margin.
MIN_REQUEST_INTERVAL = 1.02

# The one error code the API documents: a missing or wrong token.
INVALID_TOKEN_CODE = 11

# Statuses after which a request is sent again. 503 is the rate limit: the
# request was refused, nothing happened. After 500, 502 and 504 the service
# may have acted before the answer was lost.
RETRY_HTTP_STATUSES = frozenset((500, 502, 503, 504))
RATE_LIMIT_STATUS = 503
BODY_EXCERPT_LENGTH = 200


class FastCronApiError(Exception):
    """Any failed API call: an error envelope, an HTTP failure or no answer.

    ``code`` is the API's error code when the service answered with an error
    envelope, else None. ``http_status`` is the HTTP status of the answer, if
    any. ``maybe_processed`` is true when an attempt may have been acted on
    by the service although no answer said so.
    """

    def __init__(self, function, message, code=None, http_status=None, maybe_processed=False, retryable=False):
        self.function = function
        self.message = message
        self.code = code
        self.http_status = http_status
        self.maybe_processed = maybe_processed
        # Whether sending the request again may succeed (rate limit, 5xx, no answer).
        self.retryable = retryable
        super().__init__(self._describe())

    def _describe(self):
        if self.code is not None:
            return 'FastCron API function %s failed with code %s: %s' % (self.function, self.code, self.message)
        if self.http_status is not None:
            return 'FastCron API function %s failed with HTTP status %s: %s' % (self.function, self.http_status, self.message)
        return 'FastCron API function %s failed: %s' % (self.function, self.message)


def state_directory():
    """The folder of the gate and lock files: one per user, so nobody else can hold or forge them."""
    path = os.path.join(tempfile.gettempdir(), 'ansible-fastcron-%d' % os.getuid())
    try:
        os.mkdir(path, 0o700)
    except OSError as exc:
        if exc.errno != errno.EEXIST:
            raise
    return path


class RateGate:
    """Spaces the requests of one account across processes.

    Ansible runs every task, and every fork, in its own process, so the time of
    the last answer lives in a small file guarded by an exclusive lock. A
    request holds the lock from its turn until its answer, which queues the
    others behind it; the next one starts an interval after that answer. Timed
    from the answer, not the start, no request can reach the service less than
    an interval after the previous one, whatever the network latency (a reused
    connection arrives sooner than a new one).
    """

    def __init__(self, key, interval=MIN_REQUEST_INTERVAL, directory=None, sleep=time.sleep, clock=time.time):
        self.interval = interval
        self._sleep = sleep
        self._clock = clock
        self.path = os.path.join(directory or state_directory(), 'gate-%s' % key)

    @contextlib.contextmanager
    def turn(self):
        """Wait for this account's turn; hold it until the answer has arrived."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            # A stamp from the future (clock jump) must not stall us longer than one interval.
            delay = min(self._read(fd) + self.interval - self._clock(), self.interval)
            if delay > 0:
                self._sleep(delay)
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, repr(self._clock()).encode('ascii'))
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @staticmethod
    def _read(fd):
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 64)
        try:
            return float(raw.decode('ascii'))
        except ValueError:
            return 0.0


class NameLock:
    """An exclusive lock on one object name of one account, across processes.

    Finding an object by name and creating it when missing must not interleave
    with another process doing the same, or both would create it. Parallel
    forks and concurrent playbooks on one controller queue here instead.
    """

    def __init__(self, key, kind, name, directory=None):
        digest = hashlib.sha256(('%s\n%s' % (kind, name)).encode('utf-8')).hexdigest()[:24]
        self.path = os.path.join(directory or state_directory(), 'name-%s-%s' % (key, digest))
        self._fd = None

    def __enter__(self):
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc_info):
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def account_key(token, base_url):
    """A file-name-safe key for one account at one endpoint; never reveals the token."""
    return hashlib.sha256(('%s\n%s' % (token, base_url.rstrip('/'))).encode('utf-8')).hexdigest()[:24]


def _never_reached_the_service(exc):
    """True when the request cannot have been processed: no connection was made."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and exc.args:
        reason = getattr(exc.args[0], 'reason', None)
        return isinstance(reason, NewConnectionError)
    return False


class FastCronClient:
    """Calls FastCron API functions and unwraps the response envelope.

    Every call is a POST with a JSON body. The token travels in the
    ``Authorization`` header and in the body, never in the URL.
    """

    def __init__(self, token, base_url, timeout=30, retries=5, retry_max_delay=30, validate_certs=True,
                 gate=None, sleep=time.sleep):
        self._token = token
        self.base_url = base_url.rstrip('/')
        self.timeout = timeout
        self.retries = retries
        self.retry_max_delay = retry_max_delay
        # Passed with every request: a session-wide verify=False is ignored by
        # requests when REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE is set.
        self.validate_certs = validate_certs
        self._sleep = sleep
        self.account_key = account_key(token, self.base_url)
        self.gate = gate or RateGate(self.account_key, sleep=sleep)
        self.session = requests.Session()
        self.session.headers.update({
            'Authorization': 'Bearer %s' % token,
            'Accept': 'application/json',
            'User-Agent': USER_AGENT,
        })

    def call(self, function, params=None, resend=True):
        """Call ``function`` and return the envelope's ``data``.

        Requests the service refused (rate limit) or never received are always
        sent again. ``resend=False`` forbids sending again a request the
        service may have acted on (a create, a run): the error is raised with
        ``maybe_processed`` set instead, and the caller decides.
        """
        body = dict(params or {})
        body['token'] = self._token
        url = '%s/%s' % (self.base_url, function)
        attempt = 0
        maybe_processed = False
        while True:
            with self.gate.turn():
                failure, processed, retry_after = self._attempt(function, url, body)
            if failure is None:
                return processed
            maybe_processed = maybe_processed or processed
            failure.maybe_processed = maybe_processed
            if not failure.retryable or attempt >= self.retries or (processed and not resend):
                raise failure
            self._sleep(self._backoff(attempt, retry_after))
            attempt += 1

    def _attempt(self, function, url, body):
        """One request: (None, data, None) on success, else (error, maybe processed, Retry-After)."""
        try:
            response = self.session.post(url, json=body, timeout=self.timeout, verify=self.validate_certs)
        except requests.exceptions.SSLError as exc:
            return self._error(function, 'TLS failure talking to %s: %s' % (self.base_url, exc)), False, None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            failure = self._error(function, 'no answer from %s: %s' % (self.base_url, type(exc).__name__), retryable=True)
            return failure, not _never_reached_the_service(exc), None
        except (requests.exceptions.RequestException, ValueError) as exc:
            # A request that could not even be built (bad URL, bad header): nothing was sent.
            return self._error(function, 'the request could not be sent: %s' % type(exc).__name__), False, None
        except OSError as exc:
            # A local problem, such as a CA bundle path that does not exist: nothing was sent.
            return self._error(function, 'the request could not be sent: %s' % exc), False, None

        envelope = self._envelope(response)
        if envelope is not None and response.status_code != RATE_LIMIT_STATUS:
            # The service answered, whatever the HTTP status: its envelope is the result.
            if envelope.get('status') == 'success':
                return None, envelope.get('data'), None
            message = self._scrub(str(envelope.get('message') or 'no message'))
            return FastCronApiError(function, message, code=envelope.get('code'), http_status=response.status_code), False, None
        if response.status_code in RETRY_HTTP_STATUSES:
            failure = self._error(function, 'unexpected answer: %s' % self._excerpt(response), response.status_code, retryable=True)
            return failure, response.status_code != RATE_LIMIT_STATUS, self._retry_after(response)
        if response.status_code == 200:
            # Something between us and the service answered in its place: the request may have gone through.
            kind = 'not an API envelope' if self._is_json(response) else 'not JSON'
            return self._error(function, 'the answer is %s: %s' % (kind, self._excerpt(response)), 200), True, None
        return self._error(function, 'unexpected answer: %s' % self._excerpt(response), response.status_code), False, None

    def _error(self, function, message, http_status=None, retryable=False):
        return FastCronApiError(function, self._scrub(message), http_status=http_status, retryable=retryable)

    @staticmethod
    def _is_json(response):
        try:
            response.json()
        except ValueError:
            return False
        return True

    @staticmethod
    def _envelope(response):
        try:
            envelope = response.json()
        except ValueError:
            return None
        if isinstance(envelope, dict) and envelope.get('status') in ('success', 'error'):
            return envelope
        return None

    def _backoff(self, attempt, retry_after):
        if retry_after is not None:
            return min(retry_after, self.retry_max_delay)
        # Exponential backoff with jitter, so parallel forks do not retry in lockstep.
        ceiling = min(2 ** attempt, self.retry_max_delay)
        return random.uniform(ceiling / 2.0, ceiling)

    @staticmethod
    def _retry_after(response):
        value = response.headers.get('Retry-After')
        try:
            return max(0.0, float(value)) if value is not None else None
        except ValueError:
            return None

    def _excerpt(self, response):
        # Scrub before cutting: a cut through the token would leave its first characters.
        text = self._scrub(' '.join((response.text or '').split()))
        if len(text) > BODY_EXCERPT_LENGTH:
            text = text[:BODY_EXCERPT_LENGTH] + '...'
        return text or '(empty body)'

    def _scrub(self, text):
        if self._token:
            text = text.replace(self._token, '********')
        return text
