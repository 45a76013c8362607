"""Nobody unauthorised, nothing leaked, nobody pinged.

Every admin command is refused to a non-admin twice over (Discord's default member
permissions hide it from members; the bot's own check refuses Manage Server members who
are not bot admins); uploads cannot leave the corpus folder; the token never shows in
logs or replies; corpus text full of @everyone and mentions never pings anyone.
"""
from __future__ import annotations

import json
import logging

import discord
import pytest
from simcord import SetupError

from tests.conftest import acknowledge_errors
from tests.test_discord_admin import NEW_ARTICLE

FAKE_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAw.GfAkE1.ThisIsNotARealTokenButLooksLikeOne_x9"

# Options that make each admin command do real work if it were allowed to run.
ADMIN_CALLS = {
    "admin reload": {"what": "corpus"},
    "admin sync": {"scope": "guild"},
    "admin status": {},
    "admin ingest": {"file": ("intruder.txt", NEW_ARTICLE)},
    "admin feeds add": {"url": "https://example.org/rss"},
    "admin feeds remove": {"feed": "https://example.org/rss"},
    "admin feeds list": {},
}
MANAGER_CALLS = {  # Manage Server is what these ask for, from Discord and from the bot
    "digest subscribe": {"time": "08:00", "timezone": "UTC"},
    "digest unsubscribe": {},
}


def _admin_command_names(bot) -> set[str]:
    names = set()
    for command in bot.tree.walk_commands():
        if isinstance(command, discord.app_commands.Group):
            continue
        if _default_permissions(command) is not None:
            names.add(command.qualified_name)
    return names


def _default_permissions(command):
    """A command's own default permissions, else those of the nearest group above it that has some."""
    while command is not None:
        if command.default_permissions is not None:
            return command.default_permissions
        command = command.parent
    return None


def test_every_command_needing_rights_is_in_this_test(world):
    """A new admin command must be added to ADMIN_CALLS or MANAGER_CALLS, so it is tried here."""
    assert _admin_command_names(world.bot) <= set(ADMIN_CALLS) | set(MANAGER_CALLS)
    assert set(ADMIN_CALLS) <= _admin_command_names(world.bot)


@pytest.mark.parametrize("name", sorted(ADMIN_CALLS))
async def test_admin_commands_are_hidden_from_members_and_refused_to_non_admin_managers(world, corpus_dir, name,
                                                                                         caplog):
    options = dict(ADMIN_CALLS[name])
    if "channel" in options:
        options["channel"] = world.channel
    before = sorted(p.name for p in corpus_dir.iterdir())
    last_report = world.bot.loader.last_report

    with pytest.raises(SetupError, match="not visible"):
        await world.member.slash(world.channel, name, **options)
    with caplog.at_level(logging.WARNING):
        refused = await world.manager.slash(world.channel, name, **options)

    assert refused.ephemeral and refused.response.content == "Only the bot's admins can do that."
    assert sorted(p.name for p in corpus_dir.iterdir()) == before, "nothing was written"
    assert world.bot.loader.last_report is last_report, "nothing was reloaded"
    assert any(str(world.manager.id) in r.getMessage() and "refused" in r.getMessage() for r in caplog.records)
    acknowledge_errors(world.env)


@pytest.mark.parametrize("name", sorted(MANAGER_CALLS))
async def test_digest_subscriptions_are_refused_to_plain_members(world, name):
    options = dict(MANAGER_CALLS[name])
    if name == "digest subscribe":
        options["channel"] = world.channel
    refused = await world.member.slash(world.channel, name, **options)
    assert refused.ephemeral and "Manage Server" in refused.response.content
    assert await world.bot.store.subscription(world.guild.id) is None
    acknowledge_errors(world.env)


async def test_the_sync_mention_does_nothing_for_a_manager_who_is_not_a_bot_admin(world):
    before = len(world.channel.history())
    await world.manager.send(world.channel, f"{world.bot.user.mention} sync global")
    assert len(world.channel.history()) == before + 1


# ---------------------------------------------------------------- uploads


@pytest.mark.parametrize("name", [
    "../escape.txt", "../../etc/cron.d/x.txt", "/etc/passwd.txt", "/tmp/abs.md", "..\\escape.txt", "sub/inner.txt",
    ".hidden.txt", "x..txt", "con.txt\x00.pdf", "%2e%2e%2fescape.txt", "\u202etxt.exe", "file.txt.exe", "file",
])
async def test_an_upload_cannot_name_a_path_outside_the_corpus_folder(world, corpus_dir, name, tmp_path):
    outside_before = sorted(p.name for p in tmp_path.iterdir())
    before = sorted(p.name for p in corpus_dir.iterdir())
    result = await world.admin.slash(world.channel, "admin ingest", file=(name, NEW_ARTICLE))
    reply = (result.followups or [result.response])[0].content
    assert result.ephemeral and ("not a usable file name" in reply or "only .txt, .md, .html and .htm" in reply)
    assert sorted(p.name for p in corpus_dir.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == outside_before
    acknowledge_errors(world.env)


async def test_an_upload_replaces_a_link_in_the_corpus_folder_without_writing_through_it(world, corpus_dir, tmp_path):
    secret = tmp_path / "outside.txt"
    secret.write_text("outside the corpus: must stay as it is\n")
    (corpus_dir / "linked.txt").symlink_to(secret)
    result = await world.admin.slash(world.channel, "admin ingest", file=("linked.txt", NEW_ARTICLE))
    assert result.ephemeral
    assert secret.read_text() == "outside the corpus: must stay as it is\n"
    assert not (corpus_dir / "linked.txt").is_symlink()
    assert (corpus_dir / "linked.txt").read_bytes() == NEW_ARTICLE


@pytest.mark.parametrize("name, data", [
    ("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(200)),
    ("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(200)),
    ("archive.md", b"PK\x03\x04" + bytes(300)),
    ("script.sh", b"#!/bin/sh\nrm -rf /\n"),
    ("page.html", b"<html><body>The talks resumed.</body></html>"),
    ("utf16_garbage.txt", b"\xff\xfe\x00\xd8"),
])
async def test_an_upload_that_is_not_an_article_is_refused(world, corpus_dir, name, data):
    before = sorted(p.name for p in corpus_dir.iterdir())
    result = await world.admin.slash(world.channel, "admin ingest", file=(name, data))
    reply = (result.followups or [result.response])[0].content
    assert result.ephemeral and reply
    assert sorted(p.name for p in corpus_dir.iterdir()) == before
    acknowledge_errors(world.env)


# ---------------------------------------------------------------- the token


async def test_the_token_never_appears_in_logs_or_replies(world, corpus_dir, monkeypatch, caplog):
    monkeypatch.setenv("DISCORD_TOKEN", FAKE_TOKEN)
    world.bot.http.token = FAKE_TOKEN  # whatever logs the client's state would show it
    replies = []
    with caplog.at_level(logging.DEBUG):
        for actor, name, options in [
            (world.admin, "admin status", {}),
            (world.admin, "admin reload", {"what": "config"}),
            (world.admin, "admin reload", {"what": "cogs"}),
            (world.admin, "admin reload", {"what": "corpus"}),
            (world.admin, "admin ingest", {"file": ("bad.txt", b"\x00" * 20)}),
            (world.manager, "admin reload", {"what": "corpus"}),
            (world.member, "search", {"query": "\"unbalanced"}),
            (world.member, "quotes", {"expert": "nobody-at-all"}),
            (world.member, "summary", {}),
        ]:
            result = await actor.slash(world.channel, name, **options)
            replies += [result.response, *result.followups]
    logged = caplog.text + "".join(json.dumps(r.json, default=str) for r in world.env.http_requests)
    shown = "".join((m.content or "") + "".join(json.dumps(e.to_dict()) for e in m.embeds) for m in replies if m)
    for secret in (FAKE_TOKEN, FAKE_TOKEN.split(".")[-1]):
        assert secret not in logged
        assert secret not in shown
    acknowledge_errors(world.env)


# ---------------------------------------------------------------- mentions never ping

PINGS = "@everyone and @here, <@{user}> and <@!{user}>, <@&{role}> and <#{channel}>"


@pytest.fixture
async def pinging_world(world, corpus_dir):
    role = world.guild.roles["Managers"]
    pings = PINGS.format(user=world.member.id, role=role.id, channel=world.channel.id)
    (corpus_dir / "pings.txt").write_text(
        f"---\ntitle: Ping test {pings}\npublished: 2026-03-10\n---\n"
        f"The harbour council met on 10 March 1956, {pings}, officials said.\n\n"
        f"\"We call on {pings} to join the harbour talks,\" said Marta Olsen, the harbour mayor.\n",
        encoding="utf-8")
    await world.bot.ingest_task
    await world.admin.slash(world.channel, "admin reload", what="corpus")
    return world


def _pings(message) -> list[str]:
    """Who simcord's Discord says this message pinged (a reply's stored message, or a channel message)."""
    stored = getattr(message, "_message", None)
    if stored is not None:
        everyone, users, roles = stored.mention_everyone, stored.mention_user_ids, stored.mention_role_ids
    else:
        everyone, users = message.mention_everyone, [m.id for m in message.mentions]
        roles = [r.id for r in message.role_mentions]
    problems = ["@everyone/@here"] if everyone else []
    problems += [f"users {users}"] if users else []
    problems += [f"roles {roles}"] if roles else []
    return problems


async def test_corpus_text_with_mentions_never_pings(pinging_world, clock):
    world = pinging_world
    results = []
    for actor, name, options in [
        (world.member, "search", {"query": "harbour"}),
        (world.member, "search", {"query": "everyone"}),
        (world.member, "article", {"article": "pings"}),
        (world.member, "quotes", {"expert": "Olsen"}),
        (world.member, "summary", {"article": "pings"}),
        (world.member, "dates", {"year": 1956}),
        (world.member, "quotes", {"expert": "@everyone"}),  # an error echoing the user's text
        (world.member, "article", {"article": "<@&1> @here"}),
        (world.member, "digest preview", {}),
    ]:
        results.append(await actor.slash(world.channel, name, **options))
    import datetime as dt
    clock.set(dt.datetime(2026, 3, 10, 7, 50, tzinfo=dt.timezone.utc))
    await world.manager.slash(world.channel, "digest subscribe", channel=world.channel, time="08:00", timezone="UTC")
    await world.env.advance_time(24 * 3600 + 15 * 60)

    bot_id = world.bot.user.id
    messages = [m for r in results for m in (r.response, *r.followups) if m] + [
        m for m in world.channel.history() if m.author.id == bot_id]

    assert any("@everyone" in (m.content or "") + json.dumps([e.to_dict() for e in m.embeds]) for m in messages)
    # The authority is what the bot sends: allowed_mentions that allow nobody. (simcord's stored
    # user and role mentions list what the text names, whatever allowed_mentions says.)
    assert _every_send_forbids_mentions(world.env.http_requests) == []
    assert [m.id for m in messages if "@everyone/@here" in _pings(m)] == []
    assert world.bot.allowed_mentions.to_dict() == {"parse": []}, "and nobody by default either"
    acknowledge_errors(world.env)


def _every_send_forbids_mentions(requests) -> list[str]:
    """Every request that posts or edits a message carries allowed_mentions that allow nobody."""
    problems = []
    for r in requests:
        payload = r.json if isinstance(r.json, dict) else {}
        body = payload.get("data", payload) if isinstance(payload.get("data"), dict) else payload
        if not isinstance(body, dict) or not ({"content", "embeds"} & body.keys()):
            continue
        allowed = body.get("allowed_mentions")
        if allowed is None or allowed.get("parse") or allowed.get("users") or allowed.get("roles") \
                or allowed.get("replied_user"):
            problems.append(f"{r.method} {r.path}: allowed_mentions={allowed}")
    return problems
