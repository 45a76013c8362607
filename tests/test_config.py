"""Configuration: defaults, valid files, and errors that name the file, the key and the problem."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Config, ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_embedded_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOT_CONFIG", raising=False)
    config = load_config()
    assert config == Config()
    assert config.database == Path("data/bot.sqlite3")
    assert config.corpus == Path("seeds")


def test_example_file_is_valid_and_equals_the_defaults():
    example = Path(__file__).resolve().parent.parent / "config.example.yaml"
    config = load_config(example)
    defaults = Config()
    for key in ("sync_guild_ids", "admin_user_ids", "admin_role_ids", "digest_time", "digest_timezone",
                "log_level", "cogs", "summary_sentences", "shard_count", "shard_ids"):
        assert getattr(config, key) == getattr(defaults, key), key
    assert config.database == example.parent / "data/bot.sqlite3"


def test_values_are_parsed(tmp_path):
    config = load_config(write(tmp_path, """
database: /srv/bot/db.sqlite3
digest_time: "18:30"
digest_timezone: Asia/Tokyo
admin_user_ids: [123, "456"]
log_level: debug
"""))
    assert config.database == Path("/srv/bot/db.sqlite3")
    assert config.digest_time == dt.time(18, 30)
    assert config.digest_timezone == "Asia/Tokyo"
    assert config.admin_user_ids == (123, 456)
    assert config.log_level == "DEBUG"


@pytest.mark.parametrize("text, key, problem", [
    ("digest_timezone: Mars/Olympus\n", "digest_timezone", "unknown time zone"),
    ("digest_time: '25:00'\n", "digest_time", "HH:MM"),
    ("admin_user_ids: 42\n", "admin_user_ids", "list"),
    ("admin_role_ids: [abc]\n", "admin_role_ids", "Discord ids"),
    ("summary_sentences: 0\n", "summary_sentences", "1 to 10"),
    ("log_level: LOUD\n", "log_level", "one of"),
    ("colour: blue\n", "colour", "unknown key"),
])
def test_bad_values_name_file_key_and_problem(tmp_path, text, key, problem):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.key == key
    assert str(path) in str(err.value) and key in str(err.value) and problem in str(err.value)


def test_malformed_yaml_says_where(tmp_path):
    path = write(tmp_path, "database: [unclosed\nlog_level: INFO\n")
    with pytest.raises(ConfigError, match=r"malformed YAML at line \d+"):
        load_config(path)


def test_top_level_must_be_a_mapping(tmp_path):
    with pytest.raises(ConfigError, match="mapping"):
        load_config(write(tmp_path, "- a\n- b\n"))


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yaml")


def test_bad_config_stops_start_up_with_one_clear_line(tmp_path, capsys):
    path = write(tmp_path, "digest_timezone: Nowhere/Land\n")
    assert main(["--config", str(path), "ingest"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("configuration error:") and "digest_timezone" in err and "Traceback" not in err


def test_run_without_token_exits_non_zero_and_points_to_console(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) != 0
    err = capsys.readouterr().err
    assert "DISCORD_TOKEN" in err and "python -m bot console" in err


def test_feeds_are_parsed_with_defaults(tmp_path):
    path = write(tmp_path, 'feeds:\n  - url: https://example.org/rss\n  - url: https://example.net/atom\n'
                           '    every: 60\n    match: Kuril OR "Northern Territories" OR Habomai\n'
                           '    name: Example\nfeed_notice_channel: 123456789012345678\n')
    config = load_config(path)
    first, second = config.feeds
    assert (first.url, first.every_minutes, first.match, first.name) == ("https://example.org/rss", 30, None, None)
    assert (second.every_minutes, second.match, second.name) == (60, 'Kuril OR "Northern Territories" OR Habomai',
                                                                 "Example")
    assert config.feed_notice_channel == 123456789012345678


@pytest.mark.parametrize("entries, problem", [
    ("  - url: https://example.org/rss\n  - url: example.org/rss\n",
     "feeds: entry 2 (example.org/rss): url: expected an http:// or https:// address"),
    ("  - url: https://example.org/rss\n    every: 2\n",
     "feeds: entry 1 (https://example.org/rss): every: expected a whole number of minutes from 5 to 10080, got 2"),
    ("  - url: https://example.org/rss\n    match: '\"Northern Territories'\n",
     "feeds: entry 1 (https://example.org/rss): match: cannot read the search"),
    ("  - url: https://example.org/rss\n    evry: 30\n", "feeds: entry 1: unknown key 'evry'"),
    ("  - url: https://example.org/rss\n  - url: https://example.org/rss\n",
     "feeds: entry 2: https://example.org/rss is listed twice"),
    ("  - [https://example.org/rss]\n", "feeds: entry 1: expected a mapping with url"),
])
def test_feed_errors_name_the_entry_and_the_problem(tmp_path, entries, problem):
    path = write(tmp_path, "feeds:\n" + entries)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: {problem}")
