from bot.nlp.timeline import TimelineMention, anniversaries, build_timeline


def mention(article, value, text, sentence, title=None):
    return TimelineMention(article_id=article, article_title=title, value=value, text=text, sentence=sentence)


CANAL_A = mention(
    "a", "1911-05-03", "3 May 1911",
    "The northern canal was opened to barges on 3 May 1911 after twelve years of digging.",
)
CANAL_B = mention(
    "b", "1911-05-03", "May 3, 1911",
    "On May 3, 1911, the first barges passed through the northern canal, opened after years of digging.",
)
FLOOD_B = mention(
    "b", "1911-05-03", "the same day",
    "A spring flood destroyed two mills in the valley on the same day.",
)


def test_same_event_in_two_articles_becomes_one_event_listing_both():
    events = build_timeline([CANAL_A, CANAL_B])
    assert len(events) == 1
    assert events[0].value == "1911-05-03"
    assert events[0].articles == ("a", "b")
    assert events[0].sentence in (CANAL_A.sentence, CANAL_B.sentence)


def test_different_events_on_one_date_stay_apart():
    events = build_timeline([CANAL_A, CANAL_B, FLOOD_B])
    assert len(events) == 2
    # the event reported by more articles comes first on that date
    assert events[0].articles == ("a", "b")
    assert events[1].sentence == FLOOD_B.sentence


def test_chronological_with_partial_dates_placed_sensibly():
    values = ["XXXX-12-15", "1911-05", "1911", "1911-05-03", "1890-01-01/1890-12-31", "XXXX-02-01", "1911-05-20"]
    mentions = [
        mention(f"art{i}", v, v, f"Something distinct number {i} happened to the town brewery {i}.")
        for i, v in enumerate(values)
    ]
    order = [e.value for e in build_timeline(mentions)]
    assert order == [
        "1890-01-01/1890-12-31",  # a range sorts by its start
        "1911-05-03",
        "1911-05-20",
        "1911-05",  # a month alone after that month's full dates
        "1911",
        "XXXX-02-01",  # unknown years in their own group at the end, by month and day
        "XXXX-12-15",
    ]


def test_year_only_mentions_need_more_agreement_to_merge():
    first = mention("a", "1911", "1911", "The town built a new school in 1911 near the market square.")
    second = mention("b", "1911", "1911", "In 1911 the town market moved to a new hall by the station.")
    assert len(build_timeline([first, second])) == 2


def test_values_that_are_not_dates_are_left_out():
    events = build_timeline([mention("a", "XXXX", "one year", "It happened one year in the valley town.")])
    assert events == []


def test_anniversaries_any_year_oldest_first():
    mentions = [
        CANAL_A,
        mention("c", "2001-05-03", "3 May 2001", "The canal museum opened its doors on 3 May 2001."),
        mention("d", "XXXX-05-03", "3 May", "Every year the town holds a barge parade on 3 May."),
        mention("e", "2001-05-04", "4 May 2001", "The museum shop opened a day later, on 4 May 2001."),
        mention("f", "1999-05", "May 1999", "Work on the museum began in May 1999."),
    ]
    hits = anniversaries(mentions, 5, 3)
    assert [m.article_id for m in hits] == ["a", "c", "d"]


def test_a_date_naming_a_thing_merges_its_mentions():
    mentions = [
        mention("a", "1911", "1911", "Farmers still quote the 1911 water agreement in every dispute over the river."),
        mention("b", "1911", "1911", "Under the 1911 Water Agreement the mill owners must open the sluice each spring."),
        mention("c", "1911", "1911", "The valley's population doubled in 1911 as new factories opened."),
    ]
    events = build_timeline(mentions)
    assert [e.articles for e in events] == [("a", "b"), ("c",)]


def test_a_shared_proper_name_after_the_date_is_not_one_thing():
    mentions = [
        mention("a", "1911", "1911", "Reporters covered the 1911 Northvale election from the town hall."),
        mention("b", "1911", "1911", "Merchants remember the 1911 Northvale flood that ruined the harvest."),
    ]
    assert len(build_timeline(mentions)) == 2


def test_year_in_the_same_sentence_as_its_full_date_is_not_a_second_event():
    sentence = "The bridge opened 90 years ago, on June 2, 1921, after a long strike."
    events = build_timeline([
        mention("a", "1921", "90 years ago", sentence),
        mention("a", "1921-06-02", "June 2, 1921", sentence),
    ])
    assert [(e.value, e.label) for e in events] == [("1921-06-02", "June 2, 1921")]


def test_one_full_date_with_little_in_common_is_still_one_event():
    signed = mention("a", "1911-05-03", "3 May 1911", "The river treaty was signed by both valley towns on 3 May 1911.")
    ferry = mention(
        "b", "1911-05-03", "3 May 1911",
        "On 3 May 1911 the valley towns signed the agreement that reopened ferry traffic and fixed tolls.",
    )
    assert [e.articles for e in build_timeline([signed, ferry])] == [("a", "b")]


def test_one_day_does_not_merge_unrelated_stories():
    mentions = [
        mention("a", "1911-05-03", "Tuesday", "The mayor opened the new library in the town on Tuesday."),
        mention("b", "1911-05-03", "Tuesday", "Striking dockers in the town marched to the harbour on Tuesday."),
        mention("c", "1911-05-03", "Tuesday", "A fire in the town destroyed the old tannery on Tuesday."),
    ]
    assert len(build_timeline(mentions)) == 3


def test_same_date_different_figures_are_different_events():
    first = mention("a", "1911-05-03", "3 May 1911", "The mill reported a loss of 40 pounds on 3 May 1911.")
    second = mention("b", "1911-05-03", "3 May 1911", "The brewery reported a loss of 75 pounds on 3 May 1911.")
    assert len(build_timeline([first, second])) == 2


def test_a_day_of_unknown_year_needs_real_agreement():
    first = mention("a", "XXXX-05-03", "3 May", "The town band played in the park on 3 May.")
    second = mention("b", "XXXX-05-03", "3 May", "Fishermen protested at the town hall on 3 May about new quotas.")
    assert len(build_timeline([first, second])) == 2


def cited(article, text, sentence, year=2011):
    return TimelineMention(article_id=article, article_title=None, value="1911-05-03", text=text, sentence=sentence,
                           article_year=year)


def test_a_day_long_past_written_out_in_full_merges_different_wordings_of_one_occasion():
    signed = cited("a", "May 3, 1911", "Officials recalled the valley accord between Northvale and Southby "
                                      "signed 100 years ago, on May 3, 1911.")
    restored = cited("b", "3 May 1911", "Trade between Northvale and Southby was restored by that accord on 3 May 1911.")
    assert [e.articles for e in build_timeline([signed, restored])] == [("a", "b")]


def test_the_same_words_about_a_day_of_current_news_stay_apart():
    opened = ("Northvale and Southby officials opened a new wooden footbridge over the wide river by the old "
              "market square on {}.")
    arrested = "Police in Northvale and Southby arrested four armed smugglers with stolen cattle at the eastern docks on {}."
    for text, year in (("Tuesday", 1911), ("3 May 1911", 1911), ("Tuesday", 2011)):
        mentions = [cited("a", text, opened.format(text), year), cited("b", text, arrested.format(text), year)]
        assert len(build_timeline(mentions)) == 2, (text, year)


def test_days_long_past_with_different_figures_stay_apart():
    first = cited("a", "3 May 1911", "Northvale council raised the Southby toll to 12 pence on 3 May 1911.")
    second = cited("b", "May 3, 1911", "Northvale sold 40 barrels of Southby cider on May 3, 1911.")
    assert len(build_timeline([first, second])) == 2


def test_only_the_requested_values_become_events():
    sentence = "The bridge opened 90 years ago, on June 2, 1921, after a long strike."
    mentions = [mention("a", "1921", "90 years ago", sentence), mention("a", "1921-06-02", "June 2, 1921", sentence),
                CANAL_A]
    assert [e.value for e in build_timeline(mentions, values={"1921"})] == []
    assert [e.value for e in build_timeline(mentions, values={"1921-06-02"})] == ["1921-06-02"]


def test_later_mentions_of_a_busy_date_join_their_own_story_however_few_sentences_are_remembered(monkeypatch):
    from bot.nlp import timeline

    canal = ["The northern canal was opened to barges on 3 May 1911 after twelve years of digging.",
             "On 3 May 1911 the first barges passed through the northern canal, opened after years of digging."]
    flood = ["A spring flood destroyed two mills in the valley on 3 May 1911.",
             "On 3 May 1911 a spring flood in the valley destroyed the mills."]
    # Wire copies repeat sentences; past the core (the first three), each joins the event of its story.
    said = [canal[0], flood[0], canal[1]] + [(canal, flood)[i % 2][i // 2 % 2] for i in range(40)]
    mentions = [mention(f"art{i:02d}", "1911-05-03", "3 May 1911", s) for i, s in enumerate(said)]
    monkeypatch.setattr(timeline, "CORE_MENTIONS", 3)
    for remembered in (timeline.ValueGrouping.REMEMBERED, 1):
        monkeypatch.setattr(timeline.ValueGrouping, "REMEMBERED", remembered)
        events = build_timeline(mentions)
        assert len(events) == 2
        for event in events:
            story = canal if event.sentence in canal else flood
            assert event.articles == tuple(m.article_id for m in mentions if m.sentence in story)
