"""Connecting smmod to a Mastodon account: register the app, then OAuth 2 with PKCE.

Reference: docs.joinmastodon.org, methods/apps (POST /api/v1/apps), methods/oauth
(GET /oauth/authorize, POST /oauth/token, POST /oauth/revoke), entities/Application,
entities/Token. The app is registered once per connection, with the loopback redirect
URI of that sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from smmod.connectors.errors import ConnectorError, PermissionMissing
from smmod.connectors.http import ApiClient
from smmod.connectors.mastodon.api import SCOPES
from smmod.connectors.oauth import Grant, LoopbackReceiver, new_pkce
from smmod.connectors.shapes import Shape

APP_NAME = "smmod (school social media moderation)"
SIGN_IN_TIMEOUT = 300.0


def register_app(client: ApiClient, redirect_uri: str) -> tuple[str, str]:
    """POST /api/v1/apps -> (client_id, client_secret)."""
    response = client.post(
        "/api/v1/apps",
        {"client_name": APP_NAME, "redirect_uris": redirect_uri, "scopes": " ".join(SCOPES)},
        repeatable=False,
    )
    shape = Shape(response.data, "registered application")
    return shape.need_text("client_id", limit=200), shape.need_text("client_secret", limit=500)


def authorize_url(base: str, client_id: str, redirect_uri: str, state: str, challenge: str) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(SCOPES),
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"{base}/oauth/authorize?{query}"


def granted_scopes(shape: Shape) -> tuple[str, ...]:
    scope = shape.text("scope", required=False, limit=1000) or ""
    granted = tuple(scope.split())
    missing = [s for s in SCOPES if s not in granted and s.split(":")[0] not in granted]
    if granted and missing:
        raise PermissionMissing(
            f"Mastodon granted fewer permissions than smmod needs (missing: {', '.join(missing)})"
        )
    return granted or SCOPES


def sign_in(
    client: ApiClient, open_browser: Callable[[str], object], *, timeout: float = SIGN_IN_TIMEOUT
) -> Grant:
    """Register the app, send the person to the instance's sign-in page, get a token."""
    pkce = new_pkce()
    with LoopbackReceiver() as receiver:
        client_id, client_secret = register_app(client, receiver.redirect_uri)
        url = authorize_url(client.base_url, client_id, receiver.redirect_uri, receiver.state, pkce.challenge)
        open_browser(url)
        code = receiver.wait(timeout, "Mastodon")
        redirect_uri = receiver.redirect_uri
    response = client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uri": redirect_uri,
            "code_verifier": pkce.verifier,
            "scope": " ".join(SCOPES),
        },
        repeatable=False,
    )
    shape = Shape(response.data, "token")
    token = shape.need_text("access_token", limit=2000)
    kind = shape.text("token_type", required=False, limit=40) or "Bearer"
    if kind.lower() != "bearer":
        raise ConnectorError(f"Mastodon issued a '{kind[:20]}' token; smmod understands only bearer tokens")
    return Grant(token, granted_scopes(shape), client_id, client_secret)


def revoke(client: ApiClient, token: str, client_id: str | None, client_secret: str | None) -> None:
    """POST /oauth/revoke; tokens given on --token-stdin have no client and cannot be revoked here."""
    if not client_id or not client_secret:
        raise ConnectorError(
            "this token was given to smmod by hand, so smmod cannot revoke it; revoke it on the "
            "instance (Preferences, Account, Authorized apps)"
        )
    client.post(
        "/oauth/revoke",
        {"client_id": client_id, "client_secret": client_secret, "token": token},
        repeatable=True,
    )
