# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The expression engine: read a cronjob ``expression`` and list its next run times.

The reference accepts four kinds of expression:

- a 5-field crontab ``minute hour day month weekday`` (weekday 1-7 is Monday-Sunday),
  with ``*``, ``*/n``, lists, ranges, stepped ranges, month and weekday names
  (``JAN``-``DEC``, ``MON``-``SUN``, any case), ``L`` (last day of the month) in the day
  field and ``R`` / ``Rn`` / ``R,list`` / ``Rn,list`` (random picks) in the minute and
  hour fields;
- an English time expression, read like PHP's ``strtotime`` relative to the previous run:
  ``10 seconds``, ``5 minutes``, ``1 day 17:05``, ``1 month 17:05``,
  ``2 weeks Friday 17:05``, ``first day of next month 17:05``, ``next Friday 7:05 PM``,
  ``every Friday``...;
- a one-time date: ``Oct 16, 2024 07:50 PM``, ``June 04, 2025 8:15 AM``,
  ``16 October 2024 19:50``, ``2025-06-04 08:15``;
- ``manual`` (runs only when triggered).

Everything here raises ``ValueError`` with a reason; the API turns it into an error
envelope naming the parameter.
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

# ---------------------------------------------------------------------------
# time zones


@functools.cache
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


def _to_stamp(local, tz):
    """Unix time of a naive local datetime in tz."""
    return int(local.replace(tzinfo=tz).timestamp())


def _to_local(stamp, tz):
    """Naive local datetime of a Unix time in tz."""
    return datetime.datetime.fromtimestamp(stamp, tz).replace(tzinfo=None)


def normalise_expression(value):
    """Collapse runs of whitespace to one space and strip (the simulator's normalisation)."""
    return ' '.join(value.split())


# ---------------------------------------------------------------------------
# crontab

CRON_FIELDS = (('minute', 0, 59), ('hour', 0, 23), ('day', 1, 31), ('month', 1, 12), ('weekday', 1, 7))
CRON_MONTH_NAMES = ('jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec')
CRON_WEEKDAY_NAMES = ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')
CRON_NAMES = {3: CRON_MONTH_NAMES, 4: CRON_WEEKDAY_NAMES}
# The minute and hour fields of a crontab look like this (an English expression's do not).
CRON_LEADING_RE = re.compile(r'[0-9*/,\-R]+')
CRON_TOKEN_RE = re.compile(r'[0-9*/,\-LR]+')
CRON_ITEM_RE = re.compile(r'(\*|([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?)(?:/([0-9]+))?')
CRON_RANDOM_RE = re.compile(r'R([0-9]*)(?:,(.+))?')
CRON_SEARCH_DAYS = 366 * 5


def looks_like_crontab(expression):
    """Five fields, no time of day, and minute and hour fields made of crontab characters."""
    parts = expression.split(' ')
    return len(parts) == 5 and ':' not in expression and all(CRON_LEADING_RE.fullmatch(part) for part in parts[:2])


def _cron_number(token, index):
    name = CRON_FIELDS[index][0]
    if re.fullmatch(r'[0-9]+', token):
        return int(token)
    names = CRON_NAMES.get(index)
    if names and token.lower() in names:
        return names.index(token.lower()) + 1
    if names:
        raise ValueError("%s field: '%s' is neither a number nor a name like %s" % (name, token, names[0].upper()))
    raise ValueError("%s field: invalid value '%s'" % (name, token))


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
            start = _cron_number(match.group(2), index)
            end = _cron_number(match.group(3), index) if match.group(3) is not None else start
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


class Crontab:
    """A 5-field crontab expression.

    ``R`` picks one random value of the field, ``Rn`` picks n values, ``R,<list>`` and
    ``Rn,<list>`` pick from the list. The picks are fixed by ``seed`` (the cronjob id).
    """

    kind = 'crontab'

    def __init__(self, expression, seed=None):
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
                pool = (
                    sorted(_parse_cron_values(match.group(2), index)[0])
                    if match.group(2)
                    else list(range(low, high + 1))
                )
                if not 1 <= count <= len(pool):
                    raise ValueError("%s field: cannot pick %d random values in '%s'" % (name, count, text))
                chooser = random.Random('%s:%d:%s' % (seed, index, text))
                fields.append(set(chooser.sample(pool, count)))
                continue
            values, is_last = _parse_cron_values(text, index)
            last_day = last_day or is_last
            fields.append(values)
        self.minutes = sorted(fields[0])
        self.hours = sorted(fields[1])
        self.days = fields[2]
        self.last_day = last_day
        self.months = fields[3]
        self.weekdays = fields[4]
        self.day_star = parts[2].startswith('*')
        self.weekday_star = parts[4].startswith('*')

    def day_matches(self, day):
        """The crontab day rule: when both day and weekday are restricted, either match runs it."""
        if day.month not in self.months:
            return False
        day_ok = day.day in self.days or (self.last_day and day.day == calendar.monthrange(day.year, day.month)[1])
        weekday_ok = day.isoweekday() in self.weekdays
        if self.day_star or self.weekday_star:
            return day_ok and weekday_ok
        return day_ok or weekday_ok

    def next_runs(self, tz, now, limit=MAX_NEXT_RUNS):
        """Walk day by day (at most 5 years) and list the matching minutes of each day."""
        result = []
        day = datetime.datetime.fromtimestamp(now, tz).date()
        for _dummy in range(CRON_SEARCH_DAYS):
            if self.day_matches(day):
                for hour in self.hours:
                    for minute in self.minutes:
                        stamp = _to_stamp(datetime.datetime(day.year, day.month, day.day, hour, minute), tz)
                        if stamp > now and (not result or stamp > result[-1]):
                            result.append(stamp)
                if len(result) >= limit:
                    return result[:limit]
            day += datetime.timedelta(days=1)
        return result


# ---------------------------------------------------------------------------
# English time expressions and dates (a strtotime-like reading)

EN_UNITS = {
    'sec': ('second', 1),
    'secs': ('second', 1),
    'second': ('second', 1),
    'seconds': ('second', 1),
    'min': ('minute', 1),
    'mins': ('minute', 1),
    'minute': ('minute', 1),
    'minutes': ('minute', 1),
    'hour': ('hour', 1),
    'hours': ('hour', 1),
    'day': ('day', 1),
    'days': ('day', 1),
    'week': ('week', 1),
    'weeks': ('week', 1),
    'fortnight': ('week', 2),
    'fortnights': ('week', 2),
    'month': ('month', 1),
    'months': ('month', 1),
    'year': ('year', 1),
    'years': ('year', 1),
}
UNIT_SECONDS = {'second': 1, 'minute': 60, 'hour': 3600}
DATE_UNITS = ('year', 'month', 'week', 'day')
EN_MONTHS = {}
for _number, _name in enumerate(
    (
        'january',
        'february',
        'march',
        'april',
        'may',
        'june',
        'july',
        'august',
        'september',
        'october',
        'november',
        'december',
    ),
    1,
):
    EN_MONTHS[_name] = EN_MONTHS[_name[:3]] = _number
EN_MONTHS['sept'] = 9
EN_WEEKDAYS = {}
for _number, _name in enumerate(('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'), 1):
    EN_WEEKDAYS[_name] = EN_WEEKDAYS[_name[:3]] = _number
EN_WEEKDAYS.update({'tues': 2, 'thur': 4, 'thurs': 4})
EN_NUMBER_RE = re.compile(r'\+?[0-9]+')
EN_TIME_RE = re.compile(r'([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?')
EN_DAY_RE = re.compile(r'([0-9]{1,2})(?:st|nd|rd|th)?')
EN_YEAR_RE = re.compile(r'[0-9]{4}')
EN_ISO_DATE_RE = re.compile(r'([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})')
EN_MERIDIEMS = ('am', 'pm')
# A fixed Monday 00:00 UTC from which a recurring expression must move forward in time.
PROGRESS_BASE = 1704067200
PROGRESS_STEPS = 4
UNREADABLE = (
    "not a crontab expression, an English time expression like '5 minutes' or 'next Friday 17:05', a date or 'manual'"
)


def _tokens(text):
    text = text.lower().replace(',', ' ')
    text = re.sub(r'([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})t(?=[0-9])', r'\1 ', text)
    text = re.sub(r'(?<=[0-9])(am|pm)\b', r' \1', text)
    return text.split()


def _clock(hour, minute, second, meridiem=None):
    """(hour, minute, second) of a time of day, 24-hour or 12-hour with am/pm."""
    if meridiem is not None:
        if not 1 <= hour <= 12:
            raise ValueError('invalid 12-hour time %d:%02d %s' % (hour, minute, meridiem.upper()))
        hour = hour % 12 + (12 if meridiem == 'pm' else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError('invalid time of day %02d:%02d' % (hour, minute))
    return hour, minute, second


class _EnglishReader:
    """Reads the tokens of an English expression into its parts."""

    def __init__(self, text):
        self.tokens = _tokens(text)
        self.pos = 0
        self.every = False
        self.relative = dict.fromkeys(('year', 'month', 'week', 'day', 'hour', 'minute', 'second'), 0)
        self.time = None
        self.midnight = False
        self.weekday = None
        self.weekday_next = False
        self.day_of = None
        self.date = None

    def peek(self, offset=0):
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def read(self):
        if not self.tokens:
            raise ValueError('the expression is empty')
        while self.pos < len(self.tokens):
            self._item()
        return self

    def _set(self, attribute, value, what):
        if getattr(self, attribute) is not None:
            raise ValueError('more than one %s' % what)
        setattr(self, attribute, value)

    def _meridiem(self):
        if self.peek() in EN_MERIDIEMS:
            self.pos += 1
            return self.tokens[self.pos - 1]
        return None

    def _item(self):
        token, following, third = self.peek(), self.peek(1), self.peek(2)
        self.pos += 1
        if token == 'every' and self.pos == 1:
            self.every = True
        elif token == 'next' and following in EN_WEEKDAYS:
            self.pos += 1
            self._set('weekday', EN_WEEKDAYS[following], 'weekday')
            self.weekday_next = True
        elif token == 'next' and following in EN_UNITS:
            self.pos += 1
            unit, factor = EN_UNITS[following]
            self.relative[unit] += factor
        elif token in ('first', 'last') and following == 'day' and third == 'of':
            self.pos += 2
            self._set('day_of', token, "'first/last day of'")
            self._month_offset()
        elif token in EN_WEEKDAYS:
            self._set('weekday', EN_WEEKDAYS[token], 'weekday')
        elif token == 'tomorrow':
            self.relative['day'] += 1
            self.midnight = True
        elif token in ('noon', 'midnight'):
            self._set('time', (12, 0, 0) if token == 'noon' else (0, 0, 0), 'time of day')
        elif EN_TIME_RE.fullmatch(token):
            hour, minute, second = EN_TIME_RE.fullmatch(token).groups()
            self._set('time', _clock(int(hour), int(minute), int(second or 0), self._meridiem()), 'time of day')
        elif EN_NUMBER_RE.fullmatch(token):
            self._number(token, following)
        elif token in EN_MONTHS:
            day = EN_DAY_RE.fullmatch(following or '')
            if not day or not EN_YEAR_RE.fullmatch(self.peek(1) or ''):
                raise ValueError("a date needs a day and a 4-digit year after '%s'" % token)
            self.pos += 2
            self._set('date', _date(int(self.tokens[self.pos - 1]), EN_MONTHS[token], int(day.group(1))), 'date')
        elif EN_ISO_DATE_RE.fullmatch(token):
            year, _dummy, month, day = EN_ISO_DATE_RE.fullmatch(token).groups()
            self._set('date', _date(int(year), int(month), int(day)), 'date')
        else:
            raise ValueError("cannot read '%s': %s" % (token, UNREADABLE))

    def _number(self, token, following):
        if following in EN_UNITS:
            self.pos += 1
            unit, factor = EN_UNITS[following]
            self.relative[unit] += int(token) * factor
        elif token.isdigit() and following in EN_MERIDIEMS:
            self.pos += 1
            self._set('time', _clock(int(token), 0, 0, following), 'time of day')
        elif token.isdigit() and following in EN_MONTHS and EN_YEAR_RE.fullmatch(self.peek(1) or ''):
            self.pos += 2
            self._set('date', _date(int(self.tokens[self.pos - 1]), EN_MONTHS[following], int(token)), 'date')
        else:
            raise ValueError("cannot read the number '%s': a unit like 'minutes' or 'days' must follow" % token)

    def _month_offset(self):
        """After 'first day of' / 'last day of': 'next month' or 'N months'."""
        token, following = self.peek(), self.peek(1)
        if token == 'next' and following == 'month':
            self.relative['month'] += 1
        elif token and EN_NUMBER_RE.fullmatch(token) and following in ('month', 'months'):
            self.relative['month'] += int(token)
        else:
            raise ValueError("'first day of' and 'last day of' need 'next month' or 'N months' after them")
        self.pos += 2


def _date(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueError('invalid date: %s' % exc) from None


class OneTime:
    """A date (and time): runs once."""

    kind = 'once'

    def __init__(self, date, time_of_day):
        hour, minute, second = time_of_day or (0, 0, 0)
        self.when = datetime.datetime(date.year, date.month, date.day, hour, minute, second)

    def next_runs(self, tz, now, limit=MAX_NEXT_RUNS):
        stamp = _to_stamp(self.when, tz)
        return [stamp] if stamp > now and limit > 0 else []


class Recurring:
    """An English time expression: each run is the expression applied to the previous run."""

    kind = 'english'

    def __init__(self, reader):
        self.relative = dict(reader.relative)
        self.time = reader.time
        self.midnight = reader.midnight
        self.weekday = reader.weekday
        # a bare weekday ('every Friday', 'Friday 17:05') repeats every week
        self.weekday_next = reader.weekday_next or (
            reader.weekday is not None and reader.day_of is None and not any(self.relative[unit] for unit in DATE_UNITS)
        )
        self.day_of = reader.day_of
        self.seconds = sum(self.relative[unit] * factor for unit, factor in UNIT_SECONDS.items())
        self.pure_seconds = (
            self.time is None
            and not self.midnight
            and self.weekday is None
            and self.day_of is None
            and not any(self.relative[unit] for unit in DATE_UNITS)
        )

    def apply(self, local):
        """The naive local datetime the expression gives from ``local`` (without sub-day units)."""
        if self.time is not None:
            hour, minute, second = self.time
        elif self.midnight or self.weekday is not None:
            hour = minute = second = 0
        else:
            hour, minute, second = local.hour, local.minute, local.second
        months = local.year * 12 + local.month - 1 + 12 * self.relative['year'] + self.relative['month']
        year, month = divmod(months, 12)
        month += 1
        if self.day_of == 'first':
            day = 1
        elif self.day_of == 'last':
            day = calendar.monthrange(year, month)[1]
        else:
            day = local.day
        # like strtotime, a day past the end of the month runs over into the next one
        date = datetime.date(year, month, 1) + datetime.timedelta(
            days=day - 1 + self.relative['day'] + 7 * self.relative['week']
        )
        if self.weekday is not None:
            ahead = (self.weekday - date.isoweekday()) % 7
            if ahead == 0 and self.weekday_next:
                ahead = 7
            date += datetime.timedelta(days=ahead)
        return datetime.datetime(date.year, date.month, date.day, hour, minute, second)

    def step(self, stamp, tz):
        """The run after the one at Unix time ``stamp``."""
        if self.pure_seconds:
            return stamp + self.seconds
        return _to_stamp(self.apply(_to_local(stamp, tz)), tz) + self.seconds

    def check_progress(self):
        """Refuse an expression that does not move forward in time (like '17:05' or '1 hour 17:05')."""
        stamp = PROGRESS_BASE
        for _dummy in range(PROGRESS_STEPS):
            try:
                later = self.step(stamp, datetime.timezone.utc)
            except (ValueError, OverflowError):
                raise ValueError('the interval is too long') from None
            if later <= stamp:
                raise ValueError('the expression does not move forward in time')
            stamp = later

    def next_runs(self, tz, now, limit=MAX_NEXT_RUNS):
        """Apply the expression again and again from the start of the current minute."""
        result = []
        stamp = int(now) - int(now) % 60
        for _dummy in range(limit + 100):
            try:
                later = self.step(stamp, tz)
            except (ValueError, OverflowError):
                break
            if later <= stamp:
                break
            stamp = later
            if stamp > now:
                result.append(stamp)
                if len(result) >= limit:
                    break
        return result


class Manual:
    """'manual': runs only when triggered."""

    kind = 'manual'

    def next_runs(self, tz, now, limit=MAX_NEXT_RUNS):
        return []


def _read_english(expression):
    reader = _EnglishReader(expression).read()
    has_relative = any(reader.relative.values())
    if reader.date is not None:
        if reader.every or has_relative or reader.midnight or reader.weekday is not None or reader.day_of is not None:
            raise ValueError('a one-time date takes only a time of day, not an interval or a weekday')
        return OneTime(reader.date, reader.time)
    if not has_relative and reader.weekday is None:
        raise ValueError("an English expression needs an interval like '5 minutes' or a weekday like 'next Friday'")
    schedule = Recurring(reader)
    schedule.check_progress()
    return schedule


def parse_expression(expression, seed=None):
    """Classify and validate a normalised expression; raise ValueError with a reason.

    Returns a schedule with ``kind`` ('crontab', 'english', 'once' or 'manual') and
    ``next_runs(tz, now, limit)``.
    """
    if not expression:
        raise ValueError('the expression is empty')
    if expression.lower() == 'manual':
        return Manual()
    if looks_like_crontab(expression):
        return Crontab(expression, seed)
    parts = expression.split(' ')
    if len(parts) > 2 and all(CRON_TOKEN_RE.fullmatch(part) for part in parts):
        raise ValueError('a crontab expression has 5 fields, not %d' % len(parts))
    return _read_english(expression)


def next_runs(expression, timezone, now, seed=None, limit=MAX_NEXT_RUNS):
    """Up to ``limit`` next Unix run times of an expression after ``now``."""
    return parse_expression(expression, seed).next_runs(get_tzinfo(timezone), int(now), limit)


def duration_end(text, now):
    """Unix time ``text`` (like '15 minutes', '1 hour', '1 day') after ``now``; ValueError if it is not a duration."""
    reader = _EnglishReader(text).read()
    others = (reader.every, reader.time, reader.midnight, reader.weekday, reader.day_of, reader.date)
    if any(value not in (None, False) for value in others) or not any(reader.relative.values()):
        raise ValueError('a duration like "15 minutes", "1 hour" or "1 day" is required')
    end = Recurring(reader).step(int(now), datetime.timezone.utc)
    if end <= now:
        raise ValueError('the duration must be positive')
    return end + (now - int(now))
