"""Checking a feed's bytes before any feed parser sees them.

Feeds come from outside the school. Before feedparser reads one, it must pass three
checks here: a size cap, one known character encoding (the document is handed on as
UTF-8), and a strict XML reading with defusedxml that refuses every entity declaration
("billion laughs", external entities) and never loads an outside DTD. A document that
is not well-formed XML is refused with its line and column, so a person can see what
to fix, instead of being half-read by a lenient parser.
"""

from __future__ import annotations

import io
import xml.parsers.expat
import xml.sax
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import defusedxml
from defusedxml.expatreader import DefusedExpatParser
from feedparser.encodings import convert_to_utf8

from smmod.errors import InputError
from smmod.queue.dates import shorten

MAX_FEED_BYTES = 20_000_000
# What feedparser writes in place of (or before) the document's own XML declaration.
_UTF8_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>"
_XML_DECLARATIONS = tuple("<?xml".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be", "cp037"))


@dataclass(frozen=True)
class CheckedFeed:
    """A feed document that passed the checks, ready for feedparser."""

    data: bytes  # UTF-8; any XML declaration in it says so
    root: str  # the root element as written, e.g. "rss", "rdf:RDF", "feed"


class _Shape(xml.sax.handler.ContentHandler):
    """Notes the root element."""

    def __init__(self) -> None:
        super().__init__()
        self.root = ""

    def startElement(self, name: str, attrs: Any) -> None:  # ContentHandler
        if not self.root:
            self.root = name


class _StrictReader(DefusedExpatParser):
    """defusedxml's SAX reader that also never asks for an outside DTD.

    Many RSS 0.91 feeds name Netscape's DTD by URL. It is not fetched: expat is told
    never to read parameter entities, so the reference is simply left alone.
    """

    def reset(self) -> None:  # ExpatParser
        super().reset()
        self._parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)


def _to_utf8(data: bytes, headers: Mapping[str, str], source: str) -> bytes:
    """The document as UTF-8, decoded the way feedparser will decode it."""
    found: dict[str, Any] = {}
    try:
        utf8 = convert_to_utf8(dict(headers), data, found)
    except (LookupError, ValueError) as err:
        raise InputError(f"has a character encoding smmod cannot read ({err})", file=source) from err
    if not found.get("encoding"):
        raise InputError("is not text in any character encoding smmod can read", file=source)
    head = data[:1024].lstrip(b"\xef\xbb\xbf\xff\xfe\x00")
    if utf8.startswith(_UTF8_DECLARATION + b"\n") and not head.startswith(_XML_DECLARATIONS):
        # feedparser put a declaration in front: take it off so that line numbers in
        # messages are the file's own (UTF-8 is what XML assumes without one).
        return utf8[len(_UTF8_DECLARATION) + 1 :]
    return utf8


def check_feed_bytes(
    data: bytes,
    source: str,
    *,
    headers: Mapping[str, str] | None = None,
    max_bytes: int = MAX_FEED_BYTES,
) -> CheckedFeed:
    """Refuse an oversized, unsafe or ill-formed document; return it as UTF-8.

    ``headers`` are the HTTP response headers when the feed was fetched (their charset
    counts); ``source`` names the feed in messages.
    """
    if len(data) > max_bytes:
        raise InputError(f"is {len(data):,} bytes; the limit for a feed is {max_bytes:,}", file=source)
    if not data.strip():
        raise InputError("is empty", file=source)
    utf8 = _to_utf8(data, headers or {}, source)
    shape = _Shape()
    reader = _StrictReader(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    reader.setContentHandler(shape)
    stream = xml.sax.xmlreader.InputSource()
    stream.setByteStream(io.BytesIO(utf8))
    try:
        reader.parse(stream)
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
    except xml.sax.SAXParseException as err:
        line, column = err.getLineNumber() or 1, err.getColumnNumber() or 0
        what = "is not XML" if not shape.root else "is not well-formed XML"
        raise InputError(
            f"{what} ({err.getMessage()} at line {line}, column {column + 1})", file=source
        ) from err
    except (xml.sax.SAXException, ValueError, LookupError) as err:
        raise InputError(f"is not XML smmod can read ({shorten(str(err), 80)})", file=source) from err
    return CheckedFeed(utf8, shape.root)
