"""The HTTP layer: timeouts, size limits, 429 and Retry-After, 5xx back-off, untrusted answers."""

from __future__ import annotations

import socket
from datetime import timedelta
from email.utils import format_datetime

import httpx
import pytest

from smmod.connectors.errors import (
    BadResponse,
    Gone,
    NetworkError,
    PermissionMissing,
    RateLimited,
    ServerError,
    TokenRefused,
)
from smmod.connectors.http import ApiClient, retry_at
from smmod.connectors.mastodon.api import MastodonApi
from tests.conftest import SUITE_NOW
from tests.connectors.fake_mastodon import FakeMastodon, Forced

NOTES = "/api/v1/notifications"


def client(fake: FakeMastodon, token: str | None = None, **options: object) -> ApiClient:
    return ApiClient(
        fake.url, platform="Mastodon", token=token or fake.token, now=lambda: SUITE_NOW, **options
    )  # type: ignore[arg-type]


def test_the_tests_cannot_reach_the_network() -> None:
    with pytest.raises(ConnectionRefusedError, match="may not reach the network"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)


def test_an_unreachable_platform_is_a_network_error_saying_nothing_was_sent(fake, pauses) -> None:
    with (
        ApiClient(
            "https://mastodon.invalid.example",
            platform="Mastodon",
            token="t",
            now=lambda: SUITE_NOW,
            retries=0,
        ) as api,
        pytest.raises(NetworkError) as caught,
    ):
        api.get(NOTES)
    assert caught.value.retryable and not caught.value.maybe_done


def test_429_waits_for_retry_after_then_succeeds(fake, pauses) -> None:
    fake.add_mention("hello")
    fake.force("GET", NOTES, Forced(429, b'{"error":"Too many requests"}', {"Retry-After": "7"}))
    with client(fake) as api:
        page = MastodonApi(api).notifications()
    assert [n.status.id for n in page.notifications if n.status] == list(fake.statuses)
    assert pauses == [7.0]
    assert len(fake.seen("GET", NOTES)) == 2


def test_429_with_a_long_retry_after_gives_up_with_the_time_to_come_back(fake, pauses) -> None:
    fake.force("GET", NOTES, Forced(429, b"{}", {"Retry-After": "3600"}))
    with client(fake) as api, pytest.raises(RateLimited) as caught:
        api.get(NOTES)
    assert caught.value.retry_at == SUITE_NOW + timedelta(hours=1)
    assert pauses == [] and len(fake.seen("GET", NOTES)) == 1


def test_retry_after_as_a_date_and_mastodons_reset_header() -> None:
    in_five = format_datetime(SUITE_NOW + timedelta(minutes=5), usegmt=True)
    assert retry_at({"retry-after": in_five}, SUITE_NOW) == SUITE_NOW + timedelta(minutes=5)
    reset = (SUITE_NOW + timedelta(minutes=3)).isoformat().replace("+00:00", "Z")
    assert retry_at({"x-ratelimit-reset": reset}, SUITE_NOW) == SUITE_NOW + timedelta(minutes=3)
    assert retry_at({"retry-after": "soon"}, SUITE_NOW) == SUITE_NOW + timedelta(seconds=60)
    assert retry_at({"retry-after": "99999999"}, SUITE_NOW) == SUITE_NOW + timedelta(days=1)


def test_5xx_on_a_get_is_retried_with_back_off(fake, pauses) -> None:
    fake.force("GET", NOTES, 500, 502, 503)
    with client(fake) as api:
        response = api.get(NOTES)
    assert response.status == 200
    assert pauses == [0.5, 1.0, 2.0]


def test_5xx_that_never_ends_is_a_server_error(fake, pauses) -> None:
    fake.force("GET", NOTES, 500, 500, 500, 500)
    with client(fake) as api, pytest.raises(ServerError, match=r"server error \(500\)"):
        api.get(NOTES)
    assert len(fake.seen("GET", NOTES)) == 4


def test_a_post_that_is_not_repeatable_is_never_sent_twice_after_a_5xx(fake, pauses) -> None:
    fake.force("POST", "/api/v1/reports", 500)
    with client(fake) as api, pytest.raises(ServerError) as caught:
        api.post("/api/v1/reports", {"account_id": "1"}, repeatable=False)
    assert caught.value.maybe_done
    assert len(fake.seen("POST", "/api/v1/reports")) == 1 and pauses == []


def test_401_403_404_say_what_to_do(fake, pauses) -> None:
    with client(fake, token="expired") as api, pytest.raises(TokenRefused, match="connect the account again"):
        api.get(NOTES)
    fake.tokens["narrow"] = "read:statuses"
    with (
        client(fake, token="narrow") as api,
        pytest.raises(PermissionMissing, match="outside the authorized"),
    ):
        api.get(NOTES)
    with client(fake) as api, pytest.raises(Gone, match="no longer exists"):
        api.get("/api/v1/statuses/123")
    assert pauses == []


def test_malformed_json_is_refused(fake, pauses) -> None:
    fake.force("GET", NOTES, *[Forced(200, b'[{"id": "1", "type": ')] * 4)
    with client(fake) as api, pytest.raises(BadResponse, match="not valid JSON"):
        api.get(NOTES)


def test_a_body_over_the_limit_is_refused_even_without_a_length(fake, pauses) -> None:
    big = b"[" + b'"x",' * 5000 + b'"x"]'
    fake.force("GET", NOTES, Forced(200, big), Forced(200, big, {"Content-Length": str(len(big))}))
    with client(fake, max_bytes=10_000, retries=0) as api:
        with pytest.raises(BadResponse, match="limit is 10,000"):
            api.get(NOTES)
        with pytest.raises(BadResponse, match="10,000"):
            api.get(NOTES)


def test_a_response_of_the_wrong_shape_names_the_field(fake, pauses) -> None:
    fake.force("GET", NOTES, Forced(200, b'[{"id": "5", "type": "mention", "status": {"id": "9"}}]'))
    with client(fake) as api, pytest.raises(BadResponse, match=r"status 9: 'created_at' is missing"):
        MastodonApi(api).notifications()
    fake.force("GET", NOTES, Forced(200, b'{"error": "not a list"}'))
    with client(fake) as api, pytest.raises(BadResponse, match="expected a list"):
        MastodonApi(api).notifications()
    fake.force("GET", NOTES, Forced(200, b'[{"id": "../../admin", "type": "mention"}]'))
    with client(fake) as api, pytest.raises(BadResponse, match="not a valid id"):
        MastodonApi(api).notifications()


def test_links_to_another_site_are_ignored_and_never_followed(fake, pauses) -> None:
    fake.add_mention("one")
    fake.link_origin = "https://evil.example"
    with client(fake) as api:
        page = MastodonApi(api).notifications()
        assert page.links == {}
        with pytest.raises(BadResponse, match="another site"):
            api.get("https://evil.example/api/v1/notifications")


def test_the_token_goes_only_in_the_authorization_header(fake, pauses) -> None:
    with client(fake) as api:
        api.get(NOTES, [("limit", "1")])
    seen = fake.seen("GET", NOTES)[0]
    assert seen.headers["authorization"] == f"Bearer {fake.token}"
    assert fake.token not in str(seen.query)


def test_redirects_are_not_followed(fake, pauses) -> None:
    fake.force("GET", NOTES, Forced(302, b"", {"Location": "https://evil.example/steal"}))
    with client(fake) as api, pytest.raises(Exception) as caught:
        api.get(NOTES)
    assert not isinstance(caught.value, httpx.HTTPError)
    assert "302" in str(caught.value)


def test_a_retry_remembers_that_an_earlier_try_may_have_got_through(fake, pauses) -> None:
    fake.force("POST", "/api/v1/statuses", 504, 503, 503, 503)
    with client(fake) as api, pytest.raises(ServerError) as caught:
        api.post("/api/v1/statuses", {"status": "x"}, headers={"Idempotency-Key": "k"}, repeatable=True)
    assert caught.value.maybe_done  # the 504 may have posted it, whatever the last 503 says
    assert pauses == [0.5, 1.0, 2.0]
