"""When a daily digest is due: pure functions over a wall-clock time, an IANA zone and "now".

A digest belongs to one calendar day of the subscriber (its `local_date`). It is
due once the scheduled instant of that day has passed, and only the most recent
such day counts: after a long downtime the bot catches up one digest, not a
backlog. Daylight-saving rules come from zoneinfo:

- spring forward: a wall time that does not exist that day (02:30 when clocks
  jump from 02:00 to 03:00) falls on the first instant after the gap (03:00);
- fall back: a wall time that happens twice that day is the first occurrence;
  keying digests by local date means the second one never posts again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc


@dataclass(frozen=True, slots=True)
class DailySchedule:
    post_time: dt.time  # wall-clock time, naive
    zone: ZoneInfo

    @classmethod
    def parse(cls, post_time: str, timezone: str) -> "DailySchedule":
        hour, minute = (int(part) for part in post_time.split(":"))
        return cls(dt.time(hour, minute), ZoneInfo(timezone))


def _exists(wall: dt.datetime, zone: ZoneInfo) -> bool:
    """False for a wall time inside a spring-forward gap."""
    there_and_back = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    return there_and_back.replace(tzinfo=None) == wall


def occurrence(schedule: DailySchedule, local_date: dt.date) -> dt.datetime:
    """The instant (aware, UTC) the digest of `local_date` is due."""
    wall = dt.datetime.combine(local_date, schedule.post_time)
    if _exists(wall, schedule.zone):
        # fold=0 is the earlier of two readings of an ambiguous (fall-back) wall time.
        return wall.replace(tzinfo=schedule.zone, fold=0).astimezone(UTC)
    return _end_of_gap(wall, schedule.zone)


def _end_of_gap(wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The first instant whose wall time is later than `wall`, a time skipped by a spring-forward gap."""
    # Read with the offset after the jump the wall time lands before the gap; with the
    # offset before the jump, after it. The transition instant lies in between.
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if low > high:
        low, high = high, low
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def due_date(schedule: DailySchedule, now: dt.datetime, last_sent: dt.date | None,
             not_before: dt.datetime | None = None) -> dt.date | None:
    """The local date whose digest should be posted now, or None.

    `now` is an aware instant; `last_sent` the latest local date already posted
    (or claimed); `not_before` the instant the subscription started, so that
    subscribing at 10:00 to an 08:00 digest waits for tomorrow.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    today = now.astimezone(schedule.zone).date()
    candidate = today if occurrence(schedule, today) <= now else today - dt.timedelta(days=1)
    if last_sent is not None and candidate <= last_sent:
        return None
    if not_before is not None and occurrence(schedule, candidate) < not_before:
        return None
    return candidate


def next_occurrence(schedule: DailySchedule, now: dt.datetime, last_sent: dt.date | None = None) -> dt.datetime:
    """The next instant after `now` a digest will go out (for telling users when to expect it)."""
    day = now.astimezone(schedule.zone).date() - dt.timedelta(days=1)
    while True:
        at = occurrence(schedule, day)
        if at > now and (last_sent is None or day > last_sent):
            return at
        day += dt.timedelta(days=1)
