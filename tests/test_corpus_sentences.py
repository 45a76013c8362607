"""Sentence splitting around quotation marks."""
from bot.corpus.sentences import split_sentences


def test_sentence_opening_with_two_single_quotes_is_split():
    text = "He was an official until May. ''The sooner the better,'' Mr. Lund said."
    assert split_sentences(text) == ["He was an official until May.", "''The sooner the better,'' Mr. Lund said."]


def test_two_sentences_pasted_without_a_space_are_two_sentences():
    text = "The essay first ran in the Harbour Gazette.Mayor Ines Ruiz opened the pier on Friday."
    assert split_sentences(text) == ["The essay first ran in the Harbour Gazette.",
                                     "Mayor Ines Ruiz opened the pier on Friday."]


def test_web_addresses_and_abbreviations_are_not_sentence_ends():
    text = "Mrs.Lund wrote to www.Harbourgazette.com about the U.S.Navy pier."
    assert split_sentences(text) == [text]
