"""Facebook Login against the fake Graph API: the code, the long-lived token, the Page's token."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from smmod.connectors.oauth import OAuthClient
from smmod.errors import SmmodError
from tests.connectors.fake_graph import IG, PAGE, FakeGraph, V
from tests.connectors.test_graph import Page


def browser(fake: FakeGraph, urls: list[str], *, tamper: bool = False):
    """What the person's browser does: the login dialog, approve, follow the redirect."""

    def open_browser(url: str) -> bool:
        urls.append(url)
        with httpx.Client(follow_redirects=False) as client:
            answer = client.get(url)
            assert answer.status_code == 302, answer.text
            back = answer.headers["Location"]
            if tamper:  # a code the platform never gave
                back = back.replace("code=", "code=x")
            assert client.get(back).status_code == 200
        return True

    return open_browser


def sign_in(ctx, people, fake: FakeGraph, platform: str, urls: list[str], **options):
    page = Page(ctx, people, fake, platform)
    connections = ctx.connectors.connections
    connections.open_browser = browser(fake, urls, **options)
    info = connections.connect_graph(
        people["head"], page.account_id, api_base=fake.url,
        oauth=OAuthClient(fake.client_id, fake.client_secret), timeout=20)
    return page, info


def test_facebook_login_keeps_the_page_token_and_never_the_person_s(
    ctx, people, fb, pauses, memory_keyring
) -> None:
    urls: list[str] = []
    page, _info = sign_in(ctx, people, fb, "facebook", urls)
    [url] = urls
    asked = parse_qs(urlsplit(url).query)
    assert urlsplit(url).path == f"{V}/dialog/oauth"
    assert asked["code_challenge_method"] == ["S256"] and asked["response_type"] == ["code"]
    assert asked["scope"] == ["pages_show_list,pages_read_engagement,pages_read_user_content,"
                              "pages_manage_engagement,pages_manage_posts"]
    # The code came back with the verifier whose S256 is the challenge (the fake checks it).
    [exchange, long_lived] = fb.seen("GET", f"{V}/oauth/access_token")
    verifier = exchange.one("code_verifier") or ""
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert challenge.decode() == asked["code_challenge"][0]
    assert long_lived.one("grant_type") == "fb_exchange_token"
    assert long_lived.one("fb_exchange_token") in fb.short_tokens
    # Only the Page's token is kept; the person's tokens are used once and dropped.
    kept = set(memory_keyring.items.values())
    assert fb.token in kept
    assert not any(t.startswith(("EAAshortUser", "EAAlongUser")) for t in kept)
    assert ctx.connectors.connections.live(page.account_id).platform_account_id == PAGE
    # And it works: sync reads the Page with it.
    post = fb.add_post()
    fb.add_comment(post, "Well done everyone")
    [result] = page.sync()
    assert result.ok and result.imported == 1
    assert {r.token for r in fb.seen("GET", f"{V}/{PAGE}/feed")} == {fb.token}


def test_instagram_login_finds_the_linked_professional_account(
    ctx, people, fb, pauses, memory_keyring
) -> None:
    page, _info = sign_in(ctx, people, fb, "instagram", [])
    assert ctx.connectors.connections.live(page.account_id).platform_account_id == IG


def test_a_code_the_platform_did_not_give_is_refused_and_nothing_kept(
    ctx, people, fb, pauses, memory_keyring
) -> None:
    with pytest.raises(SmmodError, match="Invalid verification code"):
        sign_in(ctx, people, fb, "facebook", [], tamper=True)
    assert memory_keyring.items == {}
    assert ctx.connectors.connections.all() == []
