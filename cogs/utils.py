"""Small helpers the cogs share: the store, autocomplete choices, the user's today, admin checks."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Coroutine
from zoneinfo import ZoneInfo

import discord
from discord import app_commands

from bot.answers import UserError, off_loop
from bot.answers.types import CHOICE_CHARS, Choice
from bot.clip import clip
from bot.render.pages import Page, pages_for
from bot.render.views import send_pages
from bot.store import Store

log = logging.getLogger(__name__)

MAX_CHOICES = 25  # Discord's limit for autocomplete
# Discord drops an interaction not answered within 3 s; past this, say "thinking…" first.
DEFER_AFTER_SECONDS = 1.5


def store_of(interaction: discord.Interaction) -> Store:
    store = getattr(interaction.client, "store", None)
    if store is None:
        raise UserError("The bot is still starting up; try again in a moment.")
    return store


async def pages_of(answer: Awaitable[object]) -> list[Page]:
    return await off_loop(pages_for, await answer)


async def reply_with_pages(interaction: discord.Interaction, work: Coroutine[object, object, list[Page]], *,
                           ephemeral: bool = False) -> None:
    """Answer with the pages `work` produces, in its turn (bot.answers.turns).

    Defer only when the answer is late: a quick failure (an unknown name, a bad query)
    then still gets its private one-line reply, where after a public defer Discord
    would make it public. An answer that must wait in line behind others is late
    already: it says "thinking…" at once, so even the last of a burst responds within
    Discord's 3 s.
    """
    turns = interaction.client.answer_turns
    place = turns.line_up()
    if not place.done():
        try:
            await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        except BaseException:
            turns.leave(place)
            work.close()
            raise
        pages = await turns.run(work, place)
    else:
        task = asyncio.ensure_future(turns.run(work, place))
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER_SECONDS)
        if not done:
            await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        pages = await task
    await send_pages(interaction, pages, ephemeral=ephemeral)


async def choices(source: Callable[[Store, str], Awaitable[list[Choice]]], interaction: discord.Interaction,
                  current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete suggestions; never raises (a failed suggestion list is just empty)."""
    store = getattr(interaction.client, "store", None)
    if store is None:
        return []
    try:
        found = await source(store, current or "")
    except Exception:
        log.exception("autocomplete failed for %r", current)
        return []
    return [app_commands.Choice(name=clip(c.name or c.value, CHOICE_CHARS), value=c.value[:CHOICE_CHARS])
            for c in found[:MAX_CHOICES]]


async def guild_zone(interaction: discord.Interaction) -> ZoneInfo:
    """The server's digest time zone if it has one, else the configured default."""
    bot = interaction.client
    if interaction.guild_id is not None and getattr(bot, "store", None) is not None:
        subscription = await bot.store.subscription(interaction.guild_id)
        if subscription is not None:
            return ZoneInfo(subscription.timezone)
    return bot.config.zone


async def local_today(interaction: discord.Interaction) -> dt.date:
    return interaction.client.now().astimezone(await guild_zone(interaction)).date()
