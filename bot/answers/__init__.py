"""The questions users ask, answered as plain data (no Discord here).

Cogs, the console and the export all call these functions, so they cannot disagree.
"""
from __future__ import annotations

from .articles import article, article_choices, find_article, search, summary
from .digest import digest, quote_of_the_day
from .offloop import off_loop
from .people import expert_choices, experts, quotes_by, resolve_expert
from .status import status
from .timeline import coming_dates, on_this_day, timeline
from .types import NotFound, UserError
from .when import parse_day

__all__ = [
    "NotFound", "UserError", "article", "article_choices", "coming_dates", "digest", "expert_choices", "experts",
    "find_article", "off_loop", "on_this_day", "parse_day", "quote_of_the_day", "quotes_by", "resolve_expert",
    "search", "status", "summary", "timeline",
]
