from bot.nlp.summarize import summarize_article, summarize_many
from bot.nlp.types import Doc

HARBOUR_ARTICLE = Doc(
    title="Harbour town votes to rebuild its old ferry pier",
    paragraphs=(
        ("HARBOUR NEWS", "Photo: the pier at dawn (Getty Images)"),
        (
            "Councillors in the harbour town voted on Tuesday to rebuild the old ferry pier at a cost of four million pounds.",
            "The pier was closed two winters ago after storms cracked its wooden supports.",
            "Ferry operators said the closure had cut the number of summer visitors by a third.",
        ),
        (
            "Local shop owners welcomed the vote and said the rebuilt pier would bring visitors back to the town.",
            "Work on the new pier is expected to start in the spring and to take eighteen months.",
            "Some residents asked whether the money should instead go to repairing the sea wall.",
        ),
        ("Ferry pier rebuild approved", "Related: Coastal towns | Ferries | Storms"),
    ),
)


def test_n_respected_and_in_article_order():
    picks = summarize_article(HARBOUR_ARTICLE, 3)
    assert len(picks) == 3
    assert picks == sorted(picks)


def test_furniture_never_chosen():
    sentences = HARBOUR_ARTICLE.sentences()
    for n in range(1, 10):
        for i in summarize_article(HARBOUR_ARTICLE, n):
            assert sentences[i] not in {
                "HARBOUR NEWS",
                "Photo: the pier at dawn (Getty Images)",
                "Ferry pier rebuild approved",
                "Related: Coastal towns | Ferries | Storms",
            }


def test_opening_sentence_about_the_title_is_chosen():
    sentences = HARBOUR_ARTICLE.sentences()
    picks = summarize_article(HARBOUR_ARTICLE, 1)
    assert sentences[picks[0]].startswith("Councillors in the harbour town voted")


def test_summarize_many_focuses_on_query_and_spreads_articles():
    candidates = [
        ("a1", "The ferry pier will be rebuilt after the council approved four million pounds."),
        ("a2", "The council approved four million pounds so the ferry pier will be rebuilt."),
        ("a3", "Fishermen said the new fish market would open next month near the harbour."),
        ("a1", "Storms damaged the sea wall and the council has not decided how to repair it."),
    ]
    picks = summarize_many(candidates, 2, query="ferry pier")
    assert picks[0] in (0, 1)
    assert not {0, 1} <= set(picks)  # the same fact from two articles is told once


def test_headline_repeated_in_body_is_not_chosen():
    doc = Doc(
        title="City council approves new cycle lanes on main road",
        paragraphs=(
            ("City council approves new cycle lanes on main road.",),
            (
                "The council voted to paint cycle lanes along the main road from the station to the park.",
                "Cyclists had asked for safer lanes on the main road for several years.",
                "Drivers' groups said the lanes would slow traffic at the busiest junctions.",
            ),
        ),
    )
    assert 0 not in summarize_article(doc, 3)


NOUNS = """bridge school hospital library market station museum harbour park tower road canal farm
    theatre stadium airport factory bakery chapel garden prison castle ferry tunnel quarry mill dairy
    orchard forge brewery""".split()


def _long_article(sentence_count):
    # Sentences with a shared frame (so they are central) but different facts.
    def noun(k):
        return NOUNS[k % len(NOUNS)]

    return Doc(
        title="Town plans new buildings",
        paragraphs=tuple(
            (f"The {noun(3 * i)} and the {noun(3 * i + 1)} gained new {noun(3 * i + 2)} staff this season.",)
            for i in range(sentence_count)
        ),
    )


def test_adaptive_length_grows_with_the_article_within_bounds():
    assert len(summarize_article(_long_article(8), None)) == 3
    assert len(summarize_article(_long_article(16), None)) == 4
    assert len(summarize_article(_long_article(60), None)) == 5


def test_fewer_real_sentences_than_asked():
    doc = Doc(paragraphs=(("BREAKING NEWS", "The old mill by the river burned down late on Sunday night."),))
    assert summarize_article(doc, 3) == [1]


def test_summarize_many_ranks_sentences_matching_more_of_the_query_first():
    candidates = [
        ("a1", "The council said the harbour pier, the harbour wall and the harbour market all need repairs."),
        ("a2", "Ferry crews said the wooden pier shook badly whenever a large ferry docked there."),
        ("a3", "The harbour market and the harbour wall were repaired by the council last year."),
        ("a4", "The council and the harbour market traders agreed new opening hours for the harbour."),
    ]
    assert summarize_many(candidates, 1, query="ferry pier") == [1]


def test_summarize_many_without_query_spreads_over_articles():
    candidates = [
        ("a1", "The new tram line will link the station with the university by next autumn."),
        ("a1", "Tram drivers will be trained on the new line at the depot during the summer months."),
        ("a2", "The city budget sets aside money for the tram line and for new cycle paths."),
    ]
    picks = summarize_many(candidates, 2)
    assert {candidates[i][0] for i in picks} == {"a1", "a2"}


def test_the_publishers_voice_and_sentences_broken_by_a_cut_are_never_summary_lines():
    doc = Doc(title="Ferry pier reopens", paragraphs=(
        ("Harbour Weekly invites our readers to get acquainted with the views of the harbour master on the pier.",
         "The harbour master said the rebuilt ferry pier would reopen to passenger ferries on Friday morning.",
         "The council approved the money for the ferry pier in May, which calls for the The pier will carry trucks.",
         "Subscribe to our newsletter for more stories about the ferry pier and the harbour.",
         "Ferry operators said the reopened pier would bring summer visitors back to the harbour town."),))
    picks = [doc.sentences()[i] for i in summarize_article(doc, 3)]
    assert picks and not any("readers" in s or "the The" in s or "Subscribe" in s for s in picks)
