"""Date extraction: what a timeline reader would see for made-up sentences."""
from __future__ import annotations

import datetime as dt

from bot.nlp.dates import date_sort_key, extract_dates, year_of
from bot.nlp.types import Doc


def dates_of(*sentences: str, anchor: dt.date | None = None) -> list[tuple[str, str]]:
    doc = Doc(paragraphs=(tuple(sentences),), anchor=anchor)
    return [(d.text, d.value) for d in extract_dates(doc)]


def values_of(*sentences: str, anchor: dt.date | None = None) -> list[str]:
    return [v for _, v in dates_of(*sentences, anchor=anchor)]


# ---------------------------------------------------------------- explicit dates
def test_full_dates_in_both_orders():
    assert dates_of("The treaty was signed on March 3, 1921 in Riga.") == [("March 3, 1921", "1921-03-03")]
    assert values_of("The treaty was signed on 3 March 1921 in Riga.") == ["1921-03-03"]


def test_abbreviated_month_and_month_year():
    assert values_of("The vote is set for Feb. 11.") == ["XXXX-02-11"]
    assert values_of("He last visited the port in July 2011.") == ["2011-07"]


def test_iso_date_and_bare_year():
    assert values_of("The report is dated 2003-05-17.") == ["2003-05-17"]
    assert values_of("The border was redrawn in 1875.") == ["1875"]


def test_decade_and_year_range():
    assert values_of("Trade collapsed in the 1980s.") == ["198X"]
    assert values_of("He governed the region from 1994 to 1999.") == ["1994/1999"]


def test_day_range_in_one_month():
    assert dates_of("The forum meets on June 4th and 5th.") == [("June 4th and 5th", "XXXX-06-04/XXXX-06-05")]


def test_partial_dates_keep_unknown_year():
    assert values_of("The ministers will meet again in late March.") == ["XXXX-03"]
    assert values_of("The ferry resumed service on August 9th.") == ["XXXX-08-09"]


# ---------------------------------------------------------------- things that are not dates
def test_ages_durations_amounts_and_counts_are_not_dates():
    text = ("The 64-year-old envoy held four-hour talks, a two-day visit that produced 45 deals "
            "worth $12 billion, a 30 percent rise, under a nine-point plan of the Group of 20.")
    assert dates_of(text) == []


def test_four_digit_counts_are_not_years():
    assert dates_of("About 1,500 people and 2000 troops crossed the river.") == []
    assert dates_of("Some 1800 soldiers were deployed.") == []


def test_may_as_verb_and_june_as_name_are_not_dates():
    assert dates_of("May I ask a question?") == []
    assert dates_of("Prime Minister Theresa May said the talks were useful.") == []
    assert dates_of("Singer June Carter arrived late.") == []


# ---------------------------------------------------------------- relative dates
def test_relative_dates_stay_unknown_without_anchor():
    assert values_of("The minister spoke on Tuesday.") == ["XXXX-WXX-2"]
    assert values_of("The talks ended today.") == ["XXXX-XX-XX"]


def test_relative_dates_resolve_against_anchor():
    wednesday = dt.date(2015, 3, 11)
    assert values_of("The minister spoke on Tuesday.", anchor=wednesday) == ["2015-03-10"]
    assert values_of("The talks ended today.", anchor=wednesday) == ["2015-03-11"]
    assert values_of("Prices rose sharply last year.", anchor=wednesday) == ["2014"]
    assert values_of("The envoy arrived yesterday.", anchor=wednesday) == ["2015-03-10"]


def test_future_weekday_points_forward():
    wednesday = dt.date(2015, 3, 11)
    assert values_of("The envoy will arrive on Friday.", anchor=wednesday) == ["2015-03-13"]


def test_weeks_and_years_ago():
    anchor = dt.date(2015, 3, 11)
    assert values_of("The ferry sank 20 years ago.", anchor=anchor) == ["1995"]
    assert values_of("Talks resumed this week.", anchor=anchor) == ["2015-W11"]


def test_yearless_month_uses_anchor_and_tense():
    anchor = dt.date(2015, 3, 11)
    assert values_of("The deal was signed in November.", anchor=anchor) == ["2014-11"]
    assert values_of("The deal will be signed in November.", anchor=anchor) == ["2015-11"]


# ---------------------------------------------------------------- timeline helpers
def test_year_of():
    assert year_of("1956-10-19") == 1956
    assert year_of("2013-04") == 2013
    assert year_of("XXXX-12-15") is None
    assert year_of("1990/1995") == 1990


def test_sort_key_orders_partial_after_full_and_unknown_years_last():
    values = ["XXXX-12-15", "2016", "2016-10", "2016-10-19", "1956-10-19", "2013-04", "XXXX-WXX-2"]
    ordered = sorted(values, key=date_sort_key)
    assert ordered[:5] == ["1956-10-19", "2013-04", "2016-10-19", "2016-10", "2016"]
    assert set(ordered[5:]) == {"XXXX-12-15", "XXXX-WXX-2"}


# ---------------------------------------------------------------- the article's own year (no anchor)
def test_anniversary_settles_year_when_tenses_agree():
    found = dates_of(
        "The 1972 fishing accord was a landmark, and a forum in Sapporo will mark its 45th anniversary.",
        "The two ministers met in Osaka on April 4th.",
        "They will meet again in November.",
    )
    assert ("April 4th", "2017-04-04") in found
    assert ("November", "2017-11") in found


def test_no_year_is_guessed_when_months_do_not_fit_one_now():
    found = dates_of(
        "The 1972 fishing accord was a landmark, and a forum in Sapporo will mark its 45th anniversary.",
        "The two ministers met in Osaka in December.",
        "They will meet again in March.",
    )
    assert ("December", "XXXX-12") in found
    assert ("March", "XXXX-03") in found


def test_no_year_is_guessed_without_a_cue():
    found = dates_of("The ministers met in Osaka in December.", "They will meet again in 2030.")
    assert ("December", "XXXX-12") in found


# ---------------------------------------------------------------- news conventions with an anchor
def test_quarters_and_year_ago_figures():
    anchor = dt.date(2011, 10, 20)
    assert values_of("Its third-quarter profit fell.", anchor=anchor) == ["2011-Q3"]
    assert values_of("Sales rose from a year earlier.", anchor=anchor) == ["2010-10-20"]
    assert values_of("Profit doubled in the 2009 fourth quarter.", anchor=anchor) == ["2009-Q4"]
    assert dates_of("A quarter of the voters stayed home.", anchor=anchor) == []


def test_spelled_out_years_in_transcripts():
    assert values_of("It happened in nineteen eighty-four.") == ["1984"]


def test_following_year_counts_from_the_named_year():
    assert values_of("He was elected in 1987, and the following year he resigned.") == ["1987", "1988"]


def test_deadline_date_lies_ahead():
    anchor = dt.date(2011, 10, 20)
    assert values_of("The deal is to be completed by Jan. 15.", anchor=anchor) == ["2012-01-15"]
    assert values_of("The ship docked on Oct. 3.", anchor=anchor) == ["2011-10-03"]


def test_lists_of_years_are_all_years():
    assert values_of("Floods struck the valley in 1994, 1995 and 1997.") == ["1994", "1995", "1997"]


def test_names_and_clock_times_are_not_dates():
    assert dates_of("The minister told the Today programme he would stay.") == []
    assert dates_of("Marchers joined the March of the Mothers.") == []
    assert dates_of("The debate is shown from 1130 to 1215 GMT.") == []


def test_holidays_and_weekends_resolve_against_anchor():
    anchor = dt.date(2016, 10, 20)
    assert values_of("Voters go to the polls on Election Day.", anchor=anchor) == ["2016-11-08"]
    assert values_of("The ceasefire held over the weekend.", anchor=anchor) == ["2016-W41-WE"]


def test_sort_key_places_weeks_quarters_and_decades():
    values = ["2016", "2016-Q4", "2016-W42", "2016-10-30", "2016-10-17", "199X", "1995-06"]
    assert sorted(values, key=date_sort_key) == ["1995-06", "199X", "2016-10-17", "2016-W42", "2016-10-30",
                                                 "2016-Q4", "2016"]


def test_years_since_settles_year_but_an_approximate_count_does_not():
    from bot.nlp.dates import settled_year

    assert settled_year(["It has been 25 years since the 1991 collapse of the union."]) == 2016
    assert settled_year(["The war ended some 70 years ago, in 1945."]) is None
    assert settled_year(["Celebrations for the 70th anniversary were held in 2015."]) is None
