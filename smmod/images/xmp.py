"""Read every text value out of an XMP packet.

People tags live in several schemas (IPTC PersonInImage, MWG face regions, Microsoft
People tags, Lightroom keywords), so rather than chase a list of paths the whole packet
is flattened into ``(property, text)`` pairs and every value is searched. The parser is
defusedxml: an XMP packet is attacker-controlled XML.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

log = logging.getLogger("smmod.images")

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_STRUCTURAL_NS = {_RDF, "adobe:ns:meta/"}
_SKIPPED_ATTR_NS = {_RDF, "adobe:ns:meta/", "http://www.w3.org/XML/1998/namespace"}

_PREFIXES = {
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "Iptc4xmpCore",
    "http://iptc.org/std/Iptc4xmpExt/2008-02-29/": "Iptc4xmpExt",
    "http://www.metadataworkinggroup.com/schemas/regions/": "mwg-rs",
    "http://ns.microsoft.com/photo/1.2/": "MP",
    "http://ns.microsoft.com/photo/1.2/t/RegionInfo#": "MPRI",
    "http://ns.microsoft.com/photo/1.2/t/Region#": "MPReg",
    "http://ns.microsoft.com/photo/1.0/": "MicrosoftPhoto",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop",
    "http://ns.adobe.com/exif/1.0/": "exif",
    "http://cipa.jp/exif/1.0/": "exifEX",
    "http://ns.adobe.com/tiff/1.0/": "tiff",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/xap/1.0/mm/": "xmpMM",
    "http://ns.adobe.com/xap/1.0/rights/": "xmpRights",
    "http://ns.adobe.com/lightroom/1.0/": "lr",
    "http://ns.adobe.com/camera-raw-settings/1.0/": "crs",
    "http://ns.adobe.com/exif/1.0/aux/": "aux",
}

_QNAME = re.compile(r"\{([^}]*)\}(.*)")
_TAGS = re.compile(rb"<[^>]*>")


@dataclass(frozen=True)
class XmpText:
    """Flattened packet: ``values`` as (``prefix:Name``, text); ``readable`` false if unparsable."""

    values: list[tuple[str, str]]
    readable: bool


def read_xmp(raw: bytes | None) -> XmpText:
    if not raw:
        return XmpText([], True)
    packet = raw.strip(b"\x00 \t\r\n")
    try:
        root = ElementTree.fromstring(packet, forbid_dtd=True)
        return XmpText(_flatten(root), True)
    except Exception as exc:  # malformed or hostile XML: fall back to the bare text
        log.debug("XMP packet not parsed: %r", exc)
        text = _TAGS.sub(b" ", packet).decode("utf-8", "replace")
        return XmpText([("(unparsed)", " ".join(text.split()))], False)


def _flatten(root: Element) -> list[tuple[str, str]]:
    """Walk iteratively (a deep packet must not hit the recursion limit)."""
    out: list[tuple[str, str]] = []
    stack: list[tuple[Element, str | None]] = [(root, None)]
    while stack:
        element, parent_prop = stack.pop()
        namespace, name = _split(element.tag)
        prop = parent_prop if namespace in _STRUCTURAL_NS else _label(namespace, name)
        for key, value in element.attrib.items():
            attr_ns, attr_name = _split(key)
            if attr_ns not in _SKIPPED_ATTR_NS and value.strip():
                out.append((_label(attr_ns, attr_name), value.strip()))
        text = (element.text or "").strip()
        if text and prop:
            out.append((prop, text))
        stack.extend((child, prop) for child in reversed(list(element)))
    return out


def _split(tag: str) -> tuple[str, str]:
    match = _QNAME.fullmatch(tag)
    return (match.group(1), match.group(2)) if match else ("", tag)


def _label(namespace: str, name: str) -> str:
    prefix = _PREFIXES.get(namespace)
    return f"{prefix}:{name}" if prefix else name
