"""Page timestamps such as `09:11 GMT02 June 2020` or `12:29 GMT +318 January 2020`.

Scraped pages carry the time the page was captured, run together with the
time zone offset and the day. The day is written with two digits, so in
`GMT +318` the offset is +3 and the day 18.
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}

_STAMP = re.compile(
    r"""^\s*(?:updated:?\s*|published:?\s*)?
    (?P<hour>\d{1,2}):(?P<minute>\d{2})\s*
    (?:(?P<zone>GMT|UTC)\s*(?:(?P<sign>[+-])\s*(?P<offset>\d{1,2}(?=\s)|\d{1,2}?(?=\d{2}\D)))?)?\s*
    ,?\s*(?P<day>\d{2}|\d(?=\s))\s*(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>\d{4})\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_page_stamp(line: str) -> dt.datetime | None:
    """The capture time in a stamp line, or None when the line is not one."""
    m = _STAMP.match(line)
    if not m:
        return None
    month = MONTHS.get(m["month"].lower())
    if month is None:
        return None
    offset_hours = int(m["offset"] or 0) * (-1 if m["sign"] == "-" else 1)
    if abs(offset_hours) > 14:
        return None
    try:
        zone = dt.timezone(dt.timedelta(hours=offset_hours))
        return dt.datetime(int(m["year"]), month, int(m["day"]), int(m["hour"]), int(m["minute"]), tzinfo=zone)
    except ValueError:
        return None


def iso_minutes(moment: dt.datetime) -> str:
    """2020-01-18T12:29+03:00: minutes precision, offset always shown."""
    text = moment.isoformat(timespec="minutes")
    return text if moment.tzinfo else text + "+00:00"
