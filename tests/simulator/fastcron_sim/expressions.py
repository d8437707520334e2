# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The expression engine: read a cronjob ``expression`` and list its next run times.

Accepted: a 5-field crontab (weekday 1-7 Mon-Sun, ``L`` in the day field, ``R``/``Rn``/
``R,list`` in minute and hour), an interval (``5 minutes``, ``1 hour``, ``2 days``,
``1 day 17:05``, ``next Friday 17:05``), a date (``2026-12-31 23:59``) or ``manual``.
Everything here raises ``ValueError`` with a reason.
"""

import calendar
import datetime
import functools
import random
import re

try:
    import zoneinfo
except ImportError:  # Python without zoneinfo: fall back to a name-shape check
    zoneinfo = None

from .common import MAX_NEXT_RUNS


CRON_FIELDS = (('minute', 0, 59), ('hour', 0, 23), ('day', 1, 31), ('month', 1, 12), ('weekday', 1, 7))
CRON_TOKEN_RE = re.compile(r'[0-9*/,\-LR]+')
CRON_ITEM_RE = re.compile(r'(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?')
CRON_RANDOM_RE = re.compile(r'R(\d*)(?:,(.+))?')
INTERVAL_UNITS = {
    'minute': 60, 'minutes': 60, 'hour': 3600, 'hours': 3600,
    'day': 86400, 'days': 86400, 'week': 604800, 'weeks': 604800,
}
WEEKDAYS = ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')
EN_INTERVAL_RE = re.compile(r'(?:every )?(\d+) (minutes?|hours?|days?|weeks?)(?: (\d{1,2}):(\d{2}))?', re.IGNORECASE)
EN_WEEKDAY_RE = re.compile(r'(?:next |every )?(%s)(?: (\d{1,2}):(\d{2}))?' % '|'.join(WEEKDAYS), re.IGNORECASE)
EN_DATE_RE = re.compile(r'(\d{4})-(\d{2})-(\d{2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?')


@functools.lru_cache(maxsize=None)
def _zone_names():
    if zoneinfo is None:
        return frozenset()
    try:
        return frozenset(zoneinfo.available_timezones())
    except (OSError, ValueError):
        return frozenset()


def valid_timezone(name):
    """True when name is a known IANA time zone."""
    if not isinstance(name, str) or not name:
        return False
    names = _zone_names()
    if names:
        return name in names
    return name == 'UTC' or re.fullmatch(r'[A-Z][A-Za-z_+-]*(/[A-Za-z0-9_+-]+){1,2}', name) is not None


def get_tzinfo(name):
    """A tzinfo for name, UTC when it cannot be loaded."""
    if zoneinfo is not None:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return datetime.timezone.utc


# ---------------------------------------------------------------------------
# expressions

def _parse_cron_values(text, index):
    """Set of values of a crontab list without R; also whether L (last day) is in it."""
    name, low, high = CRON_FIELDS[index]
    values = set()
    last_day = False
    for item in text.split(','):
        if item == 'L' and index == 2:
            last_day = True
            continue
        match = CRON_ITEM_RE.fullmatch(item)
        if not match:
            raise ValueError("%s field: invalid item '%s'" % (name, item))
        if match.group(1) == '*':
            start, end = low, high
        else:
            start = int(match.group(2))
            end = int(match.group(3)) if match.group(3) is not None else start
            if match.group(4) is not None and match.group(3) is None:
                raise ValueError("%s field: a step needs '*' or a range in '%s'" % (name, item))
        step = int(match.group(4)) if match.group(4) is not None else 1
        for number in (start, end):
            if not low <= number <= high:
                raise ValueError('%s field: value %d out of range %d-%d' % (name, number, low, high))
        if start > end:
            raise ValueError("%s field: range '%s' is reversed" % (name, item))
        if step < 1:
            raise ValueError("%s field: step must be at least 1 in '%s'" % (name, item))
        values.update(range(start, end + 1, step))
    return values, last_day


def parse_crontab(expression, seed=None):
    """Parse a 5-field crontab; raise ValueError naming the bad field.

    ``R`` picks one random value of the field, ``Rn`` picks n values, ``R,<list>`` and
    ``Rn,<list>`` pick from the list. The picks are fixed by ``seed`` (the cronjob id).
    """
    parts = expression.split(' ')
    if len(parts) != 5:
        raise ValueError('a crontab expression has 5 fields')
    fields = []
    last_day = False
    for index, text in enumerate(parts):
        name, low, high = CRON_FIELDS[index]
        if text.startswith('R'):
            if index > 1:
                raise ValueError('%s field: R is allowed only in the minute and hour fields' % name)
            match = CRON_RANDOM_RE.fullmatch(text)
            if not match:
                raise ValueError("%s field: invalid random item '%s'" % (name, text))
            count = int(match.group(1)) if match.group(1) else 1
            pool = sorted(_parse_cron_values(match.group(2), index)[0]) if match.group(2) else list(range(low, high + 1))
            if not 1 <= count <= len(pool):
                raise ValueError("%s field: cannot pick %d random values in '%s'" % (name, count, text))
            chooser = random.Random('%s:%d:%s' % (seed, index, text))
            fields.append(set(chooser.sample(pool, count)))
            continue
        values, is_last = _parse_cron_values(text, index)
        last_day = last_day or is_last
        fields.append(values)
    return {
        'minutes': sorted(fields[0]),
        'hours': sorted(fields[1]),
        'days': fields[2],
        'last_day': last_day,
        'months': fields[3],
        'weekdays': fields[4],
        'day_star': parts[2].startswith('*'),
        'weekday_star': parts[4].startswith('*'),
    }


def _check_hour_minute(hour, minute):
    if hour is None:
        return 0, 0
    hour, minute = int(hour), int(minute)
    if hour > 23 or minute > 59:
        raise ValueError('invalid time of day %02d:%02d' % (hour, minute))
    return hour, minute


def parse_expression(expression, seed=None):
    """Classify and validate an expression; raise ValueError with a reason.

    Returns a tuple: ('cron', fields), ('interval', seconds, time_of_day or None),
    ('weekly', iso_weekday, (hour, minute)), ('once', datetime_naive) or ('manual',).
    """
    parts = expression.split(' ')
    if len(parts) == 5 and all(CRON_TOKEN_RE.fullmatch(part) for part in parts):
        return ('cron', parse_crontab(expression, seed))
    if expression.lower() == 'manual':
        return ('manual',)
    match = EN_INTERVAL_RE.fullmatch(expression)
    if match:
        count = int(match.group(1))
        unit = match.group(2).lower()
        if count < 1:
            raise ValueError('the interval must be at least 1 %s' % unit.rstrip('s'))
        time_of_day = None
        if match.group(3) is not None:
            if unit.startswith(('minute', 'hour')):
                raise ValueError('a time of day is allowed only with days or weeks')
            time_of_day = _check_hour_minute(match.group(3), match.group(4))
        return ('interval', count * INTERVAL_UNITS[unit], time_of_day)
    match = EN_WEEKDAY_RE.fullmatch(expression)
    if match:
        weekday = WEEKDAYS.index(match.group(1).lower()) + 1
        return ('weekly', weekday, _check_hour_minute(match.group(2), match.group(3)))
    match = EN_DATE_RE.fullmatch(expression)
    if match:
        numbers = [int(group) if group is not None else 0 for group in match.groups()]
        try:
            when = datetime.datetime(*numbers)
        except ValueError as exc:
            raise ValueError('invalid date: %s' % exc) from None
        return ('once', when)
    raise ValueError("not a crontab expression, an English interval, a date or 'manual'")


def normalise_expression(value):
    """Collapse runs of whitespace to one space and strip (the simulator's normalisation)."""
    return ' '.join(value.split())


def _local_ts(tz, day, hour, minute):
    return int(datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).timestamp())


def _day_matches(fields, day):
    """The crontab day rule: when both day and weekday are restricted, either match runs it."""
    if day.month not in fields['months']:
        return False
    day_ok = day.day in fields['days'] or (fields['last_day'] and day.day == calendar.monthrange(day.year, day.month)[1])
    weekday_ok = day.isoweekday() in fields['weekdays']
    if fields['day_star'] or fields['weekday_star']:
        return day_ok and weekday_ok
    return day_ok or weekday_ok


def _cron_next(fields, tz, now, limit):
    """Walk day by day (at most 5 years) and list the matching minutes of each day."""
    result = []
    day = datetime.datetime.fromtimestamp(now, tz).date()
    for dummy in range(366 * 5):  # pylint: disable=unused-variable
        if _day_matches(fields, day):
            for hour in fields['hours']:
                for minute in fields['minutes']:
                    stamp = _local_ts(tz, day, hour, minute)
                    if stamp > now and (not result or stamp > result[-1]):
                        result.append(stamp)
            if len(result) >= limit:
                return result[:limit]
        day += datetime.timedelta(days=1)
    return result


def _daily_next(tz, now, first_day, step_days, hour, minute, limit):
    result = []
    day = first_day
    while len(result) < limit:
        stamp = _local_ts(tz, day, hour, minute)
        if stamp > now and (not result or stamp > result[-1]):
            result.append(stamp)
        day += datetime.timedelta(days=step_days)
    return result


def next_runs(expression, timezone, now, seed=None, limit=MAX_NEXT_RUNS):
    """Up to ``limit`` next Unix run times of an expression after ``now``."""
    kind = parse_expression(expression, seed)
    tz = get_tzinfo(timezone)
    now = int(now)
    today = datetime.datetime.fromtimestamp(now, tz).date()
    if kind[0] == 'cron':
        return _cron_next(kind[1], tz, now, limit)
    if kind[0] == 'manual':
        return []
    if kind[0] == 'once':
        when = kind[1]
        stamp = int(datetime.datetime(when.year, when.month, when.day, when.hour, when.minute, when.second, tzinfo=tz).timestamp())
        return [stamp] if stamp > now else []
    if kind[0] == 'weekly':
        weekday, (hour, minute) = kind[1], kind[2]
        first = today + datetime.timedelta(days=(weekday - today.isoweekday()) % 7)
        return _daily_next(tz, now, first, 7, hour, minute, limit)
    seconds, time_of_day = kind[1], kind[2]
    if time_of_day is None:
        base = now - now % 60
        return [base + seconds * step for step in range(1, limit + 1)]
    return _daily_next(tz, now, today, seconds // 86400, time_of_day[0], time_of_day[1], limit)
