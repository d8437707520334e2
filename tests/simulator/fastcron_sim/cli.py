# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The command line: ``python tests/simulator/fastcron_simulator.py [options]``."""

import argparse
import os
import signal
import sys
import threading

from .common import (
    CONFIG_ENV,
    DEFAULT_FIELD_MODE,
    DEFAULT_PAUSED_STATUS,
    DEFAULT_TIMEZONE,
    DEFAULT_TOKEN,
    FIELD_MODES,
    PAGE_SIZE,
    SWITCH_CHOICES,
    SWITCH_DEFAULTS,
)
from .expressions import valid_timezone
from .server import UNSET, Simulator

# Options whose value comes from FASTCRON_SIMULATOR_CONFIG (or the built-in default) when absent.
SWITCH_OPTIONS = (
    'tokens',
    'rate_limit',
    'retry_after',
    'echo_write_only',
    'fields',
    'paused_status',
    'group_lookup_ignores_case',
    'keyword_ignores_names',
    'error_status',
    *tuple(SWITCH_DEFAULTS),
)


def _write_port_file(path, port):
    tmp = '%s.tmp.%d' % (path, os.getpid())
    with open(tmp, 'w', encoding='utf-8') as handle:
        handle.write('%d\n' % port)
    os.replace(tmp, path)


def _timeout_cap(text):
    if text.strip().lower() in ('none', 'null'):
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError('an integer >= 5 or none is required') from None
    if value < 5:
        raise argparse.ArgumentTypeError('an integer >= 5 or none is required')
    return value


def _page_size(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError('an integer >= 1 is required') from None
    if value < 1:
        raise argparse.ArgumentTypeError('an integer >= 1 is required')
    return value


def _add_reading_switches(parser):
    """The switches for the readings the reference leaves open.

    Default: FASTCRON_SIMULATOR_CONFIG, else the first value of each.
    """
    readings = parser.add_argument_group(
        'readings',
        'how the service answers where the reference is silent; an option not given takes its value '
        'from %s when set, else the default' % CONFIG_ENV,
    )
    choices = dict(SWITCH_CHOICES)
    readings.add_argument(
        '--batch-order',
        choices=choices['batch_order'],
        default=UNSET,
        help='order of the objects answered by cron_batch_add and cron_batch_delete (default request)',
    )
    readings.add_argument(
        '--past-last-page',
        choices=choices['past_last_page'],
        default=UNSET,
        help='a page past the end of cron_list (and of a paged group_items): empty, or the last page '
        'again (default empty)',
    )
    readings.add_argument(
        '--page-size',
        type=_page_size,
        default=UNSET,
        metavar='N',
        help='cronjobs per page of cron_list and of a paged group_items (default %d)' % PAGE_SIZE,
    )
    readings.add_argument(
        '--group-items-paged',
        action=argparse.BooleanOptionalAction,
        default=UNSET,
        help='group_items answers pages of --page-size, taking page (default: not paged)',
    )
    readings.add_argument(
        '--url-timestamp',
        action=argparse.BooleanOptionalAction,
        default=UNSET,
        help='the account setting that appends _ts=__timestamp__ to every stored URL (default off)',
    )
    readings.add_argument(
        '--timeout-cap',
        type=_timeout_cap,
        default=UNSET,
        metavar='SECONDS',
        help="the plan's longest timeout, or none (default none)",
    )
    readings.add_argument(
        '--cap-mode',
        choices=choices['cap_mode'],
        default=UNSET,
        help='a timeout above --timeout-cap is refused (error code 20) or stored as the cap (default refuse)',
    )
    readings.add_argument(
        '--null-means',
        choices=choices['null_means'],
        default=UNSET,
        help='a JSON null in cron_add / cron_edit clears the field, or counts as not given (default clear)',
    )
    readings.add_argument(
        '--normalise',
        choices=choices['normalise'],
        default=UNSET,
        help="rewrite: url host, expression whitespace, httpHeaders lines and httpMethod stored in the "
        "service's own form (default none: as sent)",
    )
    readings.add_argument(
        '--group-delete',
        choices=choices['group_delete'],
        default=UNSET,
        help="group_delete leaves the group's cronjobs ungrouped, keeping the dead group's id, or "
        "deletes them (default ungroup)",
    )


def build_parser():
    parser = argparse.ArgumentParser(description='Local simulator of the FastCron HTTP API.')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=0, help='port to listen on; 0 picks a free port (default)')
    parser.add_argument(
        '--token',
        action='append',
        dest='tokens',
        metavar='TOKEN',
        help='a valid API token; repeat for several (default %s)' % DEFAULT_TOKEN,
    )
    parser.add_argument(
        '--rate-limit',
        type=float,
        default=UNSET,
        metavar='SECONDS',
        help='minimum interval between accepted API requests; 0 switches it off (default 1.0)',
    )
    parser.add_argument(
        '--retry-after',
        type=int,
        default=UNSET,
        metavar='SECONDS',
        help='send Retry-After with 503 answers (default: no header)',
    )
    fields = parser.add_mutually_exclusive_group()
    fields.add_argument(
        '--fields',
        choices=sorted(FIELD_MODES),
        default=UNSET,
        help='fields of cronjob objects: echo (the object table plus delay, username, userAgent and keyword), '
        'no_echo (the object table), examples (only the fields of the reference examples) '
        '(default %s)' % DEFAULT_FIELD_MODE,
    )
    fields.add_argument(
        '--echo-write-only',
        dest='echo_write_only',
        action='store_const',
        const=True,
        default=UNSET,
        help='same as --fields echo',
    )
    fields.add_argument(
        '--no-echo-write-only',
        dest='echo_write_only',
        action='store_const',
        const=False,
        help='same as --fields no_echo',
    )
    parser.add_argument(
        '--paused-status',
        type=int,
        default=UNSET,
        metavar='STATUS',
        help='status a cronjob reports while paused (default %d)' % DEFAULT_PAUSED_STATUS,
    )
    parser.add_argument(
        '--group-lookup-ignores-case',
        action=argparse.BooleanOptionalAction,
        default=UNSET,
        help='group_lookup matches names ignoring case and runs of whitespace',
    )
    parser.add_argument(
        '--keyword-ignores-names',
        action=argparse.BooleanOptionalAction,
        default=UNSET,
        help="cron_list's keyword matches the ID and the URL only, never the name",
    )
    parser.add_argument(
        '--error-status',
        action=argparse.BooleanOptionalAction,
        default=UNSET,
        help='answer error envelopes with a 4xx HTTP status instead of 200',
    )
    parser.add_argument('--tls-cert', metavar='PATH', help='serve HTTPS with this certificate (PEM)')
    parser.add_argument('--tls-key', metavar='PATH', help='private key of --tls-cert (PEM)')
    parser.add_argument('--port-file', metavar='PATH', help='write the port number to PATH once listening')
    parser.add_argument(
        '--timezone', default=DEFAULT_TIMEZONE, help='account time zone (default %s)' % DEFAULT_TIMEZONE
    )
    parser.add_argument('--verbose', action='store_true', help='log every HTTP request to stderr')
    _add_reading_switches(parser)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.rate_limit is not UNSET and args.rate_limit < 0:
        parser.error('--rate-limit must be >= 0')
    if args.retry_after is not UNSET and args.retry_after < 0:
        parser.error('--retry-after must be >= 0')
    if args.paused_status is not UNSET and args.paused_status < 0:
        parser.error('--paused-status must be >= 0')
    if not valid_timezone(args.timezone):
        parser.error('unknown time zone %r' % args.timezone)
    switches = {name: getattr(args, name) for name in SWITCH_OPTIONS}
    try:
        simulator = Simulator(
            host=args.host,
            port=args.port,
            timezone=args.timezone,
            verbose=args.verbose,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            **switches,
        )
    except ValueError as exc:
        parser.error(str(exc))
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
