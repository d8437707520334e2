# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs a module's main() against scripted API answers and records what it sent."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils import basic

from ansible_collections.fastcron.cloud.plugins.module_utils import client as client_module
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import TOKEN, no_throttle, run_live


class Response:
    def __init__(self, envelope):
        self.status_code = 200
        self.text = json.dumps(envelope)
        self.headers = {}

    def json(self):
        return json.loads(self.text)


class ScriptedApi:
    """Answers calls in the order they are scripted and fails on any other call."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []
        self.headers = {}
        self.verify = True

    def post(self, url, json=None, timeout=None, verify=None):  # pylint: disable=redefined-outer-name
        function = url.rsplit('/', 1)[1]
        body = dict(json)
        assert body.pop('token') == TOKEN
        assert self.headers['Authorization'] == 'Bearer ' + TOKEN
        self.calls.append((function, body))
        assert self.script, 'unexpected call %s %r' % (function, body)
        expected, answer = self.script.pop(0)
        assert function == expected, 'called %s, expected %s' % (function, expected)
        if isinstance(answer, Exception):  # no answer at all
            raise answer
        if isinstance(answer, tuple):  # (code, message): an error envelope
            return Response({'status': 'error', 'code': answer[0], 'message': answer[1]})
        return Response({'status': 'success', 'code': 0, 'data': answer})

    @property
    def functions(self):
        return [function for function, dummy in self.calls]


@pytest.fixture
def warned(monkeypatch):
    """The warnings the module gives in this test, in order."""
    said = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda module, warning: said.append(warning))
    return said


@pytest.fixture
def run_module(monkeypatch):
    """run_module(main, args, script) -> (result, api); raises nothing, result has 'failed'."""
    no_throttle(monkeypatch)

    def run(main, args, script=(), check_mode=False, diff=True):
        api = ScriptedApi(script)
        monkeypatch.setattr(client_module.requests, 'Session', lambda: api)

        result = run_live(
            monkeypatch, main, dict({'api_url': 'https://api.example.test/api/v1'}, **args), check_mode, diff
        )
        assert not api.script, 'scripted calls not made: %r' % api.script
        return result, api

    return run
