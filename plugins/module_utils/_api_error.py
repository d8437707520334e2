# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a failed FastCron API call is: the one exception type of every failure, and the
causes of a failed request in words.

``FastCronApiError`` carries an error envelope's code and message, an HTTP
status, or why no answer came; explain() names the cause of a requests
exception (DNS, refused, timeout, TLS, proxy, a lost connection). The client
of ``client.py`` raises these errors; the look-ups and the module run read them.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

try:
    import requests
    from urllib3.exceptions import NewConnectionError
except ImportError:  # pragma: no cover - client.py reports the missing library
    requests = NewConnectionError = None

INVALID_TOKEN_CODE = 11  # the one error code the API documents: a missing or wrong token
# Resolver answers that say the name does not exist: no retry fixes a wrong name.
UNKNOWN_NAME_ERRORS = frozenset(getattr(socket, name) for name in ('EAI_NONAME', 'EAI_NODATA') if hasattr(socket, name))


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
        # How the call went: attempts sent, seconds spent, refusals (HTTP 503) among them.
        self.attempts = 1
        self.elapsed = 0.0
        self.refusals = 0
        super().__init__(self._describe())

    def _describe(self):
        if self.code is not None:
            return 'FastCron API function %s failed with code %s: %s' % (self.function, self.code, self.message)
        if self.http_status is not None:
            return 'FastCron API function %s failed with HTTP status %s: %s' % (
                self.function,
                self.http_status,
                self.message,
            )
        return 'FastCron API function %s failed: %s' % (self.function, self.message)

    def tally(self, attempts, elapsed, refusals, message=None):
        """Record how the call went; a failure that is not an answer of the API says it in its message."""
        self.attempts, self.elapsed, self.refusals = attempts, elapsed, refusals
        if message is not None:
            self.message = message
        if self.code is None:
            counted = '%d attempt%s in %.1f s' % (attempts, '' if attempts == 1 else 's', elapsed)
            if refusals:
                counted += ', %d refused with HTTP 503' % refusals
            self.message = '%s (%s)' % (self.message.rstrip('.'), counted)
        self.args = (self._describe(),)
        return self


def _chain(exc):
    """The exception and those behind it (reason, argument, cause, context), outermost first."""
    found, queue = [], [exc]
    while queue and len(found) < 20:
        current = queue.pop(0)
        if current is None or any(current is seen for seen in found):
            continue
        found.append(current)
        behind = [
            getattr(current, 'reason', None),
            getattr(current, '_reason', None),
            current.args[0] if current.args else None,
            current.__cause__,
            current.__context__,
        ]
        queue.extend(item for item in behind if isinstance(item, BaseException))
    return found


def _never_reached_the_service(exc):
    """True when the request cannot have been processed: no connection was made."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    return any(isinstance(item, NewConnectionError) for item in _chain(exc)[1:])


class Failure:
    """Why one attempt failed: the message, whether to send again (and soon), and whether it may have been processed."""

    def __init__(self, message, retryable=True, processed=False, quick=False):
        self.message, self.retryable, self.processed, self.quick = message, retryable, processed, quick


def explain(exc, where, timeout):
    """A Failure naming the cause of a requests exception: DNS, refused, timeout, TLS, proxy, or a lost connection."""
    chain = _chain(exc)
    if isinstance(exc, requests.exceptions.ProxyError):
        return Failure(
            'the proxy between this controller and %s failed: %s (check HTTPS_PROXY, HTTP_PROXY and '
            'NO_PROXY)' % (where, _last_words(chain)),
            processed=not _never_reached_the_service(exc),
        )
    resolver = next((item for item in chain if isinstance(item, socket.gaierror)), None)
    if resolver is not None:
        host = urlsplit('//' + where).hostname or where
        if resolver.errno in UNKNOWN_NAME_ERRORS:
            return Failure(
                'the host name %s does not exist (DNS: %s); not retried, as no retry fixes a wrong name: '
                'check api_url' % (host, resolver.strerror),
                retryable=False,
            )
        return Failure('the host name %s could not be resolved just now (DNS: %s)' % (host, resolver.strerror))
    if isinstance(exc, requests.exceptions.SSLError):
        return Failure('TLS failure talking to %s: %s' % (where, _last_words(chain)), retryable=False)
    if any(isinstance(item, ConnectionRefusedError) for item in chain):
        return Failure('connection refused by %s: nothing accepts connections there' % where, quick=True)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Failure('timed out after %s s connecting to %s' % (timeout, where))
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return Failure('no answer from %s within %s s (api_timeout)' % (where, timeout), processed=True)
    if _never_reached_the_service(exc):
        return Failure('cannot connect to %s: %s' % (where, _last_words(chain)))
    return Failure('the connection to %s was lost before an answer: %s' % (where, _last_words(chain)), processed=True)


def _last_words(chain):
    """The innermost exception's own words, short."""
    innermost = chain[-1]
    text = getattr(innermost, 'strerror', None) or str(innermost) or type(innermost).__name__
    return ' '.join(str(text).split())[:160]
