"""The loop that polls the RSS and Atom feeds (bot.feeds does the work) and posts a line per new article.

Started in cog_load, waiting for the gateway to be ready, cancelled in cog_unload, as in
discord.py's background-task example. The feeds' schedule and state live in the database,
so reloading this cog neither skips nor repeats a poll.
"""
from __future__ import annotations

import logging

import discord
from discord.ext import commands, tasks

from bot.feeds import CHECK_SECONDS, FeedService, PollResult
from bot.render.feeds import notice_line
from bot.render.views import NO_MENTIONS

log = logging.getLogger(__name__)


class Feeds(commands.Cog):
    def __init__(self, bot: commands.Bot):
        self.bot = bot

    @property
    def service(self) -> FeedService:
        return self.bot.feeds

    async def cog_load(self) -> None:
        self.poll_loop.start()

    async def cog_unload(self) -> None:
        self.poll_loop.cancel()

    @tasks.loop(seconds=CHECK_SECONDS)
    async def poll_loop(self) -> None:
        await self.poll_due()

    @poll_loop.before_loop
    async def _before_poll_loop(self) -> None:
        await self.bot.wait_until_ready()

    async def poll_due(self) -> list[PollResult]:
        """Poll the feeds that are due and post the notices; a failure is logged, never ends the loop."""
        try:
            results = await self.service.poll_due()
        except Exception:  # the database, say: try again on the next tick
            log.exception("polling the feeds failed")
            return []
        await self.post_notices(results)
        return results

    async def post_notices(self, results: list[PollResult]) -> None:
        channel_id = self.bot.config.feed_notice_channel
        lines = [notice_line(new) for result in results for new in result.new]
        if channel_id is None or not lines:
            return
        channel = self.bot.get_channel(channel_id)
        if channel is None and self.bot.shard_ids is not None:
            # Its server may be on a shard another bot process runs: the REST API reaches it all the same.
            channel = self.bot.get_partial_messageable(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("feed_notice_channel %s is not a channel I can see: %d notices not posted", channel_id,
                        len(lines))
            return
        for line in lines:
            try:
                await channel.send(line, allowed_mentions=NO_MENTIONS, suppress_embeds=True)
            except discord.HTTPException as exc:
                log.warning("could not post a feed notice in channel %s: %s", channel_id, exc)
                return


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Feeds(bot))
