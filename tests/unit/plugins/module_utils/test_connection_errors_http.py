# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A mistyped api_url, as a user meets it: each message names the cause, the attempts and the time."""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest

from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron_info
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import run_live

pytestmark = pytest.mark.http

ATTEMPTS = re.compile(r'\((\d+) attempts? in (\d+\.\d) s\)')


@pytest.fixture(autouse=True)
def own_state_folder(tmp_path, monkeypatch):
    monkeypatch.setenv('FASTCRON_STATE_DIR', str(tmp_path / 'state'))


def run_task(monkeypatch, api_url, **options):
    started = time.monotonic()
    result = run_live(monkeypatch, fastcron_cron_info.main, dict(options, api_url=api_url, name='nightly'))
    elapsed = time.monotonic() - started
    assert result['failed'] is True
    attempts, spent = ATTEMPTS.search(result['msg']).groups()
    return result['msg'], int(attempts), float(spent), elapsed


def test_an_unknown_host_fails_at_the_first_attempt(monkeypatch):
    message, attempts, _spent, elapsed = run_task(monkeypatch, 'https://api.fastcron.invalid/api/v1')
    assert 'the host name api.fastcron.invalid does not exist (DNS: ' in message
    assert 'no retry fixes a wrong name' in message
    assert attempts == 1
    assert elapsed < 20


def test_a_closed_port_gets_short_retries_and_fails_within_twenty_seconds(monkeypatch):
    with socket.socket() as closed:
        # Bound but not listening: connections are refused, and no other test can take the port meanwhile.
        closed.bind(('127.0.0.1', 0))
        port = closed.getsockname()[1]
        message, attempts, spent, elapsed = run_task(monkeypatch, 'http://127.0.0.1:%d/api/v1' % port)
    assert 'connection refused by 127.0.0.1:%d: nothing accepts connections there' % port in message
    assert 'api_retries (5) used up' in message
    assert attempts == 6
    assert spent <= elapsed + 0.05 and elapsed < 20  # spent is rounded to 0.1 s


def test_a_socket_that_accepts_but_never_answers_times_out_naming_api_timeout(monkeypatch):
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    accepted = []
    stop = threading.Event()

    def accept_and_keep_silent():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_keep_silent, daemon=True)
    thread.start()
    try:
        message, attempts, spent, elapsed = run_task(
            monkeypatch, 'http://127.0.0.1:%d/api/v1' % port, api_timeout=3, api_retries=1
        )
    finally:
        stop.set()
        thread.join(5)
        for connection in accepted:
            connection.close()
        listener.close()
    assert 'no answer from 127.0.0.1:%d within 3 s (api_timeout)' % port in message
    assert attempts == 2
    assert 6 <= spent <= elapsed + 0.05
