"""Pages as embeds: one page per embed, and messages that stay within Discord's per-message limits."""
from bot.render.embeds import group_for_messages, page_embed
from bot.render.pages import Field, Page, paginate
from tests.conftest import assert_within_embed_limits


def test_a_page_becomes_an_embed_with_the_same_parts():
    page = Page(title="Timeline", description="**1956** the declaration", footer="page 1/2",
                fields=(Field("Source", "an article", inline=True),))
    embed = page_embed(page)
    assert (embed.title, embed.description, embed.footer.text) == ("Timeline", "**1956** the declaration", "page 1/2")
    assert [(f.name, f.value, f.inline) for f in embed.fields] == [("Source", "an article", True)]


def test_long_answers_are_grouped_into_messages_of_at_most_6000_characters_and_10_embeds():
    items = [f"Item {n}: " + "the talks continued without a result. " * 20 for n in range(200)]
    pages = paginate("A long answer " * 30, items)
    messages = group_for_messages(pages)
    assert sum(len(m) for m in messages) == len(pages)
    for embeds in messages:
        assert 1 <= len(embeds) <= 10
        assert sum(len(e) for e in embeds) <= 6000
        for embed in embeds:
            assert_within_embed_limits(embed)


def test_many_tiny_pages_still_use_at_most_ten_embeds_per_message():
    pages = [Page(title=f"p{n}", description="x") for n in range(25)]
    assert [len(m) for m in group_for_messages(pages)] == [10, 10, 5]
