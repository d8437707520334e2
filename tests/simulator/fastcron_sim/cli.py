# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The command line: ``python tests/simulator/fastcron_simulator.py [options]``."""

import argparse
import os
import signal
import sys
import threading

from .common import DEFAULT_FIELD_MODE, DEFAULT_PAUSED_STATUS, DEFAULT_TIMEZONE, DEFAULT_TOKEN, FIELD_MODES
from .expressions import valid_timezone
from .server import Simulator


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
    fields = parser.add_mutually_exclusive_group()
    fields.add_argument('--fields', choices=sorted(FIELD_MODES), default=None,
                        help='fields of cronjob objects: echo (the object table plus delay, username, userAgent and keyword), '
                             'no_echo (the object table), examples (only the fields of the reference examples) '
                             '(default %s)' % DEFAULT_FIELD_MODE)
    fields.add_argument('--echo-write-only', dest='echo_write_only', action='store_const', const=True, default=None,
                        help='same as --fields echo')
    fields.add_argument('--no-echo-write-only', dest='echo_write_only', action='store_const', const=False,
                        help='same as --fields no_echo')
    parser.add_argument('--paused-status', type=int, default=DEFAULT_PAUSED_STATUS, metavar='STATUS',
                        help='status a cronjob reports while paused (default %d)' % DEFAULT_PAUSED_STATUS)
    parser.add_argument('--group-lookup-ignores-case', action='store_true',
                        help='group_lookup matches names ignoring case and runs of whitespace')
    parser.add_argument('--keyword-ignores-names', action='store_true',
                        help="cron_list's keyword matches the ID and the URL only, never the name")
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
    if args.paused_status < 0:
        parser.error('--paused-status must be >= 0')
    if not valid_timezone(args.timezone):
        parser.error('unknown time zone %r' % args.timezone)
    simulator = Simulator(host=args.host, port=args.port, tokens=args.tokens, rate_limit=args.rate_limit,
                          echo_write_only=args.echo_write_only, fields=args.fields, timezone=args.timezone,
                          retry_after=args.retry_after, verbose=args.verbose, error_status=args.error_status,
                          tls_cert=args.tls_cert, tls_key=args.tls_key, paused_status=args.paused_status,
                          group_lookup_ignores_case=args.group_lookup_ignores_case,
                          keyword_ignores_names=args.keyword_ignores_names)
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
