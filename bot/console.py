"""The bot without Discord: the same commands, answered as text.

    /quotes expert:Kistanov topic:"peace treaty"
    /dates year:1956
    /article 004_a66f3e82430eb3f4

Options are `name:value` (quote values with spaces); the first option of a
command may also be given bare.
"""
from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from . import answers
from .answers.types import UserError, not_a_whole_number
from .ingest import CorpusFolderError, CorpusLoader
from .render.pages import Page, pages_for, paginate
from .render.text import pages_to_text
from .store import Store, StoreWriteError


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    kind: Callable[[str], object] = str  # str, int, or a reader that raises UserError
    help: str = ""
    required: bool = False
    keep_quotes: bool = False  # search syntax: quotes mark phrases
    one_word: bool = False  # a keyword ("reload"): the next bare word is the next option, not more of this one


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    help: str
    options: tuple[Option, ...]
    run: Callable[["Session", dict], Awaitable[list[Page]]]


@dataclass(slots=True)
class Session:
    store: Store
    loader: CorpusLoader
    summary_sentences: int = 3
    today: Callable[[], dt.date] = dt.date.today


async def _summary(s: Session, o: dict) -> list[Page]:
    return pages_for(await answers.summary(s.store, o.get("article"), o.get("sentences", s.summary_sentences),
                                           o.get("topic")))


async def _quotes(s: Session, o: dict) -> list[Page]:
    return pages_for(await answers.quotes_by(s.store, o["expert"], o.get("topic"), o.get("kind")))


async def _experts(s: Session, o: dict) -> list[Page]:
    return pages_for(await answers.experts(s.store))


async def _dates(s: Session, o: dict) -> list[Page]:
    return pages_for(await answers.timeline(s.store, o.get("year"), o.get("from"), o.get("to"), o.get("topic")))


async def _onthisday(s: Session, o: dict) -> list[Page]:
    day = o.get("date") or s.today()
    return pages_for(await answers.on_this_day(s.store, day))


async def _search(s: Session, o: dict) -> list[Page]:
    return pages_for(await answers.search(s.store, o["query"]))


async def _article(s: Session, o: dict) -> list[Page]:
    return pages_for(await answers.article(s.store, o["article"]))


async def _digest(s: Session, o: dict) -> list[Page]:
    if o.get("action", "preview") != "preview":
        raise UserError("In the console only `/digest preview` is available; subscriptions need Discord.")
    return pages_for(await answers.digest(s.store, s.today(), sentences=s.summary_sentences))


async def _admin(s: Session, o: dict) -> list[Page]:
    action, what = o.get("action"), o.get("what")
    if action == "status":
        report = s.loader.last_report.lines() if s.loader.last_report else None
        return pages_for(await answers.status(s.store, report))
    if action == "reload" and what in (None, "corpus"):
        report = await s.loader.reload()
        return paginate("Corpus reloaded", report.lines())
    raise UserError("Admin commands here: `/admin status`, `/admin reload corpus`.")


COMMANDS: dict[str, Command] = {c.name: c for c in (
    Command("summary", "Summarise one article, a topic, or the whole corpus.",
            (Option("article", help="article id or title"), Option("sentences", int, "how many sentences (1-10)"),
             Option("topic", help="words the summary should be about")), _summary),
    Command("quotes", "What an expert said.",
            (Option("expert", required=True, help="a name or surname"), Option("topic", help="only quotes about this"),
             Option("kind", help="direct or indirect")), _quotes),
    Command("experts", "Everyone quoted, with role and number of quotes.", (), _experts),
    Command("dates", "The timeline of key dates.",
            (Option("year", int, "one year"), Option("from", int, "first year"), Option("to", int, "last year"),
             Option("topic", help="only dates in sentences about this")), _dates),
    Command("onthisday", "Anniversaries of today's date.",
            (Option("date", answers.parse_day, "another day, YYYY-MM-DD"),),
            _onthisday),
    Command("search", "Full-text search (words, \"phrases\", OR, NOT, prefix*).",
            (Option("query", required=True, help="what to look for", keep_quotes=True),), _search),
    Command("article", "An article's details and text.", (Option("article", required=True, help="id or title"),),
            _article),
    Command("digest", "Preview today's digest.", (Option("action", help="preview", one_word=True),), _digest),
    Command("admin", "Admin: status, reload corpus.",
            (Option("action", required=True, help="status or reload", one_word=True),
             Option("what", help="corpus", one_word=True)), _admin),
)}


def _tokens(line: str) -> list[str]:
    """Shell-like words with their quotes kept; unbalanced quotes are kept as typed."""
    try:
        return shlex.split(line.strip(), posix=False)
    except ValueError:
        return line.split()


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_command(line: str) -> tuple[Command, dict]:
    tokens = _tokens(line)
    if not tokens:
        raise UserError("Type a command, or `help`.")
    name = tokens[0].lstrip("/").lower()
    command = COMMANDS.get(name)
    if command is None:
        raise UserError(f"Unknown command {tokens[0]!r}. Type `help` for the list.")
    values: dict[str, str] = {}
    last_text_option: Option | None = None
    for token in tokens[1:]:
        key, sep, value = token.partition(":")
        option = next((o for o in command.options if o.name == key.lower()), None) if sep else None
        if option is None and last_text_option is not None:
            # `/search query:peace treaty`: bare words continue the text option before them.
            values[last_text_option.name] += " " + token
            continue
        if option is None:
            option = next((o for o in command.options if o.name not in values), None)
            if option is None:
                raise UserError(f"/{command.name} does not take {token!r}. Type `help` for its options.")
            value = token
        values[option.name] = value
        last_text_option = option if option.kind is str and not option.one_word else None
    options = {o.name: _convert(o, values[o.name] if o.keep_quotes else _unquote(values[o.name]))
               for o in command.options if o.name in values}
    missing = [o.name for o in command.options if o.required and o.name not in options]
    if missing:
        raise UserError(f"/{command.name} needs {', '.join(f'{m}:' for m in missing)}")
    return command, options


def _convert(option: Option, value: str):
    if option.kind is str:
        return value
    try:
        return option.kind(value)
    except ValueError:
        raise UserError(not_a_whole_number(value, option.name)) from None


def help_text() -> str:
    lines = ["Commands (options are name:value; quote values with spaces):"]
    for c in COMMANDS.values():
        opts = " ".join(f"{o.name}:" if o.required else f"[{o.name}:]" for o in c.options)
        lines.append(f"  /{c.name} {opts}".rstrip() + f"\n      {c.help}")
    lines.append("  help, quit")
    return "\n".join(lines)


async def run_line(session: Session, line: str) -> str:
    """One console command -> the text of its reply (errors included, never raised)."""
    if line.strip().lower() in ("help", "/help", "?"):
        return help_text()
    try:
        command, options = parse_command(line)
        return pages_to_text(await command.run(session, options))
    except (UserError, StoreWriteError, CorpusFolderError) as exc:
        # The errors Discord shows its user too (bot/discord_app.expected_error_message), in the same words.
        return f"error: {exc}"
