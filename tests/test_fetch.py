"""The safe page fetcher, against a web site on 127.0.0.1; no other address is ever connected to."""
from __future__ import annotations

import socket

import pytest

import bot.fetch as fetch
from bot.answers.types import UserError
from bot.fetch import FetchError, GuardedResolver, RefusedAddress, check_url, fetch_page
from bot.links import canonical_url, link_article_id, normalise_url


def url(site, path: str) -> str:
    return str(site.make_url(path))


async def test_a_page_is_fetched_with_its_html_and_a_user_agent_naming_the_bot(site):
    page = await fetch_page(url(site, "/story"), allow_private=True)
    assert b"Ferry deal signed" in page.body
    assert page.content_type == "text/html" and page.charset == "utf-8"
    assert fetch.USER_AGENT.startswith("KurilBriefingBot/")


@pytest.mark.parametrize("code", [404, 500])
async def test_an_http_error_is_one_line_with_the_status(site, code):
    link = url(site, f"/status/{code}")
    with pytest.raises(FetchError) as caught:
        await fetch_page(link, allow_private=True)
    assert str(caught.value) == f"{link}: HTTP {code}"
    assert isinstance(caught.value, UserError)


async def test_a_slow_page_times_out_at_the_limit(site):
    link = url(site, "/slow")
    with pytest.raises(FetchError) as caught:
        await fetch_page(link, allow_private=True, timeout=0.5)
    assert str(caught.value) == f"{link}: timed out after 0.5 s"


async def test_a_page_past_5_mb_is_refused_while_streaming(site):
    link = url(site, "/huge")
    with pytest.raises(FetchError) as caught:
        await fetch_page(link, allow_private=True)
    assert str(caught.value) == f"{link}: larger than 5 MB"


async def test_an_image_is_not_a_web_page(site):
    link = url(site, "/image")
    with pytest.raises(FetchError) as caught:
        await fetch_page(link, allow_private=True)
    assert str(caught.value) == f"{link}: not a web page (content type image/png)"


async def test_five_redirects_are_followed_and_a_sixth_is_refused(site):
    page = await fetch_page(url(site, "/hop/6"), allow_private=True)
    assert page.url == url(site, "/story") and b"Ferry deal" in page.body
    link = url(site, "/hop/5")
    with pytest.raises(FetchError) as caught:
        await fetch_page(link, allow_private=True)
    assert str(caught.value) == f"{link}: more than 5 redirects"


@pytest.mark.parametrize("link, message", [
    ("http://10.0.0.1/", "http://10.0.0.1/: refused: 10.0.0.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/",
     "http://169.254.169.254/latest/meta-data/: refused: 169.254.169.254 is a link-local address"),
    ("http://[::1]:8080/", "http://[::1]:8080/: refused: ::1 is a loopback address"),
    ("http://[::ffff:192.168.1.1]/", "http://[::ffff:192.168.1.1]/: refused: ::ffff:192.168.1.1 is a private address"),
    ("http://0.0.0.0/", "http://0.0.0.0/: refused: 0.0.0.0 is an unspecified address"),
    ("file:///etc/passwd", "file:///etc/passwd: only http and https links can be fetched"),
    ("ftp://example.org/x", "ftp://example.org/x: only http and https links can be fetched"),
])
async def test_private_addresses_and_other_schemes_are_refused_before_any_connection(link, message, monkeypatch):
    async def no_connection(*args, **kwargs):
        raise AssertionError("a refused link must not be requested")
    monkeypatch.setattr(fetch, "_page", no_connection)
    with pytest.raises(FetchError) as caught:
        await fetch_page(link)
    assert str(caught.value) == message


async def test_a_host_name_resolving_to_loopback_is_refused():
    with pytest.raises(FetchError, match=r"refused: localhost resolves to a loopback address \(127\.0\.0\.1|::1\)"):
        await check_url("http://localhost/")


async def test_a_redirect_to_a_private_address_is_refused(site, monkeypatch):
    # Let only the test site's own 127.0.0.1 count as public, so the redirect is what gets checked.
    real = fetch.address_kind
    monkeypatch.setattr(fetch, "address_kind", lambda a: None if a == "127.0.0.1" else real(a))
    link = url(site, "/to-private")
    with pytest.raises(FetchError) as caught:
        await fetch_page(link)
    assert str(caught.value) == (f"{link} (redirected to http://10.0.0.1/latest): "
                                 "refused: 10.0.0.1 is a private address")


async def test_the_connect_time_resolver_drops_private_answers_so_dns_rebinding_fails(monkeypatch):
    answers = {"rebind.example": ["10.0.0.5"], "mixed.example": ["10.0.0.5", "93.184.215.14"]}

    async def fake_resolve(self, host, port=0, family=socket.AF_INET):
        return [{"hostname": host, "host": a, "port": port, "family": family, "proto": 0, "flags": 0}
                for a in answers[host]]
    resolver = GuardedResolver()
    monkeypatch.setattr(type(resolver._inner), "resolve", fake_resolve)
    with pytest.raises(RefusedAddress, match=r"rebind\.example resolves to a private address \(10\.0\.0\.5\)"):
        await resolver.resolve("rebind.example", 80)
    assert [r["host"] for r in await resolver.resolve("mixed.example", 80)] == ["93.184.215.14"]
    await resolver.close()


def test_urls_are_normalised_without_tracking_parameters_fragments_or_default_ports():
    assert normalise_url("HTTPS://News.Example.ORG:443/a/b?utm_source=x&id=3&fbclid=9&REF=home#comments") == \
        "https://news.example.org/a/b?id=3"
    assert normalise_url("http://example.org") == "http://example.org/"
    assert normalise_url("http://example.org:8080/x?gclid=1") == "http://example.org:8080/x"


def test_the_canonical_url_comes_from_the_link_or_og_url_resolved_against_the_page():
    page = "http://example.org/story?utm_campaign=a"
    html = '<html><head><link rel="Canonical" href="/news/1?utm_medium=b"></head><body>x</body></html>'
    assert canonical_url(html, page) == "http://example.org/news/1"
    og = '<html><head><meta property="og:url" content="https://example.org/news/2#top"></head></html>'
    assert canonical_url(og, page) == "https://example.org/news/2"
    assert canonical_url("<html><body>no head</body></html>", page) is None
    assert canonical_url(b"", page) is None


def test_article_ids_are_stable_safe_and_shared_by_addresses_of_one_story():
    first = link_article_id("https://News.Example.org/a?utm_source=feed")
    assert first == link_article_id("https://news.example.org/a#x")
    assert first.startswith("web-news.example.org-") and len(first.rsplit("-", 1)[1]) == 12
    assert first != link_article_id("https://news.example.org/b")
    assert all(c.isalnum() or c in "._-" for c in link_article_id("http://[::1]:8080/x"))
