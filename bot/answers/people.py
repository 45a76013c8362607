"""Answers about people: who is quoted, what they said, name autocomplete."""
from __future__ import annotations

from ..clip import clip
from ..nlp.people import without_honorifics
from ..nlp.source_words import PERSON
from ..store import PersonMatch, PersonRecord, Store
from .articles import AUTOCOMPLETE_LIMIT, MAX_NAME_CHARS, ref
from .types import CHOICE_CHARS, Choice, Expert, ExpertsAnswer, NotFound, QuoteItem, QuotesAnswer, UserError

KINDS = ("direct", "indirect")
# The newest this many quotes of one person: an archive may hold thousands.
MAX_QUOTES = 200


def quote_key(article_id: str, sentence: int, speaker: str | None) -> str:
    return f"{article_id}:{sentence}:{speaker or ''}"


def _expert(person: PersonRecord | PersonMatch) -> Expert:
    aliases = person.aliases if isinstance(person, PersonRecord) else ()
    return Expert(name=person.name, role=person.role, quote_count=person.quote_count, aliases=aliases,
                  kind=person.kind)


async def resolve_expert(store: Store, text: str) -> tuple[int, Expert]:
    text = (text or "").strip()
    if not text:
        raise UserError("Name an expert, e.g. a surname. /experts lists everyone quoted.")
    if len(text) > MAX_NAME_CHARS:
        raise UserError(f"That is too long for a name ({len(text)} characters; the limit is {MAX_NAME_CHARS}).")
    # Names are stored without honorifics: "Ms. Lane" is looked up as "Lane".
    rows = await store.find_people(without_honorifics(text), limit=6)
    if not rows:
        raise NotFound(f"Nobody called {text!r} is quoted in the corpus. /experts lists everyone quoted.")
    best = [r for r in rows if r.rank == rows[0].rank]
    if len(best) > 1 and rows[0].rank > 0:
        names = ", ".join(r.name for r in best[:5])
        raise UserError(f"{text!r} could be {names}. Pick one from the suggestions.")
    return rows[0].id, _expert(rows[0])


async def quotes_by(store: Store, expert: str, topic: str | None = None, kind: str | None = None) -> QuotesAnswer:
    if kind is not None and kind not in KINDS:
        raise UserError("kind must be direct or indirect.")
    person_id, who = await resolve_expert(store, expert)
    rows = await store.quotes_of(person_id, kind=kind, topic=topic, limit=MAX_QUOTES + 1)
    truncated = len(rows) > MAX_QUOTES
    rows = rows[:MAX_QUOTES]
    filters = ", ".join(f for f in (f"about {topic!r}" if topic else "", kind or "") if f)
    if not rows:
        suffix = f" ({filters})" if filters else ""
        raise NotFound(f"No quotes from {who.name}{suffix}.")
    quotes = tuple(
        QuoteItem(text=r.text, kind=r.kind, article=ref(r.article), speaker=who.name, role=who.role,
                  key=quote_key(r.article.id, r.sentence, who.name), parts=quote_parts(r.parts),
                  in_sentence=fragment_in_sentence(r.text, r.sentence_text) if r.kind == "direct" else None)
        for r in rows)
    return QuotesAnswer(expert=who, quotes=quotes, filters=filters, truncated=truncated)


def quote_parts(stored: tuple[str, ...]) -> tuple[str, ...]:
    """The parts of a quote split by its attribution, or () for one part."""
    parts = tuple(p for p in stored if p.strip())
    return parts if len(parts) > 1 else ()


_OPENING_MARKS = "\"“‘'«„‚ "


def fragment_in_sentence(quoted: str, sentence: str | None) -> tuple[str, str, str] | None:
    """(before, quoted, after) when `quoted` is a fragment of `sentence`, else None.

    A fragment reads as part of the writer's sentence: it starts in lower case ("would be
    willing to visit"), or a word of the sentence runs straight into its opening mark
    (Japan "would..."). A quote after a colon, a comma or at the start of the sentence is
    a sentence of its own and is shown alone.
    """
    if not sentence or not quoted:
        return None
    start = sentence.find(quoted)
    if start < 0:
        return None
    before = sentence[:start].rstrip(_OPENING_MARKS)
    runs_on = bool(before) and (before[-1].isalnum() or before[-1] in ")%")
    if not (quoted[0].islower() or runs_on):
        return None
    return sentence[:start], quoted, sentence[start + len(quoted):]


async def experts(store: Store) -> ExpertsAnswer:
    rows = await store.people()
    if not rows:
        raise NotFound("Nobody is quoted in the corpus yet.")
    everyone = [_expert(r) for r in rows]
    return ExpertsAnswer(experts=tuple(e for e in everyone if e.kind == PERSON),
                         sources=tuple(e for e in everyone if e.kind != PERSON))


async def expert_choices(store: Store, typed: str) -> list[Choice]:
    typed = (typed or "")[:MAX_NAME_CHARS]
    rows = await (store.find_people(typed.strip(), AUTOCOMPLETE_LIMIT) if typed.strip()
                  else store.people(AUTOCOMPLETE_LIMIT))
    out = []
    for r in rows:
        label = f"{r.name} — {r.role}" if r.role else r.name
        out.append(Choice(name=clip(label, CHOICE_CHARS), value=r.name[:CHOICE_CHARS]))
    return out
