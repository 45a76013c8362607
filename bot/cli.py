"""`python -m bot …`: ingest, console, ask, add, export, feeds, run."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from .adding import add_file, add_link
from .answers.types import UserError
from .config import TOKEN_ENV, Config, ConfigError, discord_token, load_config
from .console import Session, help_text, run_line
from .export import dumps, export_document
from .feeds import FeedService, PollResult
from .ingest import CorpusFolderError, CorpusLoader
from .links import is_link
from .render.feeds import notice_line
from .render.markdown import to_plain
from .store import Store, StoreError, open_store

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Kuril Islands briefing bot.")
    parser.add_argument("--config", type=Path, help="YAML configuration (default: $BOT_CONFIG, ./config.yaml, "
                                                    "or the built-in defaults)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def corpus_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--corpus", type=Path, help="corpus folder (overrides the configuration)")
        p.add_argument("--db", type=Path, help="SQLite file (overrides the configuration)")

    corpus_options(sub.add_parser("ingest", help="load the corpus folder into the database and report"))
    corpus_options(sub.add_parser("console", help="interactive prompt taking the Discord commands"))
    ask = sub.add_parser("ask", help="answer one command, e.g. ask \"/dates year:1956\"")
    ask.add_argument("line", help="the command, as typed in the console")
    corpus_options(ask)
    add = sub.add_parser("add", help="add an article to the corpus folder from a web link or a file, and ingest it")
    add.add_argument("target", help="an http(s) link to fetch, or a .txt/.md/.html file to copy")
    corpus_options(add)
    corpus_options(sub.add_parser("export", help="print the corpus and its extraction as one JSON document"))
    feeds = sub.add_parser("feeds", help="poll every feed now and add the new articles (--watch: keep polling "
                                         "each feed on its schedule)")
    feeds.add_argument("--watch", action="store_true", help="keep polling until interrupted")
    corpus_options(feeds)
    sub.add_parser("run", help=f"run the Discord bot (needs {TOKEN_ENV} in the environment)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    level = config.log_level if args.verbose or args.command == "run" else "WARNING"
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not args.verbose:  # the extractor's own chatter ("discarding data: None"); our report says why
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
    if args.command == "run":
        return run_discord(config)
    corpus = args.corpus or config.corpus
    database = args.db or config.database
    try:
        return asyncio.run(COMMANDS[args.command](args, config, corpus, database))
    except (StoreError, CorpusFolderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_FAILED
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK


async def _ingest(args, config: Config, corpus: Path, database: Path) -> int:
    async with await open_store(database) as store:
        report = await CorpusLoader(store, corpus).reload()
    print("\n".join(report.lines()))
    return EXIT_OK


async def _export(args, config: Config, corpus: Path, database: Path) -> int:
    async with await open_store(database) as store:
        report = await CorpusLoader(store, corpus).reload()
        for line in report.lines()[1:]:
            print(line, file=sys.stderr)
        print(dumps(await export_document(store)))
    return EXIT_OK


async def _ask(args, config: Config, corpus: Path, database: Path) -> int:
    async with await open_store(database) as store:
        loader = CorpusLoader(store, corpus)
        await loader.reload()
        reply = await run_line(Session(store, loader, config.summary_sentences), args.line)
    print(reply)
    return EXIT_FAILED if reply.startswith("error:") else EXIT_OK


async def _console(args, config: Config, corpus: Path, database: Path) -> int:
    async with await open_store(database) as store:
        loader = CorpusLoader(store, corpus)
        report = await loader.reload()
        print(f"Corpus {corpus} -> {database}: {report.summary()}")
        for line in report.lines()[1:]:
            print(line)
        print("Type a command such as /experts or /quotes expert:Kistanov; `help` lists them, `quit` leaves.")
        session = Session(store, loader, config.summary_sentences)
        poller = await _start_feeds(_feed_service(store, loader, config))
        try:
            while True:
                try:
                    line = await asyncio.to_thread(input, "> ")
                except EOFError:
                    print()
                    return EXIT_OK
                if line.strip().lower() in ("quit", "exit", "/quit", "/exit"):
                    return EXIT_OK
                if line.strip():
                    print(await run_line(session, line))
        finally:
            if poller is not None:
                poller.cancel()
                await asyncio.gather(poller, return_exceptions=True)


def _feed_service(store: Store, loader: CorpusLoader, config: Config) -> FeedService:
    return FeedService(store, loader, config.feeds, allow_private=config.allow_private_addresses)


async def _start_feeds(service: FeedService) -> asyncio.Task | None:
    """The console polls the feeds in the background and announces new articles between commands."""
    feeds = await service.feeds()
    if not feeds:
        return None
    print(f"Polling {len(feeds)} feed(s) in the background; new articles are announced here.")
    return asyncio.create_task(service.run(_print_news), name="feed poller")


async def _print_news(results: list[PollResult]) -> None:
    for result in results:
        for new in result.new:
            print(to_plain(notice_line(new)))


async def _print_results(results: list[PollResult]) -> None:
    for result in results:
        print(result.line())
        for line in result.failed:
            print(f"  failed: {line}")
        for new in result.new:
            print("  " + to_plain(notice_line(new)))


async def _feeds(args, config: Config, corpus: Path, database: Path) -> int:
    async with await open_store(database) as store:
        service = _feed_service(store, CorpusLoader(store, corpus), config)
        if not await service.feeds():
            print("error: no feeds: list them under feeds: in the configuration, or add one with /admin feeds add",
                  file=sys.stderr)
            return EXIT_FAILED
        results = await service.poll_all()
        await _print_results(results)
        if args.watch:
            await service.run(_print_results)
    return EXIT_FAILED if any(result.error for result in results) else EXIT_OK


async def _add(args, config: Config, corpus: Path, database: Path) -> int:
    target: str = args.target
    async with await open_store(database) as store:
        loader = CorpusLoader(store, corpus)
        try:
            if is_link(target):
                added = await add_link(loader, target.strip(), config.allow_private_addresses)
            else:
                added = await add_file(loader, Path(target))
        except UserError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
    print("\n".join(added.lines()))
    return EXIT_OK


COMMANDS = {"add": _add, "ingest": _ingest, "console": _console, "ask": _ask, "export": _export, "feeds": _feeds}


def run_discord(config: Config) -> int:
    token = discord_token()
    if token is None:
        print(f"error: no Discord token. Set it in the environment, e.g. `export {TOKEN_ENV}=...` "
              "(see README: 'Running on Discord').\n"
              "To try the bot without Discord: python -m bot console", file=sys.stderr)
        return EXIT_USAGE
    from .discord_app import run_bot  # discord.py is only imported when Discord is used

    return run_bot(config, token)


__all__ = ["main", "help_text"]
