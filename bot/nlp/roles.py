"""What people are: roles written around their names, and matching role nouns to them.

"Valeriy Kistanov, director of the Center for Japanese Studies, told ..." gives
the role "director of the Center for Japanese Studies"; later "the analyst"
or "the Russian leader" is matched against the roles seen so far.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .names import NATIONALITIES, PLACES, TITLE_WORDS, bare, find_mentions, is_name_word

_MAX_ROLE_WORDS = 20

# Role nouns that stand for several kinds of title ("the Russian leader" is its president).
_HEAD_GROUPS = {
    "leader": "president premier prime chancellor king queen leader head chairman chairwoman chief ruler monarch "
              "emperor sultan emir secretary-general",
    "diplomat": "ambassador envoy diplomat foreign consul negotiator attache attaché",
    "official": "minister secretary official spokesman spokeswoman director commissioner deputy aide adviser "
                "advisor administrator",
    "expert": "analyst expert scholar researcher professor fellow associate director head specialist economist "
              "historian scientist lecturer dean institute center centre university studies academy observer",
    "lawmaker": "senator congressman congresswoman representative lawmaker deputy mp speaker chairman duma "
                "parliament legislator",
    "politician": "senator congressman congresswoman representative lawmaker deputy mp speaker governor mayor "
                  "president minister candidate nominee chairman politician leader",
    "businessman": "ceo executive businessman businesswoman founder chairman tycoon billionaire investor mogul",
}
for _alias, _group in (("analyst", "expert"), ("scholar", "expert"), ("researcher", "expert"),
                       ("specialist", "expert"), ("academic", "expert"), ("observer", "expert"),
                       ("associate", "expert"), ("professor", "expert"), ("economist", "expert"),
                       ("fellow", "expert"), ("legislator", "lawmaker"), ("envoy", "diplomat"),
                       ("ambassador", "diplomat"), ("executive", "businessman"), ("head", "leader"),
                       ("chief", "leader"), ("premier", "leader")):
    _HEAD_GROUPS[_alias] = _HEAD_GROUPS[_group] + " " + _alias
_HEAD_WORDS = {head: frozenset(words.split()) for head, words in _HEAD_GROUPS.items()}

_ROLE_VERBS = {"heads": "head of", "leads": "leader of", "chairs": "chair of", "directs": "director of",
               "runs": "head of", "headed": "former head of", "led": "former leader of", "founded": "founder of",
               "represents": "representative of", "manages": "manager of", "oversees": "head of"}
_ROLE_VERBS.update({"chaired": "former chair of", "directed": "former director of", "ran": "former head of",
                    "managed": "former manager of", "oversaw": "former head of", "represented":
                    "former representative of"})
_HAS_VERBS = {"led": "leader of", "headed": "head of", "chaired": "chair of", "directed": "director of",
              "run": "head of", "founded": "founder of", "represented": "representative of",
              "managed": "manager of", "overseen": "head of"}
_BE_VERBS = r"is|was|serves as|served as|works as|worked as|has been|had been|has served as"
_ADVERBS = r"(?:now|currently|also|still|once|previously|formerly|later)"
_APPOSITION = re.compile(
    r"(?:\s*\([^()\x00]{1,20}\))?"  # "Clyburn (D-S.C.), the assistant leader of ...": a party tag first
    r",\s+(?:who(?P<be>'s|\u2019s)?\s+(?:" + _ADVERBS + r"\s+)?"
    r"(?:(?P<has>has|had)\s+(?:" + _ADVERBS + r"\s+)?(?P<perfect>" + "|".join(_HAS_VERBS) + r")\s+"
    r"|(?P<verb>" + "|".join(_ROLE_VERBS) + "|" + _BE_VERBS + r")\s+)?"
    r"(?:" + _ADVERBS + r"\s+)?)?"
    r"(?P<role>[^,;:\x00()]{2,}?(?:\([^)\x00]{1,40}\)[^,;:\x00()]*?)?)(?=\s*(?:[,;:\x00]|\.(?:\s|$)|$))"
)
_AFFILIATION = re.compile(
    r"\s+(?P<aff>(?:of|from|at|with)\s+(?:the\s+)?[A-Z][\w'\u2019\-]*"
    r"(?:\s+(?:(?:of|for|and|the|de|on)\s+)*[A-Z][\w'\u2019\-]*)*(?:\s+\([^)]{1,20}\))?)"
)
_AS_VERBS = frozenset({"serves as", "served as", "works as", "worked as", "has served as"})
_FORMER = re.compile(r"^(?:an?\s+)?(?:former|retired|ex-)\s*[a-z]")
_POSSESSIVE = re.compile(r"^(?:his|her|their)\s+(?=[a-z])")
_LAST_NAME_WORD = re.compile(r"(?:\s+(?:of|for|and|the|de|on))*\s+[A-Z][\w'\u2019\-]*$")
_AGE = re.compile(r"^\d+-year-old\s+")
_CUT = re.compile(r"\s+(?:who|whom|which|whose|that|with|and\s+(?:a|an|the)|since|when|where)\s+.*$")
_DETERMINER = re.compile(r"^(?:a|an|the|another|one(?!\s+of\b))\s+", re.I)
_ABBREVIATIONS = {"sen": "Senator", "rep": "Representative", "gov": "Governor", "gen": "General", "lt": "Lieutenant",
                  "col": "Colonel", "sgt": "Sergeant", "capt": "Captain", "adm": "Admiral", "rev": "Reverend",
                  "prof": "Professor", "maj": "Major", "cmdr": "Commander", "supt": "Superintendent",
                  "insp": "Inspector", "pres": "President", "sec": "Secretary", "amb": "Ambassador"}
_ABBREVIATION = re.compile(r"\b(" + "|".join(k.capitalize() for k in _ABBREVIATIONS) + r")\.?(?=\s|$)")
_VERBISH = re.compile(r"\b(?:said|says|told|added|noted|is|was|are|were|has|have|had|will|would)\b")
_ORG_WORDS = re.compile(r"\b(?:of|at|for|from|to)\s+(?:the\s+)?[A-Z]")


_NOT_ROLE_START = frozenset("""and or but his her their its who which whose on in at for with from to by after
during before while when as""".split())
_AND_WORDS = re.compile(r"\band\s+([A-Z][\w'\u2019-]*)\s+([A-Z][\w'\u2019-]*)")


def _names_another_person(text: str) -> bool:
    """', political adviser Uzi Arad and ...,' is a list of other people, not a role."""
    return any(m.run_start == 0 for m in find_mentions(text))


def clean_role(text: str) -> str:
    role = " ".join(text.split()).strip(" ,;:")
    role = _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(1).lower()], role).strip(" .")
    role = _DETERMINER.sub("", role)
    role = _AGE.sub("", role)
    role = _CUT.sub("", role)
    if len(role.split()) > _MAX_ROLE_WORDS:
        return ""  # a role is a whole phrase or nothing: never one cut at a word count
    return role.strip(" ,.;:")


def _has_role_word(text: str) -> bool:
    return any(bare(w) in TITLE_WORDS for w in text.replace("-", " - ").split())


def apposition_role(masked: str, end: int) -> str | None:
    """The role in ', director of X,' (or ', who heads X') right after a name ending at `end`."""
    m = _APPOSITION.match(masked, end)
    if not m:
        return None
    role = _POSSESSIVE.sub("", m.group("role").strip())  # "who is now his secretary of state"
    verb = m.group("verb")
    first = role.split()[0] if role.split() else ""
    if verb in _ROLE_VERBS or m.group("perfect"):
        lead = _ROLE_VERBS[verb] if verb else _HAS_VERBS[m.group("perfect")]
        return clean_role(f"{lead} {role}") or None
    if not first or not (first[0].islower() or first.lower() in ("a", "an", "the")):
        return None
    if first.lower() in _NOT_ROLE_START:
        return None  # ", and his father,", ", on an official visit,": not a description of the person
    if _names_another_person(role):
        return None  # ", political adviser Uzi Arad and Cabinet Secretary Danny Naveh,": other people
    if _VERBISH.search(role):
        return None
    said_to_be = verb in _AS_VERBS or _FORMER.match(role)  # "who works as a guide", "a former fisherman"
    if not said_to_be and not _has_role_word(" ".join(role.split()[:6])):
        return None
    return clean_role(role) or None


def affiliation(masked: str, end: int) -> str | None:
    """'of the University of Tokyo' right after a name."""
    m = _AFFILIATION.match(masked, end)
    if not m:
        return None
    aff = m.group("aff").strip()
    if masked[m.end():m.end() + 2][:1] == "." and masked[m.end() + 1:m.end() + 2].isalnum():
        aff = _LAST_NAME_WORD.sub("", aff)  # "of South Carolina and G.O.P. ...": never keep a cut word
        if " " not in aff:
            return None
    for name in _AND_WORDS.finditer(aff):
        if is_name_word(name.group(1)) and is_name_word(name.group(2)):
            return aff[:name.start()].strip()  # "of Hungary and Jan Kavan of ...": stop before the next person
    return aff


class RoleBook:
    """The roles one person is given in an article; `best()` is the one to show."""

    __slots__ = ("roles", "affiliations")

    def __init__(self) -> None:
        self.roles: dict[str, int] = {}  # role -> strength
        self.affiliations: list[str] = []

    def add(self, role: str, strength: int = 1, prefix: bool = False) -> None:
        if prefix:
            if role not in self.affiliations:
                self.affiliations.append(role)
            return
        role = clean_role(role)
        if role and len(role) > 1:
            self.roles[role] = max(strength, self.roles.get(role, -1))

    def text(self) -> str:
        return " ".join(list(self.roles) + self.affiliations).lower()

    def best(self) -> str | None:
        if not self.roles:
            return self.affiliations[0] if self.affiliations else None
        role = max(self.roles.items(), key=lambda kv: (kv[1], bool(_ORG_WORDS.search(kv[0])), len(kv[0])))[0]
        if self.affiliations and not _ORG_WORDS.search(role):
            role = f"{role} {self.affiliations[0]}"
        return role

    def __bool__(self) -> bool:
        return bool(self.roles or self.affiliations)


def _origin_stems(text: str) -> set[str]:
    """'Russian Foreign Minister' -> {'russ'}: countries and nationalities, compared by stem."""
    out = set()
    for word in text.replace("-", " ").split():
        low = bare(word)
        if low in NATIONALITIES or low in PLACES:
            if low in ("western", "eastern", "northern", "southern", "central", "atlantic", "pacific"):
                continue
            out.add(low[:4])
    return out


class RoleFit(NamedTuple):
    """How a role noun ("the Danish minister") fits what is known of a person."""

    head: bool  # the noun or its kind: "leader" for a president
    origin: bool  # the same nationality
    conflict: bool  # another nationality

    @property
    def score(self) -> int:
        # The nationality is the more telling of the two: "the Danish minister" is the Dane.
        return -1 if self.conflict else 2 * self.head + 3 * self.origin


def role_fit(head: str, role_text: str, book: RoleBook) -> RoleFit:
    if not book:
        return RoleFit(False, False, False)
    known = book.text()
    mine = _origin_stems(role_text)
    theirs = _origin_stems(known)
    if mine and theirs and not (mine & theirs):
        return RoleFit(False, False, True)
    words = set(re.findall(r"[\w\-]+", known))
    group = _HEAD_WORDS.get(head)
    head_fits = head in words or (head + "s") in words or bool(group and words & group)
    return RoleFit(head_fits, bool(mine and theirs), False)
