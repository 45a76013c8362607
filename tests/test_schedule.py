"""The digest schedule: which local day is due, across midnight, DST changes and downtime."""
import datetime as dt

import pytest

from bot.schedule import DailySchedule, due_date, next_occurrence, occurrence

UTC = dt.timezone.utc


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


TOKYO_8 = DailySchedule.parse("08:00", "Asia/Tokyo")  # UTC+9, no DST
NEW_YORK_0230 = DailySchedule.parse("02:30", "America/New_York")
NEW_YORK_0130 = DailySchedule.parse("01:30", "America/New_York")


def test_nothing_is_due_before_the_time_of_day():
    # 07:59 in Tokyo on 10 March; yesterday's digest already went out.
    assert due_date(TOKYO_8, utc(2026, 3, 9, 22, 59), last_sent=day("2026-03-09")) is None


def test_due_at_the_time_of_day_in_the_subscribers_zone():
    assert due_date(TOKYO_8, utc(2026, 3, 9, 23, 0), last_sent=day("2026-03-09")) == day("2026-03-10")


def test_a_day_already_sent_is_not_due_again():
    assert due_date(TOKYO_8, utc(2026, 3, 10, 5, 0), last_sent=day("2026-03-10")) is None


def test_the_local_date_is_the_subscribers_not_utcs():
    # 23:30 UTC on 9 March is already 08:30 on 10 March in Tokyo.
    assert due_date(TOKYO_8, utc(2026, 3, 9, 23, 30), last_sent=None) == day("2026-03-10")


def test_after_downtime_only_the_most_recent_missed_day_is_caught_up():
    # Last digest on the 1st; the bot comes back on the 10th at 07:00 Tokyo time.
    now = utc(2026, 3, 9, 22, 0)
    assert due_date(TOKYO_8, now, last_sent=day("2026-03-01")) == day("2026-03-09")
    # Once that one is recorded, nothing else is due until 08:00.
    assert due_date(TOKYO_8, now, last_sent=day("2026-03-09")) is None


def test_a_new_subscription_waits_for_the_next_time_of_day():
    subscribed = utc(2026, 3, 10, 1, 0)  # 10:00 in Tokyo, after today's 08:00
    assert due_date(TOKYO_8, utc(2026, 3, 10, 2, 0), None, not_before=subscribed) is None
    assert due_date(TOKYO_8, utc(2026, 3, 10, 23, 0), None, not_before=subscribed) == day("2026-03-11")


def test_a_time_skipped_by_spring_forward_posts_at_the_first_instant_after_the_gap():
    # New York, 8 March 2026: clocks jump from 02:00 EST to 03:00 EDT, so 02:30 does not exist.
    assert occurrence(NEW_YORK_0230, day("2026-03-08")) == utc(2026, 3, 8, 7, 0)  # 03:00 EDT
    assert due_date(NEW_YORK_0230, utc(2026, 3, 8, 6, 59), day("2026-03-07")) is None
    assert due_date(NEW_YORK_0230, utc(2026, 3, 8, 7, 0), day("2026-03-07")) == day("2026-03-08")
    # The day after, 02:30 exists again, in EDT.
    assert occurrence(NEW_YORK_0230, day("2026-03-09")) == utc(2026, 3, 9, 6, 30)


def test_an_ambiguous_fall_back_time_posts_once_at_its_first_occurrence():
    # New York, 1 November 2026: 01:30 happens twice (EDT, then EST an hour later).
    first, second = utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 6, 30)
    assert occurrence(NEW_YORK_0130, day("2026-11-01")) == first
    assert due_date(NEW_YORK_0130, first, day("2026-10-31")) == day("2026-11-01")
    assert due_date(NEW_YORK_0130, second, day("2026-11-01")) is None


def test_times_around_a_dst_change_keep_their_wall_clock_time():
    london = DailySchedule.parse("08:00", "Europe/London")
    assert occurrence(london, day("2026-03-28")) == utc(2026, 3, 28, 8, 0)  # GMT
    assert occurrence(london, day("2026-03-29")) == utc(2026, 3, 29, 7, 0)  # BST


def test_exactly_one_digest_per_local_day_minute_by_minute_over_dst_weeks():
    """Simulate a loop ticking every minute over both 2026 US changes: one post per day."""
    for schedule, start in ((NEW_YORK_0230, utc(2026, 3, 6)), (NEW_YORK_0130, utc(2026, 10, 30))):
        last_sent, posted = None, []
        now = start
        while now < start + dt.timedelta(days=5):
            due = due_date(schedule, now, last_sent, not_before=start)
            if due is not None:
                posted.append(due)
                last_sent = due
            now += dt.timedelta(minutes=1)
        days = [start.date() + dt.timedelta(days=n) for n in range(5)]
        if occurrence(schedule, start.date()) < start:
            days = days[1:]
        assert posted == days


def test_next_occurrence_skips_a_day_already_sent():
    now = utc(2026, 3, 10, 0, 0)  # 09:00 in Tokyo
    assert next_occurrence(TOKYO_8, now) == utc(2026, 3, 10, 23, 0)
    assert next_occurrence(TOKYO_8, utc(2026, 3, 9, 22, 0), last_sent=day("2026-03-10")) == utc(2026, 3, 10, 23, 0)


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        due_date(TOKYO_8, dt.datetime(2026, 3, 10, 8, 0), None)
