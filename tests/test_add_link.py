"""`python -m bot add <link or file>` end to end: a 127.0.0.1 site, a config file, a corpus folder in tmp_path."""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
import yaml

from bot.adding import AddError, add_bytes, add_link
from bot.ingest import CorpusLoader, IngestReport
from bot.store import open_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    (tmp_path / "corpus").mkdir()
    path = tmp_path / "config.yaml"
    path.write_text("allow_private_addresses: true\ncorpus: corpus\ndatabase: bot.sqlite3\n", encoding="utf-8")
    return path


async def run_add(config: Path, target: str) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "add", target, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode, out.decode(), err.decode()


def corpus_files(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "corpus").iterdir())


async def article_count(tmp_path: Path) -> int:
    async with await open_store(tmp_path / "bot.sqlite3") as store:
        return await store.article_count()


async def test_a_link_is_saved_ingested_and_reported(site, config_file, tmp_path):
    link = str(site.make_url("/story?utm_source=newsletter&fbclid=abc"))
    code, out, err = await run_add(config_file, link)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].endswith(": added") and lines[0].startswith("web-127.0.0.1-")
    assert "title: Ferry deal signed for the Kuril Islands" in lines
    assert "published: 2021-03-05" in lines
    assert "source: Coastal Wire" in lines
    assert any(line.startswith("found: ") and " quotes, " in line and line.endswith(" dates") for line in lines)
    assert "found: 0 quotes" not in out

    [name] = corpus_files(tmp_path)
    text = (tmp_path / "corpus" / name).read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["url"] == link
    assert front["canonical_url"] == str(site.make_url("/news/ferry-deal"))
    assert front["fetched"].startswith("20")
    assert "<article>" in text


async def test_one_story_under_two_urls_is_one_file_and_one_article(site, config_file, tmp_path):
    code, first, err = await run_add(config_file, str(site.make_url("/story?utm_campaign=x")))
    assert code == 0, err
    code, second, err = await run_add(config_file, str(site.make_url("/news/ferry-deal")))  # the canonical URL
    assert code == 0, err
    assert first.splitlines()[0].split(":")[0] == second.splitlines()[0].split(":")[0]
    assert second.splitlines()[0].endswith(": updated")
    assert len(corpus_files(tmp_path)) == 1
    assert await article_count(tmp_path) == 1


async def test_tracking_parameters_alone_make_no_second_copy(site, config_file, tmp_path):
    for path in ("/plain?utm_source=a&gclid=1", "/plain", "/plain#comments"):
        code, _, err = await run_add(config_file, str(site.make_url(path)))
        assert code == 0, err
    assert len(corpus_files(tmp_path)) == 1
    assert await article_count(tmp_path) == 1


@pytest.mark.parametrize("path, reason", [
    ("/status/404", "HTTP 404"),
    ("/status/500", "HTTP 500"),
    ("/image", "not a web page (content type image/png)"),
])
async def test_a_failed_fetch_is_one_line_and_leaves_the_folder_untouched(site, config_file, tmp_path, path, reason):
    link = str(site.make_url(path))
    code, out, err = await run_add(config_file, link)
    assert code == 1 and out == ""
    assert err.strip() == f"error: {link}: {reason}"
    assert corpus_files(tmp_path) == []


async def test_a_page_without_an_article_is_refused_and_nothing_is_written(site, config_file, tmp_path):
    code, _, err = await run_add(config_file, str(site.make_url("/empty")))
    assert code == 1
    assert err.startswith("error: web-127.0.0.1-") and "cannot be used" in err and len(err.strip().splitlines()) == 1
    assert corpus_files(tmp_path) == []


async def test_private_addresses_are_refused_unless_the_configuration_allows_them(site, tmp_path):
    (tmp_path / "corpus").mkdir()
    config = tmp_path / "strict.yaml"
    config.write_text("corpus: corpus\ndatabase: bot.sqlite3\n", encoding="utf-8")
    link = str(site.make_url("/story"))
    code, _, err = await run_add(config, link)
    assert code == 1
    assert err.strip() == f"error: {link}: refused: 127.0.0.1 is a loopback address"
    assert corpus_files(tmp_path) == []


async def test_a_file_is_copied_into_the_corpus_and_ingested(config_file, tmp_path):
    source = tmp_path / "ferry-note.txt"
    source.write_text("---\ntitle: Ferry note\npublished: 2021-03-06\nsource: Harbour Post\n---\n"
                      "The ferry agreement was signed on Friday, the mayor said.\n", encoding="utf-8")
    code, out, err = await run_add(config_file, str(source))
    assert code == 0, err
    assert out.splitlines()[:4] == ["ferry-note.txt → article ferry-note: added", "title: Ferry note",
                                    "published: 2021-03-06", "source: Harbour Post"]
    assert corpus_files(tmp_path) == ["ferry-note.txt"]


async def test_a_file_that_is_no_article_is_refused(config_file, tmp_path):
    source = tmp_path / "photo.png"
    source.write_bytes(b"\x89PNG")
    code, _, err = await run_add(config_file, str(source))
    assert code == 1 and err.startswith("error: photo.png: only ")
    assert corpus_files(tmp_path) == []


async def test_a_file_the_reload_refuses_is_removed_and_the_previous_version_restored(site, tmp_path, monkeypatch,
                                                                                      any_store):
    folder = tmp_path / "corpus"
    folder.mkdir()
    store = any_store
    loader = CorpusLoader(store, folder)
    first = await add_link(loader, str(site.make_url("/story")), allow_private=True)
    saved = (folder / first.name).read_bytes()

    real_reload = CorpusLoader.reload
    calls = []

    async def refusing_reload(self) -> IngestReport:
        calls.append(1)
        report = await real_reload(self)
        if len(calls) == 1:
            report.failed.append((first.name, "simulated refusal"))
        return report
    monkeypatch.setattr(CorpusLoader, "reload", refusing_reload)
    with pytest.raises(AddError, match="refused by the corpus reload: simulated refusal"):
        await add_link(loader, str(site.make_url("/news/ferry-deal")), allow_private=True)
    assert (folder / first.name).read_bytes() == saved
    assert sorted(p.name for p in folder.iterdir()) == [first.name]


async def test_a_link_another_reload_took_in_first_is_still_reported_added(site, tmp_path, monkeypatch, any_store):
    """Two adds at once (two feeds polled together): the other's reload may ingest this file first."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    loader = CorpusLoader(any_store, folder)
    real_reload = CorpusLoader.reload

    async def reload_after_another(self) -> IngestReport:
        await real_reload(self)  # the other add's reload, which finds this file already written
        return await real_reload(self)
    monkeypatch.setattr(CorpusLoader, "reload", reload_after_another)
    added = await add_link(loader, str(site.make_url("/story")), allow_private=True)
    assert added.outcome == "added"
    saved = (folder / added.name).read_bytes()
    again = await add_bytes(loader, added.name, saved)
    assert again.outcome == "unchanged (the corpus already holds this exact file)"


async def test_allow_private_addresses_must_be_true_or_false(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("allow_private_addresses: maybe\n", encoding="utf-8")
    code, _, err = await run_add(config, "http://127.0.0.1/")
    assert code == 2
    assert err.strip() == f"configuration error: {config}: allow_private_addresses: expected true or false, got 'maybe'"


async def test_a_link_without_a_scheme_is_not_taken_for_a_file(config_file, tmp_path):
    code, _, err = await run_add(config_file, "example.org/story")
    assert code == 1
    assert err.strip() == "error: example.org/story: no such file (a link must start with http:// or https://)"


async def test_a_page_without_a_publication_date_says_unknown(site, config_file, tmp_path):
    code, out, err = await run_add(config_file, str(site.make_url("/undated")))
    assert code == 0, err
    [published] = [line for line in out.splitlines() if line.startswith("published: ")]
    assert published.startswith("published: unknown")
