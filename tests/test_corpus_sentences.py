"""Sentence splitting around quotation marks."""
from bot.corpus.sentences import split_sentences


def test_sentence_opening_with_two_single_quotes_is_split():
    text = "He was an official until May. ''The sooner the better,'' Mr. Lund said."
    assert split_sentences(text) == ["He was an official until May.", "''The sooner the better,'' Mr. Lund said."]
