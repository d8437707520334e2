# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The gate's adaptive pace, and the state folder: private, or shared by user ids of one group."""

from __future__ import annotations

import os
import stat
import tempfile

import pytest

from ansible_collections.fastcron.cloud.plugins.module_utils import gate as gate_module
from ansible_collections.fastcron.cloud.plugins.module_utils.gate import (
    NameLock,
    RateGate,
    StateFolder,
    StateFolderError,
)
from ansible_collections.fastcron.cloud.plugins.modules import fastcron_account_info
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import run_live

OTHER_UID, OTHER_GID = 4242, 4343


class Clock:
    def __init__(self):
        self.now = 5000.0
        self.slept = []

    def sleep(self, seconds):
        self.slept.append(round(seconds, 3))
        self.now += seconds

    def __call__(self):
        return self.now


def take(gate, clock, outcome, retry_after=None):
    """One turn: an answer 0.1 s after the start, accepted or refused."""
    with gate.turn():
        clock.now += 0.1
        if outcome == 'refused':
            gate.refused(retry_after)
        else:
            gate.accepted()


def gate_of(folder, clock, rng=lambda low, high: 1.0):
    return RateGate('k', directory=str(folder), sleep=clock.sleep, clock=clock, rng=rng)


def test_a_refusal_slows_the_pace_and_accepted_answers_restore_it(tmp_path):
    clock = Clock()
    gate = gate_of(tmp_path, clock)
    take(gate, clock, 'accepted')
    take(gate, clock, 'refused')
    take(gate, clock, 'refused')
    assert gate.interval == pytest.approx(gate_module.MAX_REQUEST_INTERVAL)  # 4.08, capped
    waits = []
    for _dummy in range(6):
        before = len(clock.slept)
        take(gate, clock, 'accepted')
        waits.append(clock.slept[before] if len(clock.slept) > before else 0)
    assert waits[0] == pytest.approx(4.0)
    assert waits == sorted(waits, reverse=True)  # the pace comes back with each accepted answer
    assert gate.interval == pytest.approx(gate_module.MIN_REQUEST_INTERVAL)


def test_the_pace_lives_in_the_gate_file_for_the_next_process(tmp_path):
    clock = Clock()
    take(gate_of(tmp_path, clock), clock, 'refused')
    later = gate_of(tmp_path, clock)  # a new task: a new process, a new gate object
    take(later, clock, 'accepted')
    assert clock.slept == [pytest.approx(2.04)]


def test_a_retry_after_holds_the_next_request_and_is_capped(tmp_path):
    clock = Clock()
    gate = gate_of(tmp_path, clock)
    take(gate, clock, 'refused', retry_after=9)
    assert gate.next_wait == pytest.approx(9)
    take(gate, clock, 'accepted')
    assert clock.slept == [pytest.approx(9)]
    take(gate, clock, 'refused', retry_after=3600)
    assert gate.next_wait == gate_module.MAX_HOLD


def test_jitter_spreads_only_the_slowed_part_of_a_wait(tmp_path):
    clock = Clock()
    draws = iter([0.5, 1.5])
    gate = gate_of(tmp_path, clock, rng=lambda low, high: next(draws))
    take(gate, clock, 'refused')  # pace 2.04: 1.02 of base, 1.02 slowed
    take(gate, clock, 'refused')
    take(gate, clock, 'accepted')
    assert clock.slept == [pytest.approx(1.02 + 1.02 * 0.5), pytest.approx(1.02 + 2.98 * 1.5)]  # 4.08 capped at 4


def test_a_gate_file_of_an_earlier_version_is_read(tmp_path):
    clock = Clock()
    gate = gate_of(tmp_path, clock)
    with open(gate.path, 'w') as handle:
        handle.write(repr(clock.now - 0.5))
    take(gate, clock, 'accepted')
    assert clock.slept == [pytest.approx(0.52)]
    with open(gate.path, 'rb') as handle:
        assert len(handle.read()) == gate_module.RECORD_SIZE


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    monkeypatch.delenv('FASTCRON_STATE_DIR', raising=False)
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp_path))
    return tmp_path


def test_the_default_folder_is_private_and_so_are_its_files(private_tmp):
    old = os.umask(0)
    try:
        folder = StateFolder()
        os.close(folder.open('gate-x'))
    finally:
        os.umask(old)
    assert folder.path == str(private_tmp / ('ansible-fastcron-%d' % os.getuid()))
    assert stat.S_IMODE(os.stat(folder.path).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(folder.file_path('gate-x')).st_mode) == 0o600


def test_a_private_folder_replaced_by_a_link_is_refused(private_tmp):
    os.mkdir(str(private_tmp / 'elsewhere'))
    os.symlink(str(private_tmp / 'elsewhere'), str(private_tmp / ('ansible-fastcron-%d' % os.getuid())))
    with pytest.raises(StateFolderError, match='not a folder but a link'):
        StateFolder()


def test_a_shared_folder_is_made_group_shared_and_setgid_with_group_writable_files(tmp_path, monkeypatch):
    path = tmp_path / 'shared'
    monkeypatch.setenv('FASTCRON_STATE_DIR', str(path))
    old = os.umask(0o077)  # a strict umask must not make the files private
    try:
        folder = StateFolder()
        os.close(folder.open('gate-x'))
    finally:
        os.umask(old)
    assert folder.shared
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o2770
    assert stat.S_IMODE(os.stat(str(path / 'gate-x')).st_mode) == 0o660


def test_a_world_writable_folder_without_sticky_bit_is_refused_and_one_with_it_is_used(tmp_path, monkeypatch):
    path = tmp_path / 'open'
    path.mkdir()
    os.chmod(str(path), 0o777)
    monkeypatch.setenv('FASTCRON_STATE_DIR', str(path))
    with pytest.raises(StateFolderError) as caught:
        StateFolder()
    assert str(caught.value).startswith(
        'fastcron.cloud cannot keep its rate gate and locks in FASTCRON_STATE_DIR=%s: '
        'everyone may write in it and it has no sticky bit' % path
    )
    os.chmod(str(path), 0o1777)
    assert StateFolder().path == str(path)


def test_a_module_fails_cleanly_naming_the_setting_when_the_folder_is_unsafe(tmp_path, monkeypatch):
    path = tmp_path / 'open'
    path.mkdir()
    os.chmod(str(path), 0o777)
    monkeypatch.setenv('FASTCRON_STATE_DIR', str(path))
    result = run_live(monkeypatch, fastcron_account_info.main, {'api_url': 'http://127.0.0.1:9/api/v1'})
    assert result['failed'] is True
    assert 'FASTCRON_STATE_DIR=%s' % path in result['msg']
    assert 'exception' not in result


@pytest.mark.parametrize('kind', ['symlink', 'hardlink'])
def test_a_link_planted_in_a_shared_folder_is_never_followed_nor_truncated(tmp_path, kind):
    folder = StateFolder(str(tmp_path / 'shared'))
    victim = tmp_path / 'victim'
    victim.write_text('precious')
    gate = RateGate('k', directory=folder)
    (os.symlink if kind == 'symlink' else os.link)(str(victim), gate.path)
    with pytest.raises(StateFolderError, match='gate-k'), gate.turn():
        pass
    lock = NameLock('k', 'cronjob', 'x', directory=folder)
    (os.symlink if kind == 'symlink' else os.link)(str(victim), lock.path)
    with pytest.raises(StateFolderError, match=lock.name), lock:
        pass
    assert victim.read_text() == 'precious'


def run_as(uid, gid, action):
    """Run ``action()`` in a child process under another user and group id; its exit status and message."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 0
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            action()
            message = 'ok'
        except BaseException as exc:  # pylint: disable=broad-except
            status, message = 1, '%s: %s' % (type(exc).__name__, exc)
        os.write(writer, message.encode('utf-8', 'replace')[:4000])
        os._exit(status)
    os.close(writer)
    with os.fdopen(reader, 'rb') as pipe:
        message = pipe.read().decode('utf-8')
    _dummy, status = os.waitpid(pid, 0)
    return os.WEXITSTATUS(status), message


needs_root = pytest.mark.skipif(
    not hasattr(os, 'getuid') or os.getuid() != 0,
    reason='taking the gate as a second user id needs root to switch ids (os.setuid)',
)


@pytest.fixture
def reachable_folder():
    """A folder that every user id can traverse (tmp_path's parents are private to root)."""
    top = tempfile.mkdtemp(prefix='fastcron-shared-', dir='/tmp')
    os.chmod(top, 0o711)
    yield os.path.join(top, 'state')
    for root, dirs, files in os.walk(top, topdown=False):
        for name in files:
            os.unlink(os.path.join(root, name))
        for name in dirs:
            os.rmdir(os.path.join(root, name))
    os.rmdir(top)


@needs_root
def test_a_container_user_of_another_uid_in_the_group_takes_the_gate_and_the_locks(reachable_folder):
    os.umask(0o022)
    folder = StateFolder(reachable_folder)  # made by this user (root), group root: 2770
    gate = RateGate('k', interval=0.01, directory=folder)
    with gate.turn():
        gate.accepted()

    def in_container():
        mine = StateFolder(reachable_folder)
        theirs = RateGate('k', interval=0.01, directory=mine)
        with theirs.turn():
            theirs.refused()
        with NameLock('k', 'cronjob', 'made by the container', directory=mine):
            pass

    assert run_as(OTHER_UID, 0, in_container) == (0, 'ok')
    made = os.stat(NameLock('k', 'cronjob', 'made by the container', directory=folder).path)
    assert (made.st_uid, made.st_gid, stat.S_IMODE(made.st_mode)) == (OTHER_UID, 0, 0o660)

    def another_container():
        with NameLock('k', 'cronjob', 'made by the container', directory=StateFolder(reachable_folder)):
            pass
        with RateGate('k', interval=0.01, directory=StateFolder(reachable_folder)).turn():
            pass

    assert run_as(OTHER_UID + 1, 0, another_container) == (0, 'ok')
    assert pace_in(folder) == pytest.approx(0.02)  # the container's refusal slowed the shared pace


def pace_in(folder):
    gate = RateGate('k', interval=0.01, directory=folder)
    fd = os.open(gate.path, os.O_RDONLY)
    try:
        return gate._read(fd)[1]  # pylint: disable=protected-access
    finally:
        os.close(fd)


@needs_root
def test_a_user_outside_the_group_is_told_what_to_do(reachable_folder):
    StateFolder(reachable_folder)
    status, message = run_as(OTHER_UID, OTHER_GID, lambda: RateGate('k', directory=StateFolder(reachable_folder)))
    assert status == 1
    assert message.startswith(
        'StateFolderError: fastcron.cloud cannot keep its rate gate and locks in '
        'FASTCRON_STATE_DIR=%s: this user (id %d) may not write in it' % (reachable_folder, OTHER_UID)
    )
