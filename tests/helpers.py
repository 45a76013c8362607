"""Small builders shared by the tests."""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def copy_seeds(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, dest / path.name)
    return dest


SCRAPED_PAGE = """08:15 GMT +204 March 2021
Listen Live
    Get short URL

    The harbour talks between the two coastal towns resumed on Monday, officials said.

    "We are ready to sign," said Marta Olsen, mayor of Northport. "The details are settled."

    Harbour view
    © Coastal Wire / Jan Berg
    Harbour view

    Olsen added that a final vote is expected in May.


    Northport Council Approves New Ferry Timetable
    Southbay Residents Protest Rising Port Fees
    harbour, ferry, talks, Northport, Southbay
    Community standardsDiscussion
    Share this article on Facebook
"""

FRONT_MATTER_PAGE = """---
title: Ferry deal signed
published: 2021-03-05
source: coastal-wire
editor: someone
---
Ferry deal signed

The two towns signed the ferry agreement on Friday, the mayor said.

"It took two years," Marta Olsen told reporters.
"""
