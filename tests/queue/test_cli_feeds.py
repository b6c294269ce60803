"""``smmod queue import FILE --format feed``: every RSS and Atom version, bad entries
listed beside the good ones, broken or unsafe XML refused in one line.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from smmod.context import AppContext
from tests.queue.test_cli_queue import run
from tests.queue.test_service_fixtures import add_account, items

FEEDS = Path(__file__).parent / "data" / "feeds"


@pytest.fixture
def account(ctx: AppContext) -> int:
    return add_account(ctx)


def feed_import(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> tuple[int, str, str]:
    argv = ("queue", "import", str(path), "--account", "brookfieldprimary", "--format", "feed", *extra)
    return run(capsys, *argv)


@pytest.mark.parametrize("name", sorted(p.name for p in FEEDS.iterdir()))
def test_every_rss_and_atom_version_imports(ctx, account, tmp_path, capsys, name):
    source = tmp_path / name
    source.write_bytes((FEEDS / name).read_bytes())
    code, out, err = feed_import(capsys, source)
    assert (code, err) == (0, "")
    assert out.startswith(f"Imported 2 items from {name} (feed)") and "0 skipped." in out
    assert len(items(ctx)) == 2
    assert not (tmp_path / f"{source.stem}.rejects.csv").exists()


def test_undated_entries_are_explained(ctx, account, tmp_path, capsys):
    source = tmp_path / "rss090.rdf"
    source.write_bytes((FEEDS / "rss090.rdf").read_bytes())
    code, out, _ = feed_import(capsys, source)
    assert code == 0 and "2 entries have no date: given the time the feed was read." in out
    code, out, _ = feed_import(capsys, source, "--json")
    assert json.loads(out)["notes"] == ["2 entries have no date: given the time the feed was read."]


def test_a_bad_entry_is_listed_and_the_good_ones_imported(ctx, account, tmp_path, capsys):
    source = tmp_path / "alerts.xml"
    source.write_text(
        '<rss version="2.0"><channel><title>Alerts</title>'
        "<item><title>Good one</title></item>"
        "<item><title>Bad date</title><link>https://example.org/b</link><pubDate>tomorrow</pubDate></item>"
        "<item><title>Another good one</title></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    code, out, err = feed_import(capsys, source)
    assert (code, err) == (0, "")
    assert "Imported 2 items from alerts.xml (feed)" in out and "1 skipped." in out
    assert "  skipped entry 2, field 'pubDate': 'tomorrow' is not a date smmod understands" in out
    assert sorted(i.text for i in items(ctx)) == ["Another good one", "Good one"]
    rejects = tmp_path / "alerts.rejects.csv"
    assert f"The skipped entries are in {rejects}" in out
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["title"], r["link"], r["date"]) for r in rows] == [
        ("2", "Bad date", "https://example.org/b", "tomorrow")
    ]
    code, out, _ = feed_import(capsys, source, "--json")
    doc = json.loads(out)
    assert code == 0 and (doc["imported"], doc["duplicates"]) == (0, 2)
    assert [(r["row"], r["field"]) for r in doc["rejected"]] == [(2, "pubDate")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"Not a feed at all", "is not XML (syntax error at line 1, column 1)"),
        (b"<rss><channel><item></channel></rss>",
         "is not well-formed XML (mismatched tag at line 1, column 23)"),
        (b"<html><body></body></html>",
         "is XML but not an RSS or Atom feed: expected <rss>, <rdf:RDF> or <feed>, found <html>"),
        (b'<!DOCTYPE r [<!ENTITY a "x"><!ENTITY b "&a;&a;">]>'
         b"<rss><channel><title>&b;</title></channel></rss>",
         "was refused: it declares the XML entity 'a', and smmod never expands entities "
         "(this blocks 'billion laughs' and external-entity attacks)"),
        (b"\x00\x01\x02\xff" * 10, "is not XML"),
    ],
)  # fmt: skip
def test_broken_or_unsafe_feeds_exit_2_with_one_line(ctx, account, tmp_path, capsys, content, reason):
    source = tmp_path / "alerts.xml"
    source.write_bytes(content)
    code, out, err = feed_import(capsys, source)
    assert code == 2 and out == ""
    assert err.startswith(f"smmod: alerts.xml: {reason}") and err.count("\n") == 1
    assert "Traceback" not in err and items(ctx) == []
