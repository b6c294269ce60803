"""What the fake Mastodon, YouTube and Graph API servers share: a threaded server on
127.0.0.1 that records every request and can be told to fail the next matching ones
(``force``)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.connectors.multipart import parse_multipart

Answer = tuple[int, Any, dict[str, str]]


@dataclass
class Forced:
    status: int
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    perform: bool = False  # do the real thing, then answer with this instead


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    headers: dict[str, str]
    body: Any = None  # a JSON body, parsed
    extra: dict[str, Any] = field(default_factory=dict)

    def one(self, name: str) -> str | None:
        values = self.form.get(name) or self.query.get(name)
        return values[0] if values else None

    @property
    def token(self) -> str:
        header = self.headers.get("authorization", "")
        return header[7:] if header.startswith("Bearer ") else (self.one("access_token") or "")


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 and a free port, serving with ``handler``."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class FakeServer(LocalServer):
    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.forced: list[tuple[str, str, Forced]] = []
        self.lock = threading.RLock()
        super().__init__(_handler(self))

    def force(self, method: str, path_prefix: str, *answers: Forced | int) -> None:
        for answer in answers:
            self.forced.append(
                (method, path_prefix, answer if isinstance(answer, Forced) else Forced(answer))
            )

    def seen(self, method: str, path: str) -> list[Seen]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def answer(self, seen: Seen) -> Answer:
        with self.lock:
            self.requests.append(seen)
            forced = None
            for index, (method, prefix, _answer) in enumerate(self.forced):
                if method == seen.method and seen.path.startswith(prefix):
                    forced = self.forced.pop(index)[2]
                    break
            if forced is not None and not forced.perform:
                return forced.status, forced.body, forced.headers
            result = self.route(seen)
            if forced is not None:
                return forced.status, forced.body, forced.headers
            return result

    def route(self, seen: Seen) -> Answer:
        raise NotImplementedError


def _handler(fake: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_DELETE(self) -> None:
            self._serve("DELETE")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else b""
            kind = self.headers.get("Content-Type", "")
            files: dict[str, tuple[str, bytes, str]] = {}
            form: dict[str, list[str]] = {}
            if kind.startswith("multipart/form-data"):  # uploads (media, page photos)
                form, files = parse_multipart(data, kind)
                data = b""
            raw = data.decode()
            body = json.loads(raw) if raw and kind.startswith("application/json") else None
            seen = Seen(
                method,
                parts.path,
                parse_qs(parts.query),
                form if files else (parse_qs(raw) if body is None else {}),
                {k.lower(): v for k, v in self.headers.items()},
                body,
                {"files": files} if files else {},
            )
            status, answer, headers = fake.answer(seen)
            data = (
                answer
                if isinstance(answer, bytes)
                else (b"" if answer is None else json.dumps(answer).encode())
            )
            self.send_response(status)
            if data:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler
