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
from dataclasses import dataclass
from typing import Callable

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
# Fixed-date holidays; movable ones are computed in _holiday_value.
HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
            "new year's day": (1, 1), "new year's eve": (12, 31), "independence day": (7, 4)}

# A bare number followed by one of these counts things; it is not a year.
COUNT_NOUNS = frozenset(
    """people persons troops soldiers men women children workers members residents employees
    civilians refugees delegates votes seats jobs cases deaths dead units cars vehicles tanks planes
    aircraft ships shares dollars euros yen rubles roubles pounds francs marks yuan won rupees tons
    tonnes barrels miles kilometers kilometres km meters metres feet foot acres hectares square
    points percent per pounds kg kilograms degrees hours hrs gmt utc est edt pst bst times pages
    words copies students companies firms banks homes houses islands islanders prisoners
    inhabitants visitors tourists fans signatures acres head strong yards metric""".split()
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
    last next this that the each every and or between around for as until, since, end beginning
    middle start""".split()
)
FUTURE_CUES = frozenset(
    """will 'll shall would going scheduled expected plans plan planned set due upcoming next
    forthcoming intends intend hopes hope aims aim to-be tomorrow""".split()
)
PAST_CUES = frozenset("said was were had did ago earlier last told announced met held took".split())

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.|Sept\b)")
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d\w])"
_YEAR = r"(?:1\d{3}|20\d{2})(?![\d\w])"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MOD = r"(?:(?:[Ee]arly|[Ll]ate|[Mm]id|(?:[Tt]he\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half)\s+of)(?:\s+|-))"
_REL = r"(?:this|last|next|past|coming|previous|following)"
_UNIT = r"(?:day|week|month|year|decade)"
_NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|several|a\s+few)"
_QUARTER = r"(?:first|second|third|fourth)"
_WORD = re.compile(r"[A-Za-z']+")


@dataclass(frozen=True, slots=True)
class _Context:
    anchor: dt.date | None
    year_hint: int | None  # a year the article's own text settles (used only without anchor)
    sentence: str


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: str
    handler: Callable[[re.Match, _Context], str | None]


# ---------------------------------------------------------------- value helpers
def _month_of(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _day_of(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _ym(year: int | None, month: int) -> str:
    return f"{year:04d}-{month:02d}" if year else f"XXXX-{month:02d}"


def _ymd(year: int | None, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"XXXX-{month:02d}-{day:02d}"


def _tense(ctx: _Context, start: int, end: int) -> str:
    """'future' or 'past' for the clause around a mention. Auxiliaries and
    cue words before it decide first ("will be signed"), then a past form
    ("-ed"), then cues just after it; past by default (news reports)."""
    before = _WORD.findall(ctx.sentence[max(0, start - 80):start].lower())[-10:]
    after = _WORD.findall(ctx.sentence[end:end + 40].lower())[:5]
    for words in (reversed(before), after):
        fallback = None
        for w in words:
            if w in FUTURE_CUES:
                return "future"
            if w in PAST_CUES:
                return "past"
            if fallback is None and len(w) > 4 and w.endswith("ed"):
                fallback = "past"
        if fallback:
            return fallback
    return "past"


def _year_for(month: int, day: int | None, ctx: _Context, start: int, end: int) -> int | None:
    """The year of a year-less month (and day): from the anchor and the tense,
    or the article's settled year, or None."""
    if ctx.anchor is None:
        return ctx.year_hint
    a = ctx.anchor
    tense = _tense(ctx, start, end)
    here = (month, day or 0)
    now = (a.month, a.day if day else 0)
    if tense == "past" and here > now:
        return a.year - 1
    if tense == "future" and here < now:
        return a.year + 1
    return a.year


def _weekday_value(wd: int, ctx: _Context, start: int, end: int, which: str | None = None) -> str:
    if ctx.anchor is None:
        return f"XXXX-WXX-{wd}"
    a = ctx.anchor
    today = a.isoweekday()
    direction = which or _tense(ctx, start, end)
    if direction in ("past", "last"):
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


def _h_md_range(m: re.Match, ctx: _Context) -> str | None:
    month = _month_of(m["mon"])
    d1, d2 = _day_of(m["d1"]), _day_of(m["d2"])
    if d2 <= d1:
        return None
    year = int(m["y"]) if m["y"] else _year_for(month, d1, ctx, m.start(), m.end())
    return f"{_ymd(year, month, d1)}/{_ymd(year, month, d2)}"


def _h_mdy(m: re.Match, ctx: _Context) -> str | None:
    month = _month_of(m["mon"])
    day = _day_of(m["d"])
    if m["y"]:
        return _ymd(int(m["y"]), month, day)
    return _ymd(_year_for(month, day, ctx, m.start(), m.end()), month, day)


def _h_my(m: re.Match, ctx: _Context) -> str | None:
    return _ym(int(m["y"]), _month_of(m["mon"]))


def _h_month(m: re.Match, ctx: _Context) -> str | None:
    word = m["mon"]
    s = ctx.sentence
    prev = _WORD.findall(s[max(0, m.start() - 20):m.start()])
    prev_word = prev[-1] if prev else ""
    nxt = _WORD.match(s[m.end():].lstrip())
    next_word = nxt.group() if nxt else ""
    has_mod = bool(m["mod"])
    if not has_mod:
        at_start = not s[:m.start()].strip(" \"'\u201c(")
        if prev_word and prev_word.lower() not in MONTH_CUES:
            if prev_word[0].isupper() or word in ("May", "March"):
                return None  # "Theresa May", "Prime Minister ... May", "troops March on"
        if word in ("May", "March") and (at_start or not prev_word) and next_word[:1].islower():
            return None  # "May I ...", "March on ..."
        if word in ("May", "June", "April", "August") and next_word[:1].isupper() and \
                prev_word.lower() not in MONTH_CUES:
            return None  # a first name: "June Carter"
        if prev_word.lower() in ("the", "this", "that") and next_word.lower() in ("issue", "edition"):
            pass
    month = _month_of(word)
    return _ym(_year_for(month, None, ctx, m.start(), m.end()), month)


def _is_year_context(m: re.Match, ctx: _Context, year: int) -> bool:
    s = ctx.sentence
    before = s[:m.start()]
    after = s[m.end():]
    if re.search(r"[$\u20ac\u00a3\u00a5#]\s*$|\d[.,]?\s*$", before):
        return False
    if re.match(r"(?:[.,]\d|\s*%|-(?:year|day|mile|member|strong|page|seat|km|ton|meter|metre|foot|point)\b)", after):
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
    if re.match(r"\s*(?:to|and|or|-)\s+\d", after) and prev_word not in ("from", "between", "in"):
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


def _h_deictic_day(m: re.Match, ctx: _Context) -> str | None:
    word = m["w"].lower()
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
    rel = m["rel"]
    if rel.lower().endswith("past") and m["unit"].lower() != "year":
        return None  # "the past week" is a duration
    return _relative_unit(rel, m["unit"], ctx.anchor)


def _h_edge_rel(m: re.Match, ctx: _Context) -> str | None:
    # "earlier this week", "later this month", "late last year"
    return _relative_unit(m["rel"], m["unit"], ctx.anchor)


def _h_season(m: re.Match, ctx: _Context) -> str | None:
    code = SEASONS[m["season"].lower()]
    if m["y"]:
        return f"{m['y']}-{code}"
    rel = (m["rel"] or "").lower()
    a = ctx.anchor
    if a is None:
        return f"XXXX-{code}"
    if rel == "this" or rel.endswith("past") or not rel:
        return f"{a.year:04d}-{code}"
    if rel == "last":
        return f"{a.year - 1:04d}-{code}"
    if rel == "next":
        return f"{a.year + 1:04d}-{code}"
    return f"XXXX-{code}"


def _h_ago(m: re.Match, ctx: _Context) -> str | None:
    num = m["num"].lower()
    n = int(num) if num.isdigit() else NUMBER_WORDS.get(" ".join(num.split()))
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
    if unit == "day":
        return (a + dt.timedelta(days=sign * n)).isoformat()
    if unit == "week":
        return _iso_week(a + dt.timedelta(weeks=sign * n))
    if unit == "month":
        y, mo = _shift_month(a, sign * n)
        return _ym(y, mo)
    if unit == "year":
        return f"{a.year + sign * n:04d}"
    if unit == "decade":
        return f"{(a.year + sign * 10 * n) // 10:03d}X"
    return None


def _h_quarter(m: re.Match, ctx: _Context) -> str | None:
    q = ORDINALS.get((m["q"] or "").lower())
    qpart = f"Q{q}" if q else "QX"
    if m["y"]:
        return f"{m['y']}-{qpart}"
    a = ctx.anchor
    pre = (m["pre"] or "").lower()
    if a is None:
        return f"XXXX-{qpart}"
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
    if name.startswith("thanksgiving"):
        if a is None:
            return "XXXX-11"
        year = a.year if (a.month, a.day) >= (11, 22) or _tense(ctx, m.start(), m.end()) == "future" else a.year - 1
        first = dt.date(year, 11, 1)
        thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)
        return thursday.isoformat()
    month, day = HOLIDAYS[name]
    return _ymd(_year_for(month, day, ctx, m.start(), m.end()), month, day)


def _h_month_rel(m: re.Match, ctx: _Context) -> str | None:
    if m["mon2"]:
        month = _month_of(m["mon2"])
        rel = m["rel2"].lower()
        a = ctx.anchor
        if a is None:
            return _ym(None, month)
        step = {"this": 0, "last": -1, "next": 1}[rel.split()[0]]
        return _ym(a.year + step, month)
    return _h_month_rel_simple(m, ctx)


def _h_month_rel_simple(m: re.Match, ctx: _Context) -> str | None:
    month = _month_of(m["mon"])
    rel = m["rel"].lower()
    a = ctx.anchor
    if a is None:
        return _ym(None, month)
    if rel == "this":
        return _ym(a.year, month)
    if rel in ("last", "past", "previous"):
        return _ym(a.year - 1 if month >= a.month else a.year, month)
    return _ym(a.year + 1 if month <= a.month else a.year, month)


def _h_year_range(m: re.Match, ctx: _Context) -> str | None:
    y1 = m["y1"] or m["y1b"]
    y2 = m["y2"] or m["y2b"]
    start, end = int(y1), int(y2) if len(y2) == 4 else (int(y1) // 100) * 100 + int(y2)
    if end <= start or end - start > 100:
        return None
    return f"{start:04d}/{end:04d}"


# ---------------------------------------------------------------- the grammar
# Order matters: at one position the first rule that matches wins, so longer
# and more specific forms come first.
RULES: tuple[_Rule, ...] = (
    _Rule("iso", r"(?<![\d-])(?P<y>1\d{3}|20\d{2})-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?![\d-])", _h_iso),
    _Rule("md_range",
          rf"(?:{_MOD})?(?P<mon>{_MONTH})\s+(?P<d1>{_DAY})\s*(?:-|\u2013|to|and|through|until)\s*(?P<d2>{_DAY})"
          rf"(?:,?\s+(?P<y>{_YEAR}))?", _h_md_range),
    _Rule("mdy", rf"(?:{_WEEKDAY},?\s+)?(?:{_MOD})?(?P<mon>{_MONTH})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?",
          _h_mdy),
    _Rule("dmy", rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
          _h_mdy),
    _Rule("my", rf"(?:{_MOD})?(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR})", _h_my),
    _Rule("month_rel",
          rf"(?:(?P<rel>[Tt]his|[Ll]ast|[Nn]ext|[Pp]ast|[Cc]oming|[Pp]revious)\s+(?P<mon>{_MONTH})(?!\s+\d)"
          rf"|(?P<mon2>{_MONTH})\s+(?P<rel2>(?:this|last|next)\s+year))", _h_month_rel),
    _Rule("season", rf"(?:(?P<rel>[Tt]his|[Ll]ast|[Nn]ext|[Tt]his\s+past|[Tt]he\s+past|[Tt]he(?:\s+early|\s+late)?)\s+)?"
                    rf"(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)(?:\s+of\s+(?P<y>{_YEAR}))?", _h_season),
    _Rule("quarter",
          rf"(?P<pre>(?:(?:[Tt]he|[Ii]ts|[Tt]his|[Tt]hat|a)\s+)?(?:(?:latest|current|most\s+recent|comparable|year-ago|"
          rf"year-earlier|fiscal|flat|(?:this|last|next|the\s+previous)\s+year's|{_YEAR})[\s-]+)*)"
          rf"(?:(?P<q>{_QUARTER})[\s-]+(?:fiscal[\s-]+)?quarter|(?<=[a-z] )quarter(?!\s+of\s+(?:a|an|the|its|all)\b))"
          rf"(?:\s+of\s+(?P<y>{_YEAR}))?", _h_quarter),
    _Rule("year_range",
          rf"(?:(?:[Ff]rom|[Bb]etween)\s+)(?P<y1>{_YEAR})\s*(?:to|and|until|through|-|\u2013)\s*(?P<y2>{_YEAR})"
          rf"|(?<![\d,.$])(?P<y1b>1\d{{3}}|20\d{{2}})(?:-|\u2013)(?P<y2b>(?:1\d|20)?\d\d)(?![\d\w-])", _h_year_range),
    _Rule("decade", rf"(?:[Tt]he\s+)?(?:{_MOD})?(?:(?P<dy>(?:1\d|20)\d0)'?s|'(?P<dshort>\d0)s)(?![\w])", _h_decade),
    _Rule("century", rf"(?:[Tt]he\s+)?(?P<n>\d{{1,2}})(?:st|nd|rd|th)[\s-]century", _h_century),
    _Rule("fiscal", rf"[Ff]iscal(?:\s+year)?\s+(?P<y>{_YEAR})", _h_fiscal),
    _Rule("year", rf"(?:(?P<mod>{_MOD})|(?<![\w$\u20ac\u00a3\u00a5#.,/:-]))(?P<y>{_YEAR})(?!-\d|'s?\b|/\d)", _h_year),
    _Rule("deictic_day", r"\b(?P<w>[Tt]oday|[Tt]onight|[Yy]esterday|[Tt]omorrow)\b", _h_deictic_day),
    _Rule("edge_rel", rf"\b(?:[Ee]arlier|[Ll]ater|[Ee]arly|[Ll]ate)\s+(?P<rel>this|last|next)\s+(?P<unit>week|month|year)\b",
          _h_edge_rel),
    _Rule("ago", rf"\b(?P<num>{_NUM})\s+(?P<unit>day|week|month|year|decade)s?\s+(?P<dir>ago|earlier)\b", _h_ago),
    _Rule("weekday",
          rf"(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his(?:\s+coming)?|[Cc]oming|(?:[Tt]he\s+)?(?:previous|following|past|coming|next))\s+)?"
          rf"(?P<wd>{_WEEKDAY})(?:'s)?\b", _h_weekday),
    _Rule("rel_unit",
          rf"\b(?P<rel>[Tt]his|[Ll]ast|[Nn]ext|(?:[Tt]he\s+)?(?:past|coming|previous|following|current))\s+"
          rf"(?P<unit>week(?:end)?|month|year|decade)\b(?!-)", _h_rel_unit),
    _Rule("year_ago_adj", r"\b(?:[Tt]he\s+)?(?:[Yy]ear-(?:ago|earlier))(?:\s+(?:period|quarter|results|level))?\b",
          _h_year_ago_adj),
    _Rule("holiday", r"\b(?P<hol>Thanksgiving(?:\s+Day)?|Christmas(?:\s+Day|\s+Eve)?|New\s+Year's\s+(?:Day|Eve)"
                     r"|Independence\s+Day)\b", _h_holiday),
    _Rule("month", rf"(?P<mod>{_MOD})?(?P<mon>{_MONTH})(?![\w-])", _h_month),
)


_HANDLERS = {r.name: r.handler for r in RULES}
_RULE_REGEX = {r.name: re.compile(r.pattern) for r in RULES}
_STRIP_NAMES = re.compile(r"\(\?P<\w+>")
COMBINED = re.compile("|".join(f"(?P<{r.name}>{_STRIP_NAMES.sub('(?:', r.pattern)})" for r in RULES))
# Cheap test: a sentence without any of these cannot hold a date.
_PREFILTER = re.compile(
    r"\d|January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|day\b|[Tt]onight|[Tt]omorrow|"
    r"week|month|year|decade|quarter|[Ss]pring|[Ss]ummer|[Ff]all\b|[Aa]utumn|[Ww]inter|Thanksgiving|Christmas|"
    r"century"
)


def _mentions_in(sentence: str, ctx: _Context) -> list[tuple[str, str]]:
    out = []
    for m in COMBINED.finditer(sentence):
        name = m.lastgroup
        sub = _RULE_REGEX[name].match(sentence, m.start())
        if sub is None:
            continue
        value = _HANDLERS[name](sub, ctx)
        if value:
            out.append((sub.group().strip(), value))
    return out


def extract_dates(doc: Doc) -> list[DateMention]:
    sentences = doc.sentences()
    year_hint = None if doc.anchor else _settled_year(sentences)
    found: list[DateMention] = []
    for index, sentence in enumerate(sentences):
        if not _PREFILTER.search(sentence):
            continue
        ctx = _Context(anchor=doc.anchor, year_hint=year_hint, sentence=sentence)
        for text, value in _mentions_in(sentence, ctx):
            found.append(DateMention(text=text, value=value, sentence=index))
    return found


def _settled_year(sentences: list[str]) -> int | None:
    """The year the article is written in, when its own text settles it (no anchor).
    First version: never guess."""
    return None


# ---------------------------------------------------------------- helpers for the timeline
_VALUE = re.compile(r"^(?P<y>[\dX]{4}|\d{3}X|\d{2}XX)(?:-(?P<f>\d{2}|XX|W(?:\d{1,2}|XX)|Q[1-4X]|H[12]|SP|SU|FA|WI)"
                    r"(?:-(?P<d>\d{1,2}|XX|WE))?)?")
_SEASON_MONTH = {"WI": 1, "SP": 4, "SU": 7, "FA": 10}


def year_of(value: str) -> int | None:
    """The year of a value when all four digits are known, else None."""
    m = _VALUE.match((value or "").split("/")[0])
    if not m or not m["y"].isdigit():
        return None
    return int(m["y"])


def date_sort_key(value: str) -> tuple:
    """Chronological key for ISO-with-X values. Less precise values come after
    the precise ones they contain (2016-10 after 2016-10-19, 2016 after
    2016-12), and values with an unknown year sort apart, after all others."""
    start = (value or "").split("/")[0]
    m = _VALUE.match(start)
    if not m:
        return (2, 0, 0, 0, value or "")
    ytxt, field, day = m["y"], m["f"], m["d"]
    if "X" in ytxt and ytxt.startswith("X"):
        unknown = 1
        year = 0
    else:
        unknown = 0
        # a decade or century sorts after every year it covers
        year = int(ytxt.replace("X", "9"))
    month, dnum = 99, 99
    if ytxt.endswith("X") and not ytxt.startswith("X"):
        month = 100
    elif field:
        if field.isdigit():
            month = int(field)
            dnum = int(day) if day and day.isdigit() else 99
        elif field.startswith("W") and field[1:].isdigit() and year:
            try:
                monday = dt.date.fromisocalendar(year, int(field[1:]), 1)
                month, dnum = monday.month, monday.day
            except ValueError:
                pass
            if day and day.isdigit():
                dnum += int(day) - 1
            else:
                dnum = min(dnum + 6, 31) + 0.5  # a whole week: after its days
        elif field.startswith("Q") and field[1:].isdigit():
            month, dnum = int(field[1]) * 3, 99.5
        elif field.startswith("H") and field[1:].isdigit():
            month, dnum = int(field[1]) * 6, 99.5
        elif field in _SEASON_MONTH:
            month, dnum = _SEASON_MONTH[field] + 2, 99.5
        elif field == "XX" and day and day.isdigit():
            month, dnum = 99, int(day)
        elif field.startswith("W") and day and day.isdigit():
            month, dnum = 99, int(day)  # a weekday of an unknown week
    return (unknown, year, month, dnum, value)
