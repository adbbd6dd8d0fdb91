"""When an announcement should go out, read from the words people type before its text.

Accepted: '09:00' (today), '내일 09:00' / 'tomorrow 09:00', '12-31 09:00' (this year, or
next if that has passed) and '2026-12-31 09:00'. Text that starts like a date or a time
but is none of these is an error, never an announcement to send now.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.places import Place
from bot.services.daily import parse_hhmm

DAY_WORDS = {"오늘": 0, "today": 0, "내일": 1, "tomorrow": 1, "모레": 2}
_TIME_LIKE = re.compile(r"^\d{0,2}:\d*$")
_DATE_LIKE = re.compile(r"^\d{1,4}[-/]\d{1,2}(?:[-/]\d{1,2})?$")


class When(enum.Enum):
    NOW = "now"  # no date or time in front: send the text now
    AT = "at"  # a time in the future
    BAD = "bad"  # it starts like a date or a time, but is not one
    PAST = "past"  # a date and time that has passed
    PAST_TODAY = "past_today"  # a bare time of day that has passed today


@dataclass(frozen=True, slots=True)
class Schedule:
    when: When
    body: str
    due: datetime | None = None
    typed: str = ""  # the date and time words as typed, for the error


def read_schedule(text: str, now: datetime, place: Place) -> Schedule:
    words = text.split(maxsplit=2)
    if not words:
        return Schedule(When.NOW, "")
    first = words[0]
    today = place.local(now).date()
    if _TIME_LIKE.match(first):
        return _at(today, first, " ".join(words[1:]), now, place, first, bare=True)
    if len(words) < 2:
        if _DATE_LIKE.match(first):
            return Schedule(When.BAD, "", typed=first)
        return Schedule(When.NOW, text.strip())
    second, body = words[1], (words[2] if len(words) > 2 else "")
    typed = f"{first} {second}"
    offset = DAY_WORDS.get(first.lower())
    if offset is not None:
        if not _TIME_LIKE.match(second):
            return Schedule(When.NOW, text.strip())  # '내일 모의고사 있어요' is a message
        day = today + timedelta(days=offset)
        return _at(day, second, body, now, place, typed, bare=offset == 0)
    if not _DATE_LIKE.match(first):
        return Schedule(When.NOW, text.strip())
    parts = [int(p) for p in re.split(r"[-/]", first)]
    at = parse_hhmm(second)
    if at is None:
        return Schedule(When.BAD, "", typed=typed)
    if len(parts) == 3:
        day_ = _date(parts[0], parts[1], parts[2])
        if day_ is None:
            return Schedule(When.BAD, "", typed=typed)
        return _at(day_, second, body, now, place, typed)
    this_year = _date(today.year, *parts)
    if this_year is None:
        return Schedule(When.BAD, "", typed=typed)
    if _combine(this_year, at, place) <= now:
        next_year = _date(today.year + 1, *parts)
        if next_year is None:  # 02-29 with no leap day next year
            return Schedule(When.BAD, "", typed=typed)
        this_year = next_year
    return _at(this_year, second, body, now, place, typed)


def _at(
    day: date | None,
    clock: str,
    body: str,
    now: datetime,
    place: Place,
    typed: str,
    *,
    bare: bool = False,
) -> Schedule:
    at = parse_hhmm(clock)
    if day is None or at is None:
        return Schedule(When.BAD, "", typed=typed)
    due = _combine(day, at, place)
    if due <= now:
        return Schedule(When.PAST_TODAY if bare else When.PAST, body.strip(), due, typed)
    return Schedule(When.AT, body.strip(), due, typed)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _combine(day: date, at: time, place: Place) -> datetime:
    return datetime.combine(day, at, place.zone)
