# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switch matrix: the module tests over real HTTP under the simulator's default, then
under each reading the reference leaves open, one switch flipped at a time.

    python tests/simulator/matrix.py [--jobs N] [--xdist N] [--only NAME ...] [--list] [-- PYTEST ARGS]

Each run is ``python -m pytest -m http`` over the module tests of the ``*_live.py`` kind in
tests/unit/plugins/modules/ (or the PYTEST ARGS given after ``--``) with FASTCRON_SIMULATOR_CONFIG
set to that run's switches (unset for the default run), so every simulator the tests start takes
them as its defaults; a test that pins a reading itself (a Simulator argument, /_admin/config
or /_admin/reset) keeps its own.
Runs go ``--jobs`` at a time (default 2). It prints a table run -> passed/failed/seconds,
the failing tests of each failed run, and last a line ``N passed, M failed`` counting runs;
the exit status is 1 when a run failed (a run that collects no test fails too).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@cache
def _collection_tree():
    """(the folder holding ansible_collections/, the collection's folder in it), so that
    ansible_collections.fastcron.cloud imports: the clone itself when it sits at such a path,
    else a link to it in a folder of its own (a clone may live anywhere)."""
    parents = COLLECTION_ROOT.split(os.sep)
    if len(parents) > 3 and parents[-3] == 'ansible_collections':
        return os.sep.join(parents[:-3]), COLLECTION_ROOT
    root = tempfile.mkdtemp(prefix='fastcron-matrix-tree-')
    os.makedirs(os.path.join(root, 'ansible_collections', 'fastcron'))
    link = os.path.join(root, 'ansible_collections', 'fastcron', 'cloud')
    os.symlink(COLLECTION_ROOT, link)
    return root, link


CONFIG_ENV = 'FASTCRON_SIMULATOR_CONFIG'
# Not in the matrix: the controllers test drives whole playbooks through ansible-runner at the
# real rate limit (minutes), and the TLS test is about certificates, not about any reading.
NOT_IN_MATRIX = ('test_controllers_live.py', 'test_live_trust.py')


def _live_tests():
    folder = os.path.join('tests', 'unit', 'plugins', 'modules')
    names = sorted(
        name
        for name in os.listdir(os.path.join(COLLECTION_ROOT, folder))
        if name.endswith('_live.py') and name.startswith('test_') and name not in NOT_IN_MATRIX
    )
    return [os.path.join(folder, name) for name in names]


DEFAULT_PYTEST_ARGS = ['-m', 'http', *_live_tests()]

# One run per reading, each flipped alone (never combined), plus the default.
# page_size: the reference says "up to 1000 per page" and the collection reads 1000 as the
# page size (a shorter page ends a listing, as documented), so the other reading tried here
# is a page that holds more than that: a listing must still end and lose nothing.
RUNS = (
    ('default', None),
    ('batch_order=reverse', {'batch_order': 'reverse'}),
    ('past_last_page=last', {'past_last_page': 'last'}),
    ('page_size=2000', {'page_size': 2000}),
    ('group_items_paged=true', {'group_items_paged': True}),
    ('url_timestamp=true', {'url_timestamp': True}),
    ('timeout_cap=15+cap_mode=refuse', {'timeout_cap': 15, 'cap_mode': 'refuse'}),
    ('timeout_cap=15+cap_mode=clamp', {'timeout_cap': 15, 'cap_mode': 'clamp'}),
    ('null_means=unchanged', {'null_means': 'unchanged'}),
    ('normalise=rewrite', {'normalise': 'rewrite'}),
    ('group_delete=keep_id', {'group_delete': 'keep_id'}),
    ('group_delete=delete', {'group_delete': 'delete'}),
    ('fields=echo', {'fields': 'echo'}),
    ('fields=no_echo', {'fields': 'no_echo'}),
    ('error_status=true', {'error_status': True}),
    ('keyword_ignores_names=true', {'keyword_ignores_names': True}),
    ('group_lookup_ignores_case=true', {'group_lookup_ignores_case': True}),
    ('paused_status=1', {'paused_status': 1}),
)

SUMMARY_RE = re.compile(r'(\d+) (passed|failed|errors?|skipped|deselected|xfailed|xpassed)')


def run_environment(config):
    env = dict(os.environ)
    env.pop(CONFIG_ENV, None)
    if config is not None:
        env[CONFIG_ENV] = json.dumps(config, sort_keys=True)
    env['PYTHONPATH'] = os.pathsep.join(filter(None, (_collection_tree()[0], env.get('PYTHONPATH'))))
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    return env


def run_one(name, config, pytest_args, log_dir):
    """Run pytest once; returns a dict with the run's outcome."""
    log_path = os.path.join(log_dir, re.sub(r'[^A-Za-z0-9_.=+-]', '_', name) + '.log')
    command = [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-rfE', *pytest_args]
    started = time.monotonic()
    with open(log_path, 'w', encoding='utf-8') as log:
        returncode = subprocess.call(
            command,
            cwd=_collection_tree()[1],
            env=run_environment(config),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    seconds = time.monotonic() - started
    with open(log_path, encoding='utf-8', errors='replace') as log:
        output = log.read()
    counts = {}
    last_lines = [line for line in output.splitlines() if SUMMARY_RE.search(line)]
    if last_lines:
        for number, word in SUMMARY_RE.findall(last_lines[-1]):
            counts[word.rstrip('s') if word.startswith('error') else word] = int(number)
    failing = sorted(set(re.findall(r'^(?:FAILED|ERROR) (\S+)', output, re.MULTILINE)))
    return {
        'name': name,
        'config': config,
        'returncode': returncode,
        'seconds': seconds,
        'counts': counts,
        'failing': failing,
        'log': log_path,
        'passed': returncode == 0,
        'no_tests': returncode == 5,
        'tail': output.splitlines()[-15:],
    }


def describe(result):
    counts = result['counts']
    if result['no_tests']:
        return 'no test collected'
    parts = ['%d %s' % (counts[key], key) for key in ('passed', 'failed', 'error', 'skipped') if counts.get(key)]
    return ', '.join(parts) or 'pytest exit status %d' % result['returncode']


def print_table(results, out):
    out.write('\n| run | result | tests | seconds |\n| --- | --- | --- | ---: |\n')
    for result in results:
        out.write(
            '| %s | %s | %s | %.1f |\n'
            % (result['name'], 'passed' if result['passed'] else 'failed', describe(result), result['seconds'])
        )
    for result in results:
        if result['passed']:
            continue
        out.write('\n%s failed (log %s):\n' % (result['name'], result['log']))
        for test in result['failing']:
            out.write('    %s\n' % test)
        if not result['failing']:
            out.write(''.join('    %s\n' % line for line in result['tail']))


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n', 1)[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument('--jobs', type=int, default=2, help='runs at the same time (default 2)')
    parser.add_argument(
        '--xdist', type=int, default=0, metavar='N', help='pytest-xdist workers inside each run (-n N); default none'
    )
    parser.add_argument('--only', action='append', metavar='NAME', help='run only these runs (repeatable)')
    parser.add_argument('--list', action='store_true', help='print the runs and their configuration, and exit')
    parser.add_argument('--log-dir', help='keep the logs of the runs here (default: a temporary folder)')
    parser.add_argument(
        'pytest_args', nargs='*', help='after --: what pytest runs (default: %s)' % ' '.join(DEFAULT_PYTEST_ARGS)
    )
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error('--jobs must be >= 1')
    known = [name for name, dummy in RUNS]
    unknown = sorted(set(args.only or ()) - set(known))
    if unknown:
        parser.error('unknown runs: %s (see --list)' % ', '.join(unknown))
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    runs = [(name, config) for name, config in RUNS if not args.only or name in args.only]
    if args.list:
        for name, config in runs:
            sys.stdout.write('%s\t%s\n' % (name, '(unset)' if config is None else json.dumps(config, sort_keys=True)))
        return 0
    pytest_args = list(args.pytest_args or DEFAULT_PYTEST_ARGS)
    if args.xdist:
        pytest_args = ['-n', str(args.xdist), *pytest_args]
    log_dir = args.log_dir or tempfile.mkdtemp(prefix='fastcron-matrix-')
    os.makedirs(log_dir, exist_ok=True)
    sys.stdout.write(
        'switch matrix: %d runs, %d at a time, pytest %s; logs in %s\n'
        % (len(runs), args.jobs, ' '.join(pytest_args), log_dir)
    )
    sys.stdout.flush()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_one, name, config, pytest_args, log_dir) for name, config in runs]
        results = []
        for future in futures:
            result = future.result()
            results.append(result)
            outcome = 'passed' if result['passed'] else 'failed'
            sys.stdout.write('  %-32s %s (%.1f s)\n' % (result['name'], outcome, result['seconds']))
            sys.stdout.flush()
    print_table(results, sys.stdout)
    passed = sum(1 for result in results if result['passed'])
    sys.stdout.write('\nwhole matrix: %.1f s\n' % (time.monotonic() - started))
    sys.stdout.write('%d passed, %d failed\n' % (passed, len(results) - passed))
    return 0 if passed == len(results) else 1


if __name__ == '__main__':
    sys.exit(main())
