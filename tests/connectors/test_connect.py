"""Connecting a Mastodon account: a given token, or the browser sign-in with PKCE; disconnecting."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select

from smmod.connectors.errors import ConnectorError, PermissionMissing, TokenRefused
from smmod.connectors.mastodon.api import SCOPES, instance_url
from smmod.errors import InputError, PermissionDenied
from smmod.store.models import AuditEntry, Connection
from tests.connectors.conftest import School
from tests.connectors.fake_mastodon import FakeMastodon


def approve_in_browser(fake: FakeMastodon, seen_urls: list[str]):
    """What the person's browser does: open the sign-in page, approve, follow the redirect."""

    def open_browser(url: str) -> bool:
        seen_urls.append(url)
        with httpx.Client(follow_redirects=False) as browser:
            answer = browser.get(url)
            assert answer.status_code == 302, answer.text
            back = browser.get(answer.headers["Location"])
            assert back.status_code == 200
        return True

    return open_browser


def test_a_given_token_is_checked_then_kept_only_in_the_keyring(school: School, memory_keyring) -> None:
    school.connect()
    info = school.ctx.connectors.connections.get(school.account_id)
    assert info.api_base == school.fake.url and info.scopes == SCOPES
    with school.ctx.session_factory() as session:
        row = session.execute(select(Connection)).scalar_one()
        assert row.token_key.startswith("cred-") and row.client_id is None
    assert list(memory_keyring.items.values()) == [school.fake.token]
    assert len(school.fake.seen("GET", "/api/v1/notifications")) == 1  # the check


def test_a_refused_token_is_not_kept(school: School, memory_keyring) -> None:
    with pytest.raises(TokenRefused):
        school.connect("not-a-real-token")
    school.fake.tokens["narrow"] = "read:statuses"
    with pytest.raises(PermissionMissing):
        school.connect("narrow")
    assert memory_keyring.items == {}
    assert school.ctx.connectors.connections.all() == []


def test_browser_sign_in_registers_the_app_and_uses_pkce(school: School, memory_keyring) -> None:
    urls: list[str] = []
    connections = school.ctx.connectors.connections
    connections.open_browser = approve_in_browser(school.fake, urls)
    info = connections.connect_with_browser(school.head, school.account_id, school.fake.url)

    registered = school.fake.seen("POST", "/api/v1/apps")[0]
    assert registered.one("scopes") == " ".join(SCOPES)
    redirect = registered.one("redirect_uris") or ""
    assert redirect.startswith("http://127.0.0.1:") and redirect.endswith("/callback")
    query = parse_qs(urlsplit(urls[0]).query)
    assert query["code_challenge_method"] == ["S256"] and query["redirect_uri"] == [redirect]
    assert query["scope"] == [" ".join(SCOPES)]
    exchange = school.fake.seen("POST", "/oauth/token")[0]
    assert exchange.one("code_verifier") and exchange.one("grant_type") == "authorization_code"
    assert info.revocable and info.scopes == SCOPES
    new_token = next(t for t in school.fake.tokens if t != school.fake.token)
    client_secret = next(iter(school.fake.apps.values()))["secret"]
    assert sorted(memory_keyring.items.values()) == sorted([new_token, client_secret])


def test_a_refused_sign_in_connects_nothing(school: School, memory_keyring) -> None:
    def refuse(url: str) -> bool:
        query = parse_qs(urlsplit(url).query)
        target = query["redirect_uri"][0]
        with httpx.Client() as browser:
            forged = browser.get(target, params={"code": "stolen", "state": "wrong"})
            assert forged.status_code == 400  # a wrong state is ignored, the wait goes on
            browser.get(
                target,
                params={
                    "error": "access_denied",
                    "state": query["state"][0],
                    "error_description": "The resource owner denied the request",
                },
            )
        return True

    connections = school.ctx.connectors.connections
    connections.open_browser = refuse
    with pytest.raises(ConnectorError, match=r"did not grant access.*denied the request"):
        connections.connect_with_browser(school.head, school.account_id, school.fake.url)
    assert school.fake.seen("POST", "/oauth/token") == []
    assert memory_keyring.items == {} and connections.all() == []


def test_no_answer_from_the_browser_times_out(school: School, memory_keyring) -> None:
    connections = school.ctx.connectors.connections
    connections.open_browser = lambda url: True
    with pytest.raises(ConnectorError, match="no answer from the browser"):
        connections.connect_with_browser(school.head, school.account_id, school.fake.url, timeout=0.2)
    assert memory_keyring.items == {}


def test_disconnect_revokes_the_token_and_forgets_it(school: School, memory_keyring) -> None:
    connections = school.ctx.connectors.connections
    connections.open_browser = approve_in_browser(school.fake, [])
    connections.connect_with_browser(school.head, school.account_id, school.fake.url)
    token = next(t for t in school.fake.tokens if t != school.fake.token)
    connections.disconnect(school.head, school.account_id)
    assert school.fake.revoked == [token]
    assert memory_keyring.items == {} and connections.all() == []
    with school.ctx.session_factory() as session:
        actions = list(session.execute(select(AuditEntry.action)).scalars())
    assert "connector.connect" in actions and "connector.disconnect" in actions


def test_disconnect_that_cannot_revoke_changes_nothing_unless_local_only(
    school: School, memory_keyring, pauses
) -> None:
    school.connect()
    connections = school.ctx.connectors.connections
    with pytest.raises(ConnectorError, match=r"cannot revoke it.*Nothing was changed"):
        connections.disconnect(school.head, school.account_id)
    assert len(memory_keyring.items) == 1 and len(connections.all()) == 1
    connections.disconnect(school.head, school.account_id, local_only=True)
    assert memory_keyring.items == {} and connections.all() == []


def test_reconnecting_replaces_the_old_token_and_keeps_the_cursor(school: School, memory_keyring) -> None:
    school.fake.add_mention("hello")
    school.connect()
    school.sync()
    school.fake.tokens["second"] = school.fake.tokens[school.fake.token]
    school.connect("second")
    assert list(memory_keyring.items.values()) == ["second"]
    with school.ctx.session_factory() as session:
        assert session.execute(select(Connection.cursor)).scalar_one() is not None


def test_who_may_connect_and_what(school: School, people) -> None:
    connections = school.ctx.connectors.connections
    with pytest.raises(PermissionDenied, match="administrator"):
        connections.connect_with_token(people["mod1"], school.account_id, school.fake.url, school.fake.token)
    with pytest.raises(InputError, match="https"):
        connections.connect_with_token(school.head, school.account_id, "http://mastodon.example", "t")
    for bad in ("", "ftp://x.example", "https://user:pw@x.example", "https://x.example/path?q=1"):
        with pytest.raises(InputError, match="instance"):
            instance_url(bad)
    assert instance_url("mastodon.example") == "https://mastodon.example"
    assert instance_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    with pytest.raises(InputError, match="without spaces"):
        connections.connect_with_token(school.head, school.account_id, school.fake.url, "two words")
