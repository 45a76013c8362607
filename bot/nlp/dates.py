"""Date mentions in article sentences, normalised to ISO 8601 with X for unknowns.

One combined regular expression finds candidate mentions in a sentence; the
rule that matched turns the text into a value. Relative expressions ("today",
"Tuesday", "last year") and year-less dates ("December 15") are resolved only
against a trusted `Doc.anchor`; without one, whatever the text does not fix
stays X, because a confident wrong year is worse than XXXX.

Values follow TimeML habits: `1956-10-19`, `2013-04`, `XXXX-12-15`, `1998-W02`
(ISO week), `XXXX-WXX-2` (a Tuesday, 1 = Monday), `1989-Q3`, `1998-SU`,
`199X` (a decade), ranges `START/END`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Callable

from .dates_tense import FUTURE, PAST, tense_around
from .types import DateMention, Doc

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "several": None, "few": None, "a few": None,
}
HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
            "new year's day": (1, 1), "new year's eve": (12, 31), "independence day": (7, 4)}


def _thanksgiving(year: int) -> dt.date:
    """The fourth Thursday of November (United States)."""
    first = dt.date(year, 11, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)


def _election_day(year: int) -> dt.date:
    """The Tuesday after the first Monday of November (United States)."""
    first = dt.date(year, 11, 1)
    return first + dt.timedelta(days=(0 - first.weekday()) % 7 + 1)


MOVABLE_HOLIDAYS = {"thanksgiving": _thanksgiving, "thanksgiving day": _thanksgiving, "election day": _election_day}

# A bare number followed by one of these counts things; it is not a year.
COUNT_NOUNS = frozenset(
    """people persons troops soldiers men women children workers members residents employees
    civilians refugees delegates votes seats jobs cases deaths dead units cars vehicles tanks planes
    aircraft ships shares dollars euros yen rubles roubles pounds francs marks yuan won rupees tons
    tonnes barrels miles kilometers kilometres km meters metres feet foot acres hectares square
    points percent per kg kilograms degrees hours hrs gmt utc est edt pst bst times pages
    words copies students companies firms banks homes houses islands islanders prisoners
    inhabitants visitors tourists fans signatures head strong yards metric""".split()
)
# Words before a bare number that make it a quantity, not a year.
QUANTITY_CUES = frozenset(
    """about around some nearly almost over under than roughly approximately least most only
    another additional extra all total numbered number no. no nos #""".split()
)
# Words just before a capitalised month name that show it is a date, not a
# first name (June, April, August) or the modal verb (May).
MONTH_CUES = frozenset(
    """in on of since by until till before after during from to through throughout early late mid
    last next this that the each every and or between around for as end beginning middle start""".split()
)
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.|Sept\b)")
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d\w])"
_YEAR = r"(?:1\d{3}|20\d{2})(?![\d\w])"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MOD = r"(?:(?:[Ee]arly|[Ll]ate|[Mm]id|(?:[Tt]he\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half)\s+of)(?:\s+|-))"
_NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|several|a\s+few)"
_QUARTER = r"(?:[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth)"
_WORD = re.compile(r"[A-Za-z'-]+")
_YEAR_IN = re.compile(r"\b(?:1\d{3}|20\d{2})\b")


@dataclass(slots=True)
class _Context:
    anchor: dt.date | None
    sentence: str
    # The last year the text itself named, for "the following year".
    ref_year: int | None = None


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: str
    handler: Callable[[re.Match, _Context], str | None]
    needs: str  # the kind of word a sentence must contain for this rule to be tried


# ---------------------------------------------------------------- value helpers
def _month_of(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _day_of(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _ym(year: int | None, month: int) -> str:
    return f"{year:04d}-{month:02d}" if year else f"XXXX-{month:02d}"


def _ymd(year: int | None, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"XXXX-{month:02d}-{day:02d}"


def _tense(ctx: _Context, start: int, end: int) -> str | None:
    return tense_around(ctx.sentence, start, end)


# A past-tense date a few days after the anchor (or a future one a few days
# before it) is a slip of time zones or copy dates, not a year away.
_TENSE_TOLERANCE_DAYS = 7


def _year_for(month: int, day: int | None, ctx: _Context, start: int, end: int) -> int | None:
    """The year of a year-less month (and day) from the anchor and the tense,
    the nearest occurrence when the tense says nothing; None without anchor."""
    a = ctx.anchor
    if a is None:
        return None
    candidates = []
    for year in (a.year - 1, a.year, a.year + 1):
        try:
            when = dt.date(year, month, day or 15)
        except ValueError:  # 29 February
            when = dt.date(year, month, 28)
        if not day and month == a.month and year == a.year:
            when = a  # "in March" said in March
        candidates.append(((when - a).days, year))
    tense = _tense(ctx, start, end)
    if tense == PAST:
        fits = [c for c in candidates if c[0] <= _TENSE_TOLERANCE_DAYS]
    elif tense == FUTURE:
        fits = [c for c in candidates if c[0] >= -_TENSE_TOLERANCE_DAYS]
    else:
        fits = candidates
    return min(fits, key=lambda c: (abs(c[0]), c[0]))[1]


def _weekday_value(wd: int, ctx: _Context, start: int, end: int, which: str | None = None) -> str:
    if ctx.anchor is None:
        return f"XXXX-WXX-{wd}"
    a = ctx.anchor
    today = a.isoweekday()
    direction = which or _tense(ctx, start, end) or PAST
    if direction in (PAST, "last"):
        back = (today - wd) % 7
        if which == "last" and back == 0:
            back = 7
        return (a - dt.timedelta(days=back)).isoformat()
    ahead = (wd - today) % 7
    if which == "next" and ahead == 0:
        ahead = 7
    return (a + dt.timedelta(days=ahead)).isoformat()


def _iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _shift_month(d: dt.date, months: int) -> tuple[int, int]:
    n = d.year * 12 + d.month - 1 + months
    return n // 12, n % 12 + 1


# ---------------------------------------------------------------- handlers
def _h_iso(m: re.Match, ctx: _Context) -> str | None:
    y, mo, d = int(m["y"]), int(m["mo"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _h_md_range(m: re.Match, ctx: _Context) -> str | None:
    month = _month_of(m["mon"])
    d1, d2 = _day_of(m["d1"]), _day_of(m["d2"])
    if d2 <= d1 or d2 > _DAYS_IN_MONTH[month]:
        return None
    year = int(m["y"]) if m["y"] else _year_for(month, d1, ctx, m.start(), m.end())
    return f"{_ymd(year, month, d1)}/{_ymd(year, month, d2)}"


def _h_mdy(m: re.Match, ctx: _Context) -> str | None:
    month = _month_of(m["mon"])
    day = _day_of(m["d"])
    if day > _DAYS_IN_MONTH[month]:
        return None  # "February 30" is no date
    if m["y"]:
        return _ymd(int(m["y"]), month, day)
    return _ymd(_year_for(month, day, ctx, m.start(), m.end()), month, day)


def _h_my(m: re.Match, ctx: _Context) -> str | None:
    return _ym(int(m["y"]), _month_of(m["mon"]))


_NAMED_AFTER_MONTH = re.compile(r"\s+(?:of\s+(?:the\s+)?[A-Z]|Day\b)")


def _h_month(m: re.Match, ctx: _Context) -> str | None:
    word = m["mon"]
    s = ctx.sentence
    prev = _WORD.findall(s[max(0, m.start() - 20):m.start()])
    prev_word = prev[-1] if prev else ""
    nxt = _WORD.match(s[m.end():].lstrip())
    next_word = nxt.group() if nxt else ""
    has_mod = bool(m["mod"])
    if not has_mod:
        at_start = _at_sentence_start(s, m.start())
        if prev_word and prev_word.lower() not in MONTH_CUES:
            if prev_word[0].isupper() or word in ("May", "March"):
                return None  # "Theresa May", "Prime Minister ... May", "troops March on"
        if word in ("May", "March") and (at_start or not prev_word) and next_word[:1].islower():
            return None  # "May I ...", "March on ..."
        if _NAMED_AFTER_MONTH.match(s, m.end()):
            return None  # "the March of Dimes", "the May Day parade" are names
        if word in ("May", "June", "April", "August") and next_word[:1].isupper() and \
                prev_word.lower() not in MONTH_CUES:
            return None  # a first name: "June Carter"
    month = _month_of(word)
    return _ym(_year_for(month, None, ctx, m.start(), m.end()), month)


_UNIT_AFTER_NUMBER = re.compile(r"(?:[.,]\d|\s*%|-(?:year|day|mile|member|strong|page|seat|km|ton|meter|metre|foot|point)\b)")
_MONEY_BEFORE = re.compile(r"[$\u20ac\u00a3\u00a5#]\s*$|\d[.,]?$")
_NUMBER_SPAN_AFTER = re.compile(r"\s*(?:to|and|or|-)\s*\d[\d,]*\s+(?P<noun>\w+)")


def _is_year_context(m: re.Match, ctx: _Context, year: int) -> bool:
    s = ctx.sentence
    before = s[:m.start()]
    after = s[m.end():]
    if _MONEY_BEFORE.search(before):
        return False
    if _UNIT_AFTER_NUMBER.match(after):
        return False
    prev = _WORD.findall(before[-30:].lower())
    prev_word = prev[-1] if prev else ""
    nxt = _WORD.findall(after[:30].lower())
    next_word = nxt[0] if nxt else ""
    if next_word in COUNT_NOUNS or (len(nxt) > 1 and next_word in ("more", "new", "additional", "extra")):
        return False
    if prev_word in QUANTITY_CUES:
        return False
    if prev_word in ("at", "by") and next_word in ("hours", "gmt", "local", "hrs"):
        return False
    span = _NUMBER_SPAN_AFTER.match(after)
    if span and span["noun"].lower() in COUNT_NOUNS:
        return False  # "1500 to 2000 people"
    if year < 1600 and prev_word not in ("in", "since", "of", "from", "until", "before", "after", "by", "year"):
        return False
    return 1000 <= year <= 2099


def _h_year(m: re.Match, ctx: _Context) -> str | None:
    year = int(m["y"])
    if not m["mod"] and not _is_year_context(m, ctx, year):
        return None
    return f"{year:04d}"


def _h_fiscal(m: re.Match, ctx: _Context) -> str | None:
    return m["y"]


def _h_decade(m: re.Match, ctx: _Context) -> str | None:
    if m["dy"]:
        return m["dy"][:3] + "X"
    short = int(m["dshort"])
    century = 19 if short >= 30 else 20
    if ctx.anchor and ctx.anchor.year < 2000:
        century = 19
    return f"{century}{short // 10}X"


def _h_century(m: re.Match, ctx: _Context) -> str | None:
    n = int(m["n"])
    if not 1 <= n <= 21:
        return None
    return f"{n - 1:02d}XX"


def _at_sentence_start(sentence: str, start: int) -> bool:
    return not sentence[:start].strip(" \"'\u201c\u2018(`")


def _h_deictic_day(m: re.Match, ctx: _Context) -> str | None:
    word = m["w"].lower()
    if m["w"][0].isupper() and word == "today" and not _at_sentence_start(ctx.sentence, m.start()):
        return None  # a title: "the Today programme", "USA Today"
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    if ctx.anchor is None:
        return "XXXX-XX-XX"
    return (ctx.anchor + dt.timedelta(days=offset)).isoformat()


def _h_weekday(m: re.Match, ctx: _Context) -> str | None:
    wd = WEEKDAYS[m["wd"].lower()]
    rel = (m["rel"] or "").lower()
    which = None
    if rel in ("last", "past", "previous", "the previous", "the past"):
        which = "last"
    elif rel in ("next", "coming", "this coming", "the coming", "the next", "the following"):
        which = "next"
    return _weekday_value(wd, ctx, m.start(), m.end(), which)


def _relative_unit(rel: str, unit: str, a: dt.date | None) -> str | None:
    rel = rel.lower().split()[-1]
    step = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1,
            "next": 1, "coming": 1, "following": 1}.get(rel)
    if step is None:
        return None
    unit = unit.lower()
    if a is None:
        return {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
                "year": "XXXX", "decade": "XXXX"}.get(unit)
    if unit == "week":
        return _iso_week(a + dt.timedelta(weeks=step))
    if unit == "weekend":
        return _iso_week(a + dt.timedelta(weeks=step)) + "-WE"
    if unit == "month":
        y, mo = _shift_month(a, step)
        return _ym(y, mo)
    if unit == "year":
        return f"{a.year + step:04d}"
    if unit == "decade":
        return f"{a.year // 10 + step:03d}X"
    if unit == "day":
        return (a + dt.timedelta(days=step)).isoformat()
    return None


def _h_rel_unit(m: re.Match, ctx: _Context) -> str | None:
    rel = m["rel"].lower()
    unit = m["unit"].lower()
    if rel.endswith("past") and unit != "year":
        return None  # "the past week" is a duration
    if rel.startswith("the ") and rel.endswith(("following", "previous", "next")):
        # "the following year" counts from the last year the text named, not from today
        if unit != "year":
            return None
        if ctx.ref_year is None:
            return "XXXX"
        return f"{ctx.ref_year + (-1 if rel.endswith('previous') else 1):04d}"
    return _relative_unit(rel, unit, ctx.anchor)


def _h_edge_rel(m: re.Match, ctx: _Context) -> str | None:
    # "earlier this week", "later this month", "late last year"
    return _relative_unit(m["rel"], m["unit"], ctx.anchor)


def _h_season(m: re.Match, ctx: _Context) -> str | None:
    code = SEASONS[m["season"].lower()]
    if m["y"]:
        return f"{m['y']}-{code}"
    rel = (m["rel"] or "").lower()
    if rel in ("", "the"):
        return None  # "prices fall", "the spring of discontent": not a dated season
    a = ctx.anchor
    if a is None:
        return f"XXXX-{code}"
    if rel.startswith("this") or rel.endswith(("past", "early", "late")):
        return f"{a.year:04d}-{code}"
    if rel == "last":
        return f"{a.year - 1:04d}-{code}"
    if rel == "next":
        return f"{a.year + 1:04d}-{code}"
    return f"XXXX-{code}"


def _h_ago(m: re.Match, ctx: _Context) -> str | None:
    num = " ".join(m["num"].lower().split())
    n = int(num) if num.isdigit() else NUMBER_WORDS.get(num)
    unit = m["unit"].lower()
    a = ctx.anchor
    word = m["dir"].lower()
    sign = -1 if word in ("ago", "earlier", "before") else 1
    if n is None:
        if a is None or unit not in ("year", "decade"):
            return None
        return f"{a.year // 10:03d}X" if unit == "year" else f"{a.year // 100:02d}XX"
    if a is None:
        return {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX"}.get(unit, "XXXX")
    # TimeML habit: "two weeks ago" and "a year ago" name the day that far back.
    if unit in ("day", "week"):
        return (a + dt.timedelta(days=sign * n * (7 if unit == "week" else 1))).isoformat()
    if unit == "month":
        y, mo = _shift_month(a, sign * n)
        return _ym(y, mo)
    if unit == "year" and n == 1:
        y, mo = _shift_month(a, sign * 12)
        return _ymd(y, mo, min(a.day, 28) if mo == 2 else a.day)
    if unit == "year":
        return f"{a.year + sign * n:04d}"
    if unit == "decade":
        return f"{a.year + sign * 10 * n:04d}"
    return None


def _h_quarter(m: re.Match, ctx: _Context) -> str | None:
    q = ORDINALS.get((m["q"] or "").lower())
    qpart = f"Q{q}" if q else "QX"
    pre_words = (m["pre"] or "").lower().split()
    if not q and (not pre_words or pre_words in (["a"], ["its"]) or pre_words[0] == "a"):
        return None  # "a quarter of the vote", "its quarter": not a calendar quarter
    if m["y"]:
        return f"{m['y']}-{qpart}"
    a = ctx.anchor
    pre = (m["pre"] or "").lower()
    if a is None:
        return f"XXXX-{qpart}"
    explicit = _YEAR_IN.search(pre)
    if explicit:
        return f"{explicit.group()}-{qpart}"
    year = a.year
    if "year-ago" in pre or "year-earlier" in pre or "last year" in pre or "previous year" in pre:
        year -= 1
    elif "next year" in pre:
        year += 1
    return f"{year:04d}-{qpart}"


def _h_year_ago_adj(m: re.Match, ctx: _Context) -> str | None:
    return f"{ctx.anchor.year - 1:04d}" if ctx.anchor else "XXXX"


def _h_holiday(m: re.Match, ctx: _Context) -> str | None:
    name = " ".join(m["hol"].lower().split())
    a = ctx.anchor
    if name in MOVABLE_HOLIDAYS:
        if a is None:
            return "XXXX-11"
        day_of = MOVABLE_HOLIDAYS[name]
        this_year = day_of(a.year)
        tense = _tense(ctx, m.start(), m.end())
        if a >= this_year and tense != FUTURE or a < this_year and tense != PAST:
            return this_year.isoformat()
        return day_of(a.year - 1 if a < this_year else a.year + 1).isoformat()
    month, day = HOLIDAYS[name]
    return _ymd(_year_for(month, day, ctx, m.start(), m.end()), month, day)


def _h_month_rel(m: re.Match, ctx: _Context) -> str | None:
    """'last November', 'this September', 'June last year'."""
    month = _month_of(m["mon"] or m["mon2"])
    a = ctx.anchor
    if a is None:
        return _ym(None, month)
    if m["mon2"]:
        step = {"this": 0, "last": -1, "next": 1}[m["rel2"].split()[0].lower()]
        return _ym(a.year + step, month)
    rel = m["rel"].lower()
    if rel == "this":
        return _ym(a.year, month)
    if rel in ("last", "past", "previous"):
        # The month just gone is "last month"; "last February" written in March means a year earlier.
        return _ym(a.year if month <= a.month - 2 else a.year - 1, month)
    return _ym(a.year + 1 if month <= a.month else a.year, month)


def _h_year_range(m: re.Match, ctx: _Context) -> str | None:
    y1 = m["y1"] or m["y1b"]
    y2 = m["y2"] or m["y2b"]
    start, end = int(y1), int(y2) if len(y2) == 4 else (int(y1) // 100) * 100 + int(y2)
    if end <= start or end - start > 100:
        return None
    next_word = _WORD.match(ctx.sentence[m.end():].lstrip())
    if next_word and next_word.group().lower() in COUNT_NOUNS:
        return None  # "from 1130 to 1215 GMT", "1500-2000 troops"
    return f"{start:04d}/{end:04d}"


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}


def _h_spelled_year(m: re.Match, ctx: _Context) -> str | None:
    """'nineteen ninety-six', 'the year two thousand' (broadcast transcripts)."""
    if m["thousand"]:
        rest = (m["trest"] or "").lower()
        return f"{2000 + (_UNITS.get(rest) or _TEENS.get(rest) or 0):04d}"
    tens = m["tens"].lower()
    base = _TEENS.get(tens) or _TENS.get(tens)
    unit = _UNITS.get((m["unit"] or "").lower(), 0)
    if base is None or (unit and tens in _TEENS):
        return None
    return f"{1900 + base + unit:04d}"


def _h_decade_word(m: re.Match, ctx: _Context) -> str | None:
    return f"19{_DECADE_WORDS[m['dw'].lower()]}X"


def _h_weekend(m: re.Match, ctx: _Context) -> str | None:
    a = ctx.anchor
    if a is None:
        return "XXXX-WXX-WE"
    if _tense(ctx, m.start(), m.end()) == FUTURE:
        saturday = a + dt.timedelta(days=(6 - a.isoweekday()) % 7)
    else:
        saturday = a - dt.timedelta(days=(a.isoweekday() - 6) % 7)
    return _iso_week(saturday) + "-WE"


def _h_period(m: re.Match, ctx: _Context) -> str | None:
    """Financial reporting periods: 'the latest period', 'the year-earlier period'."""
    which = m["which"].lower()
    a = ctx.anchor
    back = "year-" in which or bool(m["ago"])
    if not back and which not in ("latest", "current"):
        return None  # "the comparable period" alone does not say which year
    if a is None:
        return "XXXX"
    return f"{a.year - 1 if back else a.year:04d}"


def _h_year_end(m: re.Match, ctx: _Context) -> str | None:
    a = ctx.anchor
    month = bool(m["unit"]) and m["unit"].lower() == "month"
    if a is None:
        return "XXXX-XX" if month else "XXXX"
    return _ym(a.year, a.month) if month else f"{a.year:04d}"


def _h_named_year(m: re.Match, ctx: _Context) -> str | None:
    """'the current fiscal year', 'the full year'."""
    return f"{ctx.anchor.year:04d}" if ctx.anchor else "XXXX"


# ---------------------------------------------------------------- the grammar
# Order matters: at one position the first rule that matches wins, so longer
# and more specific forms come first.
RULES: tuple[_Rule, ...] = (
    _Rule("iso", r"(?<![\d-])(?P<y>1\d{3}|20\d{2})-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?![\d-])", _h_iso, "number"),
    _Rule("md_range",
          rf"(?:{_MOD})?(?P<mon>{_MONTH})\s+(?P<d1>{_DAY})\s*(?:-|\u2013|to|and|through|until)\s*(?P<d2>{_DAY})"
          rf"(?:,?\s+(?P<y>{_YEAR}))?", _h_md_range, "month"),
    _Rule("mdy", rf"(?:{_WEEKDAY},?\s+)?(?:{_MOD})?(?P<mon>{_MONTH})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?",
          _h_mdy, "month"),
    _Rule("dmy", rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
          _h_mdy, "month"),
    _Rule("my", rf"(?:{_MOD})?(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR})", _h_my, "month"),
    _Rule("month_rel",
          rf"(?:(?P<rel>[Tt]his|[Ll]ast|[Nn]ext|[Pp]ast|[Cc]oming|[Pp]revious)\s+(?P<mon>{_MONTH})(?!\s+\d)"
          rf"|(?P<mon2>{_MONTH})\s+(?P<rel2>(?:this|last|next)\s+year))", _h_month_rel, "month"),
    _Rule("season", rf"(?:(?P<rel>[Tt]his(?:\s+past)?|[Ll]ast|[Nn]ext|[Tt]he\s+past|(?:[Tt]he\s+)?(?:[Ee]arly|[Ll]ate)|[Tt]he)\s+)?"
                    rf"(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)(?:\s+of\s+(?P<y>{_YEAR}))?", _h_season, "season"),
    _Rule("quarter",
          rf"(?P<pre>(?:(?:[Tt]he|[Ii]ts|[Tt]his|[Tt]hat|a)\s+)?(?:(?:latest|current|most\s+recent|comparable|year-ago|"
          rf"year-earlier|fiscal|flat|(?:this|last|next|the\s+previous)\s+year's|{_YEAR})[\s-]+)*)"
          rf"(?:(?P<q>{_QUARTER})[\s-]+(?:fiscal[\s-]+)?quarter|quarter(?!\s+of\s+(?:a|an|the|its|all)\b))"
          rf"(?:\s+of\s+(?P<y>{_YEAR}))?", _h_quarter, "quarter"),
    _Rule("year_range",
          rf"(?:(?:[Ff]rom|[Bb]etween)\s+)(?P<y1>{_YEAR})\s*(?:to|and|until|through|-|\u2013)\s*(?P<y2>{_YEAR})"
          rf"|(?<![\d,.$])(?P<y1b>1\d{{3}}|20\d{{2}})(?:-|\u2013)(?P<y2b>(?:1\d|20)?\d\d)(?![\d\w-])", _h_year_range, "number"),
    _Rule("decade", rf"(?:[Tt]he\s+)?(?:{_MOD})?(?:(?P<dy>(?:1\d|20)\d0)'?s|'(?P<dshort>\d0)s)(?![\w])", _h_decade, "number"),
    _Rule("century", r"(?:[Tt]he\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]century", _h_century, "span"),
    _Rule("fiscal", rf"[Ff]iscal(?:\s+year)?\s+(?P<y>{_YEAR})", _h_fiscal, "number"),
    _Rule("year", rf"(?:(?P<mod>{_MOD}|[Pp]re-|[Pp]ost-)|(?<![\w$\u20ac\u00a3\u00a5#.,/:-]))(?P<y>{_YEAR})(?!-\d|'s?\b|/\d)", _h_year, "number"),
    _Rule("spelled_year",
          r"(?:[Tt]he\s+year\s+)?(?:(?P<thousand>[Tt]wo\s+thousand)(?:\s+(?:and\s+)?(?P<trest>one|two|three|four|five|six|"
          r"seven|eight|nine|ten|eleven|twelve))?|[Nn]ineteen(?:\s+hundred(?:\s+and)?)?\s+(?P<tens>ten|eleven|twelve|thirteen|"
          r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
          r"ninety)(?:[\s-](?P<unit>one|two|three|four|five|six|seven|eight|nine))?)(?![\w-])", _h_spelled_year, "spelled"),
    _Rule("decade_word", r"[Tt]he\s+(?:(?:early|late|mid)[\s-]+)?(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|"
                         r"eighties|nineties)\b", _h_decade_word, "spelled"),
    _Rule("year_end", r"(?:[Tt]he\s+end\s+of\s+(?:the|this)\s+(?P<unit>year|month)|(?:[Tt]he\s+)?year(?:'s)?[\s-]end)(?![\w-])",
          _h_year_end, "span"),
    _Rule("named_year", r"(?:[Tt]he|[Tt]his|[Ii]ts)\s+(?:(?:current|latest|full)\s+(?:fiscal\s+)?|fiscal\s+)year\b(?![\w-])",
          _h_named_year, "span"),
    _Rule("period", r"(?:[Tt]he\s+)?(?P<which>latest|current|year-ago|year-earlier|comparable|corresponding|same)\s+period"
                    r"(?P<ago>\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year))?\b", _h_period, "quarter"),
    _Rule("weekend", r"[Tt]he\s+weekend\b", _h_weekend, "span"),
    _Rule("deictic_day", r"\b(?P<w>[Tt]oday|[Tt]onight|[Yy]esterday|[Tt]omorrow)\b", _h_deictic_day, "day"),
    _Rule("edge_rel", r"\b(?:[Ee]arlier|[Ll]ater|[Ee]arly|[Ll]ate)\s+(?P<rel>this|last|next)\s+(?P<unit>week|month|year)\b",
          _h_edge_rel, "span"),
    _Rule("ago", rf"\b(?P<num>(?i:{_NUM}))\s+(?P<unit>day|week|month|year|decade)s?(?:\s+or\s+so)?\s+(?P<dir>ago|earlier)\b",
          _h_ago, "span"),
    _Rule("weekday",
          rf"(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his(?:\s+coming)?|[Cc]oming|(?:[Tt]he\s+)?(?:previous|following|past|coming|next))\s+)?"
          rf"(?P<wd>{_WEEKDAY})(?:'s)?\b", _h_weekday, "day"),
    _Rule("rel_unit",
          r"\b(?P<rel>[Tt]his|[Ll]ast|[Nn]ext|(?:[Tt]he\s+)?(?:past|coming|previous|following|current))\s+"
          r"(?P<unit>week(?:end)?|month|year|decade)\b(?!-)", _h_rel_unit, "span"),
    _Rule("year_ago_adj", r"\b(?:[Tt]he\s+)?(?:[Yy]ear-(?:ago|earlier))(?:\s+(?:period|quarter|results|level))?\b",
          _h_year_ago_adj, "span"),
    _Rule("holiday", r"\b(?P<hol>Thanksgiving(?:\s+Day)?|Christmas(?:\s+Day|\s+Eve)?|New\s+Year's\s+(?:Day|Eve)"
                     r"|Independence\s+Day|Election\s+Day)\b", _h_holiday, "day"),
    _Rule("month", rf"(?P<mod>{_MOD})?(?P<mon>{_MONTH})(?![\w-])", _h_month, "month"),
)


_HANDLERS = {r.name: r.handler for r in RULES}
_RULE_REGEX = {r.name: re.compile(r.pattern) for r in RULES}
_STRIP_NAMES = re.compile(r"\(\?P<\w+>")
# Kinds of date words; a sentence's kinds mask has bit i set when it has kind _NEEDS[i].
_NEEDS = ("month", "number", "day", "span", "quarter", "season", "spelled")
_MONTH_WORD = re.compile(r"(?:Jan|Feb|Ma[ry]|Apr|Ju[nl]|Aug|Sep|Oct|Nov|Dec)")
_YEARISH_DIGITS = re.compile(r"[12]\d\d\d|'\d0s")


def _kinds_mask(sentence: str) -> int:
    """Which kinds of date words the sentence has; plain `in` tests, because
    this runs on every sentence and must cost next to nothing."""
    low = sentence.lower()
    mask = 0
    if _MONTH_WORD.search(sentence):
        mask |= 1
    if _YEARISH_DIGITS.search(sentence):
        mask |= 2
    if "day" in low or "tonight" in low or "tomorrow" in low or "christmas" in low or "thanksgiving" in low:
        mask |= 4
    if "year" in low or "week" in low or "month" in low or "ago" in low or "decade" in low or "centur" in low:
        mask |= 8
    if "quarter" in low or "period" in low:
        mask |= 16
    if "spring" in low or "summer" in low or "fall" in low or "autumn" in low or "winter" in low:
        mask |= 32
    if "nineteen" in low or "thousand" in low or "ties" in low:
        mask |= 64
    return mask


def _combined(mask: int) -> re.Pattern | None:
    """One alternation of the rules a sentence with these kinds of words can
    match, in rule order; it only starts at the beginning of a word."""
    kinds = {k for i, k in enumerate(_NEEDS) if mask >> i & 1}
    parts = [f"(?P<{r.name}>{_STRIP_NAMES.sub('(?:', r.pattern)})" for r in RULES if r.needs in kinds]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?=[\w'])(?:" + "|".join(parts) + ")")


# Compiled on first use: a sentence only pays for the rules it can match.
_COMBINED_BY_MASK: dict[int, re.Pattern | None] = {}


def _pattern_for(sentence: str) -> re.Pattern | None:
    mask = _kinds_mask(sentence)
    if mask not in _COMBINED_BY_MASK:
        _COMBINED_BY_MASK[mask] = _combined(mask)
    return _COMBINED_BY_MASK[mask]


@dataclass(frozen=True, slots=True)
class _Found:
    text: str
    value: str
    sentence: int
    start: int
    end: int


def _mentions_in(index: int, ctx: _Context) -> list[_Found]:
    sentence = ctx.sentence
    pattern = _pattern_for(sentence)
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(sentence):
        name = m.lastgroup
        sub = _RULE_REGEX[name].match(sentence, m.start())
        if sub is None:
            continue
        value = _HANDLERS[name](sub, ctx)
        if value:
            text = sub.group().strip()
            out.append(_Found(text, value, index, sub.start(), sub.end()))
            named = _YEAR_IN.search(text)
            if named:
                ctx.ref_year = int(named.group())
    return out


def extract_dates(doc: Doc) -> list[DateMention]:
    """Every date mention of the article, in order, with its normalised value."""
    sentences = doc.sentences()
    ctx = _Context(anchor=doc.anchor, sentence="")
    found: list[_Found] = []
    for index, sentence in enumerate(sentences):
        ctx.sentence = sentence
        found.extend(_mentions_in(index, ctx))
    if doc.anchor is None and found:
        found = fill_settled_year(found, sentences)
    return [DateMention(text=f.text, value=f.value, sentence=f.sentence) for f in found]


# ---------------------------------------------------------------- the article's own year (no anchor)
_NUMBER_OR_WORD = r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
# "signed 60 years ago, on October 19, 1956" / "in 1956, 60 years ago"
# An approximate count ("some 70 years ago") cannot settle a year.
_APPROXIMATE = r"(?<!about )(?<!some )(?<!around )(?<!nearly )(?<!almost )(?<!over )(?<!than )(?<!roughly )"
_AGO_THEN_YEAR = re.compile(r"\b" + _APPROXIMATE + _NUMBER_OR_WORD + r"\s+years\s+ago,?\s+(?:on|in)\s+[^.;]{0,20}?\b(1\d{3}|20\d{2})\b", re.I)
_YEAR_THEN_AGO = re.compile(r"\b(1\d{3}|20\d{2}),?\s+(?:exactly\s+)?" + _NUMBER_OR_WORD + r"\s+years\s+ago\b", re.I)
# "it has been 25 years since the 1991 collapse"
_YEARS_SINCE_YEAR = re.compile(r"\b" + _APPROXIMATE + _NUMBER_OR_WORD + r"\s+years\s+since\s+[^.;]{0,30}?\b(1\d{3}|20\d{2})\b",
                               re.I)
_ANNIVERSARY = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\s+anniversary\b", re.I)
_ANNIVERSARY_WORDS = {"tenth": 10, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
                      "sixtieth": 60, "seventieth": 70, "eightieth": 80, "hundredth": 100}
_YEARLESS = re.compile(r"^XXXX-(\d\d)(?:-\d\d)?(?:/XXXX-\d\d(?:-\d\d)?)?$")
_APPROXIMATE_BEFORE = re.compile(r"(?i)\b(?:about|some|around|nearly|almost|over|than|roughly)\s*$")
_YEARS_AGO_TEXT = re.compile(_NUMBER_OR_WORD + r"\s+years\s+ago$", re.I)
_REL_YEAR_TEXT = re.compile(r"(?i)\b(this|last|next)\s+year$")


def _count(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word) or (100 if word == "hundred" else None)


def settled_year(sentences: list[str]) -> int | None:
    """The year an undated article was written in, when its own words settle
    it: "60 years ago, on October 19, 1956" or "the 60th anniversary" in a
    sentence naming one year. None when there is no such cue, when cues
    disagree, or when the result would lie in the future ("the 70th
    anniversary, in 2015" names the celebration's year, not the event's)."""
    candidates = set()
    all_years = []
    for sentence in sentences:
        years = [int(y) for y in _YEAR_IN.findall(sentence)]
        all_years.extend(years)
        if not years or ("ago" not in sentence and "anniversary" not in sentence and "since" not in sentence):
            continue
        for m in (*_AGO_THEN_YEAR.finditer(sentence), *_YEARS_SINCE_YEAR.finditer(sentence)):
            candidates.add(int(m[2]) + (_count(m[1]) or 0))
        for m in _YEAR_THEN_AGO.finditer(sentence):
            candidates.add(int(m[1]) + (_count(m[2]) or 0))
        if "anniversary" in sentence and len(set(years)) == 1:
            low = sentence.lower()
            for m in _ANNIVERSARY.finditer(sentence):
                candidates.add(years[0] + int(m[1]))
            for word, n in _ANNIVERSARY_WORDS.items():
                if f"{word} anniversary" in low:
                    candidates.add(years[0] + n)
    if len(candidates) != 1:
        return None
    year = candidates.pop()
    if year <= min(all_years) or year > dt.date.today().year:
        return None
    return year


def fill_settled_year(found: list[_Found], sentences: list[str]) -> list[_Found]:
    """Give year-less mentions of an undated article the year its text settles,
    but only when their tenses fit one "now" inside that year: every month
    spoken of in the past comes no later than every month spoken of as ahead.
    Otherwise a past "December" might be last year's, so it stays XXXX."""
    year = settled_year(sentences)
    if year is None:
        return found
    past, ahead, yearless = [], [], []
    for i, f in enumerate(found):
        m = _YEARLESS.match(f.value)
        if not m:
            continue
        yearless.append(i)
        tense = _tense(_Context(anchor=None, sentence=sentences[f.sentence]), f.start, f.end)
        if tense == PAST:
            past.append(int(m[1]))
        elif tense == FUTURE:
            ahead.append(int(m[1]))
    out = list(found)
    if past and ahead and max(past) <= min(ahead):
        for i in yearless:
            out[i] = replace(found[i], value=found[i].value.replace("XXXX", f"{year:04d}"))
    for i, f in enumerate(found):
        if f.value != "XXXX":
            continue
        rel = _REL_YEAR_TEXT.search(f.text)
        ago = _YEARS_AGO_TEXT.match(f.text)
        if rel:
            step = {"this": 0, "last": -1, "next": 1}[rel[1].lower()]
            out[i] = replace(f, value=f"{year + step:04d}")
        elif ago and _count(ago[1]) and not _APPROXIMATE_BEFORE.search(sentences[f.sentence][:f.start]):
            out[i] = replace(f, value=f"{year - _count(ago[1]):04d}")
    return out


# ---------------------------------------------------------------- helpers for the timeline
_VALUE = re.compile(r"^(?P<y>[\dX]{4}|\d{3}X|\d{2}XX)(?:-(?P<f>\d{2}|XX|W(?:\d{1,2}|XX)|Q[1-4X]|H[12]|SP|SU|FA|WI)"
                    r"(?:-(?P<d>\d{1,2}|XX|WE))?)?")
_SEASON_LAST_MONTH = {"WI": 2, "SP": 5, "SU": 8, "FA": 11}


def year_of(value: str) -> int | None:
    """The year of a value when all four digits are known, else None."""
    m = _VALUE.match((value or "").split("/")[0])
    if not m or not m["y"].isdigit():
        return None
    return int(m["y"])


def _within_year(year: int | None, field: str | None, day: str | None) -> tuple[int, int, float]:
    """(year, month, day) placing a value's start inside its year; a span
    (a month, a week, a quarter) sorts just after the days it contains."""
    after_days = 99.0
    if not field:
        return year or 0, 99, after_days
    if field.isdigit():
        return year or 0, int(field), float(day) if day and day.isdigit() else after_days
    if field.startswith("W") and field[1:].isdigit() and year:
        try:
            monday = dt.date.fromisocalendar(year, int(field[1:]), 1)
        except ValueError:
            return year, 99, after_days
        if day and day.isdigit():
            when = monday + dt.timedelta(days=int(day) - 1)
            return when.year, when.month, float(when.day)
        sunday = monday + dt.timedelta(days=6)
        return sunday.year, sunday.month, sunday.day + 0.5
    if field[0] in "QH" and field[1:].isdigit():
        return year or 0, int(field[1:]) * (3 if field[0] == "Q" else 6), after_days + 0.5
    if field in _SEASON_LAST_MONTH:
        return year or 0, _SEASON_LAST_MONTH[field], after_days + 0.5
    if day and day.isdigit():  # a weekday of an unknown week: XXXX-WXX-2
        return year or 0, 99, float(day)
    return year or 0, 99, after_days


def date_sort_key(value: str) -> tuple[int, int, int, float, str]:
    """Chronological key for ISO-with-X values (a range sorts by its start).
    Less precise values come after the precise ones they contain (2016-10
    after 2016-10-19, 2016 after 2016-12, 199X after 1999), and values with
    an unknown year sort apart, after all others."""
    text = value or ""
    m = _VALUE.match(text.split("/")[0])
    if not m:
        return (2, 0, 0, 0.0, text)
    ytxt = m["y"]
    if ytxt.startswith("X"):
        _, month, day = _within_year(None, m["f"], m["d"])
        return (1, 0, month, day, text)
    if "X" in ytxt:  # a decade or a century
        return (0, int(ytxt.replace("X", "9")), 100, 0.0, text)
    year, month, day = _within_year(int(ytxt), m["f"], m["d"])
    return (0, year, month, day, text)
