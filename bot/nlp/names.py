"""Finding people's names in running text, without a statistical model.

A name is a run of capitalised words that is not a place, an organisation, a
title or an ordinary word that happens to start a sentence. Titles and role
words just before a name ("former Russian Ambassador to Japan Alexander
Panov", "analyst Alexander Baunov") are kept as the person's role.
The word lists are general English/news vocabulary, not names of anyone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Honorifics say nothing about what someone does.
HONORIFICS = _words("mr mrs ms miss mx dr sir dame lord lady madam messrs mme")

# Title and role words: what a person is. Lower-case forms; matched case-insensitively.
TITLE_WORDS = _words(
    """president vice-president president-elect minister premier chancellor secretary secretary-general
    ambassador envoy consul governor mayor senator sen representative rep congressman congresswoman
    councilman councilwoman councillor councilor lawmaker legislator speaker chairman chairwoman chair
    chairperson chief director head professor prof dean lecturer analyst expert scholar researcher fellow
    associate economist historian scientist political spokesman spokeswoman spokesperson adviser advisor aide
    official commander general gen admiral adm colonel col lieutenant lt captain capt sergeant sgt major maj
    judge justice attorney lawyer prosecutor editor columnist journalist correspondent reporter anchor host
    author writer founder co-founder ceo executive manager officer strategist pollster consultant activist
    candidate nominee leader king queen prince princess emperor empress pope cardinal bishop rabbi imam pastor
    reverend rev father sheikh ayatollah counterpart detective trooper constable agent deputy diplomat negotiator
    observer specialist member coach
    businessman businesswoman billionaire tycoon mogul investor entrepreneur president's governor-general
    gov commissioner inspector superintendent sheriff marshal treasurer comptroller auditor administrator
    director-general undersecretary under-secretary attaché attache delegate commentator pundit blogger
    producer presenter physician doctor surgeon nurse engineer architect designer actor actress singer
    rapper comedian star celebrity player chancellor-elect premier-elect mp mep senator-elect spokesmen
    crown monarch sultan emir shah tsar czar dalai lama patriarch metropolitan archbishop priest vicar
    minister's ombudsman regent marshal chieftain warlord""")

# Words that can sit inside a role before a name: "former", "Foreign", "State Duma".
ROLE_MODIFIERS = _words(
    """former ex then acting interim deputy vice senior junior chief top longtime long-time veteran retired
    late outgoing incoming current first assistant principal lead special foreign defense defence finance
    economic economy security national international state federal local regional presidential liberal
    conservative independent prominent leading well-known renowned famous influential prime general
    permanent executive managing press communications campaign party opposition ruling majority minority
    house senate white emeritus visiting research political military trade justice interior health energy
    education labor labour agriculture environment home internal external affairs development
    republican democratic democrat gop progressive nonpartisan partisan civil rights human""")

# Head nouns of descriptions that stand for a source the article does not name.
UNNAMED_HEADS = _words(
    """source sources official officials spokesman spokeswoman spokesperson spokesmen spokespeople aide aides
    insider insiders person people persons someone somebody witness witnesses resident residents voter voters
    employee employees staffer staffers member members observers experts analysts critics supporters
    opponents diplomats officers researchers scholars economists historians scientists lawmakers leaders
    ministers others many some most few several all everyone nobody no-one survey poll polls report reports
    study studies statement document documents data media outlets journalists reporters article book letter
    ruling ad advertisement piece memo email tweet editorial op-ed lawsuit complaint indictment filing video song
    release announcement website paper newspaper column story investigation audit probe research findings
    finding figures transcript message narrator announcer spot commercial campaign authorities police""")

# Capitalised words that are places or regions (lower-case forms).
PLACES = _words(
    """afghanistan albania algeria america americas argentina armenia asia australia austria azerbaijan
    bahrain bangladesh belarus belgium bolivia bosnia brazil britain bulgaria burma cambodia canada chile
    china colombia congo croatia cuba cyprus czechia denmark ecuador egypt england eritrea estonia ethiopia
    europe finland france georgia germany ghana greece guatemala haiti honduras hungary iceland india
    indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya korea kosovo kuwait
    kyrgyzstan laos latvia lebanon liberia libya lithuania luxembourg macedonia madagascar malaysia mali
    malta mexico moldova monaco mongolia montenegro morocco mozambique myanmar namibia nepal netherlands
    nicaragua niger nigeria norway oman pakistan palestine panama paraguay peru philippines poland portugal
    qatar romania russia rwanda scotland senegal serbia singapore slovakia slovenia somalia spain sudan
    sweden switzerland syria taiwan tajikistan tanzania thailand tibet tunisia turkey turkmenistan uganda
    ukraine uruguay uzbekistan venezuela vietnam wales yemen zambia zimbabwe africa antarctica arctic
    pacific atlantic caribbean balkans baltic baltics caucasus crimea donbas donbass siberia kurils kuriles
    eurasia oceania scandinavia mediterranean sahara
    moscow tokyo washington beijing london paris berlin kyiv kiev rome madrid brussels seoul pyongyang
    tehran baghdad damascus kabul cairo ankara istanbul delhi mumbai islamabad jerusalem riyadh dubai
    geneva vienna warsaw prague budapest minsk tbilisi yerevan baku astana tashkent bangkok hanoi manila
    jakarta canberra sydney ottawa toronto havana caracas brasilia chicago boston houston philadelphia
    atlanta miami dallas detroit seattle denver phoenix baltimore cleveland pittsburgh manhattan brooklyn
    bronx queens harlem hollywood vladivostok sochi petersburg novosibirsk yekaterinburg kaliningrad
    osaka kyoto hokkaido okinawa sakhalin hiroshima nagasaki yokohama kobe shanghai hong kong taipei
    lisbon athens oslo stockholm helsinki copenhagen dublin edinburgh amsterdam munich frankfurt hamburg
    milan naples barcelona strasbourg luxembourg belgrade bucharest sofia zagreb sarajevo riga vilnius
    tallinn chisinau aleppo mosul beirut gaza ramallah tel aviv doha abu dhabi muscat sanaa khartoum
    nairobi lagos johannesburg pretoria
    alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois
    indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi
    missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont
    virginia wisconsin wyoming carolina dakota hampshire jersey mexico york
    iturup kunashir shikotan habomai etorofu kunashiri okhotsk
    north south east west midwest san santa los las angeles vegas new""")

# Nationalities and other adjectives of origin or faith.
NATIONALITIES = _words(
    """american russian japanese chinese british english french german italian spanish korean ukrainian
    soviet european asian african arab arabic israeli palestinian iranian iraqi syrian turkish indian
    pakistani afghan canadian mexican brazilian australian polish swedish norwegian danish finnish dutch
    belgian swiss austrian greek hungarian czech serbian croatian georgian armenian belarusian kazakh uzbek
    saudi egyptian libyan lebanese jordanian yemeni qatari emirati kuwaiti cuban venezuelan colombian
    argentine argentinian chilean peruvian nigerian kenyan ethiopian somali sudanese irish scottish welsh
    portuguese romanian bulgarian lithuanian latvian estonian moldovan mongolian vietnamese thai filipino
    indonesian malaysian singaporean taiwanese tibetan burmese korean north-korean south-korean
    muslim christian catholic jewish sunni shiite shia kurdish orthodox protestant hindu buddhist
    western eastern northern southern central atlantic pacific
    republican republicans democrat democrats democratic gop conservative conservatives liberal liberals
    labour tory tories socialist communist green greens libertarian independent""")

# Words that mark a capitalised run as an organisation, place, event or thing.
THING_WORDS = _words(
    """university college institute institution center centre council committee commission ministry
    department agency bureau office party union league association federation foundation fund bank group
    company corporation corp inc ltd llc co news times post journal herald tribune telegraph guardian
    gazette daily weekly magazine press network channel radio tv television service services forum summit
    conference parliament congress senate duma assembly court house hall palace square street avenue road
    airport station island islands islet islets territories territory prefecture province region district
    county state states city town village river mountains sea ocean bay strait peninsula republic kingdom
    empire army navy force forces guard police school academy museum hospital church club team fleet war
    declaration treaty accord agreement act law plan program programme project initiative campaign
    movement front alliance organization organisation coalition caucus administration government cabinet
    embassy consulate mission kremlin pentagon capitol parliament cup games olympics festival day prize
    award show report index studies review channel online daily today tomorrow weekly monthly quarterly
    airlines airways motors industries holdings partners capital media studios records foundation trust
    brotherhood order society club stadium arena tower building hotel bridge park prison base camp
    summit talks games era age revolution crisis
    reuters sputnik tass ria novosti interfax xinhua kyodo nhk bloomberg cnn bbc afp breitbart politico
    fox msnbc nbc abc cbs npr axios twitter facebook instagram youtube google telegram kommersant izvestia
    vedomosti asahi yomiuri mainichi nikkei gallup rasmussen quinnipiac monmouth ipsos yougov pew
    wikileaks amazon apple microsoft uber tesla
    god internet communications relations studies sciences research energy amendment convention budget equality
    security investigations affairs politifact
    snopes factcheck hedge""")

# Ordinary words that are capitalised only because they start a sentence or a heading.
COMMON_WORDS = _words(
    """the a an in on at of for to by with from as and but or nor so yet if when while although though
    because since after before during until unless despite however meanwhile moreover also still even
    just only both either neither each every all some many most more few several no not this that these
    those there here it its he she they we i you his her their our my your who whom whose which what where
    why how yes asked according earlier later last next first second third then now today yesterday
    tomorrow tonight thus instead indeed perhaps maybe other another such same among amid around about
    above below under over between through against without within across toward towards upon via per
    please thanks thank dear hello let let's do does did is are was were be been has have had will would
    can could should may might must shall one two three four five six seven eight nine ten hundreds
    thousands millions old big great good bad best worst top beyond unlike like despite rival our us them him me
    mine yours theirs
    everybody everyone nobody somebody someone anyone anything everything nothing something
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
    feb mar apr jun jul aug sep sept oct nov dec
    abstract full text photo video image credit source reference related read watch listen comment
    share subscribe follow advertisement update editor's note breaking exclusive opinion analysis""")

NAME_PARTICLES = _words("de da van von der den del di du la le bin ibn al el dos das ter ten")
_SUFFIX_WORDS = _words("jr jr. sr sr. ii iii iv")
_JR_SR = _words("jr sr")  # suffixes that make a lone surname a name: "Quimby Jr."

_CAP = (
    r"(?:(?:[A-Z]\.){2,}"
    r"|(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Rev|Prof|Adm|Maj|Cmdr|Hon|Pres|Supt|Insp|Mme)\."
    r"|[A-Z]\.(?=\s+[A-Z])"
    r"|[A-Z\u00C0-\u00D6\u00D8-\u00DE][\w'\u2019\-]*)"
)
# A run of capitalised words; "to"/"of"/"for" and name particles may sit inside
# ("Ambassador to Japan", "Ursula von der Leyen").
_JOINERS = "|".join(["to", "of", "for", *sorted(NAME_PARTICLES)])
_CAP_RUN = re.compile(rf"(?=[A-Z\u00C0-\u00D6\u00D8-\u00DE])(?<![\w'\u2019]){_CAP}(?:\s+(?:(?:{_JOINERS})\s+)*{_CAP})*")
_CONTRACTION = re.compile(r"['\u2019](?:ve|m|ll|d|re|t)$", re.I)
_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")
_SPLIT = re.compile(r"\s+")
_WORD_CHARS = frozenset("-'\u2019.")


def word_before(text: str, pos: int) -> tuple[int, str] | None:
    """The word ending just before the whitespace at `pos` (a plain scan: faster than a
    regex anchored at the end)."""
    end = pos
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == pos or end == 0:
        return None
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _WORD_CHARS):
        start -= 1
    if start == end or not text[start].isalpha() or not text[start].isascii():
        return None
    return start, text[start:end]


@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # offsets of the name itself (without title) in the searched text
    end: int
    name: str  # "Alexander Panov", possessive stripped
    title: str  # role words written before the name ("former Russian Ambassador to Japan"), may be ""
    honorific: str  # "Mr." / "President" style single word right before the name, for aliases
    possessive: bool  # "Putin's"
    titled: bool  # a title or honorific stands right before the name
    run_start: int  # where the role words begin


@lru_cache(maxsize=65536)
def bare(word: str) -> str:
    """Lower-case word without a possessive ending or a final dot."""
    return _POSSESSIVE.sub("", word).lower().rstrip(".")


# Names that end like adverbs or gerunds.
_NAMES_LIKE_ADVERBS = frozenset("""kelly shelly beverly emily sally molly holly polly billy willy lilly reilly
riley daly kimberly ashley bradley stanley hadley dudley huntley bentley buckley oakley bly manning
channing fleming browning harding cushing pershing sterling irving loving king""".split())


@lru_cache(maxsize=65536)
def is_name_word(word: str) -> bool:
    """A capitalised word that can be part of a personal name."""
    if not word or not word[0].isupper():
        return False
    core = _POSSESSIVE.sub("", word)
    if len(core) > 1 and core.isupper() and "." not in core:
        return False  # acronyms: NATO, CNN
    if any(c.isdigit() for c in core) or _CONTRACTION.search(core):
        return False
    low = core.lower().rstrip(".")
    if low in COMMON_WORDS or low in PLACES or low in NATIONALITIES or low in THING_WORDS:
        return False
    if low in TITLE_WORDS or low in HONORIFICS or low in _SUFFIX_WORDS:
        return False
    if low.endswith("s") and low[:-1] in TITLE_WORDS:
        return False  # "Presidents Kuchma and Yeltsin"
    if len(low) > 5 and (low.endswith("ly") or low.endswith("ing")) and low not in _NAMES_LIKE_ADVERBS:
        return False  # "Certainly Saddam Hussein", "Making Juan Gonzalez": a sentence opener
    if "-" in low:
        parts = low.split("-")
        if any(p in PLACES or p in NATIONALITIES or p in THING_WORDS for p in parts):
            return False
    return True


def is_non_person_word(word: str) -> bool:
    """A single capitalised word known to be a place, organisation, nationality or outlet."""
    low = bare(word)
    if len(word) > 1 and _POSSESSIVE.sub("", word).isupper():
        return True
    return low in PLACES or low in NATIONALITIES or low in THING_WORDS or low in COMMON_WORDS


def find_mentions(text: str) -> list[Mention]:
    """Candidate personal names in `text`, with the role words written before them.

    Single words are returned only with a title ("President Putin"); bare
    surnames are matched against known people by the caller.
    """
    return find_names(text)[0]


def find_names(text: str) -> tuple[list[Mention], list[tuple[int, int, str]]]:
    """`find_mentions` and `find_words` in one pass over the text."""
    mentions: list[Mention] = []
    words: list[tuple[int, int, str]] = []
    for m in _CAP_RUN.finditer(text):
        run = m.group()
        if " " not in run:
            # One capitalised word: a name only after a lower-case title ("analyst Baunov").
            if _could_be_surname(run):
                words.append((m.start(), m.end(), run))
                if _lower_title_before(text, m.start()):
                    mention = _mention_in_run(text, m.start(), run)
                    if mention is not None:
                        mentions.append(mention)
            continue
        for start, piece in _split_run(m.start(), run):
            mention = _mention_in_run(text, start, piece)
            if mention is not None:
                mentions.append(mention)
        words.extend(_run_words(text, m.start(), run))
    return mentions, words


def _could_be_surname(token: str) -> bool:
    return is_name_word(token) or (bare(token) in TITLE_WORDS and bare(token) not in HONORIFICS)


def _lower_title_before(text: str, pos: int) -> bool:
    found = word_before(text, pos)
    return found is not None and found[1][0].islower() and found[1].lower() in TITLE_WORDS


def _run_words(text: str, pos: int, run: str) -> list[tuple[int, int, str]]:
    out = []
    for token in _SPLIT.split(run):
        start = text.index(token, pos)
        pos = start + len(token)
        if _could_be_surname(token):
            out.append((start, pos, token))  # "Dean said": a surname that is also a title
    return out


_CONNECTOR_IN_RUN = re.compile(r"\s+(?:of|to|for)\s+")


def _split_run(start: int, run: str) -> list[tuple[int, str]]:
    """Cut a run at "of/to/for" after a name word: "Cameron Easley for Morning Consult" is two
    runs, "Ambassador to Japan Alexander Panov" stays one."""
    pieces = []
    pos = 0
    for m in _CONNECTOR_IN_RUN.finditer(run):
        before = run[pos:m.start()].split()
        if before and is_name_word(before[-1]):
            pieces.append((start + pos, run[pos:m.start()]))
            pos = m.end()
    pieces.append((start + pos, run[pos:]))
    return pieces


def find_words(text: str) -> list[tuple[int, int, str]]:
    """Every single capitalised name-like word (for matching bare surnames)."""
    return find_names(text)[1]


def _mention_in_run(text: str, run_start: int, run: str) -> Mention | None:
    mention = _mention_in_tokens(text, run_start, run)
    # "Representative Charles B. Rangel of New York": the name may end before a connector.
    while mention is None:
        cut = max(run.rfind(" of "), run.rfind(" to "), run.rfind(" for "))
        if cut <= 0:
            return None
        run = run[:cut]
        mention = _mention_in_tokens(text, run_start, run)
    return mention


def _mention_in_tokens(text: str, run_start: int, run: str) -> Mention | None:
    tokens = _SPLIT.split(run)
    starts = []
    pos = run_start
    for token in tokens:
        pos = text.index(token, pos)
        starts.append(pos)
        pos += len(token)
    # "If Russian President ...": a capitalised sentence opener is not part of the title.
    while len(tokens) > 1 and bare(tokens[0]) in COMMON_WORDS:
        tokens, starts = tokens[1:], starts[1:]
    # A possessive name ends the run: "Putin's Kremlin" is about Putin.
    end_i = len(tokens)
    for i, token in enumerate(tokens[:-1]):
        if _POSSESSIVE.search(token) and is_name_word(token):
            end_i = i + 1
            break
    last = end_i - 1
    while last > 0 and bare(tokens[last]) in _SUFFIX_WORDS:
        last -= 1
    if not _name_end(tokens, last):
        return None
    first = last
    if not is_name_word(tokens[first]) and first > 0 and is_name_word(tokens[first - 1]):
        first -= 1  # "Chuck Jordan": the surname was a place word, the given name comes before it
    while first > 0 and (is_name_word(tokens[first - 1]) or tokens[first - 1] in NAME_PARTICLES
                         or bare(tokens[first - 1]) in _GIVEN_NAME_PLACES):
        first -= 1
    while first < last and tokens[first] in NAME_PARTICLES:
        first += 1
    if any(bare(token) in THING_WORDS for token in tokens[end_i:]):
        return None  # "Carnegie Moscow Center": an organisation named after someone
    possessive = bool(_POSSESSIVE.search(tokens[end_i - 1]))
    words = tokens[first:end_i]
    words[-1] = _POSSESSIVE.sub("", words[-1])
    name = " ".join(words)
    end = starts[end_i - 1] + len(words[-1])
    before = tokens[:first]
    honorific = " ".join(_title_chain(before))
    role_start, lead = _extend_role_left(text, starts[0] if before else starts[first])
    role_words = ([lead] if lead else []) + [w for w in before if bare(w) not in HONORIFICS]
    title = " ".join(role_words) if any(bare(w) in TITLE_WORDS for w in " ".join(role_words).split()) else ""
    titled = bool(honorific or title)
    if not title:
        role_start = starts[first]
    if first == last and not titled and not _jr_or_sr(tokens[last + 1:end_i]):
        return None  # a bare surname; "Quimby Jr." is a name, "Phase II" is not
    if not titled and any(bare(t) in THING_WORDS for t in before):
        return None  # "Institute of International Relations": the end of an organisation's name
    return Mention(start=starts[first], end=end, name=name, title=title.strip(" ,"), honorific=honorific,
                   possessive=possessive, titled=titled, run_start=role_start)


def _jr_or_sr(tokens: list[str]) -> bool:
    return len(tokens) == 1 and bare(tokens[0]) in _JR_SR


def _title_chain(before: list[str]) -> list[str]:
    """Capitalised title words right before a name, for alias forms: "Prime Minister", "Mr."."""
    chain: list[str] = []
    for word in reversed(before):
        low = bare(word)
        if low in HONORIFICS or low in TITLE_WORDS or low in ROLE_MODIFIERS:
            chain.append(word)
            if low in HONORIFICS:
                break
        else:
            break
    while chain and bare(chain[0]) not in HONORIFICS and bare(chain[0]) not in TITLE_WORDS:
        chain.pop(0)
    return list(reversed(chain))


def _name_end(tokens: list[str], last: int) -> bool:
    """Can tokens[last] end a personal name?"""
    if last < 0:
        return False
    if is_name_word(tokens[last]):
        return True
    # A place or month word after a given name is a surname: "Chuck Jordan", "Theresa May".
    if last > 0 and (bare(tokens[last]) in PLACES or bare(tokens[last]) in _MONTH_NAMES) \
            and is_name_word(tokens[last - 1]) and tokens[last - 1] not in NAME_PARTICLES:
        return True
    # A title word after a name or an honorific is a surname: "Steve King", "Mr. King".
    return (last > 0 and bare(tokens[last]) in TITLE_WORDS and bare(tokens[last]) not in HONORIFICS
            and (is_name_word(tokens[last - 1]) or bare(tokens[last - 1]) in HONORIFICS))


_CONNECTORS = frozenset({"to", "of", "for", "at"})
# Place names that are also common given names ("Georgia Meloni", "Chelsea Clinton").
_GIVEN_NAME_PLACES = frozenset("""georgia virginia florence victoria sydney austin paris jordan carolina dallas
lincoln israel chelsea savannah madison orlando sofia regina adelaide""".split())
_MONTH_NAMES = frozenset({"may", "june", "april", "august"})
# Abbreviations that end with a dot inside a role ("Lt. Gen.", "U.S."): the dot is not a full stop.
_ROLE_ABBREVIATIONS = frozenset("""gov sen rep gen lt col sgt capt adm rev prof maj cmdr supt insp pres sec amb dr mr
mrs ms st jr sr u.s u.k u.n e.u""".split())


def role_before_comma(text: str, comma: int) -> str:
    """'his Japanese counterpart, Taro Kono': the description a comma puts before a name."""
    if comma <= 0 or text[comma] != ",":
        return ""
    window = text[max(0, comma - 80):comma] + " "
    _, role = _extend_role_left(window, len(window))
    return role if any(w.lower() in TITLE_WORDS for w in role.split()) else ""


def _extend_role_left(text: str, pos: int) -> tuple[int, str]:
    """Role words just before `pos`: "former", "analyst", "Japan's former envoy to"."""
    origin = pos
    words: list[tuple[int, str]] = []
    while True:
        found = word_before(text, pos)
        if found is None:
            break
        word_start, word = found
        low = bare(word)
        if word.endswith(".") and low not in _ROLE_ABBREVIATIONS and len(low) > 1:
            break  # "... the president. Prime Minister X": a full stop ends the role
        if word[0].islower():
            ok = low in TITLE_WORDS or low in ROLE_MODIFIERS or low in NATIONALITIES or low in _CONNECTORS
        else:
            ok = (low in PLACES or low in NATIONALITIES or low in TITLE_WORDS or low in ROLE_MODIFIERS
                  or low in THING_WORDS)  # "Kremlin spokesman", "White House press secretary"
        if not ok:
            break
        words.append((word_start, word))
        pos = word_start
    while words and bare(words[-1][1]) in _CONNECTORS:
        words.pop()  # the role cannot start with "to"
    if not words:
        return origin, ""
    return words[-1][0], " ".join(w for _, w in reversed(words))
