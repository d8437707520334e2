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

import errno
import fcntl
import hashlib
import os
import random
import tempfile
import time

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised through missing_required_lib
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc


USER_AGENT = 'ansible-fastcron.cloud/0.1.0'

# The service allows one request per second per account. A small margin keeps
# the arrival gap at the server above one second despite network jitter.
MIN_REQUEST_INTERVAL = 1.05

# Functions that create an object. Their answer may be lost after the server
# acted on them, so a retry must first check whether the object exists.
CREATE_FUNCTIONS = frozenset(('cron_add', 'group_add', 'cron_batch_add'))

# The one error code the API documents: a missing or wrong token.
INVALID_TOKEN_CODE = 11

RETRY_HTTP_STATUSES = frozenset((500, 502, 503, 504))
BODY_EXCERPT_LENGTH = 200


class FastCronApiError(Exception):
    """Any failed API call: an error envelope, an HTTP failure or no answer.

    ``code`` is the API's error code when the service answered with an error
    envelope, else None. ``http_status`` is set when the HTTP status itself
    was the problem.
    """

    def __init__(self, function, message, code=None, http_status=None):
        self.function = function
        self.message = message
        self.code = code
        self.http_status = http_status
        super().__init__(self._describe())

    def _describe(self):
        if self.code is not None:
            return 'FastCron API function %s failed with code %s: %s' % (self.function, self.code, self.message)
        if self.http_status is not None:
            return 'FastCron API function %s failed with HTTP status %s: %s' % (self.function, self.http_status, self.message)
        return 'FastCron API function %s failed: %s' % (self.function, self.message)


class RateGate:
    """Spaces the starts of requests for one account across processes.

    Ansible runs every task, and every fork, in its own process, so the last
    start time lives in a small file guarded by an exclusive lock. A caller
    holds the lock while it waits, which queues the others behind it.
    """

    def __init__(self, key, interval=MIN_REQUEST_INTERVAL, directory=None, sleep=time.sleep, clock=time.time):
        self.interval = interval
        self._sleep = sleep
        self._clock = clock
        self.path = os.path.join(directory or self.default_directory(), 'gate-%s' % key)

    @staticmethod
    def default_directory():
        # One folder per user, so that nobody else can hold or forge the lock.
        path = os.path.join(tempfile.gettempdir(), 'ansible-fastcron-%d' % os.getuid())
        try:
            os.mkdir(path, 0o700)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise
        return path

    def wait(self):
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            last = self._read(fd)
            now = self._clock()
            # A stamp from the future (clock jump) must not stall us longer than one interval.
            delay = min(last + self.interval - now, self.interval)
            if delay > 0:
                self._sleep(delay)
                now = max(self._clock(), last + self.interval)
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, repr(now).encode('ascii'))
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
        self._sleep = sleep
        key = hashlib.sha256(('%s\n%s' % (token, self.base_url)).encode('utf-8')).hexdigest()[:24]
        self.gate = gate or RateGate(key, sleep=sleep)
        self.session = requests.Session()
        self.session.verify = validate_certs
        self.session.headers.update({
            'Authorization': 'Bearer %s' % token,
            'Accept': 'application/json',
            'User-Agent': USER_AGENT,
        })

    def call(self, function, params=None, recover=None):
        """Call ``function`` and return the envelope's ``data``.

        ``recover`` is consulted before resending a create whose answer was
        lost: it returns the object if the first attempt took effect, else
        None, and the request is sent again.
        """
        body = dict(params or {})
        body['token'] = self._token
        url = '%s/%s' % (self.base_url, function)
        attempt = 0
        while True:
            self.gate.wait()
            try:
                response = self.session.post(url, json=body, timeout=self.timeout)
            except requests.exceptions.RequestException as exc:
                failure = FastCronApiError(function, self._scrub('no answer from %s: %s' % (self.base_url, type(exc).__name__)))
                # A request that never connected cannot have been processed.
                maybe_processed = not isinstance(exc, requests.exceptions.ConnectTimeout)
                retry_after = None
            else:
                if response.status_code not in RETRY_HTTP_STATUSES:
                    return self._unwrap(function, response)
                failure = self._http_error(function, response)
                # 503 is the rate limit: the request was refused, nothing happened.
                maybe_processed = response.status_code != 503
                retry_after = self._retry_after(response)

            if attempt >= self.retries:
                raise failure
            self._sleep(self._backoff(attempt, retry_after))
            attempt += 1
            if maybe_processed and function in CREATE_FUNCTIONS and recover is not None:
                found = recover()
                if found is not None:
                    return found

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

    def _unwrap(self, function, response):
        if response.status_code != 200:
            raise self._http_error(function, response)
        try:
            envelope = response.json()
        except ValueError:
            raise FastCronApiError(
                function, self._scrub('the answer is not JSON: %s' % self._excerpt(response)),
                http_status=response.status_code)
        if not isinstance(envelope, dict) or 'status' not in envelope:
            raise FastCronApiError(function, self._scrub('the answer is not an API envelope: %s' % self._excerpt(response)),
                                   http_status=response.status_code)
        if envelope.get('status') == 'success':
            return envelope.get('data')
        raise FastCronApiError(function, self._scrub(str(envelope.get('message') or 'no message')), code=envelope.get('code'))

    def _http_error(self, function, response):
        return FastCronApiError(function, self._scrub('unexpected answer: %s' % self._excerpt(response)),
                                http_status=response.status_code)

    @staticmethod
    def _excerpt(response):
        text = ' '.join((response.text or '').split())
        if len(text) > BODY_EXCERPT_LENGTH:
            text = text[:BODY_EXCERPT_LENGTH] + '...'
        return text or '(empty body)'

    def _scrub(self, text):
        if self._token:
            text = text.replace(self._token, '********')
        return text
