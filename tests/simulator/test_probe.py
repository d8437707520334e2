# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The live probe (tests/live/probe.py) against the simulator, under its default and under each
switch the probe can see: its table must report the reading the switch sets, so it cannot rot."""

import importlib.util
import io
import os
import sys

import pytest
import requests_mock

try:
    from . import fastcron_simulator as fs
except ImportError:  # collected without its package
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import fastcron_simulator as fs  # pylint: disable=import-error

PROBE_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'live', 'probe.py')
_spec = importlib.util.spec_from_file_location('fastcron_live_probe', PROBE_PATH)
probe = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(probe)

pytestmark = pytest.mark.http

TOKEN = fs.DEFAULT_TOKEN

# The switch values of the probe's table under the simulator's default.
DEFAULT_READINGS = {
    'fields': '`fields=examples`',
    'URL is rewritten': '`url_timestamp=false`',
    'form of the service': '`normalise=none`',
    'timeout': '`timeout_cap`: not told (no cap, or a clamp)',
    'null': '`null_means=clear`',
    'group_items': '`group_items_paged=false`',
    'batch': '`batch_order=request`',
    'past the end': '`past_last_page=empty`',
    'error envelope': '`error_status=false`',
    'paused': '`paused_status=5`',
    'group_delete': '`group_delete=ungroup`',
}


def run_probe(simulator, pace='0'):
    out = io.StringIO()
    status = probe.main(['--pace', pace], {probe.TOKEN_ENV: TOKEN, probe.URL_ENV: simulator.url}, out)
    return status, out.getvalue()


def readings(output):
    """question fragment -> switch value, from the probe's table."""
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip().strip('|').split(' | ')]
        if len(cells) != 3 or cells[0] in ('question', '---'):
            continue
        for fragment in DEFAULT_READINGS:
            if fragment in cells[0]:
                rows[fragment] = (cells[1], cells[2])
    return rows


def probe_under(config):
    with fs.Simulator(rate_limit=0, **config) as simulator:
        status, output = run_probe(simulator)
        state = simulator.state()
    assert status == 0, output
    assert (state['crons'], state['groups']) == ([], []), 'the probe left objects behind'
    assert TOKEN not in output
    assert output.rstrip().splitlines()[-1].endswith('left behind: nothing')
    return readings(output), output


def test_default_reading_of_every_question():
    found, output = probe_under({})
    assert {key: value[1] for key, value in found.items()} == DEFAULT_READINGS, output
    assert 'room for 4 cronjobs and 1 group' in output
    assert 'the page size of `cron_list`' in output and "the rate limit's scope" in output


@pytest.mark.parametrize(
    'config, question, expected',
    [
        ({'fields': 'echo'}, 'fields', '`fields=echo`'),
        ({'fields': 'no_echo'}, 'fields', '`fields=no_echo`'),
        ({'fields': 'echo'}, 'timeout', '`timeout_cap=null`'),
        ({'batch_order': 'reverse'}, 'batch', '`batch_order=reverse`'),
        ({'past_last_page': 'last'}, 'past the end', '`past_last_page=last`'),
        ({'group_items_paged': True}, 'group_items', '`group_items_paged=true`'),
        ({'url_timestamp': True}, 'URL is rewritten', '`url_timestamp=true`'),
        ({'timeout_cap': 15, 'cap_mode': 'refuse'}, 'timeout', '`timeout_cap=<cap>`, `cap_mode=refuse`'),
        (
            {'timeout_cap': 15, 'cap_mode': 'clamp', 'fields': 'no_echo'},
            'timeout',
            '`timeout_cap=15`, `cap_mode=clamp`',
        ),
        ({'null_means': 'unchanged'}, 'null', '`null_means=unchanged`'),
        ({'normalise': 'rewrite'}, 'form of the service', '`normalise=rewrite`'),
        ({'normalise': 'rewrite', 'fields': 'echo'}, 'form of the service', '`normalise=rewrite`'),
        ({'fields': 'echo'}, 'form of the service', '`normalise=none`'),
        ({'group_delete': 'keep_id'}, 'group_delete', '`group_delete=keep_id`'),
        ({'group_delete': 'delete'}, 'group_delete', '`group_delete=delete`'),
        ({'error_status': True}, 'error envelope', '`error_status=true`'),
        ({'paused_status': 1}, 'paused', '`paused_status=1`'),
    ],
)
def test_each_switch_is_reported(config, question, expected):
    found, output = probe_under(config)
    assert found[question][1] == expected, output
    # the other readings stay those of the default, except what the switch also shows
    unchanged = {
        key: value
        for key, value in DEFAULT_READINGS.items()
        if key != question and not (config.get('fields') and key in ('fields', 'timeout', 'form of the service'))
    }
    assert {key: found[key][1] for key in unchanged} == unchanged, output


def test_what_the_switches_show_in_the_observed_column():
    found, _dummy = probe_under(
        {'null_means': 'unchanged', 'url_timestamp': True, 'normalise': 'rewrite', 'fields': 'echo'}
    )
    assert '`group: null` kept' in found['null'][0] and '`group: 0` cleared it' in found['null'][0]
    assert '_ts=__timestamp__' in found['URL is rewritten'][0]
    assert 'X-Probe:1' in found['form of the service'][0] and 'POST' in found['form of the service'][0]
    found, _dummy = probe_under({'timeout_cap': 15, 'cap_mode': 'refuse'})
    assert 'refused: code 20' in found['timeout'][0] and '15' in found['timeout'][0]


def test_skipped_without_a_token():
    out = io.StringIO()
    assert probe.main([], {}, out) == 0
    assert out.getvalue() == 'live probe skipped: FASTCRON_LIVE_TOKEN is not set\n'


def test_a_bad_token_stops_it_without_printing_a_token():
    with fs.Simulator(rate_limit=0, tokens=['a' * 32]) as simulator:
        status, output = run_probe(simulator)
        requests_made = simulator.requests()
    assert status == 1
    assert 'the probe stopped: group_add' in output and 'a' * 32 not in output and TOKEN not in output
    assert [entry['function'] for entry in requests_made if entry['write']] == ['group_add']


def test_everything_is_removed_when_questions_fail():
    with fs.Simulator(rate_limit=0) as simulator:
        simulator.add_fault({'kind': '500', 'function': 'cron_batch_add', 'count': 10})
        simulator.add_fault({'kind': 'drop', 'function': 'cron_pause', 'after_processing': True})
        status, output = run_probe(simulator)
        state = simulator.state()
    assert (state['crons'], state['groups']) == ([], []), output
    assert status == 0 and 'could not tell' in output
    found = readings(output)
    assert found['batch'][0].startswith('could not tell') and found['paused'][0].startswith('could not tell')


def test_the_sweep_removes_what_a_lost_answer_hid():
    with fs.Simulator(rate_limit=0) as simulator:
        # the cronjob is made, its answer lost: only the sweep by prefix can find it
        simulator.add_fault({'kind': 'drop', 'function': 'cron_add', 'after_processing': True})
        status, output = run_probe(simulator)
        state = simulator.state()
    assert (state['crons'], state['groups']) == ([], []), output
    assert 'the sweep deleted cronjob' in output and status == 0


def test_a_rate_limit_answer_is_sent_again():
    with fs.Simulator(rate_limit=0, retry_after=0) as simulator:
        simulator.add_fault({'kind': '503', 'function': 'group_add', 'count': 2})
        status, output = run_probe(simulator)
        adds = [entry['http_status'] for entry in simulator.requests() if entry['function'] == 'group_add']
    assert status == 0, output
    assert adds == [503, 503, 200]


def test_requests_are_paced():
    moments = []
    clock = [0.0]

    def answer(request, context):
        moments.append(clock[0])
        return {'status': 'success', 'code': 0, 'data': []}

    api = probe.Api(
        TOKEN,
        'https://fastcron.invalid/api/v1',
        pace=1.05,
        sleep=lambda seconds: clock.__setitem__(0, clock[0] + seconds),
        clock=lambda: clock[0],
    )
    with requests_mock.Mocker() as transport:
        transport.post('https://fastcron.invalid/api/v1/cron_list', json=answer)
        for _dummy in range(3):
            api.call('cron_list')
    assert [round(b - a, 2) for a, b in zip(moments, moments[1:])] == [1.05, 1.05]
    assert probe.DEFAULT_PACE >= 1.05
