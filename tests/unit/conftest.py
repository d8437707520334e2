# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Markers of the unit tests: ``http`` marks a test that talks real HTTP to a local simulator."""

from __future__ import annotations

import pytest

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
