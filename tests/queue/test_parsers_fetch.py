"""fetch_feed against a real HTTP server on the loopback address."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from smmod.errors import InputError
from smmod.queue.feed_fetch import display_url, fetch_feed
from smmod.queue.parsers import parse_bytes

DATA = Path(__file__).parent / "data"
FEED = (DATA / "alerts_rss.xml").read_bytes()
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


class FeedServer:
    """A loopback server whose routes a test chooses; it stops with the test."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        routes, stopping = self.routes, self.stopping

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # BaseHTTPRequestHandler
                route = routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                try:
                    route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first, as the timeout tests intend

            def log_message(self, format: str, *args: object) -> None:
                pass  # BaseHTTPRequestHandler: keep test output clean

        Handler.stopping = stopping  # type: ignore[attr-defined]
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def wait(self, seconds: float) -> None:
        """Sleep inside a handler, but wake when the test ends."""
        self.stopping.wait(seconds)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    feed_server = FeedServer()
    feed_server.thread.start()
    yield feed_server
    feed_server.stopping.set()
    feed_server.server.shutdown()
    feed_server.server.server_close()
    feed_server.thread.join(timeout=5)


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, length: bool = True) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/rss+xml")
    if length:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def test_fetches_and_parses_a_feed(server: FeedServer) -> None:
    server.routes["/feed.xml"] = lambda h: send(h, 200, FEED)
    data = fetch_feed(server.url("/feed.xml"), timeout=5).body
    assert data == FEED
    result = parse_bytes(data, display_url(server.url("/feed.xml")), fmt="feed", now=NOW)
    assert len(result.items) == 3


def test_server_error_is_reported_with_the_url(server: FeedServer) -> None:
    server.routes["/broken"] = lambda h: send(h, 500, b"oops")
    with pytest.raises(InputError) as caught:
        fetch_feed(server.url("/broken"), timeout=5)
    assert caught.value.file == server.url("/broken")
    assert caught.value.reason == "the server answered HTTP 500 Internal Server Error"


def test_slow_server_times_out(server: FeedServer) -> None:
    def slow(handler: BaseHTTPRequestHandler) -> None:
        server.wait(10)
        send(handler, 200, FEED)

    server.routes["/slow"] = slow
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        fetch_feed(server.url("/slow"), timeout=0.5)
    assert time.monotonic() - started < 3
    assert caught.value.reason == "timed out after 0.5 s"
    assert caught.value.file == server.url("/slow")


def test_trickling_server_hits_the_overall_deadline(server: FeedServer) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"<")
            handler.wfile.flush()
            server.wait(0.1)

    server.routes["/trickle"] = trickle
    started = time.monotonic()
    with pytest.raises(InputError, match=r"timed out after 0\.5 s"):
        fetch_feed(server.url("/trickle"), timeout=0.5)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("declared", [True, False])
def test_too_large_is_refused(server: FeedServer, declared: bool) -> None:
    server.routes["/big"] = lambda h: send(h, 200, b"x" * 5000, length=declared)
    with pytest.raises(InputError) as caught:
        fetch_feed(server.url("/big"), timeout=5, max_bytes=1000)
    assert caught.value.reason == "is larger than the limit of 1,000 bytes"


def test_exactly_the_limit_is_allowed(server: FeedServer) -> None:
    server.routes["/edge"] = lambda h: send(h, 200, b"y" * 1000, length=False)
    assert fetch_feed(server.url("/edge"), timeout=5, max_bytes=1000).body == b"y" * 1000


def test_redirect_to_another_scheme_is_refused(server: FeedServer) -> None:
    def to_ftp(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", "ftp://127.0.0.1/feed.xml")
        handler.end_headers()

    server.routes["/moved"] = to_ftp
    with pytest.raises(InputError) as caught:
        fetch_feed(server.url("/moved"), timeout=5)
    assert caught.value.reason == (
        "could not be fetched: it was redirected to an address that is not http or https"
    )


def test_query_and_password_never_appear_in_messages(server: FeedServer) -> None:
    server.routes["/private"] = lambda h: send(h, 403, b"no")
    host_port = server.url("").removeprefix("http://")
    with pytest.raises(InputError) as caught:
        fetch_feed(f"http://{host_port}/private?key=SECRET-TOKEN", timeout=5)
    assert str(caught.value) == (
        f"http://{host_port}/private (query hidden): the server answered HTTP 403 Forbidden"
    )
    with pytest.raises(InputError) as caught:
        fetch_feed(f"http://robot:hunter2@{host_port}/private?key=SECRET-TOKEN", timeout=5)
    message = str(caught.value)
    assert message.startswith(f"http://{host_port}/private (query hidden): ")
    assert "SECRET-TOKEN" not in message
    assert "hunter2" not in message


def test_connection_refused(server: FeedServer) -> None:
    url = server.url("/feed.xml")
    server.server.shutdown()
    server.server.server_close()
    with pytest.raises(InputError, match=r"could not be fetched: .*[Cc]onnection refused"):
        fetch_feed(url, timeout=2)


def test_file_urls_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED)
    assert fetch_feed(path.as_uri()).body == FEED
    with pytest.raises(InputError, match="could not be fetched"):
        fetch_feed((tmp_path / "missing.xml").as_uri())


@pytest.mark.parametrize(
    "url", ["ftp://example.org/feed.xml", "javascript:alert(1)", "data:text/xml,<rss/>", "feed.xml"]
)
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(InputError, match="only http, https and file addresses are allowed"):
        fetch_feed(url)


# -- conditional GET, redirects, compression ---------------------------------------------


def test_conditional_get_sends_the_validators_and_304_means_nothing_new(server: FeedServer) -> None:
    seen: list[tuple[str | None, str | None]] = []

    def conditional(handler: BaseHTTPRequestHandler) -> None:
        seen.append((handler.headers.get("If-None-Match"), handler.headers.get("If-Modified-Since")))
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("ETag", '"v1"')
        handler.send_header("Last-Modified", "Tue, 24 Nov 2026 11:00:00 GMT")
        handler.send_header("Content-Length", str(len(FEED)))
        handler.end_headers()
        handler.wfile.write(FEED)

    server.routes["/feed.xml"] = conditional
    first = fetch_feed(server.url("/feed.xml"), timeout=5)
    assert (first.body, first.etag, first.last_modified) == (FEED, '"v1"', "Tue, 24 Nov 2026 11:00:00 GMT")
    again = fetch_feed(server.url("/feed.xml"), timeout=5, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body is None
    assert seen == [(None, None), ('"v1"', "Tue, 24 Nov 2026 11:00:00 GMT")]


def redirect_to(target: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def test_redirects_are_followed_up_to_the_limit(server: FeedServer) -> None:
    server.routes["/feed.xml"] = lambda h: send(h, 200, FEED)
    for hop in range(1, 6):
        server.routes[f"/hop{hop}"] = redirect_to(f"/hop{hop + 1}" if hop < 5 else "/feed.xml")
    fetched = fetch_feed(server.url("/hop1"), timeout=5, max_redirects=5)
    assert fetched.body == FEED and fetched.url == server.url("/feed.xml")
    with pytest.raises(InputError) as caught:
        fetch_feed(server.url("/hop1"), timeout=5, max_redirects=4)
    assert caught.value.reason == "was redirected more than 4 times"


def test_a_redirect_loop_ends_with_a_clear_message(server: FeedServer) -> None:
    server.routes["/loop"] = redirect_to("/loop")
    with pytest.raises(InputError) as caught:
        fetch_feed(server.url("/loop"), timeout=5)
    assert str(caught.value) == f"{server.url('/loop')}: was redirected more than 5 times"


def test_a_compressed_answer_is_measured_unpacked(server: FeedServer) -> None:
    bomb = gzip.compress(b" " * 2_000_000)  # about 2 KB on the wire

    def gzipped(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(bomb)))
        handler.end_headers()
        handler.wfile.write(bomb)

    server.routes["/bomb"] = gzipped
    assert len(bomb) < 10_000
    with pytest.raises(InputError) as caught:
        fetch_feed(server.url("/bomb"), timeout=5, max_bytes=100_000)
    assert caught.value.reason == "is larger than the limit of 100,000 bytes"


def test_other_answers_are_not_feeds(server: FeedServer) -> None:
    server.routes["/empty"] = lambda h: send(h, 204, b"")
    server.routes["/choices"] = lambda h: send(h, 300, b"")
    assert fetch_feed(server.url("/empty"), timeout=5).body == b""
    with pytest.raises(InputError) as caught:
        fetch_feed(server.url("/choices"), timeout=5)
    assert caught.value.reason == "the server answered HTTP 300 Multiple Choices, not a feed"
