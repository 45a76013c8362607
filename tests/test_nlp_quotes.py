"""Quote extraction and attribution, on made-up news paragraphs."""
from bot.corpus.sentences import split_sentences
from bot.nlp.quotemarks import find_quotes
from bot.nlp.quotes import extract_quotes
from bot.nlp.types import Doc


def analyse(*paragraphs: str):
    doc = Doc(paragraphs=tuple(tuple(split_sentences(p)) for p in paragraphs))
    people, quotes = extract_quotes(doc)
    return {p.name: p for p in people}, quotes


def speakers_of(quotes, fragment: str) -> set:
    return {q.speaker for q in quotes if fragment in q.text}


def test_direct_quote_with_trailing_name_and_role():
    people, quotes = analyse(
        '"The harbour will reopen in spring," Marta Olenko, director of the Baltic Shipping Institute, told reporters.'
    )
    assert speakers_of(quotes, "harbour will reopen") == {"Marta Olenko"}
    assert [q.kind for q in quotes] == ["direct"]
    assert people["Marta Olenko"].role == "director of the Baltic Shipping Institute"
    assert "Olenko" in people["Marta Olenko"].aliases


def test_title_before_name_is_the_role():
    people, quotes = analyse("Former Estonian Defence Minister Jaan Tamm said that the drills were routine.")
    assert people["Jaan Tamm"].role == "Former Estonian Defence Minister"
    quote = quotes[0]
    assert quote.kind == "indirect" and quote.text == "the drills were routine"


def test_pronoun_goes_to_the_person_the_text_is_about():
    _, quotes = analyse(
        "Professor Ilse Brandt of the University of Graz reviewed the plan with Mayor Otto Kern.",
        '"It cannot be built in two years," she said.',
    )
    assert speakers_of(quotes, "cannot be built") == {"Ilse Brandt"}


def test_role_noun_resolves_to_matching_person():
    _, quotes = analyse(
        "Chilean President Rosa Vidal met Peruvian Prime Minister Luis Ortega in Lima.",
        '"We agreed on the border," the Chilean leader said.',
    )
    assert speakers_of(quotes, "agreed on the border") == {"Rosa Vidal"}


def test_indefinite_role_after_a_quote_is_the_same_speaker():
    _, quotes = analyse(
        '"Rates will stay high," analyst Pavel Dorn said.',
        '"Nobody expects a cut before winter," a senior fellow at the Riga Policy Forum added.',
    )
    assert speakers_of(quotes, "Nobody expects") == {"Pavel Dorn"}


def test_quote_split_by_attribution_is_one_quote():
    _, quotes = analyse('"The vote was fair," Nadia Petrescu said. "The count was slow, but it was fair."')
    direct = [q for q in quotes if q.kind == "direct"]
    assert len(direct) == 1
    assert "count was slow" in direct[0].text and direct[0].speaker == "Nadia Petrescu"


def test_quote_running_over_paragraphs_keeps_its_speaker():
    _, quotes = analyse(
        'Senator Hugo Lind said: "The first problem is money.',
        '"The second problem is time."',
    )
    assert speakers_of(quotes, "second problem") == {"Hugo Lind"}


def test_partial_quote_inside_a_sentence():
    _, quotes = analyse('Economist Clara Voss, who said that now is "a good moment" to invest, left early.')
    assert speakers_of(quotes, "a good moment") == {"Clara Voss"}


def test_according_to_and_as_stated_by():
    _, quotes = analyse(
        "According to Tomas Reyes, the mine will close next year.",
        "The treaty remains in force, as stated by Foreign Minister Ana Duarte.",
    )
    assert speakers_of(quotes, "mine will close") == {"Tomas Reyes"}
    assert speakers_of(quotes, "treaty remains in force") == {"Ana Duarte"}


def test_unnamed_sources_are_kept_without_a_speaker():
    people, quotes = analyse("Some analysts believe that the merger will fail.")
    assert [q.speaker for q in quotes] == [None]
    assert people == {}


def test_countries_and_outlets_are_not_people():
    people, quotes = analyse(
        "Moscow insists that the islands are Russian.",
        '"Talks will continue," Reuters reported.',
    )
    assert {name: p.kind for name, p in people.items()} == {"Reuters": "organisation"}
    assert speakers_of(quotes, "islands are Russian") == {None}  # a country's stand, no one's words
    assert speakers_of(quotes, "Talks will continue") == {"Reuters"}  # the outlet is the source, not a person
    assert [people[q.speaker].kind for q in quotes if q.speaker] == ["organisation"]


def test_scare_quotes_and_apostrophes_are_not_quotes():
    _, quotes = analyse("The so-called \u201creform\u201d of the players\u2019 union didn't pass.")
    assert quotes == []


def test_object_of_a_verb_is_not_reported_speech():
    _, quotes = analyse("In an interview, Professor Kaito Mori stressed the importance of the summit.")
    assert quotes == []


def test_quote_inside_a_quote_is_not_the_outer_speakers_own_quote():
    _, quotes = analyse(
        '"As the old minister Ivo Bern said, \u2018there is no such issue\u2019, and we moved on," Lena Sarr said.'
    )
    assert len(quotes) == 1 and quotes[0].speaker == "Lena Sarr"


def test_single_quotes_as_quotation_marks():
    spans = find_quotes("He called it \u2018a historic day\u2019 and left; it\u2019s over.")
    assert [s.text("He called it \u2018a historic day\u2019 and left; it\u2019s over.") for s in spans] == [
        "a historic day"
    ]


def test_sentence_indices_point_at_the_quote():
    _, quotes = analyse("Ships left the port.", 'Officials met. "We are ready," Mira Holm said.')
    assert quotes[0].sentence == 2


def test_name_in_apposition_to_a_description_is_the_speaker():
    people, quotes = analyse(
        "The country's chief negotiator, Deputy Minister Elin Sorbo, told a briefing that no deal was near."
    )
    assert speakers_of(quotes, "no deal was near") == {"Elin Sorbo"}
    assert people["Elin Sorbo"].role == "Deputy Minister"


def test_aside_between_name_and_verb():
    _, quotes = analyse("Kowalczyk, for his part, insisted that the budget was balanced.")
    assert speakers_of(quotes, "budget was balanced") == {"Kowalczyk"}


def test_someone_elses_spokesman_is_not_that_person():
    _, quotes = analyse(
        "Governor Ruth Adler met the press.",
        "Adler's spokesman said the governor would not resign.",
    )
    assert speakers_of(quotes, "would not resign") == {None}


def test_participle_continues_the_same_speaker():
    _, quotes = analyse('"We will not sell," Ortiz Blanco told reporters, adding that talks would go on.')
    assert speakers_of(quotes, "talks would go on") == {"Ortiz Blanco"}


def test_told_with_hearer_then_bare_clause():
    _, quotes = analyse("Trade Minister Sven Aas told Reuters the tariffs were temporary.")
    assert speakers_of(quotes, "tariffs were temporary") == {"Sven Aas"}


def test_when_asked_is_not_a_speaker():
    _, quotes = analyse('When asked about the strike, Minister Jonas Lie said: "It is over."')
    assert speakers_of(quotes, "It is over") == {"Jonas Lie"}


def test_capitalised_common_noun_is_not_a_new_person():
    people, quotes = analyse(
        "The demonstrators gathered at noon.",
        '"We want answers," Demonstrators said.',
    )
    assert "Demonstrators" not in people


def test_headline_capitals_are_not_names():
    people, _ = analyse(
        "Mayor Sees Bright Future For Harbour Plan",
        'Mayor Ida Lund said: "The harbour plan is ready."',
    )
    assert set(people) == {"Ida Lund"}


def test_person_just_introduced_with_a_role_is_the_next_he():
    _, quotes = analyse(
        "While Mark Tully ran the port, the shortage worried Aldo Ricci, head of the Dockers Union.",
        '"Nobody listens to us," he said.',
    )
    assert speakers_of(quotes, "Nobody listens") == {"Aldo Ricci"}


def test_interview_transcript_answers_are_the_interviewees_quotes():
    _, quotes = analyse(
        "The agency spoke to Oleg Ramirez, a fellow at the Institute of Pacific Studies.",
        "Sputnik: Will the talks succeed?",
        "Ramirez: I doubt it. Both capitals have elections coming.",
    )
    answer = ("Oleg Ramirez", "I doubt it. Both capitals have elections coming.")
    assert [(q.speaker, q.text) for q in quotes] == [answer]


def test_dash_before_speaker_and_guillemets():
    _, quotes = analyse(
        "\u201cWe are ready,\u201d \u2013 Minister Pavel Orlov said.", "\u00abThe land is ours\u00bb, said Pavel Orlov."
    )
    assert speakers_of(quotes, "We are ready") == {"Pavel Orlov"}
    assert speakers_of(quotes, "The land is ours") == {"Pavel Orlov"}


def test_role_stops_at_a_full_stop_and_at_other_peoples_names():
    people, _ = analyse(
        "The talks were chaired by the president. Prime Minister Lena Holt said that they went well.",
        "Holt, political adviser Ivo Marsh and Deputy Minister Ina Roos said the mood was calm.",
    )
    assert people["Lena Holt"].role == "Prime Minister"


def test_surname_that_is_also_a_month_or_place():
    people, _ = analyse('"We will leave," Prime Minister Theresa May said.', '"So will we," Chuck Jordan said.')
    assert {"Theresa May", "Chuck Jordan"} <= set(people)


def test_role_noun_prefers_matching_nationality_and_reverse_apposition():
    people, quotes = analyse(
        "Foreign Minister Olaf Brandt met his Danish counterpart, Mette Lund, in Berlin.",
        '"We made progress," Brandt said.',
        '"There is more to do," the Danish minister told reporters.',
    )
    assert speakers_of(quotes, "more to do") == {"Mette Lund"}
    assert people["Mette Lund"].role is not None and "Danish" in people["Mette Lund"].role


def test_quote_set_off_by_dashes_after_a_name():
    _, quotes = analyse(
        'Several senators agreed, including Senator Ada Moss -- "this plan cannot pass" -- and others.'
    )
    assert speakers_of(quotes, "cannot pass") == {"Ada Moss"}


def test_any_text_gives_consistent_results():
    from hypothesis import given, settings, strategies as st

    pieces = st.sampled_from([
        "Anna Berg", "he", "she", "said", "told reporters", "that", ",", ".", '"', "\u201c", "\u201d", "'", "\u2019",
        "the minister", "according to", "Moscow", "Mr.", "Dr. Ivo Lind", ":", "--", "and", "the talks failed",
        "We will win", "\n\n",
    ])

    @settings(max_examples=150, deadline=None)
    @given(st.lists(pieces, max_size=40))
    def check(words):
        text = " ".join(words)
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        doc = Doc(paragraphs=tuple(tuple(split_sentences(p)) for p in paragraphs))
        people, quotes = extract_quotes(doc)
        names = {p.name for p in people}
        for quote in quotes:
            assert quote.speaker is None or quote.speaker in names
            assert 0 <= quote.sentence < len(doc.sentences())
            assert quote.text.strip()

    check()


def test_the_spoken_words_stay_and_the_reported_quote_around_them_is_the_repeat():
    from bot.nlp.quote_repeats import repeated_quotes
    from bot.nlp.types import Quote
    quotes = [Quote(speaker="Ann Lee", kind="indirect", text="the ferry deal was \"a good first step\"", sentence=4),
              Quote(speaker="Ann Lee", kind="direct", text="a good first step", sentence=4),
              Quote(speaker="Ann Lee", kind="direct", text="a good first step", sentence=9)]
    assert repeated_quotes(quotes) == {0}


def test_a_quote_whose_words_a_longer_quote_of_its_kind_shows_is_a_repeat():
    from bot.nlp.quote_repeats import repeated_quotes
    from bot.nlp.types import Quote
    quotes = [Quote(speaker="Ann Lee", kind="direct", text="The ferry deal is a good first step, and more will come",
                    sentence=2),
              Quote(speaker="Ann Lee", kind="direct", text="a good first step", sentence=2),
              Quote(speaker="Ann Lee", kind="indirect", text="the deal was fair", sentence=3),
              Quote(speaker="Ann Lee", kind="indirect", text="the deal was fair to both sides", sentence=3)]
    assert repeated_quotes(quotes) == {1, 2}


def test_split_quote_keeps_each_part_as_written():
    _, quotes = analyse('"The bridge is safe," Tomas Varga said on Monday. "Trucks, however, must wait."')
    direct = [q for q in quotes if q.kind == "direct"]
    assert [q.parts for q in direct] == [("The bridge is safe,", "Trucks, however, must wait.")]
    assert direct[0].text == "The bridge is safe Trucks, however, must wait."


def test_one_part_quote_has_no_parts():
    _, quotes = analyse('"Trucks must wait until the spring," Tomas Varga said.')
    direct = [q for q in quotes if q.kind == "direct"]
    assert len(direct) == 1 and direct[0].parts == ()


# ---------------------------------------------------------------- shapes of quotation in news
def test_organisations_are_sources_of_their_own_kind_not_people():
    people, quotes = analyse(
        '"Inflation will ease by summer," the OECD said in its outlook.',
        '"The drop surprised traders," the Harbour Gazette added.',
    )
    assert {name: p.kind for name, p in people.items()} == {"OECD": "organisation", "Harbour Gazette": "organisation"}
    assert speakers_of(quotes, "Inflation will ease") == {"OECD"}
    assert speakers_of(quotes, "drop surprised traders") == {"Harbour Gazette"}


def test_unnamed_organisation_keeps_its_quote_without_a_speaker():
    people, quotes = analyse('"The permit was withdrawn for safety reasons," the ministry said in a statement.')
    assert people == {}
    assert speakers_of(quotes, "permit was withdrawn") == {None}
    assert [q.kind for q in quotes] == ["direct"]


def test_a_person_at_an_outlet_is_not_the_outlet():
    _, quotes = analyse('"Turnout will decide it," noted Channel 9\u2019s Dana Reyes.')
    assert "Channel 9\u2019s Dana Reyes" not in {q.speaker for q in quotes}


def test_parts_of_a_quote_around_an_unnamed_speaker_stay_one_quote():
    _, quotes = analyse('"If the bridge closes," the narrator says, "where will the children cross?"')
    assert [q.text for q in quotes] == ["If the bridge closes where will the children cross?"]
    assert quotes[0].parts == ("If the bridge closes,", "where will the children cross?")


def test_quote_resumed_after_but():
    _, quotes = analyse('"I respect the mayor," Ruth Okafor said, but "her budget leaves the harbour unfunded."')
    assert speakers_of(quotes, "budget leaves the harbour") == {"Ruth Okafor"}


def test_paragraph_of_only_a_quotation_continues_the_last_speaker():
    _, quotes = analyse(
        '"We trained all winter," coach Lena Varga said.',
        '"Nobody expected us in the final. Now they will remember us."',
    )
    assert speakers_of(quotes, "Nobody expected us") == {"Lena Varga"}


def test_paragraph_of_a_quotation_after_narrative_is_not_continued():
    _, quotes = analyse(
        '"We trained all winter," coach Lena Varga said.',
        "The team flew home on Sunday.",
        '"Nobody expected us in the final."',
    )
    assert speakers_of(quotes, "Nobody expected us") == set()


def test_verbs_that_only_introduce_a_quotation():
    _, quotes = analyse(
        'Senator Maria Lund interrupted the hearing, asking him, "Who signed the contract?"',
        'Farmers blocked the road while chanting "No land, no bread!"',
        "Councillor Piet Mol posted a photo of the flooded square, tweeting: \u201cThis is what neglect looks like.\u201d",
        "The choir sang the anthem twice.",
    )
    assert speakers_of(quotes, "Who signed the contract?") == {"Maria Lund"}
    assert any("No land, no bread!" in q.text for q in quotes)
    assert speakers_of(quotes, "what neglect looks like") == {"Piet Mol"}
    assert len(quotes) == 3  # singing an anthem reports no words


def test_quotation_after_a_colon_without_a_named_speaker_is_kept():
    _, quotes = analyse('The report ends with a warning: "Without repairs the dam will not survive another flood."')
    assert speakers_of(quotes, "dam will not survive") == {None}


def test_one_word_after_a_colon_is_not_a_quote():
    _, quotes = analyse('The boat had a new name painted on its side: "Albatross".')
    assert quotes == []


def test_headline_quote_goes_to_the_person_it_names():
    _, quotes = analyse(
        "Governor Alma Reyes Slams Water Plan: \u2018A Gift To Polluters\u2019",
        '"We will fight this in court," Governor Alma Reyes said on Monday.',
    )
    assert speakers_of(quotes, "A Gift To Polluters") == {"Alma Reyes"}


def test_verbless_lead_in_naming_one_person():
    _, quotes = analyse('A warning from Dr. Hana Sato: "Antibiotics are not sweets."')
    assert speakers_of(quotes, "Antibiotics are not sweets") == {"Hana Sato"}


def test_name_spelt_with_the_apostrophe_the_article_mostly_uses():
    people, _ = analyse(
        "Police Chief Liam O\u2019Brien arrived at noon.",
        "\"The road is closed,\" O'Brien said. O'Brien said the detour would last a week.",
    )
    assert list(people) == ["Liam O'Brien"]


def test_spokespeople_speak_for_their_organisation_not_for_the_last_person_quoted():
    _, quotes = analyse(
        'Mayor Tove Lind opened the new ferry line. "It took ten years," she said.',
        '"The timetable is final," a Harbour Authority spokesman said.',
        '"We have not seen the complaint," said a spokeswoman for Nordic Ferries.',
        '"She is travelling," Lind\'s spokesman said. "No comment," a spokesman said.',
    )
    assert speakers_of(quotes, "timetable is final") == {"Harbour Authority"}
    assert speakers_of(quotes, "not seen the complaint") == {"Nordic Ferries"}
    assert speakers_of(quotes, "She is travelling") == {None}
    assert speakers_of(quotes, "No comment") == {None}


def test_clause_opening_with_a_quotation_is_reported_whole():
    _, quotes = analyse(
        'Inspector Rui Costa said "routine checks" and a tip from a neighbour led to the arrest.',
        'Costa said "we are done here" in an interview on Monday.',
    )
    indirect = [q for q in quotes if q.kind == "indirect"]
    assert [q.text for q in indirect] == ['"routine checks" and a tip from a neighbour led to the arrest']
    assert indirect[0].speaker == "Rui Costa"
    assert speakers_of(quotes, "we are done here") == {"Rui Costa"}
    assert not any("interview" in q.text for q in quotes)


def test_naming_verbs_quote_their_subject():
    _, quotes = analyse(
        'Senator Rosa Diaz called the tax plan "a gift to the rich" on Monday.',
        'Diaz, who likened the bill to "a slow poison," voted against it.',
        'A group called "Parents for Parks" organised the march. The so-called "green wall" was never built.',
        'The lake is called "the jewel of the north". Senator Diaz called on voters to "show up in November."',
    )
    assert speakers_of(quotes, "a gift to the rich") == {"Rosa Diaz"}
    assert speakers_of(quotes, "a slow poison") == {"Rosa Diaz"}
    assert not any(t in q.text for q in quotes for t in ("Parents for Parks", "green wall", "jewel of the north"))
    assert speakers_of(quotes, "show up in November") <= {None, "Rosa Diaz"}


def test_name_in_apposition_after_an_inverted_verb():
    _, quotes = analyse("\u201cWe lost everything,\u201d said one farmer, Tom Reed, 54. \u201cThe water came in an hour.\u201d")
    assert speakers_of(quotes, "We lost everything") == {"Tom Reed"}
    assert speakers_of(quotes, "water came in an hour") == {"Tom Reed"}


def test_quote_before_a_reporting_verb_is_kept_when_the_source_has_no_name():
    people, quotes = analyse(
        "Governor Ellen Marsh toured the valley.",
        "\u201cEnough is enough!\u201d the crowd shouted.",
    )
    assert speakers_of(quotes, "Enough is enough!") == {None}
    assert list(people) == []  # nobody was quoted by name


def test_quote_resumed_after_a_dash():
    _, quotes = analyse("\u201cHelp is coming,\u201d Ellen Marsh said Friday \u2014 \u201cbut it will take time.\u201d")
    assert [(q.speaker, q.text) for q in quotes] == [("Ellen Marsh", "Help is coming but it will take time.")]


def test_whole_sentence_quote_goes_to_the_subject_of_the_sentence_before():
    _, quotes = analyse(
        "Senator Ada Moss was defiant on Tuesday. \u201cWe will not back down.\u201d",
        "The talks ended late. \u201cNobody won.\u201d",
    )
    assert speakers_of(quotes, "We will not back down.") == {"Ada Moss"}
    assert speakers_of(quotes, "Nobody won.") == set()  # no person before it: not anyone's words we know


def test_named_organisation_with_an_organisation_noun_keeps_its_name():
    _, quotes = analyse(
        "\u201cWe are monitoring the situation,\u201d the State Department said in a statement.",
        "The European Commission said it was \u201cdeeply concerned\u201d by the ruling.",
        "\u201cThe ruling is final,\u201d the European Commission added.",
    )
    assert speakers_of(quotes, "monitoring the situation") == {"State Department"}
    assert speakers_of(quotes, "deeply concerned") == {"European Commission"}
    assert speakers_of(quotes, "ruling is final") == {"European Commission"}  # one name, however the sentence starts
