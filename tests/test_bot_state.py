"""The bot's own state, the same on both drivers: SQLite (the default) and PostgreSQL (several processes)."""
from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import os
import sys
from pathlib import Path

import pytest

from bot.store import BotState, DigestSent, SqliteStore, Subscription, open_store
from bot.store.postgres import PostgresBotState

DRIVERS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
UTC = dt.timezone.utc
DAY = dt.date(2026, 3, 11)
RACERS = 4  # bot processes claiming the same digests at once
RACE_DAYS = 30
ROOT = Path(__file__).resolve().parent.parent


def target_of(driver: str, request, tmp_path: Path) -> str:
    """Where a driver's state lives: a fresh SQLite file, or a fresh database on the throwaway server."""
    if driver == "sqlite":
        return str(tmp_path / "state.sqlite3")
    return request.getfixturevalue("postgres_database")


async def open_state(driver: str, target: str):
    return await (open_store(target) if driver == "sqlite" else PostgresBotState.open(target))


@pytest.fixture(params=DRIVERS)
def driver(request) -> str:
    return request.param


@pytest.fixture
async def state(driver, request, tmp_path):
    opened = await open_state(driver, target_of(driver, request, tmp_path))
    yield opened
    await opened.close()


def interface(cls) -> dict[str, inspect.Signature]:
    names = [n for n, v in vars(BotState).items() if inspect.iscoroutinefunction(v)]
    return {name: inspect.signature(getattr(cls, name)) for name in names}


def test_both_drivers_offer_the_whole_interface_with_the_same_signatures():
    assert len(interface(BotState)) == 15
    assert interface(SqliteStore) == interface(BotState)
    assert interface(PostgresBotState) == interface(BotState)


async def test_a_subscription_is_read_back_as_written(state):
    started = dt.datetime(2026, 3, 10, 14, 50, tzinfo=UTC)
    await state.subscribe(7, 70, "08:00", "Asia/Tokyo", 700, created_at=started)
    assert await state.subscription(7) == Subscription(
        guild_id=7, channel_id=70, post_time="08:00", timezone="Asia/Tokyo", enabled=True, created_by=700,
        created_at=started, disabled_reason=None)
    assert await state.subscription(8) is None


async def test_subscribing_again_changes_the_subscription_and_turns_it_back_on(state):
    started = dt.datetime(2026, 3, 10, 14, 50, tzinfo=UTC)
    await state.subscribe(7, 70, "08:00", "Asia/Tokyo", 700, created_at=started)
    await state.disable_subscription(7, "the digest channel no longer exists")
    off = await state.subscription(7)
    assert (off.enabled, off.disabled_reason) == (False, "the digest channel no longer exists")
    assert await state.subscriptions() == []
    assert [s.guild_id for s in await state.subscriptions(enabled_only=False)] == [7]

    await state.subscribe(7, 71, "21:30", "Europe/Moscow", 701, created_at=started + dt.timedelta(days=1))
    again = await state.subscription(7)
    assert (again.channel_id, again.post_time, again.timezone, again.created_by) == (71, "21:30", "Europe/Moscow", 701)
    assert (again.enabled, again.disabled_reason) == (True, None)
    assert again.created_at == started, "a change keeps when the subscription started"


async def test_subscriptions_are_listed_by_server_and_unsubscribing_forgets_one(state):
    for guild_id in (30, 10, 20):
        await state.subscribe(guild_id, guild_id + 1, "08:00", "UTC", None)
    assert [s.guild_id for s in await state.subscriptions()] == [10, 20, 30]
    assert await state.unsubscribe(20) is True
    assert await state.unsubscribe(20) is False
    assert [s.guild_id for s in await state.subscriptions()] == [10, 30]
    created = (await state.subscription(10)).created_at
    assert created.tzinfo is not None and abs(dt.datetime.now(UTC) - created) < dt.timedelta(minutes=5)


async def test_a_digest_is_claimed_once_and_recorded(state):
    assert await state.claim_digest(7, DAY, 70) is True
    assert await state.claim_digest(7, DAY, 70) is False
    assert await state.claim_digest(8, DAY, 80) is True, "another server's digest of the same day is its own"
    claimed = await state.last_digest(7)
    assert (claimed.local_date, claimed.channel_id, claimed.message_id) == (DAY, 70, None)
    await state.record_digest_message(7, DAY, 9001)
    sent = await state.last_digest(7)
    assert isinstance(sent, DigestSent) and sent.message_id == 9001 and sent.sent_at >= claimed.sent_at


async def test_a_released_claim_can_be_claimed_again_but_a_posted_digest_stays(state):
    await state.claim_digest(7, DAY, 70)
    await state.release_digest(7, DAY)
    assert await state.last_digest(7) is None
    assert await state.claim_digest(7, DAY, 70) is True
    await state.record_digest_message(7, DAY, 9001)
    await state.release_digest(7, DAY)  # too late: it went out
    assert await state.claim_digest(7, DAY, 70) is False
    assert [(d.local_date, d.message_id) for d in await state.digests_sent(7)] == [(DAY, 9001)]


async def test_digests_are_listed_oldest_first_and_the_last_is_the_latest_day(state):
    for day in (DAY, DAY - dt.timedelta(days=2), DAY + dt.timedelta(days=1)):
        await state.claim_digest(7, day, 70)
    assert [d.local_date for d in await state.digests_sent(7)] == [
        DAY - dt.timedelta(days=2), DAY, DAY + dt.timedelta(days=1)]
    assert (await state.last_digest(7)).local_date == DAY + dt.timedelta(days=1)
    assert await state.digests_sent(8) == []


async def test_quotes_shown_are_remembered_per_server_from_a_day_on(state):
    await state.record_quote_shown(7, "a:1:Lavrov", DAY - dt.timedelta(days=7))
    await state.record_quote_shown(7, "b:2:Abe", DAY)
    await state.record_quote_shown(7, "b:2:Abe", DAY)  # shown twice the same day: one record
    await state.record_quote_shown(8, "c:3:Putin", DAY)
    assert await state.quotes_shown_since(7, DAY - dt.timedelta(days=6)) == {"b:2:Abe"}
    assert await state.quotes_shown_since(7, DAY - dt.timedelta(days=7)) == {"a:1:Lavrov", "b:2:Abe"}
    assert await state.quotes_shown_since(9, DAY) == set()


async def test_meta_values_are_set_replaced_and_missing_as_none(state):
    assert await state.meta("last_ingest") is None
    await state.set_meta("last_ingest", "2026-03-11T08:00:00+00:00")
    await state.set_meta("last_ingest", "2026-03-12T08:00:00+00:00")
    assert await state.meta("last_ingest") == "2026-03-12T08:00:00+00:00"


async def test_text_a_user_typed_is_stored_whatever_it_holds(state):
    await state.set_meta("note", "Kuril \ud800 islands\x00")  # a lone surrogate and a NUL, as Discord can send
    assert await state.meta("note") == "Kuril \ufffd islands"


async def test_bot_processes_racing_for_the_same_digests_claim_each_day_once(driver, request, tmp_path):
    target = target_of(driver, request, tmp_path)
    if driver == "sqlite":  # the file exists before the racers start (they share it, as processes on one machine)
        await (await open_state(driver, target)).close()
    racers = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.claim_race", driver, target, "7", str(RACE_DAYS), cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        for _ in range(RACERS)]
    for racer in racers:
        assert (await racer.stdout.readline()).strip() == b"ready", (await racer.stderr.read()).decode()
    for racer in racers:  # all ready and waiting: start them together
        racer.stdin.write(b"go\n")
        await racer.stdin.drain()
    outputs = [(await racer.communicate())[0].decode().split() for racer in racers]
    assert all(racer.returncode == 0 for racer in racers)
    assert all(out[-1] == "done" for out in outputs)
    won = [day for out in outputs for day in out[:-1]]
    assert sorted(won) == [(dt.date(2026, 3, 1) + dt.timedelta(days=n)).isoformat() for n in range(RACE_DAYS)], \
        "every day was claimed, and by exactly one process"
    print(f"{driver}: {RACERS} processes, {RACE_DAYS} days; days won per process: {[len(o) - 1 for o in outputs]}")
    state = await open_state(driver, target)
    try:
        assert len(await state.digests_sent(7)) == RACE_DAYS
    finally:
        await state.close()
