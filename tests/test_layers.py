"""The store is reached only through its interface: no database driver and no store internals above it."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRIVERS = {"sqlite3", "aiosqlite", "asyncpg"}


def imported_modules(source: str, module: str) -> list[str]:
    """Every module `source` (the text of `module`, dotted) imports, made absolute."""
    package = module.split(".")
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[:len(package) - node.level])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module
            names.append(target)
            # `from bot.store import corpus_writes` reaches a submodule too
            names += [f"{target}.{alias.name}" for alias in node.names if target == "bot.store"]
    return names


def violations(source: str, module: str) -> list[str]:
    found = []
    for name in imported_modules(source, module):
        if name.split(".")[0] in DRIVERS:
            found.append(f"{module} imports the database driver {name}")
        elif name.startswith("bot.store.") and _is_submodule(name):
            found.append(f"{module} imports {name}: use `bot.store`")
    return found


def _is_submodule(name: str) -> bool:
    parts = name.split(".")
    path = ROOT.joinpath(*parts)
    return path.with_suffix(".py").exists() or path.is_dir()


def modules_above_the_store() -> list[tuple[str, str]]:
    out = []
    for folder in ("bot", "cogs"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            parts = list(relative.parts)
            if parts[:2] == ["bot", "store"]:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out.append((".".join(parts), path.read_text(encoding="utf-8")))
    return out


def test_nothing_above_the_store_imports_a_database_driver_or_a_store_submodule():
    modules = modules_above_the_store()
    assert len(modules) > 30  # the walk found the code
    problems = [p for module, source in modules for p in violations(source, module)]
    assert problems == []


def test_the_check_catches_each_kind_of_violation():
    caught = {
        "import sqlite3": "bot.answers.people",
        "import aiosqlite as db": "bot.export",
        "from asyncpg import Pool": "cogs.admin",
        "from .store.fts import words_query": "bot.config",
        "from ..store.corpus_writes import article_rows": "bot.answers.articles",
        "from bot.store.records import ArticleHead": "cogs.briefing",
        "from bot.store import corpus_writes": "cogs.utils",
        "from ..store import postgres": "bot.answers.status",
    }
    for source, module in caught.items():
        assert violations(source, module) != [], source
    allowed = {"from ..store import Store, SearchSyntaxError": "bot.answers.articles",
               "from bot.store import Subscription": "cogs.admin", "import json": "bot.export"}
    for source, module in allowed.items():
        assert violations(source, module) == [], source
