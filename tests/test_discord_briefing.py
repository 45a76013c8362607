"""The briefing commands, driven through simcord as a Discord user would."""
import datetime as dt
import logging

import discord

from bot import answers
from bot.discord_app import APOLOGY
from tests.conftest import acknowledge_errors, all_pages, assert_within_embed_limits


async def test_experts_lists_everyone_quoted_with_role_and_count(world):
    expected = (await answers.experts(world.bot.store)).experts
    result = await world.member.slash(world.channel, "experts")
    pages = await all_pages(world.member, result)
    assert pages[0].title == f"Experts quoted ({len(expected)})"
    text = "\n".join(p.description for p in pages)
    top = expected[0]
    assert f"**{top.name}** — {top.quote_count} quote" in text
    if top.role:
        assert top.role in text
    for page in pages:
        assert_within_embed_limits(page)


async def test_quotes_autocomplete_offers_people_and_any_alias_resolves(world):
    experts = (await answers.experts(world.bot.store)).experts
    person = next(e for e in experts if e.aliases)
    alias = person.aliases[-1]
    choices = await world.member.autocomplete(world.channel, "quotes", "expert", alias[:4])
    assert 0 < len(choices) <= 25
    assert person.name in [c["value"] for c in choices]

    result = await world.member.slash(world.channel, "quotes", expert=alias)
    embed = result.response.embeds[0]
    assert embed.title.startswith(f"{person.name}: ")
    assert not result.ephemeral


async def test_quotes_of_nobody_is_one_private_line(world):
    result = await world.member.slash(world.channel, "quotes", expert="Zzyzx Qwerty")
    assert result.ephemeral
    assert result.response.content.startswith("Nobody called 'Zzyzx Qwerty' is quoted")
    assert not result.response.embeds
    assert len(acknowledge_errors(world.env)) == 1


async def test_quotes_can_be_limited_to_reported_speech(world):
    experts = (await answers.experts(world.bot.store)).experts
    for person in experts:
        quotes = await answers.quotes_by(world.bot.store, person.name)
        if any(q.kind == "indirect" for q in quotes.quotes):
            break
    result = await world.member.slash(world.channel, "quotes", expert=person.name, kind="indirect")
    embed = result.response.embeds[0]
    assert "indirect" in embed.title
    assert "(reported)" in embed.description


async def test_summary_of_the_corpus_and_of_one_article_chosen_by_autocomplete(world):
    result = await world.member.slash(world.channel, "summary")
    assert result.response.embeds[0].title == "Summary of the corpus"

    choices = await world.member.autocomplete(world.channel, "summary", "article", "")
    assert 0 < len(choices) <= 25
    article_id = choices[0]["value"]
    expected = await answers.summary(world.bot.store, article_id, 2)
    result = await world.member.slash(world.channel, "summary", article=article_id, sentences=2)
    embed = result.response.embeds[0]
    assert embed.title == expected.heading
    assert len(embed.description.split("\n\n")) == 2


async def test_article_autocomplete_never_offers_more_than_25(world, corpus_dir):
    for n in range(30):
        (corpus_dir / f"extra_{n:02d}.txt").write_text(
            f"---\ntitle: Harbour report number {n}\npublished: 2021-03-{n % 28 + 1:02d}\n---\n"
            f"The harbour council met for the {n}th time on Monday, officials said.\n", encoding="utf-8")
    await world.admin.slash(world.channel, "admin reload", what="corpus")
    assert len(await world.member.autocomplete(world.channel, "article", "article", "")) == 25
    typed = await world.member.autocomplete(world.channel, "article", "article", "harbour report number 1")
    assert 0 < len(typed) <= 25
    assert all("Harbour report number 1" in c["name"] for c in typed)


async def test_dates_paginate_and_only_the_invoker_turns_the_pages(world):
    result = await world.member.slash(world.channel, "dates")
    first = result.response.embeds[0]
    assert first.title == "Timeline"
    assert first.footer.text.startswith("page 1/")

    refused = await world.admin.click(result.response, label="Next ›")
    assert refused.ephemeral
    assert "Only the person who ran this command" in refused.response.content
    assert world.channel.last_message.embeds[0].footer.text.startswith("page 1/")

    pages = await all_pages(world.member, result)
    assert len(pages) > 1
    assert pages[-1].footer.text == f"page {len(pages)}/{len(pages)}"
    for page in pages:
        assert_within_embed_limits(page)


async def test_page_buttons_are_disabled_when_the_view_times_out(world):
    result = await world.member.slash(world.channel, "dates")
    await world.env.advance_time(181)
    message = world.channel.last_message
    assert message.id == result.response.id
    buttons = [c for row in message.components for c in row.children]
    assert buttons and all(b.disabled for b in buttons)


async def test_dates_of_one_year_and_a_range_that_makes_no_sense(world):
    rows = await world.bot.store.dates()
    year = next(r.year for r in rows if r.year)
    result = await world.member.slash(world.channel, "dates", year=year)
    assert result.response.embeds[0].title == f"Timeline ({year})"

    backwards = await world.member.slash(world.channel, "dates", **{"from": 2000, "to": 1990})
    assert backwards.ephemeral
    assert backwards.response.content == "from (2000) is after to (1990)."
    acknowledge_errors(world.env)


async def test_on_this_day_shows_anniversaries_of_a_date(world):
    row = next(r for r in await world.bot.store.dates() if r.month and r.day)
    result = await world.member.slash(world.channel, "onthisday", date=f"2030-{row.month:02d}-{row.day:02d}")
    embed = result.response.embeds[0]
    assert embed.title.startswith("On this day, ")
    assert "No anniversaries" not in embed.description

    today = await world.member.slash(world.channel, "onthisday")
    day = world.bot.now().astimezone(world.bot.config.zone)
    if today.ephemeral:  # nothing in the corpus falls on the clock's day: a private line says so
        assert today.response.content == f"No date in the corpus falls on {day.day} {day:%B}."
    else:
        assert today.response.embeds[0].title == f"On this day, {day.day} {day:%B}"

    bad = await world.member.slash(world.channel, "onthisday", date="tomorrow")
    assert bad.ephemeral and "is not a date" in bad.response.content
    acknowledge_errors(world.env)


async def test_search_highlights_the_words_found(world):
    word = "treaty"
    result = await world.member.slash(world.channel, "search", query=word)
    embed = result.response.embeds[0]
    assert embed.title.startswith(f"Search: {word} (")
    assert "**" in embed.description
    assert word in embed.description.lower()


async def test_search_with_broken_syntax_gets_a_friendly_private_line(world):
    result = await world.member.slash(world.channel, "search", query='"unbalanced AND (')
    assert result.ephemeral
    assert result.response.content.startswith("I couldn't read that search.")
    assert not result.deferred
    acknowledge_errors(world.env)


async def test_searching_too_fast_is_slowed_down(world):
    for _ in range(5):
        assert not (await world.member.slash(world.channel, "search", query="islands")).ephemeral
    sixth = await world.member.slash(world.channel, "search", query="islands")
    assert sixth.ephemeral and sixth.response.content.startswith("Slow down")
    other = await world.admin.slash(world.channel, "search", query="islands")
    assert not other.ephemeral  # the cooldown is per user
    acknowledge_errors(world.env)


async def test_the_longest_article_is_paginated_within_embed_limits(world):
    articles = (await world.bot.store.export()).articles
    longest = max(articles, key=lambda a: len(a.body))
    result = await world.member.slash(world.channel, "article", article=longest.id)
    pages = await all_pages(world.member, result)
    for page in pages:
        assert_within_embed_limits(page)
    assert f"id: {longest.id.replace('_', chr(92) + '_')}" in pages[0].description


async def test_a_huge_article_still_fits_discord(world, corpus_dir):
    paragraph = "The delegation said the talks would continue next spring. " * 40
    unbroken = "x" * 5000
    body = "\n\n".join([paragraph] * 60 + [unbroken])
    (corpus_dir / "huge.txt").write_text(f"---\ntitle: {'Long title ' * 40}\n---\n{body}\n", encoding="utf-8")
    await world.admin.slash(world.channel, "admin reload", what="corpus")
    result = await world.member.slash(world.channel, "article", article="huge")
    pages = await all_pages(world.member, result)
    assert len(pages) > 10
    for page in pages:
        assert_within_embed_limits(page)


async def test_corpus_text_never_pings_and_its_markdown_is_shown_literally(world, corpus_dir):
    (corpus_dir / "mentions.txt").write_text(
        "---\ntitle: Notice to @everyone\npublished: 2021-03-05\n---\n"
        "The mayor wrote to @everyone and @here, and to <@123456789012345678>, that **nothing** was agreed.\n",
        encoding="utf-8")
    await world.admin.slash(world.channel, "admin reload", what="corpus")
    result = await world.member.slash(world.channel, "article", article="mentions")
    message = result.response.message
    assert not message.mention_everyone and not message.mentions
    assert "\\*\\*nothing\\*\\*" in result.response.embeds[0].description
    bodies = [r.json.get("data", r.json) for r in world.env.http_requests
              if r.method in ("POST", "PATCH") and isinstance(r.json, dict)]
    policies = [b["allowed_mentions"] for b in bodies if isinstance(b, dict) and "allowed_mentions" in b]
    assert len(policies) >= 3  # the sync reply, the reload report, the article
    assert all(p.get("parse") == [] and not p.get("users") and not p.get("roles") for p in policies)


async def test_an_unexpected_error_is_logged_and_the_user_gets_an_apology(world, monkeypatch, caplog):
    async def broken(store):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(answers, "experts", broken)
    with caplog.at_level(logging.ERROR, logger="bot.discord_app"):
        result = await world.member.slash(world.channel, "experts")
    assert result.ephemeral and result.response.content == APOLOGY
    assert any(r.exc_info and "database on fire" in str(r.exc_info[1]) for r in caplog.records)
    errors = acknowledge_errors(world.env)
    assert isinstance(errors[0].__cause__ or errors[0].original, RuntimeError)


async def test_commands_reply_without_the_privileged_intents(world):
    intents = world.bot.intents
    assert not (intents.members or intents.presences or intents.message_content)
    assert isinstance(world.bot.allowed_mentions, discord.AllowedMentions)
    assert world.bot.allowed_mentions.everyone is False


async def test_the_most_quoted_experts_quotes_stay_within_embed_limits(world):
    top = (await answers.experts(world.bot.store)).experts[0]
    expected = await answers.quotes_by(world.bot.store, top.name)
    result = await world.member.slash(world.channel, "quotes", expert=top.name)
    pages = await all_pages(world.member, result)
    for page in pages:
        assert_within_embed_limits(page)
    assert sum(p.description.count("\n— *") for p in pages) == len(expected.quotes)


async def test_summary_about_a_topic(world):
    result = await world.member.slash(world.channel, "summary", topic="islands", sentences=3)
    embed = result.response.embeds[0]
    assert embed.title == "Summary: islands"
    assert "island" in embed.description.lower()


async def test_every_nothing_found_reply_is_private(world):
    search = await world.member.slash(world.channel, "search", query="zzyzxqwerty")
    assert search.ephemeral and search.response.content == "No sentence matches 'zzyzxqwerty'."
    assert not search.response.embeds
    taken = {(r.month, r.day) for r in await world.bot.store.dates() if r.month and r.day}
    free = next(d for d in (dt.date(2030, 1, 1) + dt.timedelta(days=n) for n in range(366))
                if (d.month, d.day) not in taken)
    quiet = await world.member.slash(world.channel, "onthisday", date=free.isoformat())
    assert quiet.ephemeral and quiet.response.content == f"No date in the corpus falls on {free.day} {free:%B}."
    acknowledge_errors(world.env)


async def test_an_impossible_date_says_what_is_wrong(world):
    result = await world.member.slash(world.channel, "onthisday", date="2020-02-30")
    assert result.ephemeral
    assert result.response.content == "February 2020 has no 30th; its last day is the 29th."
    acknowledge_errors(world.env)


async def test_search_and_summary_each_have_their_own_cooldown(world):
    for _ in range(5):
        assert not (await world.member.slash(world.channel, "search", query="islands")).ephemeral
    assert (await world.member.slash(world.channel, "search", query="islands")).ephemeral
    summary = await world.member.slash(world.channel, "summary")
    assert not summary.ephemeral and summary.response.embeds[0].title == "Summary of the corpus"
    acknowledge_errors(world.env)


async def test_long_article_titles_are_cut_at_a_word_in_autocomplete(world, corpus_dir):
    title = ("Harbour council agrees a new ferry timetable for former residents visiting the islands "
             "after talks in Nemuro")
    (corpus_dir / "long_title.txt").write_text(
        f"---\ntitle: {title}\npublished: 2021-03-05\n---\nThe harbour council met on Monday, officials said.\n",
        encoding="utf-8")
    await world.admin.slash(world.channel, "admin reload", what="corpus")
    choices = await world.member.autocomplete(world.channel, "article", "article", "harbour council agrees")
    name = next(c["name"] for c in choices if c["value"] == "long_title")
    assert len(name) <= 100 and name.endswith("…")
    shown = name.removesuffix("…")
    assert title.startswith(shown) and title[len(shown)] == " "
