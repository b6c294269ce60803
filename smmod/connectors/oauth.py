"""OAuth 2 for a desktop app: PKCE, and a loopback redirect on 127.0.0.1 (RFC 8252, RFC 7636).

The browser is opened by a function the caller passes in (``webbrowser.open`` in the
app and the CLI), so tests can follow the redirect themselves. The one-shot server
answers only ``GET /callback`` with the expected ``state``; anything else gets a 4xx and
is otherwise ignored, so a stray or forged request cannot end the wait.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from smmod.connectors.errors import ConnectorError
from smmod.connectors.http import clean_message
from smmod.errors import InputError

log = logging.getLogger("smmod.connectors.oauth")

CALLBACK_PATH = "/callback"


@dataclass(frozen=True)
class Grant:
    """What a sign-in produced; the token, refresh token and client secret go to the keyring only."""

    token: str
    scopes: tuple[str, ...]
    client_id: str | None = None
    client_secret: str | None = None
    refresh_token: str | None = None
    expires_at: datetime | None = None
    platform_account_id: str | None = None

    def __repr__(self) -> str:  # never print the secrets, even in a traceback
        return (
            f"Grant(scopes={self.scopes!r}, client_id={self.client_id!r}, "
            f"platform_account_id={self.platform_account_id!r})"
        )


@dataclass(frozen=True)
class OAuthClient:
    """The school's own OAuth client (Google Cloud "Desktop app", or a Meta app)."""

    client_id: str
    client_secret: str

    def __repr__(self) -> str:
        return f"OAuthClient(client_id={self.client_id!r})"


MAX_CLIENT_FILE = 64_000


def read_client_file(path: Path) -> OAuthClient:
    """The client file: Google's download ({"installed": {"client_id", "client_secret"}})
    or, for a Meta app, {"app_id": ..., "app_secret": ...}."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror or exc})", file=name) from None
    if len(raw) > MAX_CLIENT_FILE:
        raise InputError(f"it is {len(raw):,} bytes; a client file is under {MAX_CLIENT_FILE:,}", file=name)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InputError("it is not valid JSON", file=name) from None
    if isinstance(data, dict) and isinstance(data.get("installed"), dict):
        data = data["installed"]
    if not isinstance(data, dict):
        raise InputError("expected a JSON object", file=name)
    client_id = data.get("client_id", data.get("app_id"))
    secret = data.get("client_secret", data.get("app_secret"))
    for value, field in ((client_id, "client_id"), (secret, "client_secret")):
        if not isinstance(value, str | int) or not str(value).strip() or len(str(value)) > 500:
            raise InputError("missing, or not a short piece of text", file=name, field=field)
        if any(c.isspace() for c in str(value).strip()):
            raise InputError("must not contain spaces", file=name, field=field)
    return OAuthClient(str(client_id).strip(), str(secret).strip())


@dataclass(frozen=True)
class Pkce:
    verifier: str
    challenge: str
    method: str = "S256"


def new_pkce() -> Pkce:
    """A fresh code verifier (86 characters) and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return Pkce(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"))


class _Result:
    def __init__(self, state: str) -> None:
        self.state = state
        self.code: str | None = None
        self.error: str | None = None
        self.done = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # BaseHTTPRequestHandler's name
        result = self.server.result
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path != CALLBACK_PATH or result.done.is_set():
            self._answer(404, "Nothing here.")
            return
        if query.get("state", [""])[0] != result.state:
            log.warning("ignored a sign-in callback with the wrong state")
            self._answer(400, "This sign-in link is not the one smmod is waiting for.")
            return
        if "error" in query:
            described = query.get("error_description", query["error"])[0]
            result.error = clean_message(described)
            self._answer(200, "Sign-in was not completed. You can close this tab and return to smmod.")
        else:
            code = query.get("code", [""])[0]
            if not code:
                self._answer(400, "The sign-in answer had no code.")
                return
            result.code = code
            self._answer(200, "smmod is connected. You can close this tab and return to smmod.")
        result.done.set()

    def _answer(self, status: int, text: str) -> None:
        body = (f"<!doctype html><meta charset=utf-8><title>smmod</title><p>{html.escape(text)}</p>").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep codes out of stderr
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, result: _Result) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.result = result


class LoopbackReceiver:
    """Listens on 127.0.0.1 on a random free port for one authorization answer."""

    def __init__(self) -> None:
        self.state = secrets.token_urlsafe(24)
        self._result = _Result(self.state)
        self._server = _Server(self._result)
        self._thread = threading.Thread(target=self._server.serve_forever, name="oauth-loopback", daemon=True)
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{CALLBACK_PATH}"

    def wait(self, timeout: float, platform: str) -> str:
        """The authorization code, once the browser comes back with it."""
        if not self._result.done.wait(timeout):
            raise ConnectorError(
                f"{platform}: no answer from the browser within {int(timeout)} seconds; "  # display name
                "nothing was connected. Try again."
            )
        if self._result.error is not None or self._result.code is None:
            # display name
            raise ConnectorError(f"{platform} did not grant access ({self._result.error or 'no code'})")
        return self._result.code

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackReceiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
