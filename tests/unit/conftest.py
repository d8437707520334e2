# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Markers and fixtures of the unit tests: ``http`` marks a test that talks real HTTP to a local simulator;
``transport`` fakes requests' transport for the tests that do not."""

from __future__ import annotations

import pytest
import requests_mock

from ansible_collections.fastcron.cloud.tests.simulator.fastcron_simulator import DEFAULT_TOKEN, Simulator


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'http: talks real HTTP to a local FastCron API simulator (left out by -m "not http")'
    )


@pytest.fixture(scope='module')
def simulator():
    """The way to run the simulator in a test: one of the test module's own, on a free port, without its
    rate limit (the tests reset it), accepting its default token. Mark the tests that use it ``http``."""
    with Simulator(tokens=[DEFAULT_TOKEN], rate_limit=0) as running:
        yield running


@pytest.fixture
def transport():
    """requests' transport, faked by requests-mock for one test: register answers on it
    (``transport.post(url, [...])``); ``transport.request_history`` holds what was sent, with its
    ``timeout`` and ``verify``. Nothing reaches the network: a request no registered answer matches
    raises requests-mock's NoMockAddress."""
    with requests_mock.Mocker() as mocker:
        yield mocker
