# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The state folder, the rate gate and the name locks shared by processes of one controller.

Ansible runs every task, and every fork, in a process of its own, so what
they share lives in small files under an exclusive lock: the time of the last
answer and the pace of one account (the gate), and one lock per object name.
The folder is private to the user, or the one ``FASTCRON_STATE_DIR`` names,
which controllers running under different user ids may share.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import random
import stat
import tempfile
import time

STATE_DIR_VARIABLE = 'FASTCRON_STATE_DIR'

# The service allows one request per second per account. The gate counts the
# second from the previous answer, so only timer granularity needs a margin.
MIN_REQUEST_INTERVAL = 1.02
# The slowest pace refusals can bring a controller to, in seconds between requests. The service
# takes whichever request comes first a second after the last one, so a controller slowed much
# further would lose nearly every turn to those that were not, until they are done.
MAX_REQUEST_INTERVAL = 4.0
# The longest a Retry-After may hold the next request.
MAX_HOLD = 30.0
# After a refusal the pace halves; each accepted answer adds this many requests a second back
# (from the slowest pace, three answers restore the full one).
PACE_SLOWDOWN = 2.0
PACE_RECOVERY = 0.5
# The share of the slowed part of a wait that is random, so that controllers slowed by the
# same refusals do not come back in step.
PACE_JITTER = 0.5

# One fixed-size record, rewritten in place: the file is never truncated.
RECORD_SIZE = 96
PRIVATE_FILE_MODE = 0o600
SHARED_FILE_MODE = 0o660
SHARED_DIR_MODE = 0o2770


class StateFolderError(Exception):
    """The state folder or one of its files cannot be used safely; the message says why and what to do."""


def _unusable(path, shared, problem):
    where = '%s=%s' % (STATE_DIR_VARIABLE, path) if shared else 'the private state folder %s' % path
    advice = (
        'point %s at a folder the controllers share through a common group' % STATE_DIR_VARIABLE
        if shared
        else 'remove it, or set %s to a folder of your own' % STATE_DIR_VARIABLE
    )
    return StateFolderError(
        'fastcron.cloud cannot keep its rate gate and locks in %s: %s; %s.' % (where, problem, advice)
    )


class StateFolder:
    """Where the gate and lock files live, and how they are opened.

    Without ``FASTCRON_STATE_DIR``: a folder of the user's own (0700, files
    0600) in the temporary directory. With it: a folder shared by every user
    id in its group (made setgid 2770 when missing, files 0660), which must
    not be writable by everyone unless it has the sticky bit.
    """

    def __init__(self, path=None):
        configured = path if path is not None else os.environ.get(STATE_DIR_VARIABLE) or None
        self.shared = configured is not None
        if self.shared:
            self.path = os.path.abspath(configured)
            self._prepare_shared()
        else:
            self.path = os.path.join(tempfile.gettempdir(), 'ansible-fastcron-%d' % os.getuid())
            self._prepare_private()
        self.file_mode = SHARED_FILE_MODE if self.shared else PRIVATE_FILE_MODE

    def _prepare_private(self):
        try:
            os.mkdir(self.path, 0o700)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise _unusable(self.path, False, 'it cannot be made (%s)' % exc.strerror) from None
        info = os.lstat(self.path)
        if not stat.S_ISDIR(info.st_mode):
            raise _unusable(self.path, False, 'it is not a folder but a link or a file')
        if info.st_uid != os.getuid():
            raise _unusable(self.path, False, 'it belongs to user id %d, not to this user' % info.st_uid)
        if info.st_mode & 0o077:
            os.chmod(self.path, 0o700)

    def _prepare_shared(self):
        try:
            os.mkdir(self.path, 0o700)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise _unusable(self.path, True, 'it cannot be made (%s)' % exc.strerror) from None
        else:
            # mkdir ignores the setgid bit and the umask narrows the rest: set them now.
            os.chmod(self.path, SHARED_DIR_MODE)
        try:
            info = os.stat(self.path)
        except OSError as exc:
            raise _unusable(self.path, True, exc.strerror) from None
        if not stat.S_ISDIR(info.st_mode):
            raise _unusable(self.path, True, 'it is not a folder')
        if info.st_mode & stat.S_IWOTH and not info.st_mode & stat.S_ISVTX:
            raise _unusable(
                self.path,
                True,
                'everyone may write in it and it has no sticky bit, so any user could '
                'replace the files of another (chmod o-w or chmod +t)',
            )
        if not os.access(self.path, os.W_OK | os.X_OK):
            raise _unusable(self.path, True, 'this user (id %d) may not write in it' % os.getuid())

    def file_path(self, name):
        return os.path.join(self.path, name)

    def open(self, name):
        """Open (or make) the file ``name`` for reading and writing; never through a link."""
        path = self.file_path(name)
        flags = os.O_RDWR | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_CLOEXEC', 0)
        try:
            try:
                fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, self.file_mode)
                created = True
            except FileExistsError:
                fd = os.open(path, flags)
                created = False
        except OSError as exc:
            problem = (
                '%s is a symbolic link' % name
                if exc.errno == errno.ELOOP
                else '%s cannot be opened (%s)' % (name, exc.strerror)
            )
            raise _unusable(self.path, self.shared, problem) from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                raise _unusable(
                    self.path, self.shared, '%s is not a plain file of its own (a link or a special file)' % name
                )
            if created:
                # The umask may have narrowed the mode; a shared file must be writable by the group.
                os.fchmod(fd, self.file_mode)
        except BaseException:
            os.close(fd)
            raise
        return fd


class RateGate:
    """Spaces the requests of one account across the processes of one controller.

    A request holds the gate's lock from its turn until its answer, which
    queues the others behind it; the next one starts an interval after that
    answer, so no request reaches the service less than an interval after the
    previous one, whatever the latency. The interval is the pace: it doubles
    after a refusal (HTTP 503: another controller shares the account) and
    comes back as answers are accepted. A ``Retry-After`` holds every request
    until the time it names. Inside ``turn()`` the caller reports the outcome
    with ``accepted()`` or ``refused()``.
    """

    def __init__(
        self,
        key,
        interval=MIN_REQUEST_INTERVAL,
        directory=None,
        sleep=time.sleep,
        clock=time.time,
        max_interval=MAX_REQUEST_INTERVAL,
        rng=random.uniform,
        max_hold=MAX_HOLD,
    ):
        self.base = interval
        self.max_interval = max(interval, max_interval)
        self.max_hold = max_hold
        self._sleep = sleep
        self._clock = clock
        self._rng = rng
        self._folder = directory if isinstance(directory, StateFolder) else StateFolder(directory)
        self.name = 'gate-%s' % key
        self.path = self._folder.file_path(self.name)
        self._outcome = None
        # The pace as last seen, and how long the next turn will wait from the last answer.
        self.interval = interval
        self.next_wait = interval

    def accepted(self):
        self._outcome = ('accepted', None)

    def refused(self, retry_after=None):
        self._outcome = ('refused', retry_after)

    @contextlib.contextmanager
    def turn(self):
        """Wait for this account's turn; hold it until the answer has arrived."""
        fd = self._folder.open(self.name)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            last, interval, hold = self._read(fd)
            interval = min(max(interval, self.base), self.max_interval)
            now = self._clock()
            # A stamp or a hold from the future (a clock jump) must not stall us past the longest wait.
            longest = max(self.max_interval * (1 + PACE_JITTER), self.max_hold)
            delay = min(max(last + self._spaced(interval) - now, hold - now), longest)
            if delay > 0:
                self._sleep(delay)
            self._outcome = None
            try:
                yield
            finally:
                now = self._clock()
                interval, hold = self._paced(interval, hold, now)
                self.interval = interval
                # The longest the next turn can wait, jitter included: what a caller's time budget must allow.
                self.next_wait = max(self.base + max(interval - self.base, 0) * (1 + PACE_JITTER), hold - now)
                os.pwrite(fd, self._record(now, interval, hold), 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _spaced(self, interval):
        """The wait from the last answer: the base, and the slowed part with jitter."""
        slowed = interval - self.base
        if slowed <= 0:
            return interval
        return self.base + slowed * self._rng(1 - PACE_JITTER, 1 + PACE_JITTER)

    def _paced(self, interval, hold, now):
        kind, retry_after = self._outcome or (None, None)
        if kind == 'accepted':
            interval = max(self.base, 1.0 / (1.0 / interval + PACE_RECOVERY)) if interval > 0 else interval
        elif kind == 'refused':
            interval = min(self.max_interval, max(interval, self.base) * PACE_SLOWDOWN)
            if retry_after is not None:
                hold = max(hold, now + min(retry_after, self.max_hold))
        return interval, hold

    @staticmethod
    def _record(last, interval, hold):
        return ('v2 %r %r %r' % (last, interval, hold)).ljust(RECORD_SIZE - 1).encode('ascii') + b'\n'

    def _read(self, fd):
        """(last answer, pace, hold): a record of this format, or a bare time from an earlier version."""
        raw = os.pread(fd, RECORD_SIZE, 0).decode('ascii', 'replace').split()
        try:
            if raw and raw[0] == 'v2':
                return float(raw[1]), float(raw[2]), float(raw[3])
            return (float(raw[0]) if raw else 0.0), self.base, 0.0
        except (ValueError, IndexError):
            return 0.0, self.base, 0.0


# Creates of one account are locked by the name's stripe: two tasks creating the same name
# always share a lock, tasks creating other names rarely do, and a batch holds at most this many.
CREATE_LOCK_STRIPES = 64


def create_stripe(name):
    """The create lock that covers ``name`` (see FastCronRun.create_lock in fastcron.py)."""
    return int(hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest(), 16) % CREATE_LOCK_STRIPES


class NameLock:
    """An exclusive lock on one object name of one account, across processes.

    Finding an object by name and creating it when missing must not interleave
    with another process doing the same, or both would create it. Parallel
    forks and concurrent playbooks sharing the state folder queue here instead.
    """

    def __init__(self, key, kind, name, directory=None):
        digest = hashlib.sha256(('%s\n%s' % (kind, name)).encode('utf-8')).hexdigest()[:24]
        self._folder = directory if isinstance(directory, StateFolder) else StateFolder(directory)
        self.name = 'name-%s-%s' % (key, digest)
        self.path = self._folder.file_path(self.name)
        self._fd = None

    def __enter__(self):
        self._fd = self._folder.open(self.name)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc_info):
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def state_directory():
    """The folder of the gate and lock files (made and checked)."""
    return StateFolder().path
