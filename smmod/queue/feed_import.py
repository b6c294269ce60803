"""RSS and Atom alert feeds into ``mention`` items (R14), and fetching them safely.

Feeds come from outside the school, so the XML is parsed with defusedxml: entity
expansion ("billion laughs") and external entities are refused, never followed.
A feed with no entries is normal when polling and gives an empty result.
"""

from __future__ import annotations

import http.client
import time
import xml.etree.ElementTree as ET  # types and ParseError only; parsing uses defusedxml
from html.parser import HTMLParser
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import (
    FileHandler,
    HTTPDefaultErrorHandler,
    HTTPErrorProcessor,
    HTTPHandler,
    HTTPRedirectHandler,
    HTTPSHandler,
    OpenerDirector,
    ProxyHandler,
    Request,
    UnknownHandler,
)

import defusedxml
import defusedxml.ElementTree as SafeET

from smmod import __version__
from smmod.errors import InputError
from smmod.queue.dates import DateReader, shorten
from smmod.queue.parsers import ParseResult, ResultBuilder

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_BLOCK_TAGS = frozenset(
    {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr"}
)


class _TextOnly(HTMLParser):
    """Collects the readable text of an HTML fragment, dropping scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # HTMLParser
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:  # HTMLParser
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:  # HTMLParser
        if not self._hidden:
            self.parts.append(data)


def tidy(text: str) -> str:
    """One space between words, one line break between paragraphs."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def strip_html(fragment: str) -> str:
    """Readable text of an HTML fragment: moderators read words, not markup."""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return tidy("".join(parser.parts))


def _text(elem: ET.Element | None, html: bool) -> str:
    if elem is None:
        return ""
    if elem.get("type") == "xhtml":
        return tidy(" ".join(elem.itertext()))
    raw = "".join(elem.itertext())
    return strip_html(raw) if html else tidy(raw)


def _first(parent: ET.Element, *tags: str) -> tuple[ET.Element | None, str]:
    """The first child present among ``tags``, and its name for messages."""
    for tag in tags:
        found = parent.find(tag)
        if found is not None:
            return found, tag.rpartition("}")[2]
    return None, tags[0].rpartition("}")[2]


def _join(title: str, summary: str) -> str:
    if not title:
        return summary
    if not summary or summary.startswith(title):
        return summary or title
    return f"{title}\n\n{summary}"


def _rss_author(item: ET.Element, fallback: str) -> str:
    elem, _ = _first(item, "author", f"{DC}creator")
    value = _text(elem, html=False)
    # RSS 2.0 <author> is "jane@example.com (Jane Doe)": the name is what people read.
    if value.endswith(")") and "(" in value:
        value = value[value.rfind("(") + 1 : -1].strip() or value
    return value or fallback


def _rss_items(root: ET.Element, source: str) -> tuple[list[ET.Element], str]:
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise InputError("is an <rss> document without a <channel>", file=source)
        return channel.findall("item"), _text(channel.find("title"), html=True)
    channel = root.find(f"{RSS1}channel")
    title = _text(channel.find(f"{RSS1}title"), html=True) if channel is not None else ""
    return root.findall(f"{RSS1}item"), title


def _rss_fields(item: ET.Element, feed_title: str) -> tuple[dict[str, str | None], dict[str, str]]:
    ns = RSS1 if item.tag.startswith(RSS1) else ""
    title = _text(item.find(f"{ns}title"), html=True)
    body, body_tag = _first(item, f"{ns}description", f"{CONTENT}encoded")
    date, date_tag = _first(item, f"{ns}pubDate", f"{DC}date")
    link = _text(item.find(f"{ns}link"), html=False) or None
    guid = _text(item.find("guid"), html=False) or item.get(f"{RDF}about") or link
    values = {
        "id": guid,
        "author_name": _rss_author(item, feed_title),
        "text": _join(title, _text(body, html=True)),
        "received_at": _text(date, html=False) or None,
        "url": link,
    }
    labels = {
        "id": "guid",
        "author_name": "author",
        "text": body_tag,
        "received_at": date_tag,
        "url": "link",
    }
    return values, labels


def _atom_link(entry: ET.Element) -> str | None:
    links = entry.findall(f"{ATOM}link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return links[0].get("href") if links else None


def _atom_fields(entry: ET.Element, feed_author: str) -> tuple[dict[str, str | None], dict[str, str]]:
    title = entry.find(f"{ATOM}title")
    body, body_tag = _first(entry, f"{ATOM}summary", f"{ATOM}content")
    date, date_tag = _first(entry, f"{ATOM}published", f"{ATOM}updated")
    name = _text(entry.find(f"{ATOM}author/{ATOM}name"), html=False)
    link = _atom_link(entry)
    values = {
        "id": _text(entry.find(f"{ATOM}id"), html=False) or link,
        "author_name": name or feed_author,
        "text": _join(
            _text(title, html=title is not None and title.get("type") == "html"),
            _text(body, html=body is not None and body.get("type") == "html"),
        ),
        "received_at": _text(date, html=False) or None,
        "url": link,
    }
    labels = {
        "id": "id",
        "author_name": "author",
        "text": body_tag,
        "received_at": date_tag,
        "url": "link",
    }
    return values, labels


def _parse_xml(data: bytes, source: str) -> ET.Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as err:
        raise InputError(
            f"was refused: it declares the XML entity '{shorten(str(err.name))}', and smmod "
            "never expands entities (this blocks 'billion laughs' and external-entity "
            "attacks)",
            file=source,
        ) from err
    except defusedxml.ExternalReferenceForbidden as err:
        raise InputError(
            f"was refused: it refers to the outside resource '{shorten(str(err.sysid))}', "
            "and smmod never loads those",
            file=source,
        ) from err
    except defusedxml.DefusedXmlException as err:
        raise InputError(f"was refused as unsafe XML ({err})", file=source) from err
    except ET.ParseError as err:
        line, column = err.position
        what = "is not XML" if line == 1 and column == 0 else "is not well-formed XML"
        reason = str(err).split(":")[0]
        raise InputError(f"{what} ({reason} at line {line}, column {column + 1})", file=source) from err


def parse_feed(data: bytes, source: str, reader: DateReader) -> ParseResult:
    """Parse an RSS 2.0, RSS 1.0 or Atom document into ``mention`` items."""
    root = _parse_xml(data, source)
    builder = ResultBuilder("feed", source, reader, "mention")
    if root.tag == f"{ATOM}feed":
        feed_title = _text(root.find(f"{ATOM}title"), html=False) or source
        feed_author = _text(root.find(f"{ATOM}author/{ATOM}name"), html=False) or feed_title
        for row, entry in enumerate(root.findall(f"{ATOM}entry"), start=1):
            if builder.add(row, *_atom_fields(entry, feed_author)) is None:
                builder.keep_raw(row, ET.tostring(entry, encoding="unicode"))
    elif root.tag in ("rss", f"{RDF}RDF"):
        items, feed_title = _rss_items(root, source)
        for row, item in enumerate(items, start=1):
            if builder.add(row, *_rss_fields(item, feed_title or source)) is None:
                builder.keep_raw(row, ET.tostring(item, encoding="unicode"))
    else:
        tag = root.tag.rpartition("}")[2]
        raise InputError(
            f"is XML but not an RSS 2.0 or Atom feed: expected <rss> or <feed>, found <{tag}>",
            file=source,
        )
    return builder.finish()


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


def _opener() -> OpenerDirector:
    """Only the handlers a feed needs: no ftp or data URLs, even through a redirect."""
    opener = OpenerDirector()
    for handler in (
        ProxyHandler(),
        HTTPHandler(),
        HTTPSHandler(),
        FileHandler(),
        HTTPRedirectHandler(),
        HTTPDefaultErrorHandler(),
        HTTPErrorProcessor(),
        UnknownHandler(),
    ):
        opener.add_handler(handler)
    return opener


def fetch_feed(url: str, timeout: float = 10.0, max_bytes: int = 5_000_000) -> bytes:
    """Download a feed, bounded in time and size, for ``parse_feed``.

    ``timeout`` applies to connecting and to the whole download, so a server that
    trickles bytes cannot hold a poll for long (the last read may add up to one more
    ``timeout``).
    """
    shown = display_url(url)
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if scheme not in ("http", "https", "file"):
        raise InputError("cannot be fetched: only http, https and file addresses are allowed", file=shown)
    request = Request(  # noqa: S310 - the scheme was checked just above
        url,
        headers={
            "User-Agent": f"smmod/{__version__} (feed reader)",
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
        },
    )
    too_large = f"is larger than the limit of {max_bytes:,} bytes"
    deadline = time.monotonic() + timeout
    try:
        with _opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise InputError(too_large, file=shown)
            # read1 returns what has arrived; read(n) would wait for all n bytes.
            read = getattr(response, "read1", response.read)
            chunks: list[bytes] = []
            total = 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunk = read(min(65_536, max_bytes + 1 - total))
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise InputError(too_large, file=shown)
                chunks.append(chunk)
    except HTTPError as err:
        err.close()
        raise InputError(f"the server answered HTTP {err.code} {err.reason}", file=shown) from err
    except URLError as err:
        if isinstance(err.reason, TimeoutError):
            raise InputError(f"timed out after {timeout:g} s", file=shown) from err
        raise InputError(f"could not be fetched: {err.reason}", file=shown) from err
    except TimeoutError as err:
        raise InputError(f"timed out after {timeout:g} s", file=shown) from err
    except (OSError, ValueError, http.client.HTTPException) as err:
        raise InputError(f"could not be fetched: {err}", file=shown) from err
    return b"".join(chunks)
