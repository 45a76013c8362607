"""Configuration: a YAML file validated into a frozen `Config`.

With no file the embedded defaults apply. Every error names the file, the key
and what is wrong, so start-up can stop with one clear line. The Discord token
is never read from here: it comes only from the DISCORD_TOKEN environment
variable.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .store import search_expression

DEFAULT_CONFIG_FILE = Path("config.yaml")
CONFIG_ENV = "BOT_CONFIG"
TOKEN_ENV = "DISCORD_TOKEN"
DEFAULT_COGS = ("cogs.briefing", "cogs.digest", "cogs.admin", "cogs.feeds")
DEFAULT_FEED_MINUTES = 30
# Polling more often than every 5 minutes is impolite to a news site; once a week is the other end.
FEED_MINUTES = range(5, 7 * 24 * 60 + 1)
FEED_KEYS = ("url", "every", "match", "name")


class ConfigError(Exception):
    """A configuration problem, phrased for the person who wrote the file."""

    def __init__(self, source: str, key: str | None, problem: str):
        self.source, self.key, self.problem = source, key, problem
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One RSS or Atom feed to poll: every `every_minutes`, keeping entries that match `match` (/search syntax)."""
    url: str
    every_minutes: int = DEFAULT_FEED_MINUTES
    match: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Config:
    database: Path = Path("data/bot.sqlite3")
    corpus: Path = Path("seeds")
    sync_guild_ids: tuple[int, ...] = ()
    admin_user_ids: tuple[int, ...] = ()
    admin_role_ids: tuple[int, ...] = ()
    digest_time: dt.time = dt.time(8, 0)
    digest_timezone: str = "UTC"
    log_level: str = "INFO"
    cogs: tuple[str, ...] = DEFAULT_COGS
    summary_sentences: int = 3
    allow_private_addresses: bool = False  # fetch links on loopback/private networks (tests, closed networks)
    feeds: tuple[FeedSpec, ...] = ()
    feed_notice_channel: int | None = None  # a channel that gets one line per article a feed brought
    source: str = field(default="embedded defaults", compare=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.digest_timezone)


def discord_token() -> str | None:
    token = os.environ.get(TOKEN_ENV, "").strip()
    return token or None


def load_config(path: Path | None = None) -> Config:
    """Read `path`, else $BOT_CONFIG, else ./config.yaml if present, else defaults."""
    if path is None:
        env = os.environ.get(CONFIG_ENV)
        path = Path(env) if env else (DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.exists() else None)
    if path is None:
        return Config()
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(source, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(source, None, f"cannot be read ({exc})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(source, None, f"malformed YAML{at}: {problem}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(source, None, "the top level must be a mapping of keys to values")
    return parse_config(raw, source, base_dir=path.parent)


def parse_config(raw: dict[str, Any], source: str, base_dir: Path = Path(".")) -> Config:
    known = {f.name for f in fields(Config)} - {"source"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(source, unknown[0], f"unknown key (known keys: {', '.join(sorted(known))})")
    values: dict[str, Any] = {"source": source}
    for key, value in raw.items():
        parser = _PARSERS[key]
        try:
            values[key] = parser(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(source, key, str(exc)) from None
    for key in ("database", "corpus"):
        if key in values and not values[key].is_absolute():
            values[key] = base_dir / values[key]
    return replace(Config(), **values)


def _path(value: Any) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"expected a path as text, got {value!r}")
    return Path(value)


def _ids(value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TypeError(f"expected a list of Discord ids, got {value!r}")
    out = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (int, str)) or not str(item).isdigit():
            raise ValueError(f"expected Discord ids (numbers), got {item!r}")
        out.append(int(item))
    return tuple(out)


def parse_clock(value: Any) -> dt.time:
    """'08:00' or '8:30' -> time; YAML may also hand us minutes since midnight (sexagesimal 8:00 = 480)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return dt.time(value // 60, value % 60)
    if isinstance(value, str):
        parts = value.strip().split(":")
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            hour, minute = int(parts[0]), int(parts[1])
            if 0 <= hour < 24 and 0 <= minute < 60:
                return dt.time(hour, minute)
    raise ValueError(f"expected a time of day as HH:MM (24-hour), got {value!r}")


def parse_timezone(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"expected an IANA time zone name such as Europe/Moscow, got {value!r}")
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Asia/Tokyo or UTC)") from None
    return name


def _log_level(value: Any) -> str:
    levels = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
    if not isinstance(value, str) or value.upper() not in levels:
        raise ValueError(f"expected one of {', '.join(levels)}, got {value!r}")
    return value.upper()


def _cogs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise TypeError(f"expected a list of extension module names, got {value!r}")
    return tuple(value)


def _sentences(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
        raise ValueError(f"expected a whole number from 1 to 10, got {value!r}")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def _channel(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise ValueError(f"expected a Discord channel id (a number), got {value!r}")
    return int(value)


def _feeds(value: Any) -> tuple[FeedSpec, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TypeError("expected a list of feeds, each a mapping with url and optionally every, match, name")
    specs: list[FeedSpec] = []
    for number, item in enumerate(value, 1):
        spec = _feed_entry(item, number)
        if any(s.url == spec.url for s in specs):
            raise ValueError(f"entry {number}: {spec.url} is listed twice")
        specs.append(spec)
    return tuple(specs)


def _feed_entry(item: Any, number: int) -> FeedSpec:
    where = f"entry {number}"
    if isinstance(item, str):
        item = {"url": item}
    if not isinstance(item, dict):
        raise TypeError(f"{where}: expected a mapping with url and optionally every, match, name; got {item!r}")
    unknown = sorted(str(k) for k in item if k not in FEED_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r} (known keys: {', '.join(FEED_KEYS)})")
    try:
        return feed_spec(item.get("url"), item.get("every", DEFAULT_FEED_MINUTES), item.get("match"),
                         item.get("name"))
    except (TypeError, ValueError) as exc:
        url = item.get("url")
        raise ValueError(f"{where}{f' ({url})' if isinstance(url, str) else ''}: {exc}") from None


def feed_spec(url: Any, every: Any = DEFAULT_FEED_MINUTES, match: Any = None, name: Any = None) -> FeedSpec:
    """A validated feed; ValueError naming the field and the problem (shared by the file and /admin feeds add)."""
    if not isinstance(url, str) or urlsplit(url.strip()).scheme.lower() not in ("http", "https") \
            or not urlsplit(url.strip()).hostname:
        raise ValueError(f"url: expected an http:// or https:// address of a feed, got {url!r}")
    if isinstance(every, bool) or not isinstance(every, int) or every not in FEED_MINUTES:
        raise ValueError(f"every: expected a whole number of minutes from {FEED_MINUTES.start} to "
                         f"{FEED_MINUTES.stop - 1}, got {every!r}")
    if match is not None:
        if not isinstance(match, str):
            raise ValueError(f"match: expected a search as text, got {match!r}")
        try:
            search_expression(match)
        except ValueError as exc:
            raise ValueError(f"match: {exc}") from None
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValueError(f"name: expected text, got {name!r}")
    return FeedSpec(url.strip(), every, match.strip() if match else None, name.strip() if name else None)


_PARSERS = {
    "database": _path,
    "corpus": _path,
    "sync_guild_ids": _ids,
    "admin_user_ids": _ids,
    "admin_role_ids": _ids,
    "digest_time": parse_clock,
    "digest_timezone": parse_timezone,
    "log_level": _log_level,
    "cogs": _cogs,
    "summary_sentences": _sentences,
    "allow_private_addresses": _flag,
    "feeds": _feeds,
    "feed_notice_channel": _channel,
}


def log_level_number(config: Config) -> int:
    return getattr(logging, config.log_level)
