"""Vocabulary of page furniture that closes an article: what follows it is not the article.

Each pattern is searched in a short line (see furniture.MAX_FURNITURE_WORDS) after the
article's main block has begun; the line and everything after it are dropped.
"""
from __future__ import annotations

# A comment thread: its header, or the "NAME says:" line over each comment.
COMMENT_THREAD = (
    r"^\d[\d,]*\s+(?:comments?|responses?|replies|reactions)\b",
    r"\bsays:$",
    r"^(?:leave|post|add|write|submit)\s+a\s+(?:reply|comment)",
    r"^(?:show|view|hide|load|read|see)\s+(?:all\s+)?(?:\d+\s+)?comments?\b",
    r"join\s+the\s+(?:discussion|conversation)",
    r"^comments?(?:\s+are\s+closed)?\s*[:.]?$",
    r"^(?:conversation|discussion)$",
)
# Lists of other stories.
TEASER_HEADERS = (
    r"^(?:related|more|other|latest|top|trending|popular|recommended|featured|recent)"
    r"\s+(?:news|stories|articles|posts|reads|videos|headlines|coverage|content|on\b.*|from\b.*)\s*:?$",
    r"^(?:you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested)|also\s+(?:read|see|on)\b"
    r"|read\s+next|up\s+next|what\s+to\s+read\s+next|don'?t\s+miss|most\s+(?:read|popular|viewed|shared))",
    r"^(?:sponsored|promoted)\s+(?:content|stories|links)",
    r"^(?:related|trending|recommended|popular|latest|more)\s*:?$",
)
# Site-wide notices.
SITE_NOTICES = (
    r"\b(?:uses|use)\s+cookies\b",
    r"^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*\d{4}",
    r"\ball\s+rights\s+reserved\b",
    r"^(?:about\s+us|contact\s+us|terms\s+(?:of|and)\b|privacy\s+(?:policy|notice))",
)
# Related-story boxes also sit inside articles, so their headers only weigh against what follows
# (see furniture.line_weight); threads and notices end the article outright.
END_OF_ARTICLE = COMMENT_THREAD + SITE_NOTICES
