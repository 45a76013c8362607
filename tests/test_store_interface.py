"""Every driver offers the whole `Store` interface, with the Protocol's parameters and return types."""
from __future__ import annotations

import inspect

from bot.store import BotState, CorpusStore, FeedState, SqliteStore, Store


def operations(protocol: type) -> dict[str, inspect.Signature]:
    names = {name for cls in protocol.__mro__ if cls not in (object,) and cls.__name__ != "Protocol"
             for name, value in vars(cls).items() if inspect.isfunction(value) and not name.startswith("_")}
    return {name: inspect.signature(getattr(protocol, name)) for name in sorted(names)}


def shape(signature: inspect.Signature) -> tuple:
    """Parameter names, kinds and defaults, and the return type as written."""
    parameters = tuple((p.name, p.kind, p.default) for p in signature.parameters.values())
    return parameters, signature.return_annotation


def _compared(offered, signature: inspect.Signature) -> tuple:
    parameters, returns = shape(signature)
    # An @asynccontextmanager is written as the generator it wraps: its return type reads differently.
    return (parameters,) if hasattr(offered, "__wrapped__") else (parameters, returns)


def test_the_store_interface_is_the_corpus_the_bot_state_and_the_feeds():
    wanted = operations(Store)
    for part in (CorpusStore, BotState, FeedState):
        assert set(operations(part)) <= set(wanted)
    assert {"search", "quotes_of", "export", "storage_info", "corpus_changes", "claim_digest", "record_entry",
            "close"} <= set(wanted)


def test_the_sqlite_driver_offers_every_operation_with_the_same_shape():
    differences = {}
    for name, signature in operations(Store).items():
        offered = getattr(SqliteStore, name, None)
        if offered is None:
            differences[name] = "missing"
            continue
        if inspect.iscoroutinefunction(getattr(Store, name)) != inspect.iscoroutinefunction(offered):
            differences[name] = "async in one, not the other"
        elif _compared(offered, inspect.signature(offered)) != _compared(offered, signature):
            differences[name] = f"{inspect.signature(offered)} is not {signature}"
    assert differences == {}
