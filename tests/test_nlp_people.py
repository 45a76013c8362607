"""One entry per person across the corpus, whatever the spelling."""
from bot.nlp import Doc, analyse
from bot.nlp.people import merge_people, name_key, resolve_alias
from bot.nlp.roles import affiliation
from bot.nlp.types import Person


def test_transliteration_variants_are_one_person():
    merged = merge_people([
        Person("Yevgeniy Morozov", ("Morozov",), "economist"),
        Person("Evgeny Morozov"),
        Person("Yevgeny Morozov", role="economist at the Gaidar Institute"),
    ])
    canonical = {p.name for p in merged.values()}
    assert len(canonical) == 1
    person = merged["Evgeny Morozov"]
    assert {"Yevgeniy Morozov", "Evgeny Morozov", "Yevgeny Morozov"} - {person.name} <= set(person.aliases)
    assert "Morozov" in person.aliases
    assert person.role is not None


def test_common_spelling_pairs_share_a_key():
    for a, b in [("Sergey", "Sergei"), ("Dmitriy", "Dmitri"), ("Aleksandr", "Alexander"), ("Alexey", "Aleksei"),
                 ("Zelenskiy", "Zelensky"), ("Natalya", "Natalia")]:
        assert name_key(a) == name_key(b), (a, b)


def test_different_first_names_stay_apart():
    merged = merge_people([Person("Anna Berg"), Person("Olof Berg"), Person("Maria Kuhn"), Person("Mario Kuhn")])
    assert merged["Anna Berg"].name == "Anna Berg"
    assert merged["Olof Berg"].name == "Olof Berg"
    assert merged["Maria Kuhn"] != merged["Mario Kuhn"]


def test_bare_surname_joins_the_best_known_person_of_that_name():
    merged = merge_people([Person("Anna Berg"), Person("Anna Berg"), Person("Olof Berg"), Person("Berg")])
    assert merged["Berg"].name == "Anna Berg"


def test_most_common_full_form_is_canonical_and_role_kept():
    merged = merge_people([
        Person("Pyotr Ilyin", role="Deputy Mayor"),
        Person("Pyotr Ilyin"),
        Person("Piotr Ilyin", role="Deputy Mayor of Kazan"),
    ])
    person = merged["Piotr Ilyin"]
    assert person.name == "Pyotr Ilyin"
    assert person.role in ("Deputy Mayor", "Deputy Mayor of Kazan")


def test_initial_is_compatible_with_full_first_name():
    merged = merge_people([Person("J. Halvorsen"), Person("Jonas Halvorsen")])
    assert merged["J. Halvorsen"].name == "Jonas Halvorsen"


def test_resolve_alias_finds_spelling_variants():
    merged = merge_people([Person("Valeriy Sokolov", ("Sokolov",)), Person("Ines Duarte")])
    assert resolve_alias("Valery Sokolov", merged).name == "Valeriy Sokolov"
    assert resolve_alias("Sokolov", merged).name == "Valeriy Sokolov"
    assert resolve_alias("Nobody Here", merged) is None


def test_merge_keeps_every_distinct_name_among_many_people():
    """Correctness at scale; the speed of this merge is measured in bench/nlp_scaling.py."""
    def word(n: int) -> str:
        return "".join(chr(97 + (n // 26 ** k) % 26) for k in range(4)).capitalize()

    people = [Person(f"{word(i % 977)} {word(i // 3)}") for i in range(20000)]
    people += [Person(f"{word(i)} Smith") for i in range(5000)]
    merged = merge_people(people)
    assert len(merged) == len({p.name for p in people})


def test_name_particles_belong_to_the_surname():
    merged = merge_people([Person("Anna de Vries"), Person("De Vries"), Person("Van Holt"), Person("Piet Holt")])
    assert merged["De Vries"].name == "Anna de Vries"
    # "Van" is also a given name: Van Holt stays apart from Piet Holt.
    assert merged["Van Holt"].name == "Van Holt"


# ---------------------------------------------------------------- roles written in a clause around the name


def _role_of(sentence: str, name: str) -> str | None:
    people = analyse(Doc(paragraphs=((sentence,),))).people
    return next(p.role for p in people if p.name == name)


def test_who_leads_or_heads_becomes_leader_or_head_of():
    assert _role_of('Hiroshi Kurokawa, who leads an association of former islanders, said: "We want to go home."',
                    "Hiroshi Kurokawa") == "leader of an association of former islanders"
    assert _role_of('Mika Sato, who also heads the Nemuro fishing cooperative, said: "The catch is down."',
                    "Mika Sato") == "head of the Nemuro fishing cooperative"
    assert _role_of('Hiroshi Kurokawa, who has led an association of former islanders since 2010, said: "No."',
                    "Hiroshi Kurokawa") == "leader of an association of former islanders"
    assert _role_of('Ann Lee, who once headed the Hokkaido office, said: "Talks are stalled."',
                    "Ann Lee") == "former head of the Hokkaido office"


def test_who_is_a_former_gives_the_noun_phrase():
    assert _role_of('Ivan Petrov, who is a former deputy governor of Sakhalin, said: "Nothing will change."',
                    "Ivan Petrov") == "former deputy governor of Sakhalin"
    assert _role_of('John Kerry, who is now his secretary of state, said: "We will talk."',
                    "John Kerry") == "secretary of state"
    assert _role_of('Yuki Tanaka, a former fisherman from Nemuro, said: "The sea is closed to us."',
                    "Yuki Tanaka") == "former fisherman from Nemuro"
    assert _role_of('Sergei Volkov, who works as a guide on Iturup, said: "Tourists are coming back."',
                    "Sergei Volkov") == "guide on Iturup"


def test_role_before_the_name_and_after_a_party_tag():
    assert _role_of('A former diplomat, Ann Lee, said: "Talks are stalled."', "Ann Lee") == "former diplomat"
    assert _role_of('Oleg Ivanov, the head of the Kuril fishing union, said: "We need licences."',
                    "Oleg Ivanov") == "head of the Kuril fishing union"
    assert _role_of('James Clyburn (D-S.C.), the assistant leader of the Democratic caucus, said: "We will win."',
                    "James Clyburn") == "assistant leader of the Democratic caucus"


def test_a_clause_that_is_no_role_gives_none():
    assert _role_of('Ted Cruz, who was born and raised in Cuba, said: "No."', "Ted Cruz") is None


def test_a_role_is_a_whole_phrase_or_nothing():
    assert affiliation(" of South Carolina and G.O.P. leaders said", 0) == "of South Carolina"
    long_clause = ", who heads " + " ".join(["the committee of the council"] * 5) + ", said"
    assert _role_of("Ann Lee" + long_clause + ' "No."', "Ann Lee") is None


def test_clause_roles_are_kept_across_articles():
    first = analyse(Doc(paragraphs=(('Hiroshi Kurokawa, who leads an association of former islanders, said: '
                                     '"We want to go home."',),))).people
    second = analyse(Doc(paragraphs=(('Kurokawa said: "We are old now."',),))).people
    merged = merge_people([*first, *second])
    assert merged["Kurokawa"].role == "leader of an association of former islanders"


async def test_experts_reply_shows_roles_from_clauses(tmp_path):
    import datetime as dt

    from bot.console import Session, run_line
    from bot.ingest import CorpusLoader
    from bot.store import open_store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a1.txt").write_text(
        "Former islanders ask to visit graves\n\nHiroshi Kurokawa, who leads an association of former islanders, "
        'said: "We want to visit our family graves before we die."\n', encoding="utf-8")
    (corpus / "a2.txt").write_text(
        "Fishing quotas cut again\n\nMika Sato, who also heads the Nemuro fishing cooperative, said: "
        '"The catch near the islands is down by a third this year."\n', encoding="utf-8")
    store = await open_store(tmp_path / "bot.sqlite3")
    try:
        await CorpusLoader(store, corpus).reload()
        reply = await run_line(Session(store, CorpusLoader(store, corpus), today=lambda: dt.date(2026, 12, 1)),
                               "/experts")
    finally:
        await store.close()
    assert "leader of an association of former islanders" in reply
    assert "head of the Nemuro fishing cooperative" in reply


def test_a_suffix_tells_father_and_son_apart():
    merged = merge_people([Person("Harold Quimby"), Person("Harold Quimby Jr."), Person("Quimby Jr."),
                           Person("Quimby"), Person("Harold Quimby")])
    assert merged["Harold Quimby"].name == "Harold Quimby"
    assert merged["Harold Quimby Jr."].name == "Harold Quimby Jr."
    assert merged["Quimby Jr."].name == "Harold Quimby Jr."
    assert merged["Quimby"].name == "Harold Quimby"


def test_short_first_names_join_the_full_form_despite_a_middle_initial_and_a_suffix():
    merged = merge_people([Person("Joseph T. Pellworth Jr."), Person("Joe Pellworth"), Person("Pellworth"),
                           Person("Bill Harrowgate"), Person("William Harrowgate")])
    assert merged["Joe Pellworth"] is merged["Joseph T. Pellworth Jr."]
    assert merged["Pellworth"] is merged["Joseph T. Pellworth Jr."]
    assert merged["Bill Harrowgate"] is merged["William Harrowgate"]


def test_a_short_form_stays_apart_when_two_full_forms_could_claim_it():
    merged = merge_people([Person("Steve Tarrant"), Person("Steven Tarrant"), Person("Stephen Tarrant")])
    assert len({p.name for p in merged.values()}) == 3


def test_honorifics_are_never_part_of_a_name():
    merged = merge_people([Person("Ms. Orla Fenwick"), Person("Sen. Tobias Wrenn"), Person("Fenwick", ("Ms. Fenwick",))])
    assert merged["Ms. Orla Fenwick"].name == "Orla Fenwick"
    assert merged["Sen. Tobias Wrenn"].name == "Tobias Wrenn"
    assert all(not a.startswith("Ms.") for a in merged["Fenwick"].aliases)


_STORY = """Capitol Ledger
1 March 2026

Senator Harold Quimby said on Monday that the bill "will pass before the summer recess."

His son, Harold Quimby Jr., a consultant, disagreed. "My father is wrong about the timing," Quimby Jr. said.

Joseph T. Pellworth Jr., the governor, said: "We will sign it the day it arrives."

"The vote is closer than anyone admits," said Ms. Orla Fenwick, an analyst at a research group.
"""

_STORY_2 = """Capitol Ledger
2 March 2026

Governor Joe Pellworth told reporters, "The budget is balanced and we will keep it that way."

"Nobody in this state wants a shutdown," Pellworth said.
"""


async def test_experts_keep_father_and_son_apart_and_join_short_first_names(tmp_path):
    import datetime as dt

    from bot.console import Session, run_line
    from bot.ingest import CorpusLoader
    from bot.store import open_store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "000_politics.txt").write_text(_STORY)
    (corpus / "001_politics.txt").write_text(_STORY_2)
    store = await open_store(tmp_path / "bot.sqlite3")
    try:
        loader = CorpusLoader(store, corpus)
        await loader.reload()
        session = Session(store, loader, today=lambda: dt.date(2026, 3, 3))
        reply = await run_line(session, "/experts")
        by_honorific = await run_line(session, "/quotes expert:Ms. Fenwick")
        son = await run_line(session, "/quotes expert:Quimby Jr.")
    finally:
        await store.close()
    headings = [line for line in reply.splitlines() if " quote" in line]  # "Name — 3 quotes"
    assert any(line.startswith("Harold Quimby Jr. ") for line in headings)
    assert any(line.startswith("Harold Quimby ") and "Jr." not in line for line in headings)
    assert [line for line in headings if "Pellworth" in line] == ["Joseph T. Pellworth Jr. — 3 quotes"]
    assert "Ms." not in reply
    assert "Orla Fenwick" in reply
    assert by_honorific.startswith("Orla Fenwick: 1 quote")
    assert son.startswith("Harold Quimby Jr.: 1 quote")
    assert "My father is wrong" in son


def test_a_lone_surname_with_jr_is_a_name_but_a_numbered_phase_is_not():
    from bot.nlp.names import find_mentions

    names = [m.name for m in find_mentions("Phase II began on Monday. Quimby Jr. said it was late.")]
    assert names == ["Quimby Jr."]
