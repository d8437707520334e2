# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switch matrix runner: one run per switch value flipped alone, each seen by the simulators it starts."""

import json
import os
import sys

import pytest

try:
    from . import fastcron_simulator as fs
    from . import matrix
except ImportError:  # collected without its package
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import fastcron_simulator as fs  # pylint: disable=import-error
    import matrix  # pylint: disable=import-error


def test_every_switch_is_flipped_alone_once():
    flipped = [config for name, config in matrix.RUNS if config is not None]
    assert matrix.RUNS[0] == ('default', None)
    keys = {key for config in flipped for key in config}
    assert set(fs.SWITCH_DEFAULTS) <= keys
    assert {'fields', 'error_status', 'keyword_ignores_names', 'group_lookup_ignores_case', 'paused_status'} <= keys
    for config in flipped:
        # one reading per run: the cap mode comes only with a cap that makes it matter
        assert len(config) == 1 or set(config) == {'timeout_cap', 'cap_mode'}
        fs.effective_config(dict(config))  # every value is one the simulator takes
    assert {config.get('fields') for config in flipped} >= {'echo', 'no_echo'}
    assert len({name for name, dummy in matrix.RUNS}) == len(matrix.RUNS)


PROBE_TEST = '''
import json, os

def test_sees_its_configuration():
    text = os.environ.get('FASTCRON_SIMULATOR_CONFIG')
    config = json.loads(text) if text else None
    assert config in (None, {"batch_order": "reverse"})
    assert config is None, "fails under the flipped switch"
'''


def test_runs_report_each_outcome_and_the_count_line(tmp_path, capsys):
    probe = tmp_path / 'test_probe_env.py'
    probe.write_text(PROBE_TEST)
    status = matrix.main(
        ['--only', 'default', '--only', 'batch_order=reverse', '--log-dir', str(tmp_path / 'logs'), '--', str(probe)]
    )
    out = capsys.readouterr().out
    assert status == 1
    assert '| default | passed | 1 passed |' in out
    assert '| batch_order=reverse | failed | 1 failed |' in out
    assert 'test_probe_env.py::test_sees_its_configuration' in out
    assert out.rstrip().splitlines()[-1] == '1 passed, 1 failed'


def test_a_run_that_collects_nothing_fails(tmp_path, capsys):
    empty = tmp_path / 'test_nothing.py'
    empty.write_text('')
    assert matrix.main(['--only', 'default', '--log-dir', str(tmp_path), '--', str(empty)]) == 1
    out = capsys.readouterr().out
    assert 'no test collected' in out and out.rstrip().endswith('0 passed, 1 failed')


def test_list_and_unknown_runs(capsys):
    assert matrix.main(['--list']) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(matrix.RUNS)
    assert lines[1] == 'batch_order=reverse\t' + json.dumps({'batch_order': 'reverse'})
    with pytest.raises(SystemExit):
        matrix.main(['--only', 'page_count=3'])
