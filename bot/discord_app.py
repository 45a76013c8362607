"""The Discord bot: a commands.AutoShardedBot that owns the store, the corpus loader and the cogs.

Sharded (discord.py's AutoShardedBot): with neither `shard_count` nor `shard_ids` in the
configuration, discord.py asks Discord how many shards to run and this one process
runs them all; with both, this process runs only its `shard_ids`, and other processes
sharing the database run the rest (see README, "Running at scale").

Start-up (`setup_hook`): open the database, start the incremental corpus ingest
in the background, where it waits for the gateway to be ready before rescanning the
folder (commands answer from the stored corpus meanwhile), load the
cogs named in the configuration. Shutdown (`close`): unload the cogs (which
cancels their loops), then close the database. Application commands are never
synced here: an admin syncs them with `/admin sync`, or the first time, before
any slash command exists, by mentioning the bot: `@Bot sync`.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
import signal
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from .answers import UserError
from .answers.offloop import shutdown_answer_workers, start_answer_workers
from .answers.turns import AnswerTurns
from .answers.types import not_a_whole_number
from .config import Config, ConfigError, load_config, log_level_number
from .feeds import FeedService
from .ingest import CorpusFolderError, CorpusLoader
from .render.permissions import permission_names
from .render.views import NO_MENTIONS
from .shards import serves_guild
from .store import Store, StoreError, StoreWriteError, open_store

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED = 0, 1
APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again later."


class NotAdmin(app_commands.CheckFailure):
    """The user is not one of the bot's admins."""


class BriefingTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        message = expected_error_message(error)
        command = interaction.command.qualified_name if interaction.command else "?"
        if message is None:
            log.error("/%s failed for user %s in guild %s", command, interaction.user.id, interaction.guild_id,
                      exc_info=error)
            message = APOLOGY
        else:
            log.debug("/%s refused for user %s: %s", command, interaction.user.id, message)
        try:
            await reply_privately(interaction, message)
        except discord.HTTPException as exc:
            log.warning("could not tell user %s about an error in /%s: %s", interaction.user.id, command, exc)


def expected_error_message(error: app_commands.AppCommandError) -> str | None:
    """The one line to show for an expected failure; None for a bug."""
    original = getattr(error, "original", None)
    if isinstance(error, app_commands.CommandInvokeError) and isinstance(original, UserError):
        return str(original)
    # A full or read-only disk, a missing corpus folder: the admin who ran the reload must read why.
    if isinstance(original, (StoreWriteError, CorpusFolderError)):
        return str(original)
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {_permissions(error.missing_permissions)} to do that."
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I need the {_permissions(error.missing_permissions)} here to do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, NotAdmin):
        return str(error)
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    if isinstance(error, app_commands.TransformerError):
        if error.type is discord.AppCommandOptionType.integer:
            return not_a_whole_number(error.value)
        return f"I couldn't read {error.value!r} as {error.type.name.lower()}."
    return None


def _permissions(attributes: list[str]) -> str:
    return permission_names(attributes) + (" permission" if len(attributes) == 1 else " permissions")


async def reply_privately(interaction: discord.Interaction, text: str) -> None:
    """One ephemeral line: the response, or a follow-up when the command already deferred.

    After a public defer Discord turns the first follow-up into the (public) reply,
    which is why the slow commands only defer once their answer is late (see cogs.utils).
    """
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


class BriefingBot(commands.AutoShardedBot):
    def __init__(self, config: Config, *, now: Callable[[], dt.datetime] | None = None):
        intents = discord.Intents.none()
        intents.guilds = True
        # Messages that mention the bot carry their content without the privileged intent:
        # that is all the `@Bot sync` bootstrap needs.
        intents.guild_messages = True
        intents.dm_messages = True
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, help_command=None,
                         allowed_mentions=NO_MENTIONS, tree_cls=BriefingTree, shard_count=config.shard_count,
                         shard_ids=list(config.shard_ids) if config.shard_ids is not None else None)
        self.config = config
        self.now = now or discord.utils.utcnow  # the digest clock; tests shift it
        self.store: Store | None = None
        self.loader: CorpusLoader | None = None
        self.feeds: FeedService | None = None  # polled by the feeds cog; lives here so a cog reload keeps it
        self.started_monotonic = time.monotonic()
        self.ingest_task: asyncio.Task | None = None
        self.answer_turns = AnswerTurns()  # a burst of commands is answered a few at a time (cogs.utils)

    # ---------------------------------------------------------------- lifecycle
    async def setup_hook(self) -> None:
        self.store = await open_store(self.config.database)
        self.loader = CorpusLoader(self.store, self.config.corpus)
        self.feeds = FeedService(self.store, self.loader, self.config.feeds,
                                 allow_private=self.config.allow_private_addresses, now=self.now)
        self.ingest_task = asyncio.create_task(self._initial_ingest(), name="initial corpus ingest")
        await self.add_cog(Bootstrap(self))
        for name in self.config.cogs:
            try:
                await self.load_extension(name)
            except commands.ExtensionError:
                log.exception("could not load extension %s", name)
        tame_garbage_collector()
        start_answer_workers()

    async def _initial_ingest(self) -> None:
        # After ready: the rescan of a large folder would compete with connecting for the CPU,
        # and commands answer from the stored corpus meanwhile.
        await self.wait_until_ready()
        try:
            report = await self.loader.reload()
        except (CorpusFolderError, StoreError) as exc:
            log.error("initial corpus ingest failed: %s", exc)
            return
        except Exception:  # the bot still answers from the stored corpus
            log.exception("initial corpus ingest failed")
            return
        for line in report.lines()[1:]:
            log.warning("corpus: %s", line.strip())

    async def close(self) -> None:
        if self.ingest_task is not None and not self.ingest_task.done():
            self.ingest_task.cancel()
            await asyncio.gather(self.ingest_task, return_exceptions=True)
        await super().close()  # unloads the cogs: their cog_unload cancels the loops
        shutdown_answer_workers()
        if self.store is not None:
            store, self.store = self.store, None
            await store.close()

    # ---------------------------------------------------------------- who may do what
    async def is_admin(self, user: discord.abc.User) -> bool:
        """Configured admin users and roles, and always the application owner(s)."""
        if user.id in self.config.admin_user_ids:
            return True
        roles = getattr(user, "roles", ())
        if any(role.id in self.config.admin_role_ids for role in roles):
            return True
        return await self.is_owner(user)

    def serves(self, guild_id: int) -> bool:
        """Whether this process owns that server (its shard is one of ours): its digest is ours to post."""
        return serves_guild(guild_id, self.shard_count, self.shard_ids)

    # ---------------------------------------------------------------- reloads
    async def reload_config(self) -> list[str]:
        """Re-read the configuration file; returns what changed, in words."""
        path = None if self.config.source == "embedded defaults" else Path(self.config.source)
        new = load_config(path)  # raises ConfigError, shown to the admin
        notes = []
        for key in ("database", "shard_count", "shard_ids"):
            if getattr(new, key) != getattr(self.config, key):
                notes.append(f"{key} changed: takes effect after a restart")
        if self.loader is not None:
            if new.corpus != self.loader.folder:
                notes.append(f"corpus folder is now {new.corpus}: run /admin reload corpus")
            self.loader.folder = new.corpus
        if self.feeds is not None:
            self.feeds.configure(new.feeds, new.allow_private_addresses)
        logging.getLogger().setLevel(log_level_number(new))
        self.config = new
        return notes

    async def reload_cogs(self) -> list[tuple[str, str | None]]:
        """Reload the configured extensions; (name, error or None) for each."""
        results = []
        wanted = list(self.config.cogs)
        for name in [n for n in self.extensions if n not in wanted]:
            try:
                await self.unload_extension(name)
                results.append((name, None))
            except commands.ExtensionError as exc:
                results.append((name, _describe(exc)))
        for name in wanted:
            try:
                if name in self.extensions:
                    await self.reload_extension(name)
                else:
                    await self.load_extension(name)
                results.append((name, None))
            except commands.ExtensionError as exc:
                log.exception("reloading %s failed", name)
                results.append((name, _describe(exc)))
        return results

    async def sync_commands(self, scope: str, here: discord.Guild | None) -> str:
        """Sync the command tree globally, or to the configured guilds (or this one)."""
        if scope == "global":
            synced = await self.tree.sync()
            return f"Synced {len(synced)} commands globally (Discord may take up to an hour to show them)."
        guild_ids = list(self.config.sync_guild_ids) or ([here.id] if here else [])
        if not guild_ids:
            raise UserError("No guild to sync to: run this in a server, or set sync_guild_ids in the configuration.")
        counts = []
        for guild_id in guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            counts.append(len(await self.tree.sync(guild=guild)))
        return f"Synced {counts[0]} commands to {len(guild_ids)} server(s): " + ", ".join(map(str, guild_ids))

    @property
    def uptime(self) -> dt.timedelta:
        return dt.timedelta(seconds=int(time.monotonic() - self.started_monotonic))


def _describe(exc: Exception) -> str:
    cause = exc.__cause__ or exc
    return f"{type(cause).__name__}: {cause}"


class Bootstrap(commands.Cog):
    """`@Bot sync [global|guild]`: slash commands cannot sync themselves before they exist."""

    def __init__(self, bot: BriefingBot):
        self.bot = bot

    @commands.command(name="sync", hidden=True)
    async def sync(self, ctx: commands.Context, scope: str = "global") -> None:
        if not await self.bot.is_admin(ctx.author):
            log.warning("user %s was refused @sync", ctx.author.id)
            return  # silence: strangers learn nothing from mentioning the bot
        if scope not in ("global", "guild"):
            await ctx.reply("Use `sync` or `sync guild`.", allowed_mentions=NO_MENTIONS)
            return
        log.info("admin %s ran @sync %s", ctx.author.id, scope)
        try:
            text = await self.bot.sync_commands(scope, ctx.guild)
        except UserError as exc:
            text = str(exc)
        await ctx.reply(text, allowed_mentions=NO_MENTIONS)


# Python's default is one full collection per 10 of the middle generation; see below.
FULL_COLLECTION_AFTER = 100


def tame_garbage_collector() -> None:
    """Once start-up is done: fewer and shorter full collections of the garbage collector.

    What start-up made lives as long as the bot: frozen, no full collection walks it again
    (hundreds of ms of event-loop time each, on a busy bot). A full collection still walks
    everything made since, and in a burst of commands that is every waiting command's
    objects: 15-33 ms of loop time each, six to eight per burst of 1,000 (bench/storm.py),
    the longest steps the loop took. Collected ten times less often, a burst saw one at most;
    the younger generations still collect most garbage as before, and the peak memory of
    the burst did not change (172 -> 176 MB).
    """
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_AFTER)


def create_bot(config: Config, *, now: Callable[[], dt.datetime] | None = None) -> BriefingBot:
    return BriefingBot(config, now=now)


def run_bot(config: Config, token: str) -> int:
    root = logging.getLogger()
    for handler in list(root.handlers):  # the CLI's basicConfig: discord.py's setup replaces it
        root.removeHandler(handler)
    discord.utils.setup_logging(level=log_level_number(config), root=True)
    try:
        return asyncio.run(_run(config, token))
    except KeyboardInterrupt:
        return EXIT_OK


async def _run(config: Config, token: str) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C still raises KeyboardInterrupt
            pass
    bot = create_bot(config)
    async with bot:
        runner = asyncio.create_task(bot.start(token), name="discord client")
        stopper = asyncio.create_task(stop.wait(), name="signal wait")
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("signal received: shutting down")
            await bot.close()
            await asyncio.gather(runner, return_exceptions=True)
            return EXIT_OK
        stopper.cancel()
        error = runner.exception()
    if error is None:
        return EXIT_OK
    if isinstance(error, discord.LoginFailure):
        log.error("Discord rejected the token (DISCORD_TOKEN): %s", error)
    elif isinstance(error, discord.PrivilegedIntentsRequired):
        log.error("Discord refused the gateway intents: %s", error)
    elif isinstance(error, (StoreError, CorpusFolderError, ConfigError)):
        log.error("%s", error)
    elif isinstance(error, (aiohttp.ClientError, OSError)):
        log.error("cannot reach Discord: %s", error)
    else:
        log.error("the bot stopped on an unexpected error", exc_info=error)
    return EXIT_FAILED
