# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Trust under real conditions, over real HTTP against the simulator: TLS with CA-bundle
variables set, errors in 4xx statuses, and concurrent processes creating one name."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import requests

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron, fastcron_group
from ansible_collections.fastcron.cloud.tests.simulator.fastcron_simulator import Simulator
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import TOKEN, admin, no_throttle, run_live

pytestmark = pytest.mark.http  # every test here talks real HTTP to the simulator

COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
COLLECTIONS_PATH = os.path.abspath(os.path.join(COLLECTION_ROOT, '..', '..', '..'))


@pytest.fixture
def fresh(simulator, monkeypatch):
    no_throttle(monkeypatch)
    admin(simulator, '/reset', {'rate_limit': 0, 'error_status': False})
    return simulator


@pytest.fixture(scope='module')
def self_signed(tmp_path_factory):
    directory = tmp_path_factory.mktemp('tls')
    cert, key = str(directory / 'cert.pem'), str(directory / 'key.pem')
    made = subprocess.run(
        [
            'openssl',
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=localhost',
            '-keyout',
            key,
            '-out',
            cert,
        ],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip('openssl cannot make a certificate here')
    return cert, key


@pytest.mark.parametrize('variable', ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'])
def test_validate_certs_false_works_when_a_ca_bundle_variable_is_set(monkeypatch, self_signed, variable):
    no_throttle(monkeypatch)
    # Set as on many controllers and execution environments; requests then ignores Session.verify.
    monkeypatch.delenv('REQUESTS_CA_BUNDLE', raising=False)
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    monkeypatch.setenv(variable, requests.certs.where())
    with Simulator(tokens=[TOKEN], rate_limit=0, tls_cert=self_signed[0], tls_key=self_signed[1]) as secure:
        args = {'name': 'tls', 'api_url': secure.url}
        trusted = run_live(monkeypatch, fastcron_group.main, dict(args, validate_certs=False))
        assert (trusted['failed'], trusted['changed']) == (False, True), trusted.get('msg')
        checked = run_live(monkeypatch, fastcron_group.main, dict(args, name='tls-checked', validate_certs=True))
        assert checked['failed']
        assert 'TLS failure' in checked['msg']
        assert checked['api_function'] == 'group_lookup'


def test_not_found_in_a_404_envelope_is_absence(fresh, monkeypatch):
    admin(fresh, '/reset', {'rate_limit': 0, 'error_status': True})
    result = run_live(monkeypatch, fastcron_cron.main, {'id': 987654, 'state': 'absent', 'api_url': fresh.url})
    assert (result['failed'], result['changed']) == (False, False), result.get('msg')
    result = run_live(monkeypatch, fastcron_cron.main, {'id': 987654, 'timeout': 60, 'api_url': fresh.url})
    assert result['failed']
    assert 'No cronjob has the id 987654' in result['msg']
    result = run_live(monkeypatch, fastcron_group.main, {'id': 987654, 'state': 'absent', 'api_url': fresh.url})
    assert (result['failed'], result['changed']) == (False, False), result.get('msg')


@pytest.mark.parametrize('error_status', [False, True])
def test_api_errors_name_function_code_and_message_in_any_status(fresh, monkeypatch, error_status):
    admin(fresh, '/reset', {'rate_limit': 0, 'error_status': error_status})
    args = {'name': 'bad', 'url': 'https://x.test', 'expression': 'whenever', 'api_url': fresh.url}
    result = run_live(monkeypatch, fastcron_cron.main, args)
    assert (result['failed'], result['changed']) == (True, False)
    assert (result['api_function'], result['api_code']) == ('cron_add', 20)
    assert "Invalid value for parameter 'expression'" in result['msg']
    wrong = run_live(monkeypatch, fastcron_group.main, {'name': 'x', 'api_url': fresh.url, 'api_token': 'W' * 32})
    assert (wrong['api_function'], wrong['api_code']) == ('group_lookup', 11)
    assert 'W' * 32 not in json.dumps(wrong)


@pytest.mark.parametrize(
    'fault', [{'kind': 'drop', 'after_processing': True}, {'kind': '502', 'after_processing': True}]
)
def test_a_resent_delete_answered_with_a_404_envelope_succeeds(fresh, monkeypatch, fault):
    admin(fresh, '/reset', {'rate_limit': 0, 'error_status': True})
    admin(fresh, '/seed', {'crons': [{'name': 'gone', 'url': 'https://x.test'}]})
    admin(fresh, '/faults', dict(fault, function='cron_delete'))
    result = run_live(monkeypatch, fastcron_cron.main, {'name': 'gone', 'state': 'absent', 'api_url': fresh.url})
    assert (result['failed'], result['changed']) == (False, True), result.get('msg')
    log = [(entry['function'], entry['http_status']) for entry in admin(fresh, '/requests')]
    assert ('cron_delete', 404) in log
    assert admin(fresh, '/state')['crons'] == []


def _run_module_process(module, args, env):
    """Start the module as Ansible does: a process of its own reading its arguments from a file."""
    path = os.path.join(env['TMPDIR'], 'args-%d.json' % len(os.listdir(env['TMPDIR'])))
    with open(path, 'w') as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': args}, handle)
    return subprocess.Popen(
        [sys.executable, module.__file__, path], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


@pytest.mark.parametrize('module, name_of', [(fastcron_cron, 'crons'), (fastcron_group, 'groups')])
def test_concurrent_processes_create_one_object_not_several(fresh, tmp_path, module, name_of):
    # As a play over several hosts that each delegate the same task to the controller.
    env = dict(
        os.environ, TMPDIR=str(tmp_path), PYTHONPATH=COLLECTIONS_PATH + os.pathsep + os.environ.get('PYTHONPATH', '')
    )
    args = {'name': 'shared', 'api_token': TOKEN, 'api_url': fresh.url, 'api_retries': 0}
    if module is fastcron_cron:
        args['url'] = 'https://x.test/shared'
    workers = [_run_module_process(module, args, env) for dummy in range(5)]
    results = [json.loads(worker.communicate(timeout=60)[0]) for worker in workers]
    assert [result.get('failed', False) for result in results] == [False] * 5, results
    assert sorted(result['changed'] for result in results) == [False] * 4 + [True]
    assert [item['name'] for item in admin(fresh, '/state')[name_of]] == ['shared']
