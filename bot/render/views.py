"""Sending pages in reply to an interaction, with buttons to turn them.

Only the person who ran the command can turn its pages; anyone else gets a
short private refusal. When the view times out its buttons are disabled by
editing the message, so nobody clicks a dead button.
"""
from __future__ import annotations

import logging

import discord

from .embeds import page_embed
from .pages import Page

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
PAGE_TIMEOUT = 180.0


class PageView(discord.ui.View):
    def __init__(self, pages: list[Page], owner_id: int, timeout: float = PAGE_TIMEOUT):
        super().__init__(timeout=timeout)
        self.pages = pages
        self.owner_id = owner_id
        self.index = 0
        self.message: discord.Message | discord.InteractionMessage | discord.WebhookMessage | None = None
        self._refresh()

    @property
    def embed(self) -> discord.Embed:
        return page_embed(self.pages[self.index])

    def _refresh(self) -> None:
        last = len(self.pages) - 1
        self.first.disabled = self.previous.disabled = self.index == 0
        self.next.disabled = self.last.disabled = self.index == last
        self.counter.label = f"{self.index + 1}/{len(self.pages)}"

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who ran this command can turn its pages. Run the command yourself to browse.",
            ephemeral=True, allowed_mentions=NO_MENTIONS)
        return False

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._refresh()
        await interaction.response.edit_message(embed=self.embed, view=self, allowed_mentions=NO_MENTIONS)

    @discord.ui.button(label="≪", style=discord.ButtonStyle.secondary)
    async def first(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, 0)

    @discord.ui.button(label="‹ Back", style=discord.ButtonStyle.primary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="1/1", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        pass  # a label, never enabled

    @discord.ui.button(label="Next ›", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index + 1)

    @discord.ui.button(label="≫", style=discord.ButtonStyle.secondary)
    async def last(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, len(self.pages) - 1)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is None:
            return
        try:
            await self.message.edit(view=self, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:  # deleted, or an ephemeral message past its lifetime
            log.debug("could not disable the buttons of an expired page view: %s", exc)


async def send_pages(interaction: discord.Interaction, pages: list[Page], *, ephemeral: bool = False) -> None:
    """Reply with the first page, and buttons when there are more."""
    if not pages:
        raise ValueError("nothing to send")
    view = PageView(pages, interaction.user.id) if len(pages) > 1 else None
    kwargs = {"embed": page_embed(pages[0]), "ephemeral": ephemeral, "allowed_mentions": NO_MENTIONS}
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        message = await interaction.followup.send(wait=True, **kwargs)
    else:
        await interaction.response.send_message(**kwargs)
        message = await interaction.original_response() if view is not None else None
    if view is not None:
        view.message = message


async def send_text(interaction: discord.Interaction, text: str, *, ephemeral: bool = True) -> None:
    """A short line of text, as the response or as a follow-up when already deferred."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS)
