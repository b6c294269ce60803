"""Polling alert feeds (R14) from a loopback server: good entries in, bad ones listed,
conditional GET, and limits on redirects and size.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.queue.feeds import FeedService
from smmod.queue.service import QueueService
from tests.queue.test_service_fixtures import Clock, add_account, items, service


@dataclass
class Page:
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    redirect: str | None = None


@dataclass
class Hit:
    path: str
    if_none_match: str | None
    if_modified_since: str | None


@dataclass
class LocalFeeds:
    """A loopback HTTP server that honours conditional GET, as a real feed host does."""

    pages: dict[str, Page] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # BaseHTTPRequestHandler
                tag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
                site.hits.append(Hit(self.path, tag, since))
                page = site.pages.get(self.path)
                if page is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif page.redirect:
                    self.send_response(302)
                    self.send_header("Location", page.redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif (tag and tag == page.etag) or (since and not tag and since == page.last_modified):
                    self.send_response(304)
                    self.end_headers()
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    if page.etag:
                        self.send_header("ETag", page.etag)
                    if page.last_modified:
                        self.send_header("Last-Modified", page.last_modified)
                    self.send_header("Content-Length", str(len(page.body)))
                    self.end_headers()
                    self.wfile.write(page.body)

            def log_message(self, *args: object) -> None:  # BaseHTTPRequestHandler
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture
def site() -> Iterator[LocalFeeds]:
    feeds = LocalFeeds()
    feeds.thread.start()
    yield feeds
    feeds.httpd.shutdown()
    feeds.httpd.server_close()


@pytest.fixture
def clock(clock: FrozenClock) -> Clock:
    return Clock(clock)


@pytest.fixture
def queue(ctx: AppContext, clock: Clock) -> Iterator[QueueService]:
    svc = service(ctx, clock)
    yield svc
    svc.close()


@pytest.fixture
def account(ctx: AppContext) -> int:
    return add_account(ctx)


def entry(title: str, guid: str | None, date: datetime | str | None) -> str:
    when = format_datetime(date) if isinstance(date, datetime) else date
    parts = [f"<title>{title}</title>"]
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if when:
        parts.append(f"<pubDate>{when}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def feed(*entries: str) -> bytes:
    body = "".join(entries)
    return f'<rss version="2.0"><channel><title>School alerts</title>{body}</channel></rss>'.encode()


def test_one_bad_entry_never_keeps_the_others_out(ctx, queue, account, site, clock):
    hour_ago = clock.now - timedelta(hours=1)
    bad = entry("Threat posted about Brookfield", "t-2", "last Tuesday-ish")
    site.pages["/alerts"] = Page(feed(entry("Fete", "t-1", hour_ago), bad, entry("Parking", "t-3", hour_ago)))
    info = queue.feeds.add(ctx.actor, account, "Alerts", site.url("/alerts"), 60)
    reason = (
        "entry 2, field 'pubDate': 'last Tuesday-ish' is not a date smmod understands (use e.g. "
        "2026-11-24T14:05:00Z, 24/11/2026 14:05 or Tue, 24 Nov 2026 14:05:00 GMT)"
    )
    for _ in range(2):  # listed on every poll, until the feed is fixed
        result = queue.feeds.poll(ctx.actor, info.id)
        assert result.ok and result.error is None
        assert [str(p) for p in result.skipped] == [reason] and result.skipped_entries == 1
        stored = queue.feeds.get(info.id)
        assert stored.last_error is None and [str(p) for p in stored.last_skipped] == [reason]
        assert stored.last_skipped_entries == 1
    assert sorted(i.text for i in items(ctx)) == ["Fete", "Parking"]
    fixed = entry("Threat posted about Brookfield", "t-2", hour_ago)
    good = entry("Fete", "t-1", hour_ago), entry("Parking", "t-3", hour_ago)
    site.pages["/alerts"] = Page(feed(good[0], fixed, good[1]))
    result = queue.feeds.poll(ctx.actor, info.id)
    assert (result.imported, result.skipped) == (1, ())
    assert queue.feeds.get(info.id).last_skipped == ()
    assert sorted(i.text for i in items(ctx)) == ["Fete", "Parking", "Threat posted about Brookfield"]


def test_entries_without_date_or_text_come_in_once(ctx, queue, account, site, clock):
    first_poll = clock.now
    no_date = "<item><description>Someone is selling Brookfield uniform</description></item>"
    site.pages["/alerts"] = Page(feed(no_date, entry("Only a title", None, None)))
    info = queue.feeds.add(ctx.actor, account, "Alerts", site.url("/alerts"), 60)
    assert queue.feeds.poll(ctx.actor, info.id).imported == 2
    clock.advance(hours=2)
    again = queue.feeds.poll(ctx.actor, info.id)
    assert (again.imported, again.duplicates) == (0, 2)
    stored = items(ctx)
    assert sorted(i.text for i in stored) == ["Only a title", "Someone is selling Brookfield uniform"]
    assert {i.received_at for i in stored} == {first_poll}


def test_conditional_get_means_an_unchanged_feed_brings_nothing(ctx, queue, account, site, clock):
    when = clock.now - timedelta(hours=1)
    site.pages["/alerts"] = Page(feed(entry("Fete", "t-1", when)), etag='"v1"')
    info = queue.feeds.add(ctx.actor, account, "Alerts", site.url("/alerts"), 60)
    assert queue.feeds.poll(ctx.actor, info.id).imported == 1
    clock.advance(hours=1)
    again = queue.feeds.poll(ctx.actor, info.id)
    assert again.ok and again.not_modified and again.imported == 0
    assert [h.if_none_match for h in site.hits] == [None, '"v1"']
    stored = queue.feeds.get(info.id)
    assert stored.last_ok_at == stored.last_polled_at == clock.now and stored.last_error is None
    site.pages["/alerts"] = Page(feed(entry("Fete", "t-1", when), entry("Choir", "t-2", when)), etag='"v2"')
    changed = queue.feeds.poll(ctx.actor, info.id)
    assert (changed.not_modified, changed.imported, changed.duplicates) == (False, 1, 1)
    assert site.hits[-1].if_none_match == '"v1"'
    queue.feeds.poll(ctx.actor, info.id)
    assert site.hits[-1].if_none_match == '"v2"'
    assert len(items(ctx)) == 2


def test_last_modified_alone_is_sent_back(ctx, queue, account, site, clock):
    stamp = format_datetime(clock.now - timedelta(days=1), usegmt=True)
    site.pages["/alerts"] = Page(feed(entry("Fete", "t-1", clock.now)), last_modified=stamp)
    info = queue.feeds.add(ctx.actor, account, "Alerts", site.url("/alerts"), 60)
    queue.feeds.poll(ctx.actor, info.id)
    assert queue.feeds.poll(ctx.actor, info.id).not_modified
    assert [h.if_modified_since for h in site.hits] == [None, stamp]


def test_a_failed_read_keeps_the_last_validators(ctx, queue, account, site, clock):
    site.pages["/alerts"] = Page(feed(entry("Fete", "t-1", clock.now)), etag='"v1"')
    info = queue.feeds.add(ctx.actor, account, "Alerts", site.url("/alerts"), 60)
    queue.feeds.poll(ctx.actor, info.id)
    site.pages["/alerts"] = Page(b"<rss><channel><item></channel></rss>", etag='"broken"')
    failed = queue.feeds.poll(ctx.actor, info.id)
    assert not failed.ok and "not well-formed XML (mismatched tag at line 1, column 23)" in str(failed.error)
    site.pages["/alerts"] = Page(feed(entry("Fete", "t-1", clock.now)), etag='"v1"')
    assert queue.feeds.poll(ctx.actor, info.id).not_modified
    assert [h.if_none_match for h in site.hits] == [None, '"v1"', '"v1"']
    assert queue.feeds.get(info.id).last_error is None


def test_a_new_address_forgets_what_the_old_one_said(ctx, queue, account, site, clock):
    site.pages["/old"] = Page(feed(entry("Fete", "t-1", clock.now)), etag='"v1"')
    site.pages["/new"] = Page(feed(entry("Fete", "t-1", clock.now)), etag='"v1"')
    info = queue.feeds.add(ctx.actor, account, "Alerts", site.url("/old"), 60)
    queue.feeds.poll(ctx.actor, info.id)
    info = queue.feeds.update(ctx.actor, info.id, info.version_id, url=site.url("/new"))
    assert not queue.feeds.poll(ctx.actor, info.id).not_modified
    assert [(h.path, h.if_none_match) for h in site.hits] == [("/old", None), ("/new", None)]


def test_redirects_are_followed_within_the_limit(ctx, queue, account, site, clock):
    site.pages["/feed"] = Page(feed(entry("Fete", "t-1", clock.now)))
    site.pages["/moved"] = Page(b"", redirect="/feed")
    site.pages["/loop"] = Page(b"", redirect="/loop")
    moved = queue.feeds.add(ctx.actor, account, "Moved", site.url("/moved"), 60)
    looping = queue.feeds.add(ctx.actor, account, "Loop", site.url("/loop"), 60)
    assert queue.feeds.poll(ctx.actor, moved.id).imported == 1
    result = queue.feeds.poll(ctx.actor, looping.id)
    assert result.error == f"{site.url('/loop')}: was redirected more than 5 times"
    assert [h.path for h in site.hits].count("/loop") == 6  # the first request and 5 redirects


def test_an_oversized_feed_is_refused(ctx, queue, account, site, clock):
    small = FeedService(queue, ctx.session_factory, timeout=2.0, max_bytes=2_000)
    site.pages["/big"] = Page(feed(*(entry(f"Entry {n}", f"g-{n}", clock.now) for n in range(100))))
    info = small.add(ctx.actor, account, "Big", site.url("/big"), 60)
    result = small.poll(ctx.actor, info.id)
    assert result.error == f"{site.url('/big')}: is larger than the limit of 2,000 bytes"
    assert items(ctx) == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b"<rss><channel><title>&b;</title></channel></rss>",
            "Alerts: was refused: it declares the XML entity 'a', and smmod never expands entities "
            "(this blocks 'billion laughs' and external-entity attacks)",
        ),
        (
            b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel>'
            b"<item><title>&x;</title></item></channel></rss>",
            "Alerts: was refused: it declares the XML entity 'x', and smmod never expands entities "
            "(this blocks 'billion laughs' and external-entity attacks)",
        ),
        (b"<html><body>Sign in", "Alerts: is not well-formed XML (no element found at line 1, column 20)"),
    ],
)
def test_unsafe_or_broken_feeds_fail_with_one_clear_line(ctx, queue, account, site, body, reason):
    site.pages["/alerts"] = Page(body)
    info = queue.feeds.add(ctx.actor, account, "Alerts", site.url("/alerts"), 60)
    result = queue.feeds.poll(ctx.actor, info.id)
    assert (result.ok, result.error) == (False, reason)
    assert queue.feeds.get(info.id).last_error == reason
    assert items(ctx) == []


def test_feeds_made_before_the_migration_keep_everything(ctx, queue, account, site, clock):
    from alembic import command
    from sqlalchemy import inspect

    from smmod.store.database import alembic_config, migrate

    site.pages["/alerts"] = Page(feed(entry("Fete", "t-1", clock.now)), etag='"v1"')
    info = queue.feeds.add(ctx.actor, account, "Alerts", site.url("/alerts"), 60)
    queue.feeds.poll(ctx.actor, info.id)
    engine = ctx.database.engine
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
    assert {"etag", "last_modified", "last_skipped"}.isdisjoint(
        c["name"] for c in inspect(engine).get_columns("queue_feeds")
    )
    migrate(engine)
    again = queue.feeds.get(info.id)
    assert (again.name, again.last_new_count, again.last_skipped) == ("Alerts", 1, ())
    assert not queue.feeds.poll(ctx.actor, info.id).not_modified  # the ETag was dropped with 0006
    assert queue.feeds.poll(ctx.actor, info.id).not_modified
