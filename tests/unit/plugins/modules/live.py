# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs a module's main() in this process against the local simulator, over real HTTP."""

from __future__ import annotations

import contextlib
import json
import urllib.request

from ansible.module_utils import basic

from ansible_collections.fastcron.cloud.plugins.module_utils import client as client_module
from ansible_collections.fastcron.cloud.tests.simulator.fastcron_simulator import DEFAULT_TOKEN

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19

    @contextlib.contextmanager
    def patch_module_args(args):
        old = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode()
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = old


# The simulator's default token: the one the simulator fixture (tests/unit/conftest.py) accepts.
TOKEN = DEFAULT_TOKEN


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super().__init__(result.get('msg'))
        self.result = result
        self.failed = failed


def admin(simulator, path, body=None, method=None):
    """Call the simulator's admin surface; returns the decoded answer."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        simulator.admin_url + path,
        data=data,
        method=method or ('POST' if data else 'GET'),
        headers={'Content-Type': 'application/json'},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def no_throttle(monkeypatch):
    """No gate and no backoff: the simulator runs without its rate limit in these tests."""
    monkeypatch.setattr(client_module.RateGate, 'turn', lambda self: contextlib.nullcontext())
    monkeypatch.setattr(client_module.FastCronClient, '_backoff', lambda self, *args: 0)


def run_live(monkeypatch, main, args, check_mode=False, diff=True):
    """Run ``main`` with ``args``; returns the result dict with ``failed`` set."""

    def exit_json(module, **result):
        raise ModuleExit(result, False)

    def fail_json(module, **result):
        raise ModuleExit(result, True)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    full_args = dict(api_token=TOKEN, _ansible_check_mode=check_mode, _ansible_diff=diff)
    full_args.update(args)
    with patch_module_args(full_args):
        try:
            main()
        except ModuleExit as caught:
            return dict(caught.result, failed=caught.failed)
    raise AssertionError('the module neither exited nor failed')
