"""Word lists that tell a quoted person from an organisation or a group (logic in source_kinds.py).

Lower-case forms; matched case-insensitively against the words of a name.
"""
from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The kinds of source a quote can be credited to, as stored and exported.
PERSON = "person"
ORGANISATION = "organisation"  # a company, agency, party, outlet, publication or document
GROUP = "group"  # people or organisations spoken of together: "Europeans", "Democrats", "Super PACs"
KINDS = (PERSON, ORGANISATION, GROUP)

# The last word of a name that makes it an organisation, an outlet or a document.
ORGANISATION_HEADS = _words(
    """ministry ministries agency agencies party council committee commission department bureau office
    administration government cabinet parliament congress senate assembly duma court tribunal
    union league association federation foundation fund institute institution university college academy
    center centre group company corporation corp corp. inc inc. ltd ltd. llc plc co co. holdings industries
    bank exchange board authority service services police army navy command
    times news post journal herald tribune telegraph guardian gazette daily weekly magazine press network
    channel radio television tv wire newswire review monitor observer chronicle examiner inquirer bulletin
    book report survey poll study index statement declaration memo letter editorial
    kremlin pentagon embassy consulate mission campaign coalition alliance caucus movement front
    organization organisation society club team trust nations""")

# Plural nouns for people spoken of together, when written as a name ("Democrats said").
GROUP_NOUNS = _words(
    """democrats republicans conservatives liberals socialists communists greens tories progressives
    independents libertarians moderates protesters protestors demonstrators activists voters residents
    officials lawmakers legislators senators ministers leaders diplomats experts analysts economists
    critics supporters opponents investors farmers workers unions students teachers doctors nurses
    scientists researchers authorities allies members citizens europeans westerners islanders veterans""")
