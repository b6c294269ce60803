"""Connecting smmod to a YouTube channel: Google's OAuth 2 for desktop apps.

Reference: developers.google.com/identity/protocols/oauth2/native-app ("OAuth 2.0 for
iOS & Desktop Apps"): the loopback redirect on 127.0.0.1, PKCE (S256), ``access_type=
offline`` for a refresh token, the token endpoint for the code exchange and for
``grant_type=refresh_token``, and the revoke endpoint. The school registers its own
"Desktop app" client in Google Cloud and gives smmod its client file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from smmod.connectors.errors import ConnectorError, PermissionMissing, TokenRefused
from smmod.connectors.http import ApiClient
from smmod.connectors.oauth import Grant, LoopbackReceiver, OAuthClient, new_pkce
from smmod.connectors.shapes import Shape
from smmod.connectors.youtube.api import DEFAULT_API_BASE, SCOPES, YouTubeClient, google_error

SIGN_IN_TIMEOUT = 300.0
REAL_AUTHORIZE = "https://accounts.google.com/o/oauth2/v2/auth"
REAL_TOKEN_ORIGIN = "https://oauth2.googleapis.com"  # noqa: S105 (an address, not a secret)


@dataclass(frozen=True)
class Endpoints:
    authorize: str
    token_origin: str  # POST {origin}/token and {origin}/revoke

    @classmethod
    def for_base(cls, api_base: str) -> Endpoints:
        """Google's own hosts; with --api-base (a proxy, or the tests' fake) all under it."""
        if api_base == DEFAULT_API_BASE:
            return cls(REAL_AUTHORIZE, REAL_TOKEN_ORIGIN)
        return cls(f"{api_base}/o/oauth2/v2/auth", api_base)


def _token_answer(
    client: ApiClient, form: dict[str, str], now: datetime
) -> tuple[str, str | None, datetime | None, tuple[str, ...]]:
    response = client.post("/token", form, repeatable=False)
    shape = Shape(response.data, "token")
    token = shape.need_text("access_token", limit=4000)
    kind = shape.text("token_type", required=False, limit=40) or "Bearer"
    if kind.lower() != "bearer":
        raise ConnectorError(f"Google issued a '{kind[:20]}' token; smmod understands only bearer tokens")
    lifetime = shape.value.get("expires_in")
    expires = now + timedelta(seconds=int(lifetime)) if isinstance(lifetime, int) and lifetime > 0 else None
    scopes = tuple((shape.text("scope", required=False, limit=2000) or "").split())
    if scopes and not set(SCOPES) <= set(scopes):
        raise PermissionMissing(
            "Google granted fewer permissions than smmod needs: tick the box for managing "
            "your YouTube account when you sign in"
        )
    return token, shape.text("refresh_token", required=False, limit=4000), expires, scopes or SCOPES


def token_client(api_base: str, now: Callable[[], datetime], **options: object) -> ApiClient:
    return YouTubeClient(Endpoints.for_base(api_base).token_origin, platform="Google", now=now, **options)  # type: ignore[arg-type]


def sign_in(
    api_base: str,
    oauth: OAuthClient,
    open_browser: Callable[[str], object],
    *,
    now: Callable[[], datetime],
    client_options: dict[str, object],
    timeout: float = SIGN_IN_TIMEOUT,
) -> Grant:
    """The person signs in with Google in the system browser; smmod gets a refresh token."""
    pkce = new_pkce()
    endpoints = Endpoints.for_base(api_base)
    with LoopbackReceiver() as receiver:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": oauth.client_id,
                "redirect_uri": receiver.redirect_uri,
                "scope": " ".join(SCOPES),
                "state": receiver.state,
                "code_challenge": pkce.challenge,
                "code_challenge_method": "S256",
                "access_type": "offline",  # a refresh token, so smmod can sync unattended
                "prompt": "consent",  # Google gives a refresh token only with consent
            }
        )
        open_browser(f"{endpoints.authorize}?{query}")
        code = receiver.wait(timeout, "YouTube")
        redirect_uri = receiver.redirect_uri
    with token_client(api_base, now, **client_options) as client:
        token, refresh, expires, scopes = _token_answer(
            client,
            {
                "grant_type": "authorization_code",
                "code": code,
                "client_id": oauth.client_id,
                "client_secret": oauth.client_secret,
                "redirect_uri": redirect_uri,
                "code_verifier": pkce.verifier,
            },
            now(),
        )
    if not refresh:
        raise ConnectorError(
            "Google did not give smmod a refresh token, so it could not sync for more than an "
            "hour; remove smmod from the Google account's third-party access and connect again"
        )
    return Grant(token, scopes, oauth.client_id, oauth.client_secret, refresh, expires)


def refresh(
    api_base: str,
    oauth: OAuthClient,
    refresh_token: str,
    *,
    now: Callable[[], datetime],
    client_options: dict[str, object],
) -> tuple[str, str | None, datetime | None]:
    """A new access token (and, rarely, a new refresh token) from the refresh token."""
    with token_client(api_base, now, **client_options) as client:
        try:
            token, new_refresh, expires, _ = _token_answer(
                client,
                {
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                    "client_id": oauth.client_id,
                    "client_secret": oauth.client_secret,
                },
                now(),
            )
        except ConnectorError as error:
            if "invalid_grant" in str(error) or "(400)" in str(error) or "(401)" in str(error):
                raise TokenRefused(
                    "YouTube no longer accepts smmod's sign-in (it was revoked, or unused for six "
                    "months); connect the account again"
                ) from None
            raise
    return token, new_refresh, expires


def revoke(
    api_base: str, token: str, *, now: Callable[[], datetime], client_options: dict[str, object]
) -> None:
    """POST /revoke with the refresh token: Google then forgets every token of this grant."""
    with token_client(api_base, now, **client_options) as client:
        client.post("/revoke", {"token": token}, repeatable=True)


__all__ = ["Endpoints", "google_error", "refresh", "revoke", "sign_in"]
