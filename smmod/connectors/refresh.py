"""One platform call with the account's token, renewed once if the platform refuses it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from smmod.connectors.errors import TokenRefused
from smmod.connectors.http import ApiClient

if TYPE_CHECKING:
    from smmod.connectors.connections import ConnectionService, Live

T = TypeVar("T")


def with_token(connections: ConnectionService, live: Live, call: Callable[[ApiClient, Live], T]) -> T:
    """Run ``call``; on 401 with a refresh token, renew the token and run it once more.

    Only calls that a 401 stopped before anything was done are run again, and every
    call smmod makes checks the platform's state first, so nothing happens twice.
    """
    try:
        with connections.client(live.api_base, live.token, live.platform) as client:
            return call(client, live)
    except TokenRefused:
        if not live.can_refresh:
            raise
    fresh = connections.live(live.account_id, refresh=True)
    with connections.client(fresh.api_base, fresh.token, fresh.platform) as client:
        return call(client, fresh)
