"""RSS and Atom alert feeds into ``mention`` items (R14), read with feedparser.

Every version is read: RSS 0.90, 0.91, 0.92, 1.0 (RDF) and 2.0, Atom 0.3 and 1.0. The
bytes pass ``feed_safety.check_feed_bytes`` first (size, encoding, no entities, well-
formed XML); feedparser is only ever handed those checked bytes, never an address.

One bad entry never hides the others: each good entry becomes an item and each bad one
is listed with its number, the field and the reason. An entry with no date takes the
time the feed was read; one with no text is represented by its title (or, with no
title either, by its web address).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import feedparser

from smmod.errors import InputError
from smmod.queue.dates import DateProblem, DateReader
from smmod.queue.feed_safety import check_feed_bytes
from smmod.queue.parsers import ParseResult, ResultBuilder, content_hash

log = logging.getLogger("smmod.queue.feeds")

_FEED_ROOTS = frozenset({"rss", "RDF", "feed"})
_DATE_KEYS = ("published", "updated", "created")
# What each date is called in the feed's own vocabulary, for messages.
_DATE_LABELS = {
    "rss": {"published": "pubDate", "updated": "dc:date", "created": "created"},
    "atom03": {"published": "issued", "updated": "modified", "created": "created"},
    "atom": {"published": "published", "updated": "updated", "created": "created"},
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
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


def _readable(detail: Mapping[str, Any] | None) -> str:
    """The words of a feedparser text construct, whatever markup it was written in."""
    if not detail:
        return ""
    value = str(detail.get("value") or "")
    return strip_html(value) if "html" in str(detail.get("type") or "") else tidy(value)


def _join(title: str, summary: str) -> str:
    if not title:
        return summary
    if not summary or summary.startswith(title):
        return summary or title
    return f"{title}\n\n{summary}"


def _body(entry: Mapping[str, Any]) -> str:
    detail = entry.get("summary_detail")
    if detail is None:
        # feedparser copies <content> into "summary" without a detail: use the content.
        contents = entry.get("content") or []
        detail = contents[0] if contents else {"type": "text/html", "value": entry.get("summary", "")}
    return _readable(detail)


def _web_link(entry: Mapping[str, Any]) -> str | None:
    """The entry's web address; others (mailto:, tag:, relative) are left out."""
    links = entry.get("links") or []
    candidates = [entry.get("link")]
    candidates += [link.get("href") for link in links if link.get("rel", "alternate") == "alternate"]
    candidates += [link.get("href") for link in links]
    for href in candidates:
        if isinstance(href, str) and href.lower().startswith(("http://", "https://")):
            return href.strip()
    return None


def _author(data: Mapping[str, Any]) -> str:
    detail = data.get("author_detail") or {}
    return tidy(str(detail.get("name") or data.get("author") or ""))


def _date(entry: Mapping[str, Any], labels: Mapping[str, str], reader: DateReader) -> tuple[str | None, str]:
    """The entry's date as text for the builder, and its name in the feed.

    The date is read as written first (so a time without a zone follows the school's
    zone, as for other imports); feedparser's reading covers the unusual formats.
    """
    for key in _DATE_KEYS:
        raw = entry.get(key)
        if not raw:
            continue
        try:
            reader.read(raw)
            return raw, labels[key]
        except DateProblem:
            parsed = entry.get(f"{key}_parsed")
            if parsed:
                year, month, day, hour, minute, second = parsed[:6]
                try:
                    iso = datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC).isoformat()
                    reader.read(iso)
                    return iso, labels[key]
                except (DateProblem, ValueError):
                    pass
            return raw, labels[key]
    return None, labels["published"]


def _base(url: str) -> str | None:
    """The feed's address for resolving relative links, without user, password or query.

    A relative link must never carry a feed's private token into the queue.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _read(checked_data: bytes, source: str, base_url: str | None) -> Any:
    headers = {"content-type": "application/xml; charset=utf-8"}
    base = _base(base_url) if base_url else None
    if base:
        headers["content-location"] = base  # relative links resolve against the feed
    try:
        return feedparser.parse(
            io.BytesIO(checked_data),
            response_headers=headers,
            # Entries become plain text (strip_html), never shown as HTML: feedparser's
            # HTML clean-up and link rewriting inside it would only cost time.
            resolve_relative_uris=False,
            sanitize_html=False,
        )
    except Exception as err:  # a bug in reading one odd feed must not stop the others
        log.warning("feedparser failed on %s", source, exc_info=True)
        raise InputError(f"could not be read as a feed ({type(err).__name__})", file=source) from err


def parse_feed(
    data: bytes,
    source: str,
    reader: DateReader,
    *,
    fetched_at: datetime | None = None,
    headers: Mapping[str, str] | None = None,
    base_url: str | None = None,
) -> ParseResult:
    """Parse an RSS or Atom document (any version) into ``mention`` items.

    ``fetched_at`` (default: the reader's "now") is the time given to entries without
    a date; ``headers`` are the HTTP response headers of a fetched feed and
    ``base_url`` its address, against which relative links are resolved.
    """
    checked = check_feed_bytes(data, source, headers=headers)
    root = checked.root.rpartition(":")[2]
    if root not in _FEED_ROOTS:
        raise InputError(
            "is XML but not an RSS or Atom feed: expected <rss>, <rdf:RDF> or <feed>, "
            f"found <{checked.root[:40]}>",
            file=source,
        )
    parsed = _read(checked.data, source, base_url)
    version = str(parsed.get("version") or "")
    labels = _DATE_LABELS["atom03" if version == "atom03" else "atom" if root == "feed" else "rss"]
    feed = parsed.get("feed") or {}
    fallback_author = _author(feed) or _readable(feed.get("title_detail")) or source
    when = fetched_at or reader.now
    builder = ResultBuilder("feed", source, reader, "mention")
    undated = 0
    for number, entry in enumerate(parsed.get("entries") or [], start=1):
        title, body = _readable(entry.get("title_detail")), _body(entry)
        link = _web_link(entry)
        date, date_label = _date(entry, labels, reader)
        raw = {
            "id": str(entry.get("id") or ""),
            "title": title,
            "link": link or "",
            "date": date or "",
        }
        # No text: the title stands for it; no title either: the address, to follow.
        text = _join(title, body) or link
        if not text:
            builder.reject(number, "title", "the entry has no title, no text and no web address", raw)
            continue
        values = {
            "id": str(entry.get("id") or "") or link,
            "author_name": _author(entry) or fallback_author,
            "text": text,
            "received_at": date or when.isoformat(),
            "url": link,
        }
        field_labels = {
            "id": "id" if root == "feed" else "guid",
            "author_name": "author",
            "text": "content" if root == "feed" else "description",
            "received_at": date_label,
            "url": "link",
        }
        item = builder.add(number, values, field_labels)
        if item is None:
            builder.keep_raw(number, raw)
        elif date is None:
            undated += 1
            # Without a date the item's identity must not depend on when it was read,
            # or every poll would bring the same entry back.
            stable = content_hash(item.author_name, item.text, _EPOCH)
            builder.result.items[-1] = replace(item, content_hash=stable)
    result = builder.finish()
    result.problems = [replace(p, unit="entry") for p in result.problems]
    if undated:
        entries = "entry has" if undated == 1 else "entries have"
        result.notes.append(f"{undated} {entries} no date: given the time the feed was read.")
    return result
