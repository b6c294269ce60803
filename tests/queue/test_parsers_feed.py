"""RSS and Atom feeds into mention items, and XML that must be refused."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smmod.errors import InputError
from smmod.queue.feed_import import strip_html
from smmod.queue.parsers import ParseResult, parse_bytes, parse_file

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def parse_xml(xml: str, name: str = "alerts.xml") -> ParseResult:
    return parse_bytes(xml.encode("utf-8"), name, now=NOW)


def rss(items: str, channel_title: str = "Alerts") -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{channel_title}</title>{items}</channel></rss>"
    )


def test_rss_feed_gives_mentions() -> None:
    result = parse_file(DATA / "alerts_rss.xml", now=NOW)
    assert result.problems == []
    assert result.format == "feed"
    assert [i.kind for i in result.items] == ["mention"] * 3
    news, forum, fallback = result.items
    assert news.platform_item_id == "localnews-88213"
    assert news.author_name == "Helen Marsh"
    assert news.url == "https://www.localnews.example.org/2026/11/brookfield-food-bank"
    assert news.received_at == datetime(2026, 11, 19, 8, 30, tzinfo=UTC)
    assert news.text == (
        "Brookfield Primary pupils raise £1,200 for the food bank\n\n"
        "Pupils at Brookfield Primary collected tins & packets all week.\n"
        "Head teacher Mrs Ali said they were “amazing”."
    )
    assert forum.author_name == "Forum Digest"
    assert forum.platform_item_id == forum.url == "https://forum.example.com/t/parking-brookfield/4411"
    assert forum.text.endswith("cars on the zig-zags outside Brookfield.")
    assert fallback.author_name == 'Mentions of "Brookfield Primary"'
    assert result.assumed_local_time is False


def test_atom_feed_gives_mentions() -> None:
    result = parse_file(DATA / "alerts_atom.xml", now=NOW)
    assert result.problems == []
    chess, ofsted = result.items
    assert chess.kind == ofsted.kind == "mention"
    assert chess.platform_item_id == "tag:alerts.example.net,2026:entry/7731"
    assert chess.author_name == "Schools News"
    assert chess.text == (
        "Brookfield Primary wins county chess trophy\n\n"
        "The team from Brookfield Primary beat twelve schools & took the cup."
    )
    assert chess.received_at == datetime(2026, 11, 20, 15, 45, tzinfo=UTC)  # published
    assert chess.url == "https://www.schoolsnews.example.org/chess-2026"
    assert ofsted.author_name == "Alert - Brookfield Primary"  # the feed title
    assert ofsted.received_at == datetime(2026, 11, 22, 9, 5, 30, tzinfo=UTC)  # updated
    assert ofsted.url == "https://forum.example.com/t/ofsted-brookfield/4420"


def test_rss_1_0_rdf_feed() -> None:
    xml = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.org/"><title>Old style</title></channel>
  <item rdf:about="https://example.org/a">
    <title>Brookfield fete</title><link>https://example.org/a</link>
    <description>Fete on Saturday</description><dc:date>2026-11-21T10:00:00Z</dc:date>
  </item>
</rdf:RDF>"""
    item = parse_xml(xml).items[0]
    assert (item.platform_item_id, item.author_name) == ("https://example.org/a", "Old style")
    assert item.text == "Brookfield fete\n\nFete on Saturday"


def test_empty_feed_is_not_an_error() -> None:
    result = parse_xml(rss(""))
    assert (result.items, result.problems) == ([], [])


def test_item_without_a_date_takes_the_time_it_was_read() -> None:
    # Until issue 12 an entry with no date was refused; now it takes the reading time.
    result = parse_xml(rss("<item><title>a</title></item><item><title>b</title>"
                           "<pubDate>Sat, 21 Nov 2026 10:00:00 GMT</pubDate></item>"))  # fmt: skip
    assert result.problems == []
    assert [(i.row, i.received_at) for i in result.items] == [
        (1, NOW),
        (2, datetime(2026, 11, 21, 10, 0, tzinfo=UTC)),
    ]
    assert result.notes == ["1 entry has no date: given the time the feed was read."]


def test_item_with_an_unreadable_date_is_listed_and_the_others_kept() -> None:
    result = parse_xml(rss("<item><title>a</title><pubDate>soon-ish</pubDate></item><item><title>b</title>"
                           "<pubDate>Sat, 21 Nov 2026 10:00:00 GMT</pubDate></item>"))  # fmt: skip
    assert [str(p) for p in result.problems] == [
        "entry 1, field 'pubDate': 'soon-ish' is not a date smmod understands (use e.g. "
        "2026-11-24T14:05:00Z, 24/11/2026 14:05 or Tue, 24 Nov 2026 14:05:00 GMT)"
    ]
    assert [i.text for i in result.items] == ["b"]
    assert result.rejected_raw[1] == {"id": "", "title": "a", "link": "", "date": "soon-ish"}


def test_strip_html_keeps_words_and_drops_markup() -> None:
    html = "<div>Hello&nbsp;<b>there</b></div><style>p{}</style><p>a &lt; b</p>x<br/>y"
    assert strip_html(html) == "Hello there\na < b\nx\ny"


def test_not_xml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "alerts.xml"
    path.write_text("Brookfield alerts: none today\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_file(path, fmt="feed")
    assert caught.value.file == "alerts.xml"
    assert caught.value.reason == "is not XML (syntax error at line 1, column 1)"


def test_malformed_xml_names_the_line() -> None:
    xml = '<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n<item>\n</channel>\n</rss>\n'
    with pytest.raises(InputError) as caught:
        parse_xml(xml)
    assert caught.value.reason == "is not well-formed XML (mismatched tag at line 5, column 3)"


def test_xml_that_is_not_a_feed() -> None:
    with pytest.raises(InputError, match="expected <rss>, <rdf:RDF> or <feed>, found <html>"):
        parse_xml("<html><body><p>Not a feed</p></body></html>")


def test_rss_without_channel_is_read_not_refused() -> None:
    # Until issue 12 this was refused; feedparser reads the items, and an empty <rss>
    # is an empty feed (a search with no results), not an error on every poll.
    result = parse_xml('<rss version="2.0"><item><title>Brookfield</title></item></rss>')
    assert [i.text for i in result.items] == ["Brookfield"]
    assert parse_xml('<rss version="2.0"></rss>').items == []


def test_billion_laughs_is_refused_quickly() -> None:
    entities = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    xml = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">' + entities + "]>"
        '<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
    )
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        parse_xml(xml, "laughs.xml")
    assert time.monotonic() - started < 2
    assert caught.value.file == "laughs.xml"
    assert "declares the XML entity 'lol0'" in caught.value.reason
    assert "never expands entities" in caught.value.reason


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title>'
        "<pubDate>Sat, 21 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    with pytest.raises(InputError) as caught:
        parse_xml(xml)
    assert "was refused" in caught.value.reason
    assert "TOP-SECRET" not in str(caught.value)


def test_feed_saved_with_a_wrong_extension_is_still_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "alerts.txt"
    path.write_bytes((DATA / "alerts_atom.xml").read_bytes())
    assert parse_file(path, now=NOW).format == "feed"
