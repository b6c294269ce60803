"""Every RSS and Atom version reads into mention items; unsafe or broken XML is refused.

The sample feeds in data/feeds/ were written for these tests from the specifications
(one per version), in the shapes real feeds take: a Netscape DTD, Latin-1, no dates.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smmod.errors import InputError, RowProblem
from smmod.queue.feed_safety import MAX_FEED_BYTES, check_feed_bytes
from smmod.queue.parsers import ParseResult, parse_bytes, parse_file

FEEDS = Path(__file__).parent / "data" / "feeds"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def parse(data: str | bytes, name: str = "alerts.xml", now: datetime = NOW) -> ParseResult:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return parse_bytes(raw, name, fmt="feed", now=now)


def rss(items: str) -> str:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Alerts</title>{items}</channel></rss>'


def summary(result: ParseResult) -> list[tuple[str | None, str, datetime, str | None, str]]:
    return [(i.platform_item_id, i.author_name, i.received_at, i.url, i.text) for i in result.items]


def test_rss_0_90_entries_have_only_a_title_and_a_link() -> None:
    result = parse_file(FEEDS / "rss090.rdf", now=NOW)
    assert result.problems == []
    road, fair = "http://parish.example.org/notices/road-closure", "http://parish.example.org/notices/summer-fair"
    assert summary(result) == [
        (road, "Brookfield Parish Notices", NOW, road, "Road closure by Brookfield Primary on Friday"),
        (fair, "Brookfield Parish Notices", NOW, fair, "Brookfield Primary summer fair needs volunteers"),
    ]
    assert result.notes == ["2 entries have no date: given the time the feed was read."]


def test_rss_0_91_with_netscape_dtd_latin_1_and_its_entities() -> None:
    data = (FEEDS / "rss091.xml").read_bytes()
    assert b"\xa33" in data and b"my.netscape.com" in data  # Latin-1 "£3", a DTD on the web
    result = parse(data)
    assert result.problems == []
    cafe, choir = result.items
    assert cafe.text == (
        "Café opens opposite Brookfield Primary\n\nThe new café will serve parents at drop-off, from 8am."
    )
    assert choir.text.endswith("Tickets are £3 at the door.")
    assert (choir.author_name, choir.url) == ("Brookfield Echo", "http://echo.example.co.uk/news/choir")
    assert cafe.received_at == choir.received_at == NOW


def test_rss_0_92_entry_without_title_or_link() -> None:
    result = parse_file(FEEDS / "rss092.xml", now=NOW)
    strike, bag = result.items
    assert strike.text == "Does anyone know if Brookfield Primary is closed for the strike on Thursday?"
    assert (strike.platform_item_id, strike.url) == (None, None)
    assert bag.text.startswith("Lost PE bag at Brookfield gates\n\nA blue PE bag")


def test_rss_1_0_rdf_with_dublin_core_and_content_encoded() -> None:
    result = parse_file(FEEDS / "rss10.rdf", now=NOW)
    uniform, homework = result.items
    assert uniform.author_name == "Priya Shah"
    assert uniform.received_at == datetime(2026, 11, 18, 19, 20, tzinfo=UTC)
    assert uniform.platform_item_id == "https://blog.example.net/brookfield/uniform"
    assert homework.text == "Homework at Brookfield\n\nIs anyone else finding the Year 4 homework too much?"
    assert homework.author_name == "Brookfield Mums Blog"
    assert result.notes == []


def test_rss_2_0_guid_author_and_an_item_with_only_a_title() -> None:
    result = parse_file(FEEDS / "rss20.xml", now=NOW)
    nativity, radio = result.items
    assert (nativity.platform_item_id, nativity.author_name) == ("news-5501", "News Desk")
    assert nativity.text == "Brookfield Primary nativity\n\nTickets for the nativity are on sale."
    assert nativity.received_at == datetime(2026, 11, 23, 9, 15, tzinfo=UTC)
    assert (radio.text, radio.received_at) == ("Brookfield Primary mentioned on the radio", NOW)
    assert radio.url == radio.platform_item_id == "https://radio.example.org/clip/77"


def test_atom_0_3_is_read_not_refused() -> None:
    result = parse_file(FEEDS / "atom03.xml", now=NOW)
    assert result.problems == []
    zigzags, bonfire = result.items
    assert zigzags.platform_item_id == "tag:watch.example.org,2026:zigzags"
    assert zigzags.text == "Cars parked on the Brookfield Primary zig-zags\n\nThree cars again this morning."
    assert zigzags.received_at == datetime(2026, 11, 22, 8, 40, tzinfo=UTC)  # issued
    assert (zigzags.author_name, bonfire.author_name) == ("Tom Reed", "Neighbourhood Watch")
    assert bonfire.received_at == datetime(2026, 11, 21, 20, 15, tzinfo=UTC)  # modified
    assert bonfire.url == "https://watch.example.org/2026/11/bonfire"


def test_atom_1_0_xhtml_content_and_offsets() -> None:
    result = parse_file(FEEDS / "atom10.xml", now=NOW)
    finals, photo = result.items
    assert finals.text == "Brookfield Primary in the county finals\n\nThe netball team is through."
    assert finals.received_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00+01:00
    assert finals.author_name == "Web Alerts"  # the feed's author
    assert (photo.author_name, photo.url) == ("social.example.com user", "https://social.example.com/p/1234")


@pytest.mark.parametrize("name", sorted(p.name for p in FEEDS.iterdir()))
def test_every_sample_is_sniffed_as_a_feed_and_read_whole(name: str) -> None:
    result = parse_file(FEEDS / name, now=NOW)
    assert result.format == "feed" and result.problems == [] and len(result.items) == 2
    assert {i.kind for i in result.items} == {"mention"}


def test_undated_entries_keep_one_identity_whenever_they_are_read() -> None:
    first = parse_file(FEEDS / "rss092.xml", now=NOW)
    later = parse_file(FEEDS / "rss092.xml", now=NOW + timedelta(hours=5))
    assert [i.received_at for i in later.items] == [NOW + timedelta(hours=5)] * 2
    assert [i.content_hash for i in first.items] == [i.content_hash for i in later.items]


def test_entry_with_only_a_link_is_shown_by_its_address() -> None:
    result = parse(rss("<item><link>https://example.org/a</link></item>"))
    assert [(i.text, i.url) for i in result.items] == [("https://example.org/a", "https://example.org/a")]


def test_entry_with_nothing_to_show_is_listed_and_the_rest_kept() -> None:
    result = parse(rss("<item><category>News</category></item><item><title>kept</title></item>"))
    assert result.problems == [
        RowProblem(1, "title", "the entry has no title, no text and no web address", unit="entry")
    ]
    assert [i.text for i in result.items] == ["kept"]
    assert str(result.problems[0]) == (
        "entry 1, field 'title': the entry has no title, no text and no web address"
    )


def test_dates_feedparser_knows_are_used_when_smmod_cannot_read_them() -> None:
    # Full day and month names are not RFC 822: only feedparser's reader takes them.
    result = parse(rss("<item><title>a</title><pubDate>Saturday 21 November 2026 10:00 GMT</pubDate></item>"))
    assert [i.received_at for i in result.items] == [datetime(2026, 11, 21, 10, 0, tzinfo=UTC)]


@pytest.mark.parametrize(
    ("date", "reason"),
    [
        ("Sat, 21 Nov 2099 10:00:00 GMT", "is more than a day in the future"),
        ("Sat, 21 Nov 1998 10:00:00 GMT", "is before 2000"),
    ],
)
def test_implausible_dates_are_listed_with_the_field(date: str, reason: str) -> None:
    items = f"<item><title>bad</title><pubDate>{date}</pubDate></item><item><title>good</title></item>"
    result = parse(rss(items))
    assert [str(p) for p in result.problems] == [f"entry 1, field 'pubDate': '{date}' {reason}"]
    assert [i.text for i in result.items] == ["good"]


def test_non_web_links_are_left_out_not_refused() -> None:
    result = parse(rss("<item><title>a</title><link>mailto:head@example.org</link></item>"))
    assert [(i.url, i.platform_item_id) for i in result.items] == [(None, None)]


def test_relative_links_resolve_against_the_feed_address() -> None:
    from smmod.queue.dates import DateReader
    from smmod.queue.feed_import import parse_feed

    data = rss("<item><title>a</title><link>/news/1</link></item><item><title>b</title><link>2</link></item>")
    base = "https://robot:hunter2@news.example.org/feeds/all.xml?key=SECRET"
    result = parse_feed(data.encode(), "feed", DateReader(now=NOW), base_url=base)
    # Never the feed's password or private query: they are not part of an entry's address.
    assert [i.url for i in result.items] == [
        "https://news.example.org/news/1",
        "https://news.example.org/feeds/2",
    ]


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("shift_jis", True), ("utf-16", True), ("utf-16", False), ("koi8-r", True), ("windows-1252", True)],
)
def test_character_encodings(encoding: str, declared: bool) -> None:
    title = {"shift_jis": "ブルックフィールド小学校", "koi8-r": "Школа"}.get(encoding, "Café “Brookfield”")
    head = f'<?xml version="1.0" encoding="{encoding}"?>' if declared else ""
    result = parse((head + rss(f"<item><title>{title}</title></item>").removeprefix('<?xml version="1.0"?>'))
                   .encode(encoding))  # fmt: skip
    assert [i.text for i in result.items] == [title]


# -- refused, with a clear reason and never a traceback ---------------------------------


def test_ill_formed_xml_names_line_and_column() -> None:
    with pytest.raises(InputError) as caught:
        parse('<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n<item>\n</channel>\n</rss>\n')
    assert str(caught.value) == "alerts.xml: is not well-formed XML (mismatched tag at line 5, column 3)"


def test_undeclared_html_entity_is_ill_formed() -> None:
    with pytest.raises(InputError, match=r"not well-formed XML \(undefined entity at line 1, column \d+\)"):
        parse(rss("<item><title>a&nbsp;b</title></item>").removeprefix('<?xml version="1.0"?>'))


def test_atom_0_3_root_is_never_called_not_a_feed() -> None:
    # The old reader said "expected <rss> or <feed>, found <feed>" for every Atom 0.3 file.
    result = parse('<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title></feed>')
    assert (result.items, result.problems) == ([], [])


def test_billion_laughs_is_refused_before_feedparser_sees_it() -> None:
    entities = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    xml = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">' + entities + "]>"
        '<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
    )
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        parse(xml, "laughs.xml")
    assert time.monotonic() - started < 2
    assert str(caught.value) == (
        "laughs.xml: was refused: it declares the XML entity 'lol0', and smmod never expands "
        "entities (this blocks 'billion laughs' and external-entity attacks)"
    )


def test_external_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        "<rss><channel><title>t</title><item><title>&xxe;</title></item></channel></rss>"
    )
    with pytest.raises(InputError) as caught:
        parse(xml)
    assert "declares the XML entity 'xxe'" in caught.value.reason
    assert "TOP-SECRET" not in str(caught.value)


def test_outside_dtd_is_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "TOP-SECRET">', encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd.as_uri()}">'
        "<rss><channel><title>t</title><item><title>x &secret; y</title></item></channel></rss>"
    )
    result = parse(xml)
    assert "TOP-SECRET" not in " ".join(i.text for i in result.items)


def test_size_is_checked_before_parsing() -> None:
    with pytest.raises(InputError) as caught:
        check_feed_bytes(b"<rss>" + b" " * 2000 + b"</rss>", "big.xml", max_bytes=1000)
    assert str(caught.value) == "big.xml: is 2,011 bytes; the limit for a feed is 1,000"
    padding = b" " * (MAX_FEED_BYTES + 1)
    with pytest.raises(InputError, match=f"the limit for a feed is {MAX_FEED_BYTES:,}"):
        parse(b"<rss><channel>" + padding + b"</channel></rss>")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("Brookfield alerts: none today", "is not XML (syntax error at line 1, column 1)"),
        ("<html><body><p>Sign in</p></body></html>",
         "is XML but not an RSS or Atom feed: expected <rss>, <rdf:RDF> or <feed>, found <html>"),
        ("<rss><channel></channel></rss><rss/>",
         "is not well-formed XML (junk after document element at line 1, column 31)"),
        ("<rss><channel><title>a</title>", "is not well-formed XML (no element found at line 1, column 31)"),
    ],
)  # fmt: skip
def test_not_a_feed_gets_one_clear_line(data: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(data)
    assert caught.value.reason == reason and caught.value.file == "alerts.xml"
