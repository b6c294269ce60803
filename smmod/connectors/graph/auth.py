"""Connecting smmod to a Facebook Page or an Instagram professional account.

Reference: developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
(the login dialog with ``code_challenge`` S256, and ``/oauth/access_token`` for the code),
facebook-login/guides/access-tokens/get-long-lived (``grant_type=fb_exchange_token``;
a Page token got with a long-lived user token has no expiry), graph-api/reference/user/
accounts (the Pages and their tokens), and the Instagram Platform's Facebook Login
requirements (``instagram_business_account`` on the Page). The user token is used
only to get the Page's token and is not kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from smmod.connectors.errors import ConnectorError
from smmod.connectors.graph.api import DEFAULT_API_BASE, GraphClient, V, graph_id, listing
from smmod.connectors.http import ApiClient
from smmod.connectors.oauth import Grant, LoopbackReceiver, OAuthClient, new_pkce
from smmod.connectors.shapes import Shape
from smmod.errors import InputError
from smmod.platforms import platform_label

SIGN_IN_TIMEOUT = 300.0
# The fewest permissions that work (permissions reference).
SCOPES = {
    "facebook": (
        "pages_show_list",
        "pages_read_engagement",
        "pages_read_user_content",
        "pages_manage_engagement",
        "pages_manage_posts",  # publishing the school's own posts (issue 19)
    ),
    "instagram": ("pages_show_list", "pages_read_engagement", "instagram_basic", "instagram_manage_comments"),
}
IG_FIELD = "instagram_business_account{id,username}"


def dialog_url(api_base: str) -> str:
    return (
        "https://www.facebook.com" + V + "/dialog/oauth"
        if api_base == DEFAULT_API_BASE
        else f"{api_base}{V}/dialog/oauth"
    )


def _pick(platform: str, page: Shape, token: str) -> tuple[Grant, str]:
    page_id = graph_id(page.value.get("id"), "Page id")
    name = page.text("name", required=False, limit=400) or page_id
    if platform == "facebook":
        return Grant(token, SCOPES[platform], platform_account_id=page_id), name
    ig = page.obj("instagram_business_account", required=False)
    if ig is None:
        raise ConnectorError(
            f"the Facebook Page {name!r} has no Instagram professional account linked; link it in the "
            "Page's settings, then connect again"
        )
    return (
        Grant(
            token, SCOPES[platform], platform_account_id=graph_id(ig.value.get("id"), "Instagram account id")
        ),
        ig.text("username", required=False, limit=200) or "",
    )


def check_page_token(client: ApiClient, platform: str, token: str, page_id: str | None) -> tuple[Grant, str]:
    """A Page access token given by hand: ``/me`` is then the Page (``category`` says so)."""
    fields = "id,name,category" + (f",{IG_FIELD}" if platform == "instagram" else "")
    page = Shape(client.get(f"{V}/me", [("fields", fields)]).data, "the token's owner")
    if not page.value.get("category"):
        raise InputError(
            "this is a person's token, not a Page access token; give the Page's token "
            "(Graph API Explorer, 'Get Page access token'), or sign in with --client-file",
            field="token",
        )
    if page_id and str(page.value.get("id")) != page_id:
        raise InputError(f"the token is for Page {page.value.get('id')}, not {page_id}", field="page_id")
    return _pick(platform, page, token)


def sign_in(
    api_base: str,
    platform: str,
    oauth: OAuthClient,
    open_browser: Callable[[str], object],
    *,
    page_id: str | None,
    now: Callable[[], datetime],
    client_options: dict[str, object],
    timeout: float = SIGN_IN_TIMEOUT,
) -> tuple[Grant, str]:
    """Facebook Login in the browser, then the long-lived token, then the Page's own token."""
    pkce = new_pkce()
    with LoopbackReceiver() as receiver:
        query = urlencode(
            {
                "client_id": oauth.client_id,
                "redirect_uri": receiver.redirect_uri,
                "state": receiver.state,
                "response_type": "code",
                "scope": ",".join(SCOPES[platform]),
                "code_challenge": pkce.challenge,
                "code_challenge_method": "S256",
            }
        )
        open_browser(f"{dialog_url(api_base)}?{query}")
        code = receiver.wait(timeout, platform_label(platform))
        redirect_uri = receiver.redirect_uri
    label = platform.capitalize()
    with GraphClient(api_base, platform=label, now=now, **client_options) as client:  # type: ignore[arg-type]
        short = Shape(
            client.get(
                f"{V}/oauth/access_token",
                [
                    ("client_id", oauth.client_id),
                    ("client_secret", oauth.client_secret),
                    ("redirect_uri", redirect_uri),
                    ("code", code),
                    ("code_verifier", pkce.verifier),
                ],
            ).data,
            "token",
        ).need_text("access_token", limit=4000)
        long = Shape(
            client.get(
                f"{V}/oauth/access_token",
                [
                    ("grant_type", "fb_exchange_token"),
                    ("client_id", oauth.client_id),
                    ("client_secret", oauth.client_secret),
                    ("fb_exchange_token", short),
                ],
            ).data,
            "long-lived token",
        )
        user_token = long.need_text("access_token", limit=4000)
    with GraphClient(api_base, platform=label, now=now, token=user_token, **client_options) as client:  # type: ignore[arg-type]
        fields = "id,name,access_token" + (f",{IG_FIELD}" if platform == "instagram" else "")
        pages = [
            Shape(p, "Page")
            for p in listing(
                client.get(f"{V}/me/accounts", [("fields", fields), ("limit", "100")]).data, "Pages"
            ).data
        ]
    if page_id:
        pages = [p for p in pages if str(p.value.get("id")) == page_id]
    if not pages:
        missing = f"Page {page_id}" if page_id else "any Page"
        raise InputError(f"the signed-in person does not manage {missing}", field="page_id")
    if len(pages) > 1:
        names = ", ".join(f"{p.text('name', required=False, limit=100)} ({p.value.get('id')})" for p in pages)
        raise InputError(f"choose the Page with --page-id: {names}", field="page_id")
    # A Page token got with a long-lived user token does not expire (until revoked).
    return _pick(platform, pages[0], pages[0].need_text("access_token", limit=4000))


def revoke(client: ApiClient, platform: str) -> None:
    """A Page token cannot be revoked through the API by the app that holds it."""
    raise ConnectorError(
        f"smmod cannot revoke a {platform.capitalize()} Page token itself: remove smmod in the Page's "
        "settings (Business integrations), then disconnect with --local-only."
    )
