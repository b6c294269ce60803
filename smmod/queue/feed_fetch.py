"""Fetching a feed safely with httpx: bounded in time, size and redirects, and polite.

A feed is read with a conditional GET: the ETag and Last-Modified of the last good
read are sent back, and a server that answers 304 Not Modified costs nothing. Only
http, https and (for saved searches on disk) file addresses are read; a redirect
never leads anywhere else.

A feed's address can carry a private token, so messages only ever show it through
``display_url`` (no user, password or query).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import httpx

from smmod import __version__
from smmod.errors import InputError

MAX_REDIRECTS = 5
_MAX_VALIDATOR_CHARS = 500
_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class FetchedFeed:
    """What one read of a feed brought back."""

    body: bytes | None  # None: the server said nothing changed since the last read (304)
    url: str  # where the feed was read from in the end, after any redirects
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.body is None

    def headers(self) -> dict[str, str]:
        """The response headers that matter for reading the document."""
        return {"content-type": self.content_type} if self.content_type else {}


def display_url(url: str) -> str:
    """The address for messages, without user, password or query: these often hold keys."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:
        return "the feed address"
    hidden = " (query hidden)" if parts.query else ""
    return f"{parts.scheme}://{host}{parts.path}{hidden}"


def _validator(value: str | None) -> str | None:
    """An ETag or Last-Modified worth sending back (odd or huge ones are dropped)."""
    if not value or len(value) > _MAX_VALIDATOR_CHARS or not value.isprintable():
        return None
    return value


def _read_file(url: str, shown: str, max_bytes: int) -> FetchedFeed:
    path = Path(url2pathname(unquote(urlsplit(url).path)))
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise InputError(f"could not be fetched: {err.strerror or err}", file=shown) from err
    if len(data) > max_bytes:
        raise InputError(f"is larger than the limit of {max_bytes:,} bytes", file=shown)
    return FetchedFeed(data, url)


def _download(
    response: httpx.Response, shown: str, max_bytes: int, deadline: float
) -> bytes:
    too_large = f"is larger than the limit of {max_bytes:,} bytes"
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise InputError(too_large, file=shown)
    chunks: list[bytes] = []
    total = 0
    # iter_bytes gives the bytes after any gzip or deflate is undone, so a small
    # compressed answer cannot unpack into something huge.
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise InputError(too_large, file=shown)
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the whole download took too long")
    return b"".join(chunks)


def fetch_feed(
    url: str,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_redirects: int = MAX_REDIRECTS,
    transport: httpx.BaseTransport | None = None,
) -> FetchedFeed:
    """Read a feed, bounded in time, size and redirects, for ``parse_feed``.

    ``timeout`` bounds connecting, each read and the whole download (the last read
    may add up to one more ``timeout``), so a server that trickles bytes cannot hold
    a poll for long. ``etag`` and ``last_modified`` come from the last good read.
    """
    shown = display_url(url)
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme not in ("http", "https", "file"):
        raise InputError("cannot be fetched: only http, https and file addresses are allowed", file=shown)
    if scheme == "file":
        return _read_file(url, shown, max_bytes)
    headers = {"User-Agent": f"smmod/{__version__} (feed reader)", "Accept": _ACCEPT}
    if _validator(etag):
        headers["If-None-Match"] = str(etag)
    if _validator(last_modified):
        headers["If-Modified-Since"] = str(last_modified)
    deadline = time.monotonic() + timeout
    try:
        with (
            httpx.Client(
                timeout=httpx.Timeout(timeout),
                follow_redirects=True,
                max_redirects=max_redirects,
                transport=transport,
            ) as client,
            client.stream("GET", url, headers=headers) as response,
        ):
            final = str(response.url)
            if response.status_code == 304:
                return FetchedFeed(None, final, etag=etag, last_modified=last_modified)
            answer = f"the server answered HTTP {response.status_code} {response.reason_phrase}"
            if response.status_code >= 400:
                raise InputError(answer, file=shown)
            if not 200 <= response.status_code < 300:
                raise InputError(f"{answer}, not a feed", file=shown)
            body = _download(response, shown, max_bytes, deadline)
            return FetchedFeed(
                body,
                final,
                response.headers.get("content-type"),
                _validator(response.headers.get("etag")),
                _validator(response.headers.get("last-modified")),
            )
    except httpx.TooManyRedirects as err:
        raise InputError(f"was redirected more than {max_redirects} times", file=shown) from err
    except httpx.UnsupportedProtocol as err:
        raise InputError(
            "could not be fetched: it was redirected to an address that is not http or https", file=shown
        ) from err
    except httpx.TimeoutException as err:
        raise InputError(f"timed out after {timeout:g} s", file=shown) from err
    except httpx.InvalidURL as err:
        raise InputError("is not a valid web address", file=shown) from err
    except httpx.HTTPError as err:
        # httpx's messages name the failure ("Connection refused"), not the address.
        reason = str(err).replace(url, shown) or type(err).__name__
        raise InputError(f"could not be fetched: {reason}", file=shown) from err
    except (OSError, ValueError) as err:
        raise InputError(f"could not be fetched: {type(err).__name__}", file=shown) from err
