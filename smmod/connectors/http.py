"""HTTP for connectors: httpx with timeouts, a size limit, retries and honest errors.

Nothing a platform sends is trusted: a body larger than ``max_bytes`` is cut off and
refused, a body that is not JSON is refused, and pagination links that point anywhere
but the platform's own origin are ignored (a token must never follow them).

429 waits for Retry-After (when that is short) and 5xx is retried with back-off, but
only for requests that are safe to repeat: a GET, or a POST the platform de-duplicates
(an Idempotency-Key) or that is idempotent by nature (block, mute). Anything else gives
up at once and says whether the platform may have done it (``maybe_done``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from smmod import __version__
from smmod.connectors.errors import (
    BadResponse,
    ConnectorError,
    Gone,
    NetworkError,
    PermissionMissing,
    RateLimited,
    Rejected,
    ServerError,
    TokenRefused,
)

log = logging.getLogger("smmod.connectors.http")

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
MAX_BYTES = 4_000_000
MAX_RETRY_AFTER = timedelta(days=1)
DEFAULT_RETRY_AFTER = timedelta(seconds=60)
Params = list[tuple[str, str]]
Form = Mapping[str, Any]
Files = Mapping[str, tuple[str, bytes, str]]  # field -> (file name, content, MIME type)


@dataclass(frozen=True)
class ApiResponse:
    status: int
    data: Any
    headers: Mapping[str, str]
    links: dict[str, str] = field(default_factory=dict)  # rel -> URL on the same origin


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def clean_message(text: object, limit: int = 200) -> str:
    """A platform's own error text, made safe to show: one line, printable, short."""
    value = " ".join(str(text).split())
    value = "".join(c for c in value if c.isprintable())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def retry_at(headers: Mapping[str, str], now: datetime) -> datetime:
    """When a 429 says to come back: Retry-After (seconds or a date), else X-RateLimit-Reset."""
    raw = (headers.get("retry-after") or "").strip()
    wait: timedelta | None = None
    if raw.isdigit():
        wait = timedelta(seconds=int(raw))
    elif raw:
        try:
            wait = parsedate_to_datetime(raw) - now
        except (TypeError, ValueError):
            wait = None
    if wait is None:
        reset = (headers.get("x-ratelimit-reset") or "").strip()
        try:
            wait = datetime.fromisoformat(reset.replace("Z", "+00:00")) - now if reset else None
        except (TypeError, ValueError):
            wait = None
    if wait is None:
        wait = DEFAULT_RETRY_AFTER
    return now + min(max(wait, timedelta(0)), MAX_RETRY_AFTER)


class ApiClient:
    """One platform origin, one token; used for one sync round or one action."""

    def __init__(
        self,
        base_url: str,
        *,
        platform: str,
        now: Callable[[], datetime],
        token: str | None = None,
        sleep: Callable[[float], None] | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_bytes: int = MAX_BYTES,
        retries: int = 3,
        max_wait: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.platform = platform
        self._now = now
        self._sleep = sleep
        self._max_bytes = max_bytes
        self._retries = retries
        self._max_wait = max_wait
        headers = {"User-Agent": f"smmod/{__version__}", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._client = httpx.Client(
            timeout=timeout, headers=headers, follow_redirects=False, transport=transport
        )
        self._origin = origin(self.base_url)

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    @property
    def host(self) -> str:
        return self._origin[1]

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def get(self, path_or_url: str, params: Params | None = None) -> ApiResponse:
        url = path_or_url if path_or_url.startswith(("http://", "https://")) else self.url(path_or_url)
        if origin(url) != self._origin:
            # display name
            raise BadResponse(f"{self.platform} pointed smmod at another site ({origin(url)[1]}); refused")
        return self._send("GET", url, params=params, repeatable=True)

    def post(
        self,
        path: str,
        data: Form | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        params: Params | None = None,
        json_body: Any = None,
        files: Files | None = None,
        repeatable: bool,
    ) -> ApiResponse:
        """POST a form (or a JSON body, or a multipart upload with ``files``);
        ``repeatable`` when sending it twice cannot do it twice."""
        return self._send(
            "POST",
            self.url(path),
            params=params,
            data=data,
            json_body=json_body,
            headers=headers,
            files=files,
            repeatable=repeatable,
        )

    def delete(self, path: str, *, repeatable: bool) -> ApiResponse:
        return self._send("DELETE", self.url(path), repeatable=repeatable)

    # -- internals -------------------------------------------------------------------
    def _send(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        data: Form | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        files: Files | None = None,
        repeatable: bool,
    ) -> ApiResponse:
        attempt = 0
        path = urlsplit(url).path
        uncertain = False  # an earlier try may have reached the platform
        while True:
            attempt += 1
            try:
                status, response_headers, body, links = self._once(
                    method, url, params, data, headers, json_body, files
                )
            except ConnectorError as failed:
                can_retry = failed.retryable and (repeatable or not failed.maybe_done)
                if can_retry and attempt <= self._retries:
                    uncertain = uncertain or failed.maybe_done
                    self._pause(self._backoff(attempt))
                    continue
                failed.maybe_done = failed.maybe_done or uncertain
                raise
            log.info("%s %s %s -> %d", self.platform, method, path, status)
            if 200 <= status < 300:
                return ApiResponse(status, _json(body, self.platform), response_headers, links)
            error = self._error(method, status, response_headers, body)
            wait = self._backoff(attempt)
            if isinstance(error, RateLimited):
                wait = ((error.retry_at or self._now()) - self._now()).total_seconds()
                retry = wait <= self._max_wait
            else:
                retry = isinstance(error, ServerError) and (repeatable or not error.maybe_done)
            if retry and attempt <= self._retries:
                uncertain = uncertain or error.maybe_done
                self._pause(wait)
                continue
            error.maybe_done = error.maybe_done or uncertain
            raise error

    def _once(
        self,
        method: str,
        url: str,
        params: Params | None,
        data: Form | None,
        headers: Mapping[str, str] | None,
        json_body: Any = None,
        files: Files | None = None,
    ) -> tuple[int, Mapping[str, str], bytes, dict[str, str]]:
        where = f"{self.platform} ({self.host})"  # display name
        try:
            query = httpx.QueryParams(tuple(params)) if params else None
            with self._client.stream(
                method, url, params=query, data=data, json=json_body, headers=headers,
                files=files,
            ) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self._max_bytes:
                    raise BadResponse(
                        f"{where} sent {int(declared):,} bytes; the limit is {self._max_bytes:,}"
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self._max_bytes:
                        raise BadResponse(f"{where} sent more than {self._max_bytes:,} bytes; refused")
                    chunks.append(chunk)
                links = self._links(response)
                return response.status_code, dict(response.headers), b"".join(chunks), links
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            reason = (
                "timed out connecting" if isinstance(exc, httpx.TimeoutException) else "could not connect"
            )
            raise NetworkError(f"{where}: {reason}; check the network and try again") from None
        except httpx.TimeoutException:
            raise NetworkError(f"{where} did not answer in time", maybe_done=method != "GET") from None
        except httpx.HTTPError as exc:
            raise NetworkError(
                f"{where}: the connection failed ({type(exc).__name__})", maybe_done=method != "GET"
            ) from None

    def _links(self, response: httpx.Response) -> dict[str, str]:
        found: dict[str, str] = {}
        try:
            links = response.links
        except Exception:  # a malformed Link header is ignored, like a missing one
            return found
        for rel, link in links.items():
            target = link.get("url", "")
            if target and origin(target) == self._origin:
                found[str(rel)] = target
            elif target:
                log.warning("%s: ignored a %s link to another site", self.platform, rel)
        return found

    def _error(self, method: str, status: int, headers: Mapping[str, str], body: bytes) -> ConnectorError:
        where = f"{self.platform} ({self.host})"  # display name
        said = _said(body)
        detail = f": {said}" if said else ""
        if status == 401:
            return TokenRefused(
                f"{where} refused the account's token (expired or revoked); connect the account again"
            )
        if status == 403:
            return PermissionMissing(
                f"{where} says the connection lacks the permission for this{detail}; "
                "connect the account again to grant it"
            )
        if status in (404, 410):
            return Gone(f"{where}: it no longer exists (deleted or removed){detail}")
        if status == 429:
            return RateLimited(
                f"{where} asked smmod to slow down (rate limit)", retry_at=retry_at(headers, self._now())
            )
        if status >= 500:
            return ServerError(
                f"{where} had a server error ({status}); try again later",
                maybe_done=method != "GET" and status != 503,
            )
        return Rejected(f"{where} refused the request ({status}){detail}")

    def _backoff(self, attempt: int) -> float:
        return float(min(0.5 * 2 ** (attempt - 1), self._max_wait))

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            (self._sleep or pause)(seconds)


def pause(seconds: float) -> None:
    """How a client waits between tries unless given its own ``sleep`` (tests replace it)."""
    time.sleep(seconds)


def _json(body: bytes, platform: str) -> Any:
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        # display name
        raise BadResponse(f"{platform} sent an answer that is not valid JSON; refused") from None


def _said(body: bytes) -> str:
    """The ``error`` text of a JSON error body, if there is one."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return clean_message(data["error"])
    return ""
