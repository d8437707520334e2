# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Markers of the unit tests: ``http`` marks a test that talks real HTTP to a local simulator."""

from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line('markers', 'http: talks real HTTP to a local FastCron API simulator (left out by -m "not http")')
