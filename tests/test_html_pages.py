"""Saved web pages (.html/.htm) in the corpus: the article is read, the page around it is not."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.corpus.article import parse_article_bytes
from bot.corpus.reader import CorpusFileError
from bot.ingest import CorpusLoader
from bot.store import open_store
from bot.uploads import UploadError, check_upload

QUOTE = ('"We will not give up a single island, and the talks will go on," '
         'said Foreign Minister Kenji Arata after the meeting in Sapporo.')

ARTICLE_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Island talks resume in Sapporo | Northern Herald</title>
<meta property="og:title" content="Island talks resume in Sapporo">
<meta property="og:site_name" content="Northern Herald">
<meta name="author" content="Aiko Tanaka">
<meta property="article:published_time" content="2026-11-17T09:30:00+09:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/login">Sign in to your account</a></li></ul></nav>
<main><article>
<h1>Island talks resume in Sapporo</h1>
<p class="byline">By Aiko Tanaka</p>
<p>Japanese and Russian negotiators met in Sapporo on Monday for the first round of talks on the
southern Kuril Islands in more than two years, officials from both delegations confirmed.</p>
<p>{QUOTE}</p>
<p>The Russian delegation, led by deputy foreign minister Pavel Orlov, said Moscow was ready to
discuss joint economic activity on the islands but would not revisit the question of sovereignty.</p>
<p>Former residents of the islands, many of them now in their eighties, gathered outside the venue
to call for visits to family graves, which have been suspended since the spring of 2022.</p>
<p>A second round is planned for February in Moscow, according to a statement issued by the
Japanese foreign ministry late on Monday evening.</p>
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/a1">Fishing quotas cut again near Hokkaido</a></li>
<li><a href="/a2">Ten things to do in Sapporo this winter</a></li></ul></aside>
</main>
<footer><p>Copyright 2026 Northern Herald. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a> | <a href="/contact">Contact us</a></p>
</footer></body></html>
"""

NO_ARTICLE_PAGE = """<!DOCTYPE html>
<html><head><title>Page not found</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<footer>Copyright 2026</footer>
</body></html>
"""

TXT_ARTICLE = ("Talks on the islands resumed in Sapporo on Monday, officials said.\n\n"
               "\"We are ready,\" said Kenji Arata.\n")


def parse_page(html: str, name: str = "page.html"):
    return parse_article_bytes("page", html.encode("utf-8"), name)


def test_the_article_text_is_kept_with_its_paragraphs_and_quote():
    article = parse_page(ARTICLE_PAGE)
    assert QUOTE in article.body
    assert "Japanese and Russian negotiators met in Sapporo on Monday" in article.body
    assert "A second round is planned for February in Moscow" in article.body
    assert len(article.paragraphs) >= 5


def test_navigation_related_links_and_footer_are_left_out():
    body = parse_page(ARTICLE_PAGE).body
    for furniture in ("Sign in to your account", "Related stories", "Ten things to do in Sapporo",
                      "All rights reserved", "Privacy policy"):
        assert furniture not in body


def test_title_and_site_name_come_from_the_page():
    article = parse_page(ARTICLE_PAGE)
    assert article.title == "Island talks resume in Sapporo"
    assert article.source == "Northern Herald"


def test_date_in_the_meta_tags_is_a_publication_date_that_anchors():
    article = parse_page(ARTICLE_PAGE)
    assert article.published == "2026-11-17"
    assert article.published_kind == "page_metadata"
    assert article.anchor == dt.date(2026, 11, 17)


def test_htm_suffix_is_read_as_a_page_too():
    assert QUOTE in parse_page(ARTICLE_PAGE, "page.htm").body


def test_a_page_without_an_article_is_refused_with_the_reason():
    with pytest.raises(CorpusFileError, match="no article text found in the page"):
        parse_page(NO_ARTICLE_PAGE)


def test_front_matter_wins_over_the_page_metadata():
    front = "---\ntitle: Sapporo round of island talks\npublished: 2026-11-18\nsource: Kyodo\n---\n"
    article = parse_page(front + ARTICLE_PAGE)
    assert article.title == "Sapporo round of island talks"
    assert article.source == "Kyodo"
    assert (article.published, article.published_kind) == ("2026-11-18", "front_matter")
    assert QUOTE in article.body


def test_a_txt_file_is_still_read_as_text():
    article = parse_article_bytes("plain", TXT_ARTICLE.encode(), "plain.txt")
    assert '"We are ready," said Kenji Arata.' in article.body


async def test_folder_loads_the_page_and_the_txt_and_refuses_the_empty_page(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "talks.html").write_text(ARTICLE_PAGE, encoding="utf-8")
    (corpus / "notfound.htm").write_text(NO_ARTICLE_PAGE, encoding="utf-8")
    (corpus / "plain.txt").write_text(TXT_ARTICLE, encoding="utf-8")
    async with await open_store(tmp_path / "bot.sqlite3") as store:
        report = await CorpusLoader(store, corpus, workers=1).reload()
        stored = await store.article("talks")
    assert sorted(report.added) == ["plain", "talks"]
    assert dict(report.failed) == {"notfound.htm": "no article text found in the page"}
    assert QUOTE in stored.body
    assert stored.head.title == "Island talks resume in Sapporo"


def test_an_uploaded_page_is_checked_like_a_corpus_page():
    assert check_upload("talks.html", ARTICLE_PAGE.encode()).title == "Island talks resume in Sapporo"
    with pytest.raises(UploadError, match="no article text found in the page"):
        check_upload("notfound.html", NO_ARTICLE_PAGE.encode())


def test_invisible_characters_from_entities_do_not_reach_the_text():
    page = ARTICLE_PAGE.replace("first round of talks", "first&#8203; round of\u200b talks")
    assert "first round of talks" in parse_page(page).body


def test_the_time_a_page_was_fetched_is_its_capture_time_never_its_publication_date():
    undated = ARTICLE_PAGE.replace('<meta property="article:published_time" content="2026-11-17T09:30:00+09:00">', "")
    page = "---\nurl: http://example.test/a\nfetched: 2026-11-30T10:15:00+00:00\n---\n" + undated
    article = parse_article_bytes("saved", page.encode(), "saved.html")
    assert article.captured == "2026-11-30T10:15+00:00"
    assert article.published is None and article.anchor is None
