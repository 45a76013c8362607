"""/admin reload|sync|status|ingest|feeds: hidden behind Manage Server, checked again against the bot's admins.

Every admin action is logged with the user id; refusals are ephemeral and logged too.
"""
from __future__ import annotations

import logging
import math
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import answers
from bot.adding import add_bytes, add_link
from bot.answers import UserError
from bot.config import ConfigError
from bot.discord_app import NotAdmin
from bot.render.feeds import feed_list_pages
from bot.render.markdown import escape
from bot.render.pages import paginate, pages_for
from bot.render.views import send_pages
from bot.shards import describe_shards
from bot.store import Subscription
from bot.uploads import MAX_UPLOAD_BYTES

from .utils import store_of

log = logging.getLogger(__name__)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Admin(commands.GroupCog, group_name="admin", group_description="Bot administration (bot admins only)"):
    def __init__(self, bot: commands.Bot):
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Runs before every /admin command: Discord's permission is only the first gate."""
        name = interaction.command.qualified_name if interaction.command else "admin"
        if not await self.bot.is_admin(interaction.user):
            log.warning("user %s was refused /%s in guild %s", interaction.user.id, name, interaction.guild_id)
            raise NotAdmin("Only the bot's admins can do that.")
        options = {k: v.filename if isinstance(v, discord.Attachment) else v for k, v in interaction.namespace}
        log.info("admin %s ran /%s %s in guild %s", interaction.user.id, name, options, interaction.guild_id)
        return True

    @app_commands.command(description="Reload the corpus folder, the configuration file, or the cogs.")
    @app_commands.describe(what="What to reload")
    async def reload(self, interaction: discord.Interaction, what: Literal["corpus", "config", "cogs"]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        if what == "corpus":
            report = await self.bot.loader.reload()
            pages = paginate("Corpus reloaded", [escape(line) for line in report.lines()])
        elif what == "config":
            try:
                notes = await self.bot.reload_config()
            except ConfigError as exc:
                raise UserError(f"The configuration was not changed: {exc}") from None
            pages = paginate("Configuration reloaded", [escape(f"from {self.bot.config.source}"), *map(escape, notes)])
        else:
            results = await self.bot.reload_cogs()
            lines = [escape(f"✗ {name}: {error}" if error else f"✓ {name}") for name, error in results]
            lines.append("Run /admin sync if command names or options changed.")
            pages = paginate("Cogs reloaded", lines)
        await send_pages(interaction, pages, ephemeral=True)

    @app_commands.command(description="Publish the slash commands to Discord (globally, or to the set servers).")
    @app_commands.describe(scope="global: every server, within an hour; guild: the configured servers (or this one) "
                                 "at once")
    async def sync(self, interaction: discord.Interaction, scope: Literal["global", "guild"] = "global") -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = await self.bot.sync_commands(scope, interaction.guild)
        await send_pages(interaction, paginate("Commands synced", [text]), ephemeral=True)

    @app_commands.command(description="Corpus counts, last ingest, database size, latency, uptime, loop health.")
    async def status(self, interaction: discord.Interaction) -> None:
        loader = self.bot.loader
        report = loader.last_report.lines() if loader and loader.last_report else None
        answer = await answers.status(store_of(interaction), report)
        answer.extra.update(await self._live_status(interaction))
        await send_pages(interaction, pages_for(answer), ephemeral=True)

    async def _live_status(self, interaction: discord.Interaction) -> dict[str, str]:
        latency = self.bot.latency
        subscriptions = await store_of(interaction).subscriptions(enabled_only=False)
        enabled = sum(1 for s in subscriptions if s.enabled)
        digest = self.bot.get_cog("Digest")
        if digest is None:
            loop = "not loaded"
        else:
            health = digest.health
            state = "running" if digest.digest_loop.is_running() else "STOPPED"
            tick = health.last_tick.strftime("%Y-%m-%d %H:%M:%S UTC") if health.last_tick else "not yet"
            loop = (f"{state}, last check {tick}, serving {health.serving} subscriptions, {health.posted} posted, "
                    f"{health.errors} errors, {health.restarts} restarts")
            if health.last_error:
                loop += f"; last error: {health.last_error[:200]}"
        return {
            "Latency": f"{latency * 1000:.0f} ms" if math.isfinite(latency) else "n/a",
            "Uptime": str(self.bot.uptime),
            "Shards in this process": describe_shards(self.bot.shard_count, self.bot.shard_ids),
            "Digest loop": loop,
            "Subscriptions": f"{enabled} active, {len(subscriptions) - enabled} disabled" + _why_off(
                subscriptions, interaction.guild_id),
            "Corpus folder": f"{self.bot.loader.folder}" + (" (reload running)" if self.bot.loader.busy else ""),
            "Feeds": await self._feeds_status(),
        }

    async def _feeds_status(self) -> str:
        statuses = await self.bot.feeds.statuses()
        failing = [s for s in statuses if s.state.failures]
        text = f"{len(statuses)} polled, {len(failing)} failing"
        if self.bot.get_cog("Feeds") is None:
            text += " (the feeds cog is not loaded: nothing is polled)"
        if failing:
            text += " (/admin feeds list says why)"
        return text

    @app_commands.command(description="Add an article: an uploaded file (.txt, .md, .html; 5 MB) or a link to its page.")
    @app_commands.describe(file="The article file, plain text with optional YAML front matter, or a saved web page",
                           url="A link to the article's web page (http or https)")
    async def ingest(self, interaction: discord.Interaction, file: discord.Attachment | None = None,
                     url: str | None = None) -> None:
        if (file is None) == (url is None):
            raise UserError("Give either a file or a url (one of the two).")
        if file is not None and file.size > MAX_UPLOAD_BYTES:
            raise UserError(f"{file.filename} is too large ({file.size:,} bytes; the limit is {MAX_UPLOAD_BYTES:,}).")
        await interaction.response.defer(ephemeral=True, thinking=True)
        if file is not None:
            added = await add_bytes(self.bot.loader, file.filename, await file.read())
        else:
            added = await add_link(self.bot.loader, url, allow_private=self.bot.config.allow_private_addresses)
        log.info("admin %s %s %s in %s", interaction.user.id, added.outcome, added.name, self.bot.loader.folder)
        lines = [*added.lines(), *added.report.lines()]
        await send_pages(interaction, paginate("Article ingested", [escape(line) for line in lines]), ephemeral=True)


    # ---------------------------------------------------------------- /admin feeds
    feeds = app_commands.Group(name="feeds", description="RSS and Atom feeds polled for new articles")

    @feeds.command(name="add", description="Poll an RSS or Atom feed for new articles.")
    @app_commands.describe(url="The feed's address (http or https)",
                           every="Minutes between polls (default 30, at least 5)",
                           match="Keep only entries matching this search, as in /search: Kuril OR \"Northern "
                                 "Territories\"",
                           name="A short name for the feed in lists")
    async def feeds_add(self, interaction: discord.Interaction, url: str, every: int | None = None,
                        match: str | None = None, name: str | None = None) -> None:
        feed = await self.bot.feeds.add(url, every, match, name, interaction.user.id)
        log.info("admin %s added feed %s", interaction.user.id, feed.url)
        text = (f"Added the feed {escape(feed.url)}: polled every {feed.spec.every_minutes} min"
                + (f", keeping entries that match {escape(feed.spec.match)}" if feed.spec.match else "")
                + ". The first poll is within a minute; /admin feeds list shows how it went.")
        await send_pages(interaction, paginate("Feed added", [text]), ephemeral=True)

    @feeds.command(name="remove", description="Stop polling a feed added with /admin feeds add.")
    @app_commands.describe(feed="The feed's address or name")
    async def feeds_remove(self, interaction: discord.Interaction, feed: str) -> None:
        removed = await self.bot.feeds.remove(feed)
        log.info("admin %s removed feed %s", interaction.user.id, removed.url)
        text = f"Removed the feed {escape(removed.url)}. The articles it brought stay in the corpus."
        await send_pages(interaction, paginate("Feed removed", [text]), ephemeral=True)

    @feeds_remove.autocomplete("feed")
    async def _feed_choices(self, interaction: discord.Interaction, current: str):
        typed = (current or "").lower()
        feeds = [f for f in await self.bot.feeds.feeds() if f.origin == "command" and typed in f.url.lower()]
        return [app_commands.Choice(name=f.label[:100], value=f.url[:100]) for f in feeds[:25]]

    @feeds.command(name="list", description="Every feed with its schedule, last success, last error, next attempt.")
    async def feeds_list(self, interaction: discord.Interaction) -> None:
        await send_pages(interaction, feed_list_pages(await self.bot.feeds.statuses()), ephemeral=True)


def _why_off(subscriptions: list[Subscription], guild_id: int | None) -> str:
    mine = next((s for s in subscriptions if s.guild_id == guild_id), None)
    if mine is None or mine.enabled or not mine.disabled_reason:
        return ""
    return f"; this server's digest is off: {escape(mine.disabled_reason)[:300]}"


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Admin(bot))
