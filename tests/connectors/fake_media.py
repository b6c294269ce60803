"""A local server for the photos attached to comments, as a platform's media host serves them.

Mastodon serves attachments from its own media host or a CDN (entities/MediaAttachment
``url``), Facebook from its CDN (reference/story-attachment-media ``image.src``). Paths:

- ``/files/NAME``: the bytes given to ``put`` (with Content-Length);
- ``/declared-big``: says Content-Length 200 MB and sends a little;
- ``/endless``: no Content-Length, sends 64 KB chunks until the client hangs up;
- ``/slow``: sends a byte every 50 ms until the client hangs up;
- ``/silent``: sends the headers, then nothing;
- ``/elsewhere``: redirects to a plain-http address on another host;
- anything else: 404.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.connectors.fake_base import LocalServer


class FakeMedia(LocalServer):
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.asked: list[str] = []
        self.headers_seen: list[dict[str, str]] = []
        self._stop = threading.Event()
        super().__init__(_handler(self))

    def put(self, name: str, data: bytes | Path) -> str:
        self.files[name] = data.read_bytes() if isinstance(data, Path) else data
        return f"{self.url}/files/{name}"

    def close(self) -> None:
        self._stop.set()
        super().close()


def _handler(fake: FakeMedia) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.asked.append(self.path)
            fake.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
            try:
                self._serve()
            except (BrokenPipeError, ConnectionResetError):
                return

        def _serve(self) -> None:
            name = self.path.removeprefix("/files/")
            if self.path.startswith("/files/") and name in fake.files:
                data = fake.files[name]
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            elif self.path == "/declared-big":
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(200 * 1024 * 1024))
                self.end_headers()
                self.wfile.write(b"\xff\xd8" * 100)
            elif self.path == "/endless":
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.end_headers()
                chunk = b"\xff\xd8" + b"\0" * (64 * 1024 - 2)
                while not fake._stop.is_set():
                    self.wfile.write(chunk)
            elif self.path == "/slow":
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.end_headers()
                while not fake._stop.is_set():
                    self.wfile.write(b"\0")
                    self.wfile.flush()
                    time.sleep(0.05)
            elif self.path == "/elsewhere":
                self.send_response(302)
                self.send_header("Location", "http://cdn.example/photo.jpg")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/silent":
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.flush()
                fake._stop.wait()
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler
