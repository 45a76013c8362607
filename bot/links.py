"""Links as article identities: normalised URLs, a page's canonical URL and a stable article id."""
from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

# Query parameters that only say where a reader came from; dropped so one story has one address.
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ref", "ref_src",
                                 "igshid", "yclid", "_ga", "cmpid", "ocid"})
DEFAULT_PORTS = {"http": 80, "https": 443}
ID_PREFIX = "web"
ID_HASH_CHARS = 12
MAX_HOST_CHARS = 60
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


def is_link(text: str) -> bool:
    return urlsplit(text.strip()).scheme.lower() in DEFAULT_PORTS


def _tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_PARAMETERS or key.startswith(TRACKING_PREFIXES)


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, '/' for an empty path."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def canonical_url(html: bytes | str, page_url: str) -> str | None:
    """The page's own address for itself (`<link rel="canonical">`, else `og:url`), normalised; None without one."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    candidates = [href for link in root.iter("link") if "canonical" in (link.get("rel") or "").lower().split()
                  for href in [link.get("href")] if href]
    candidates += [meta.get("content") for meta in root.iter("meta")
                   if (meta.get("property") or "").lower() == "og:url" and meta.get("content")]
    for candidate in candidates:
        absolute = urljoin(page_url, candidate.strip())
        if is_link(absolute) and urlsplit(absolute).hostname:
            return normalise_url(absolute)
    return None


def link_article_id(url: str) -> str:
    """`web-<host>-<sha1[:12]>` of the normalised URL: the same for every address of one story."""
    normal = normalise_url(url)
    host = _ID_UNSAFE.sub("-", urlsplit(normal).hostname or "unknown").strip("-.")[:MAX_HOST_CHARS]
    digest = hashlib.sha1(normal.encode("utf-8")).hexdigest()[:ID_HASH_CHARS]
    return f"{ID_PREFIX}-{host or 'unknown'}-{digest}"
