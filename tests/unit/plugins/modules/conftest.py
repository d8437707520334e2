# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs a module's main() against scripted API answers and records what it sent."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests_mock
from ansible.module_utils import basic

from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import TOKEN, no_throttle, run_live

API_URL = 'https://api.example.test/api/v1'


class ScriptedApi:
    """Answers calls in the order they are scripted and fails on any other call.

    ``answer`` is the requests-mock callback of every POST: it checks the token, records the call
    and gives the next scripted answer as an API envelope, or raises its exception (no answer at all).
    """

    def __init__(self, script):
        self.script = list(script)
        self.calls = []

    def answer(self, request, context):
        assert request.url.startswith(API_URL + '/'), request.url
        function = urlsplit(request.url).path.rsplit('/', 1)[1]
        body = request.json()
        assert body.pop('token') == TOKEN
        assert request.headers['Authorization'] == 'Bearer ' + TOKEN
        self.calls.append((function, body))
        assert self.script, 'unexpected call %s %r' % (function, body)
        expected, answer = self.script.pop(0)
        assert function == expected, 'called %s, expected %s' % (function, expected)
        if isinstance(answer, Exception):  # no answer at all
            raise answer
        context.status_code = 200
        if isinstance(answer, tuple):  # (code, message): an error envelope
            return {'status': 'error', 'code': answer[0], 'message': answer[1]}
        return {'status': 'success', 'code': 0, 'data': answer}

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
def run_module(monkeypatch, transport):
    """run_module(main, args, script) -> (result, api); raises nothing, result has 'failed'."""
    no_throttle(monkeypatch)

    def run(main, args, script=(), check_mode=False, diff=True):
        api = ScriptedApi(script)
        transport.post(requests_mock.ANY, json=api.answer)
        result = run_live(monkeypatch, main, dict({'api_url': API_URL}, **args), check_mode, diff)
        assert not api.script, 'scripted calls not made: %r' % api.script
        return result, api

    return run
