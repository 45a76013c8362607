"""Fetching one web page or feed safely: http(s) only, public addresses only, bounded in time, size and redirects.

Addresses are checked before the first request, again on every redirect (redirects are followed
here, never by aiohttp), and once more at connect time by `GuardedResolver`, so a host name that
resolves to a public address when checked and to a private one when connecting (DNS rebinding)
is still refused. `allow_private_addresses: true` in the configuration lifts the address checks
(the tests serve pages from 127.0.0.1).
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from .answers.types import UserError

USER_AGENT = "KurilBriefingBot/0.1 (Kuril Islands news briefing bot)"
SCHEMES = ("http", "https")
HTML_TYPES = ("text/html", "application/xhtml+xml")
# What RSS and Atom feeds are served as in practice (some sites serve them as text/html or text/plain).
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
              "text/plain", *HTML_TYPES)
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
NOT_MODIFIED = 304
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
TIMEOUT_SECONDS = 10.0
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
CHUNK_BYTES = 64 * 1024


class FetchError(UserError):
    """A page that could not be fetched; the message is one line naming the link and the reason."""


class RefusedAddress(OSError):
    """Raised by the resolver at connect time: every address of the host is off limits."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # the address the page finally came from, after redirects
    requested: str  # the address asked for
    content_type: str
    charset: str | None  # from the Content-Type header, when it names one
    body: bytes
    status: int = 200  # 304 (NOT_MODIFIED): a conditional request found nothing new; the body is empty
    etag: str | None = None  # validators for the next conditional request
    last_modified: str | None = None


def address_kind(address: str) -> str | None:
    """'private', 'loopback', … when the address is off limits; None for a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None


def _refusal(host: str, address: str) -> str:
    kind = address_kind(address)
    a = "an" if kind[0] in "aeiou" else "a"
    if _literal_ip(host) == address:
        return f"refused: {host.strip('[]')} is {a} {kind} address"
    return f"refused: {host} resolves to {a} {kind} address ({address})"


def _literal_ip(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


async def check_url(url: str, allow_private: bool = False) -> None:
    """FetchError unless `url` is http(s) with a host whose every address may be fetched."""
    problem = await url_problem(url, allow_private)
    if problem:
        raise FetchError(f"{url}: {problem}")


async def url_problem(url: str, allow_private: bool = False) -> str | None:
    """Why `url` may not be fetched (scheme, host, an off-limits address), or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        return "only http and https links can be fetched"
    host = parts.hostname
    if not host:
        return "the link has no host name"
    if allow_private:
        return None
    literal = _literal_ip(host)
    try:
        addresses = [literal] if literal else await _resolve(host, parts.port)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot resolve {host} ({exc})"
    for address in addresses:
        if address_kind(address):
            return _refusal(host, address)
    return None


async def _resolve(host: str, port: int | None) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port or 80, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


class GuardedResolver(AbstractResolver):
    """The default resolver, minus every off-limits address; none left means the connection is refused."""

    def __init__(self) -> None:
        self._inner = DefaultResolver()

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
                      ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        allowed = [r for r in results if not address_kind(r["host"])]
        if not allowed:
            raise RefusedAddress(_refusal(host, results[0]["host"]) if results else f"cannot resolve {host}")
        return allowed

    async def close(self) -> None:
        await self._inner.close()


async def fetch_page(url: str, *, allow_private: bool = False, timeout: float = TIMEOUT_SECONDS,
                     max_bytes: int = MAX_BYTES, max_redirects: int = MAX_REDIRECTS) -> FetchedPage:
    """The HTML page at `url`, or FetchError with one line saying why not."""
    limits = _Limits(HTML_TYPES, "not a web page", max_bytes, max_redirects)
    return await _fetch(url, {"Accept": HTML_ACCEPT}, limits, allow_private, timeout)


async def fetch_feed(url: str, *, etag: str | None = None, last_modified: str | None = None,
                     allow_private: bool = False, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES,
                     max_redirects: int = MAX_REDIRECTS) -> FetchedPage:
    """The feed at `url`, asked for conditionally when validators from the last fetch are given.

    A server with nothing new answers 304: the result then has status NOT_MODIFIED and no body.
    """
    headers = {"Accept": FEED_ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limits = _Limits(FEED_TYPES, "not a feed", max_bytes, max_redirects)
    return await _fetch(url, headers, limits, allow_private, timeout)


@dataclass(frozen=True, slots=True)
class _Limits:
    types: tuple[str, ...]  # content types accepted
    refusal: str  # what a response of another type is called
    max_bytes: int
    max_redirects: int


async def _fetch(url: str, headers: dict[str, str], limits: _Limits, allow_private: bool,
                 timeout: float) -> FetchedPage:
    resolver = None if allow_private else GuardedResolver()
    connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False)
    try:
        async with aiohttp.ClientSession(connector=connector, headers={"User-Agent": USER_AGENT}) as session:
            async with asyncio.timeout(timeout):
                return await _follow(session, url, headers, limits, allow_private)
    except TimeoutError:
        raise FetchError(f"{url}: timed out after {timeout:g} s") from None
    finally:
        if resolver is not None:  # the connector closes only a resolver it made itself
            await resolver.close()


async def _follow(session: aiohttp.ClientSession, url: str, headers: dict[str, str], limits: _Limits,
                  allow_private: bool) -> FetchedPage:
    current = url
    for _hop in range(limits.max_redirects + 1):
        problem = await url_problem(current, allow_private)
        if problem:
            raise FetchError(f"{_where(url, current)}: {problem}")
        try:
            async with session.get(current, headers=headers, allow_redirects=False) as response:
                if response.status in REDIRECT_STATUSES:
                    current = _next_location(url, current, response)
                    continue
                return await _page(url, current, response, limits)
        except aiohttp.ClientConnectorError as exc:
            raise FetchError(f"{_where(url, current)}: {_connect_problem(exc)}") from None
        except aiohttp.ClientError as exc:
            raise FetchError(f"{_where(url, current)}: {type(exc).__name__}: {exc}".split("\n")[0]) from None
    raise FetchError(f"{url}: more than {limits.max_redirects} redirects")


def _next_location(url: str, current: str, response: aiohttp.ClientResponse) -> str:
    location = response.headers.get("Location", "").strip()
    if not location:
        raise FetchError(f"{_where(url, current)}: HTTP {response.status} redirect without a Location")
    return urljoin(current, location)


async def _page(url: str, current: str, response: aiohttp.ClientResponse, limits: _Limits) -> FetchedPage:
    where = _where(url, current)
    validators = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified")}
    if response.status == NOT_MODIFIED:
        return FetchedPage(url=current, requested=url, content_type="", charset=None, body=b"",
                           status=NOT_MODIFIED, **validators)
    if not 200 <= response.status < 300:
        raise FetchError(f"{where}: HTTP {response.status}")
    content_type = response.content_type.lower()
    if content_type not in limits.types:
        raise FetchError(f"{where}: {limits.refusal} (content type {content_type})")
    max_bytes = limits.max_bytes
    if response.content_length is not None and response.content_length > max_bytes:
        raise FetchError(f"{where}: larger than {_size(max_bytes)}")
    body = bytearray()
    async for chunk in response.content.iter_chunked(CHUNK_BYTES):
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(f"{where}: larger than {_size(max_bytes)}")
    return FetchedPage(url=current, requested=url, content_type=content_type, charset=response.charset,
                       body=bytes(body), status=response.status, **validators)


def _connect_problem(exc: aiohttp.ClientConnectorError) -> str:
    if isinstance(exc.os_error, RefusedAddress):
        return str(exc.os_error)
    return f"cannot connect ({exc.os_error.strerror or exc.os_error})"


def _where(url: str, current: str) -> str:
    return url if current == url else f"{url} (redirected to {current})"


def _size(limit: int) -> str:
    mb = 1024 * 1024
    return f"{limit // mb} MB" if limit % mb == 0 else f"{limit:,} bytes"
