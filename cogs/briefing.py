"""Briefing commands: /summary, /quotes, /experts, /dates, /onthisday, /search, /article."""
from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import answers

from .utils import choices, local_today, pages_of, reply_with_pages, store_of

# Corpus-wide ranking and full-text search cost the most: a per-user cooldown, each command its own.
HEAVY_RATE, HEAVY_PER_SECONDS = 5, 10.0


def heavy():
    """A fresh cooldown for one command (a shared decorator would share its bucket across commands)."""
    return app_commands.checks.cooldown(HEAVY_RATE, HEAVY_PER_SECONDS, key=lambda i: i.user.id)


class Briefing(commands.Cog):
    def __init__(self, bot: commands.Bot):
        self.bot = bot

    # ---------------------------------------------------------------- autocomplete (never deferred)
    async def article_autocomplete(self, interaction: discord.Interaction, current: str):
        return await choices(answers.article_choices, interaction, current)

    async def expert_autocomplete(self, interaction: discord.Interaction, current: str):
        return await choices(answers.expert_choices, interaction, current)

    # ---------------------------------------------------------------- commands
    @app_commands.command(description="Summarise one article, a topic, or the whole corpus.")
    @app_commands.describe(article="An article title or id (start typing for suggestions)",
                           sentences="How many sentences (1-10)", topic="Words the summary should be about")
    @app_commands.autocomplete(article=article_autocomplete)
    @heavy()
    async def summary(self, interaction: discord.Interaction, article: str | None = None,
                      sentences: app_commands.Range[int, 1, 10] | None = None, topic: str | None = None) -> None:
        count = sentences or self.bot.config.summary_sentences
        await reply_with_pages(interaction, pages_of(answers.summary(store_of(interaction), article, count, topic)))

    @app_commands.command(description="What an expert said: each quote with role, article and date.")
    @app_commands.describe(expert="A name or surname (any spelling the corpus uses)", topic="Only quotes about this",
                           kind="Direct quotes or reported speech")
    @app_commands.autocomplete(expert=expert_autocomplete)
    async def quotes(self, interaction: discord.Interaction, expert: str, topic: str | None = None,
                     kind: Literal["direct", "indirect"] | None = None) -> None:
        await reply_with_pages(interaction, pages_of(answers.quotes_by(store_of(interaction), expert, topic, kind)))

    @app_commands.command(description="Everyone quoted in the corpus, with role and number of quotes.")
    async def experts(self, interaction: discord.Interaction) -> None:
        await reply_with_pages(interaction, pages_of(answers.experts(store_of(interaction))))

    @app_commands.command(description="The timeline of key dates.")
    @app_commands.describe(year="Only this year", start="From this year", end="Up to this year",
                           topic="Only dates in sentences about this")
    @app_commands.rename(start="from", end="to")
    async def dates(self, interaction: discord.Interaction, year: app_commands.Range[int, 1, 9999] | None = None,
                    start: app_commands.Range[int, 1, 9999] | None = None,
                    end: app_commands.Range[int, 1, 9999] | None = None, topic: str | None = None) -> None:
        await reply_with_pages(interaction, pages_of(answers.timeline(store_of(interaction), year, start, end, topic)))

    @app_commands.command(description="Anniversaries: what happened on today's date in other years.")
    @app_commands.describe(date="Another day instead of today, as YYYY-MM-DD")
    async def onthisday(self, interaction: discord.Interaction, date: str | None = None) -> None:
        day = answers.parse_day(date) if date else await local_today(interaction)
        await reply_with_pages(interaction, pages_of(answers.on_this_day(store_of(interaction), day)))

    @app_commands.command(description="Full-text search: words, \"a phrase\", OR, NOT, prefix*.")
    @app_commands.describe(query="What to look for")
    @heavy()
    async def search(self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 200]) -> None:
        await reply_with_pages(interaction, pages_of(answers.search(store_of(interaction), query)))

    @app_commands.command(description="An article's details and full text, page by page.")
    @app_commands.describe(article="An article title or id (start typing for suggestions)")
    @app_commands.autocomplete(article=article_autocomplete)
    async def article(self, interaction: discord.Interaction, article: str) -> None:
        await reply_with_pages(interaction, pages_of(answers.article(store_of(interaction), article)))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Briefing(bot))
