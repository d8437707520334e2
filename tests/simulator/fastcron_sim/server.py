# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP side: ``/api/v1/<function>`` requests (token, rate limit, faults, request log)
and ``/_admin``, served by ``Simulator`` in a background thread."""

import json
import os
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .admin import Admin, flat_query, parse_config
from .common import (
    ADMIN_PREFIX,
    API_PREFIX,
    CODES,
    CONFIG_ENV,
    DEFAULT_FIELD_MODE,
    DEFAULT_PAUSED_STATUS,
    DEFAULT_TIMEZONE,
    DEFAULT_TOKEN,
    ERROR_HTTP_STATUSES,
    INVALID_TOKEN_MESSAGE,
    SWITCH_DEFAULTS,
    WRITE_FUNCTIONS,
    AdminError,
    ApiError,
    Reply,
)

# A keyword argument of Simulator(...) that was not given (None is a value for some).
UNSET = object()

# The configuration of a simulator nothing else configures.
BUILT_IN_CONFIG = dict(
    rate_limit=1.0,
    retry_after=None,
    error_status=False,
    fields=DEFAULT_FIELD_MODE,
    paused_status=DEFAULT_PAUSED_STATUS,
    group_lookup_ignores_case=False,
    keyword_ignores_names=False,
    tokens=[DEFAULT_TOKEN],
    **SWITCH_DEFAULTS,
)


def env_config(environ=None):
    """The configuration FASTCRON_SIMULATOR_CONFIG sets, checked; {} when it is unset or empty."""
    text = (os.environ if environ is None else environ).get(CONFIG_ENV, '').strip()
    if not text:
        return {}
    try:
        values = json.loads(text)
    except ValueError:
        raise ValueError('%s must be a JSON object' % CONFIG_ENV) from None
    try:
        return parse_config(values)
    except AdminError as exc:
        raise ValueError('%s: %s' % (CONFIG_ENV, exc)) from None


def effective_config(explicit):
    """Built-in defaults, then FASTCRON_SIMULATOR_CONFIG, then the keyword arguments given."""
    given = {key: value for key, value in explicit.items() if value is not UNSET}
    if 'tokens' in given:
        given['tokens'] = list(given['tokens'])
    try:
        checked = parse_config(given)
    except AdminError as exc:
        raise ValueError(str(exc)) from None
    config = dict(BUILT_IN_CONFIG)
    config.update(env_config())
    config.update(checked)
    return config


def _success(data):
    return {'data': data, 'status': 'success', 'code': 0}


def _error(code, message):
    return {'message': message, 'status': 'error', 'code': code}


class ApiRequest:
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


def parse_api_request(function, http_method, query_string, headers, body):
    """Turn the HTTP parts into an ApiRequest (params, token, how it came)."""
    request = ApiRequest(function, http_method)
    query = flat_query(query_string)
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
                body_params = flat_query(body.decode('utf-8'))
            except UnicodeDecodeError:
                request.parse_error = 'the form body is not UTF-8'
        else:
            request.parse_error = "unsupported Content-Type '%s'" % content_type
    candidates = []
    authorization = headers.get('Authorization') or ''
    scheme, _dummy, value = authorization.strip().partition(' ')
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


class Simulator(Admin):
    """An in-memory FastCron account served over HTTP.

    ``Simulator(...).start()`` serves in a background thread; ``stop()`` ends it.
    It is also a context manager.

    Every switch not given here takes its value from the environment variable
    FASTCRON_SIMULATOR_CONFIG (a JSON object of admin configuration keys) when it is set,
    else its built-in default (``BUILT_IN_CONFIG``); ``POST /_admin/config`` changes any later.
    """

    def __init__(
        self,
        host='127.0.0.1',
        port=0,
        tokens=UNSET,
        rate_limit=UNSET,
        echo_write_only=UNSET,
        timezone=DEFAULT_TIMEZONE,
        retry_after=UNSET,
        verbose=False,
        error_status=UNSET,
        tls_cert=None,
        tls_key=None,
        fields=UNSET,
        paused_status=UNSET,
        group_lookup_ignores_case=UNSET,
        keyword_ignores_names=UNSET,
        **switches,
    ):
        unknown = sorted(set(switches) - set(SWITCH_DEFAULTS))
        if unknown:
            raise TypeError('unknown switches: %s' % ', '.join(unknown))
        explicit = dict(
            switches,
            tokens=UNSET if tokens is None else tokens,
            rate_limit=rate_limit,
            echo_write_only=UNSET if echo_write_only is None else echo_write_only,
            retry_after=retry_after,
            error_status=error_status,
            fields=UNSET if fields is None else fields,
            paused_status=paused_status,
            group_lookup_ignores_case=group_lookup_ignores_case,
            keyword_ignores_names=keyword_ignores_names,
        )
        config = effective_config(explicit)
        super().__init__(timezone=timezone, **config)
        self.host = host
        self.requested_port = port
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self.verbose = verbose
        self.server = None
        self.thread = None

    # -- lifecycle ---------------------------------------------------------

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
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={'poll_interval': 0.1}, name='fastcron-simulator', daemon=True
        )
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

    # -- API requests ------------------------------------------------------

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
            data = self.call(request.function, request.params)
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
        request = parse_api_request(function, http_method, query_string, headers, body)
        with self.lock:
            fault = self.take_fault(function)
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
            reply = self.fault_reply(fault)
        else:
            with self.lock:
                reply = self._process(request, entry)
            if fault and fault['kind'] == 'slow':
                if fault['after_processing']:
                    time.sleep(fault['delay'])
            elif fault:
                reply = self.fault_reply(fault)
        with self.lock:
            entry['http_status'] = reply.status
        return reply


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
            function = parts.path.replace(API_PREFIX, '', 1).strip('/')
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
