"""Pages as discord.Embeds, and how many embeds fit in one message."""
from __future__ import annotations

import discord

from .pages import EMBED_TOTAL_LIMIT, Page

COLOUR = discord.Colour(0x2F6F9F)
EMBEDS_PER_MESSAGE = 10


def page_embed(page: Page) -> discord.Embed:
    embed = discord.Embed(title=page.title or None, description=page.description or None, colour=COLOUR)
    for f in page.fields:
        embed.add_field(name=f.name, value=f.value, inline=f.inline)
    if page.footer:
        embed.set_footer(text=page.footer)
    return embed


def embed_size(embed: discord.Embed) -> int:
    """What Discord counts against the 6000-character limit."""
    return len(embed)


def group_for_messages(pages: list[Page]) -> list[list[discord.Embed]]:
    """Consecutive pages packed into as few messages as Discord allows (10 embeds, 6000 characters)."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    used = 0
    for page in pages:
        embed = page_embed(page)
        size = embed_size(embed)
        if current and (used + size > EMBED_TOTAL_LIMIT or len(current) >= EMBEDS_PER_MESSAGE):
            messages.append(current)
            current, used = [], 0
        current.append(embed)
        used += size
    if current:
        messages.append(current)
    return messages
