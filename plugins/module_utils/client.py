# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP transport for the FastCron API.

This layer only speaks HTTP and the response envelope: authentication, the
one-request-per-second rate limit (shared by every process using the same
token through the gate of ``gate.py``) and retries. Every failure is raised
as the one exception type of ``_api_error.py``, whose message says why.
Resource logic (finding, comparing, diffing) lives in ``_finder.py``,
``_resource.py`` and ``fastcron.py``.
"""

from __future__ import annotations

import datetime
import email.utils
import hashlib
import random
import time
from urllib.parse import urlsplit

from ansible_collections.fastcron.cloud.plugins.module_utils._api_error import FastCronApiError, explain
from ansible_collections.fastcron.cloud.plugins.module_utils.gate import (
    MAX_REQUEST_INTERVAL,
    MIN_REQUEST_INTERVAL,
    RateGate,
    StateFolderError,
)

try:
    import requests

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised through missing_required_lib
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

# The collection's version: galaxy.yml's, which a unit test keeps equal.
COLLECTION_VERSION = '0.2.0'
USER_AGENT = 'ansible-fastcron.cloud/%s' % COLLECTION_VERSION

# Statuses after which a request is sent again. 503 is the rate limit: refused, nothing happened.
# After 500, 502 and 504 the service may have acted before the answer was lost.
RETRY_HTTP_STATUSES = frozenset((500, 502, 503, 504))
RATE_LIMIT_STATUS = 503
BODY_EXCERPT_LENGTH = 200

# Seconds one call may spend waiting out refusals and retries (api_retry_timeout).
DEFAULT_RETRY_TIMEOUT = 300
# A refused connection is retried soon: nothing listens yet, or a service is restarting.
QUICK_RETRY_FIRST_DELAY = 0.5
QUICK_RETRY_MAX_DELAY = 2.0


def account_key(token, base_url):
    """A file-name-safe key for one account at one endpoint; never reveals the token."""
    return hashlib.sha256(('%s\n%s' % (token, base_url.rstrip('/'))).encode('utf-8')).hexdigest()[:24]


def retry_after_seconds(value, now=None):
    """A Retry-After header in seconds: a number of seconds or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:  # the asctime form, which names no zone: an HTTP date is in GMT
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


class FastCronClient:
    """Calls FastCron API functions and unwraps the response envelope.

    Every call is a POST with a JSON body. The token travels in the
    ``Authorization`` header and in the body, never in the URL.
    """

    def __init__(
        self,
        token,
        base_url,
        timeout=30,
        retries=5,
        retry_max_delay=30,
        validate_certs=True,
        gate=None,
        sleep=time.sleep,
        retry_timeout=DEFAULT_RETRY_TIMEOUT,
        clock=time.monotonic,
    ):
        self._token = token
        self.base_url = base_url.rstrip('/')
        self.where = urlsplit(self.base_url).netloc or self.base_url
        self.timeout = timeout
        self.retries = retries
        self.retry_max_delay = retry_max_delay
        self.retry_timeout = retry_timeout
        # Passed with every request: a session-wide verify=False is ignored by
        # requests when REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE is set.
        self.validate_certs = validate_certs
        self._sleep = sleep
        self._clock = clock
        self.account_key = account_key(token, self.base_url)
        self.gate = gate or RateGate(
            self.account_key,
            sleep=sleep,
            max_hold=float(retry_max_delay),
            max_interval=max(MIN_REQUEST_INTERVAL, min(float(retry_max_delay), MAX_REQUEST_INTERVAL)),
        )
        self.session = requests.Session()
        self.session.headers.update(
            {
                'Authorization': 'Bearer %s' % token,
                'Accept': 'application/json',
                'User-Agent': USER_AGENT,
            }
        )

    def call(self, function, params=None, resend=True):
        """Call ``function`` and return the envelope's ``data``.

        A refusal (HTTP 503, the rate limit) is waited out and sent again
        without using up a retry, as long as ``retry_timeout`` allows; the
        gate slows this controller's pace meanwhile. Other faults are retried
        up to ``retries`` times. ``resend=False`` forbids sending again a
        request the service may have acted on (a create, a run): the error is
        raised with ``maybe_processed`` set instead, and the caller decides.
        """
        body = dict(params or {})
        body['token'] = self._token
        url = '%s/%s' % (self.base_url, function)
        started = self._clock()
        attempts = refusals = retried = 0
        maybe_processed = False
        while True:
            try:
                with self.gate.turn():
                    failure, data, retry_after, quick = self._attempt(function, url, body)
            except StateFolderError as exc:
                raise FastCronApiError(function, str(exc)) from None
            attempts += 1
            if failure is None:
                return data
            maybe_processed = maybe_processed or failure.maybe_processed
            failure.maybe_processed = maybe_processed
            elapsed = self._clock() - started
            if failure.http_status == RATE_LIMIT_STATUS:
                refusals += 1
                if elapsed + self.gate.next_wait > self.retry_timeout:
                    raise failure.tally(attempts, elapsed, refusals, self._out_of_time(refusals, elapsed))
                continue  # the gate's next turn waits out the slowed pace and any Retry-After
            if not failure.retryable or (maybe_processed and not resend):
                raise failure.tally(attempts, elapsed, refusals)
            if retried >= self.retries:
                raise failure.tally(
                    attempts, elapsed, refusals, '%s; api_retries (%d) used up' % (failure.message, self.retries)
                )
            wait = self._backoff(retried, retry_after, quick)
            if elapsed + wait > self.retry_timeout:
                raise failure.tally(
                    attempts,
                    elapsed,
                    refusals,
                    '%s; no time left to retry within api_retry_timeout (%d s)' % (failure.message, self.retry_timeout),
                )
            self._sleep(wait)
            retried += 1

    def _out_of_time(self, refusals, elapsed):
        return (
            'the service refused the request %d time%s (rate limit: other clients use this account too) and '
            'it waited %.1f s for a turn; the next one would come after api_retry_timeout (%d s). Raise '
            'api_retry_timeout, or let fewer controllers use the account at once'
            % (refusals, '' if refusals == 1 else 's', elapsed, self.retry_timeout)
        )

    def _attempt(self, function, url, body):
        """One request: (None, data, None, False) on success, else (error, None, Retry-After, retry soon)."""
        try:
            response = self.session.post(url, json=body, timeout=self.timeout, verify=self.validate_certs)
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            failure = explain(exc, self.where, self.timeout)
            error = self._error(function, failure.message, retryable=failure.retryable)
            error.maybe_processed = failure.processed
            return error, None, None, failure.quick
        except (requests.exceptions.RequestException, ValueError) as exc:
            # A request that could not even be built (bad URL, bad header): nothing was sent.
            return self._error(function, 'the request could not be sent: %s' % type(exc).__name__), None, None, False
        except OSError as exc:
            # A local problem, such as a CA bundle path that does not exist: nothing was sent.
            return self._error(function, 'the request could not be sent: %s' % exc), None, None, False

        if response.status_code == RATE_LIMIT_STATUS:
            retry_after = retry_after_seconds(response.headers.get('Retry-After'))
            self.gate.refused(retry_after)
            failure = self._error(
                function, 'refused: %s' % self._excerpt(response), response.status_code, retryable=True
            )
            return failure, None, retry_after, False
        self.gate.accepted()
        envelope = self._envelope(response)
        if envelope is not None:
            # The service answered, whatever the HTTP status: its envelope is the result.
            if envelope.get('status') == 'success':
                return None, envelope.get('data'), None, False
            message = self._scrub(str(envelope.get('message') or 'no message'))
            return (
                FastCronApiError(function, message, code=envelope.get('code'), http_status=response.status_code),
                None,
                None,
                False,
            )
        if response.status_code in RETRY_HTTP_STATUSES:
            failure = self._error(
                function, 'unexpected answer: %s' % self._excerpt(response), response.status_code, retryable=True
            )
            failure.maybe_processed = True
            return failure, None, retry_after_seconds(response.headers.get('Retry-After')), False
        if response.status_code == 200:
            # Something between us and the service answered in its place: the request may have gone through.
            kind = 'not an API envelope' if self._is_json(response) else 'not JSON'
            failure = self._error(function, 'the answer is %s: %s' % (kind, self._excerpt(response)), 200)
            failure.maybe_processed = True
            return failure, None, None, False
        return (
            self._error(function, 'unexpected answer: %s' % self._excerpt(response), response.status_code),
            None,
            None,
            False,
        )

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

    def _backoff(self, attempt, retry_after, quick=False):
        if retry_after is not None:
            return min(retry_after, self.retry_max_delay)
        # Exponential backoff with jitter, so parallel forks do not retry in lockstep.
        ceiling = min(2**attempt, self.retry_max_delay)
        if quick:
            ceiling = min(QUICK_RETRY_FIRST_DELAY * 2**attempt, QUICK_RETRY_MAX_DELAY, self.retry_max_delay)
        return random.uniform(ceiling / 2.0, ceiling)

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
