"""Choosing the driver: `database:` is a SQLite file or a postgresql:// URL, $DATABASE_URL overrides it,
and every error says what and where without ever showing the password."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Config, ConfigError, load_config
from bot.store import SqliteStore, describe_database, open_store

from .helpers import ROOT

PASSWORD = "pa55-w0rd"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def no_database_url(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("BOT_CONFIG", raising=False)


def test_a_relative_file_is_sqlite_beside_the_configuration(tmp_path):
    config = load_config(write(tmp_path, "database: data/bot.sqlite3\n"))
    assert config.database == tmp_path / "data/bot.sqlite3"


def test_a_postgresql_url_is_kept_as_written(tmp_path):
    url = f"postgresql://bot:{PASSWORD}@db.example.org:5433/briefing"
    config = load_config(write(tmp_path, f"database: {url}\n"))
    assert config.database == url
    assert describe_database(config.database) == "postgresql://bot@db.example.org:5433/briefing"


def test_a_unix_socket_address_is_accepted(tmp_path):
    url = "postgres:///briefing?host=/var/run/postgresql"
    assert load_config(write(tmp_path, f"database: '{url}'\n")).database == url


@pytest.mark.parametrize("url, problem", [
    (f"mysql://bot:{PASSWORD}@db/briefing", "unsupported address scheme 'mysql://'"),
    (f"postgresql://bot:{PASSWORD}@/briefing", "no host"),
    (f"postgresql://bot:{PASSWORD}@db.example.org", "no database name"),
    (f"postgresql://bot:{PASSWORD}@db.example.org:54x2/briefing", "the port must be a number"),
    (f"postgresql://bot:{PASSWORD}@db.example.org:99999/briefing", "the port must be a number"),
])
def test_a_bad_address_names_file_key_and_problem_but_never_the_password(tmp_path, url, problem):
    path = write(tmp_path, f"database: '{url}'\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert err.value.key == "database" and str(path) in message and problem in message
    assert PASSWORD not in message


def test_database_url_overrides_the_file(tmp_path, monkeypatch):
    url = f"postgresql://bot:{PASSWORD}@db.example.org/briefing"
    monkeypatch.setenv("DATABASE_URL", url)
    assert load_config(write(tmp_path, "database: data/bot.sqlite3\n")).database == url
    monkeypatch.chdir(tmp_path)
    assert load_config().database == url  # no file at all: still the environment's


def test_a_bad_database_url_names_the_variable_and_hides_the_password(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"postgresql://bot:{PASSWORD}@/briefing")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="DATABASE_URL environment variable: .*no host"):
        load_config()
    assert main(["ingest"]) == 2
    err = capsys.readouterr().err
    assert "DATABASE_URL" in err and "no host" in err and PASSWORD not in err and "Traceback" not in err


def test_an_empty_database_url_leaves_the_file_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "  ")
    assert load_config(write(tmp_path, "database: x.sqlite3\n")).database == tmp_path / "x.sqlite3"


def test_a_bad_db_option_is_a_usage_error_without_the_password(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", "--db", f"postgresql://bot:{PASSWORD}@db.example.org"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --db:") and "no database name" in err and PASSWORD not in err


async def test_a_file_path_opens_the_sqlite_store(tmp_path):
    async with await open_store(tmp_path / "bot.sqlite3") as store:
        assert isinstance(store, SqliteStore)
    assert (tmp_path / "bot.sqlite3").exists()


def test_ingest_reports_an_unreachable_server_in_one_line_without_the_password(tmp_path, capsys):
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    url = f"postgresql://bot:{PASSWORD}@127.0.0.1:9/briefing"
    assert main(["ingest", "--corpus", str(ROOT / "seeds"), "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: postgresql://bot@127.0.0.1:9/briefing: cannot open the database")
    assert PASSWORD not in err and "Traceback" not in err


def test_default_is_still_the_sqlite_file():
    assert Config().database == Path("data/bot.sqlite3")
