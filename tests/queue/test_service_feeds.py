"""Alert feeds (R14), served from a loopback HTTP server: polling, remembering, failing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from smmod import audit
from smmod.audit import AuditFilter
from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.errors import ConflictError, InputError, PermissionDenied
from smmod.identity import Actor
from smmod.queue.service import QueueService
from tests.queue.test_service_fixtures import DATA, Clock, add_account, items, service

BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item>'
    b"<title>&b;</title></item></channel></rss>"
)


class FeedServer:
    """Serves byte strings by path; '/slow' answers after the client gave up."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, bytes]] = {}
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # BaseHTTPRequestHandler
                server.hits.append(self.path)
                if self.path.startswith("/slow"):
                    time.sleep(3)
                status, body = server.pages.get(self.path.split("?")[0], (404, b"missing"))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:  # BaseHTTPRequestHandler
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    srv = FeedServer()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.fixture
def clock(clock: FrozenClock) -> Clock:
    return Clock(clock)


@pytest.fixture
def queue(ctx: AppContext, clock: Clock) -> QueueService:
    svc = service(ctx, clock)
    yield svc
    svc.close()


@pytest.fixture
def account(ctx: AppContext) -> int:
    return add_account(ctx)


def test_a_failing_feed_does_not_stop_the_others(ctx, queue, account, server):
    server.pages["/rss"] = (200, (DATA / "alerts_rss.xml").read_bytes())
    server.pages["/atom"] = (200, (DATA / "alerts_atom.xml").read_bytes())
    server.pages["/notxml"] = (200, b"<html><body>Sign in</body")
    server.pages["/bomb"] = (200, BOMB)
    feeds = queue.feeds
    for name, path in (
        ("Local news", "/rss"),
        ("Broken", "/notxml"),
        ("Gone", "/gone"),
        ("Bomb", "/bomb"),
        ("Slow", "/slow"),
        ("Blog", "/atom"),
    ):
        feeds.add(ctx.actor, account, name, server.url(path), 60)
    results = {r.name: r for r in feeds.poll_all(ctx.actor)}
    assert results["Local news"].ok and results["Local news"].imported == 3
    assert results["Blog"].ok and results["Blog"].imported == 2
    assert "not well-formed XML" in results["Broken"].error
    assert "HTTP 404" in results["Gone"].error
    assert "entity" in results["Bomb"].error
    assert "timed out after 2 s" in results["Slow"].error
    stored = items(ctx)
    assert len(stored) == 5 and {i.kind for i in stored} == {"mention"}
    assert {i.source for i in stored} == {"feed"}
    info = {f.name: f for f in feeds.list_feeds()}
    assert info["Gone"].last_error and info["Gone"].last_ok_at is None
    assert info["Local news"].last_error is None and info["Local news"].last_new_count == 3


def test_feeds_remember_what_they_have_seen(ctx, queue, account, server):
    server.pages["/rss"] = (200, (DATA / "alerts_rss.xml").read_bytes())
    feed = queue.feeds.add(ctx.actor, account, "Local news", server.url("/rss"), 60)
    first = queue.feeds.poll(ctx.actor, feed.id)
    again = queue.feeds.poll(ctx.actor, feed.id)
    assert (first.imported, again.imported, again.duplicates) == (3, 0, 3)
    assert len(items(ctx)) == 3
    polls = audit.query(ctx.session_factory, AuditFilter(action="queue.feed_poll"))
    assert len(polls) == 1  # quiet polls leave no audit noise


def test_schedule_polls_only_due_and_enabled_feeds(ctx, queue, account, server, clock):
    server.pages["/rss"] = (200, (DATA / "alerts_rss.xml").read_bytes())
    server.pages["/atom"] = (200, (DATA / "alerts_atom.xml").read_bytes())
    hourly = queue.feeds.add(ctx.actor, account, "Hourly", server.url("/rss"), 60)
    paused = queue.feeds.add(ctx.actor, account, "Paused", server.url("/atom"), 5)
    queue.feeds.update(ctx.actor, paused.id, paused.version_id, enabled=False)
    assert [r.name for r in queue.feeds.poll_due(ctx.actor)] == ["Hourly"]
    clock.advance(minutes=30)
    assert queue.feeds.poll_due(ctx.actor) == []
    clock.advance(minutes=31)
    assert [r.name for r in queue.feeds.poll_due(ctx.actor)] == ["Hourly"]
    assert server.hits.count("/atom") == 0
    assert queue.feeds.poll_due(Actor("stranger")) == []  # read-only: no polling
    assert hourly.id != paused.id


def test_feed_address_secrets_are_never_shown(ctx, queue, account, server):
    url = server.url("/gone?key=s3cret-token")
    feed = queue.feeds.add(ctx.actor, account, "Private", url, 60)
    result = queue.feeds.poll(ctx.actor, feed.id)
    assert not result.ok and "s3cret" not in result.error and "(query hidden)" in result.error
    assert "s3cret" not in queue.feeds.get(feed.id).url
    entry = audit.query(ctx.session_factory, AuditFilter(action="queue.feed_add"))[0]
    assert "s3cret" not in str(entry.details)


def test_feed_configuration_is_checked(ctx, queue, account, people):
    feeds = queue.feeds
    with pytest.raises(InputError, match="url"):
        feeds.add(ctx.actor, account, "Bad", "ftp://example.org/feed", 60)
    with pytest.raises(InputError, match="interval_minutes"):
        feeds.add(ctx.actor, account, "Too often", "https://example.org/feed", 1)
    with pytest.raises(InputError, match="name"):
        feeds.add(ctx.actor, account, "  ", "https://example.org/feed", 60)
    with pytest.raises(PermissionDenied):
        feeds.add(people["vol1"], account, "Mine", "https://example.org/feed", 60)
    feed = feeds.add(ctx.actor, account, "News", "https://example.org/feed", 60)
    changed = feeds.update(ctx.actor, feed.id, feed.version_id, interval_minutes=30)
    assert changed.interval_minutes == 30
    with pytest.raises(ConflictError, match="changed elsewhere"):
        feeds.update(ctx.actor, feed.id, feed.version_id, name="Stale")
    feeds.remove(ctx.actor, feed.id, changed.version_id)
    assert feeds.list_feeds() == []


def test_removing_a_feed_keeps_its_items(ctx, queue, account, server):
    server.pages["/rss"] = (200, (DATA / "alerts_rss.xml").read_bytes())
    feed = queue.feeds.add(ctx.actor, account, "Local news", server.url("/rss"), 60)
    queue.feeds.poll(ctx.actor, feed.id)
    queue.feeds.remove(ctx.actor, feed.id, queue.feeds.get(feed.id).version_id)
    stored = items(ctx)
    assert len(stored) == 3 and {i.feed_id for i in stored} == {None}


def test_file_feeds_work_too(ctx, queue, account, tmp_path):
    path = tmp_path / "alerts.xml"
    path.write_bytes((DATA / "alerts_atom.xml").read_bytes())
    feed = queue.feeds.add(ctx.actor, account, "Saved search", Path(path).as_uri(), 60)
    assert queue.feeds.poll(ctx.actor, feed.id).imported == 2
