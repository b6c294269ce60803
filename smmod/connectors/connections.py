"""Connecting an account to its platform, and disconnecting it (tokens in the keyring only).

The token and the OAuth client's secret are written to the keyring before the database
row that names them, and the row is written in one transaction with its audit entry;
if that fails the new secrets are removed again. Disconnecting revokes the token on
the platform first, so a disconnected account leaves no working token behind.
"""

from __future__ import annotations

import logging
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.connectors.errors import ConnectorError, NotConnected
from smmod.connectors.http import ApiClient
from smmod.connectors.mastodon import auth
from smmod.connectors.mastodon.api import MastodonApi, instance_url
from smmod.connectors.mastodon.connector import Credentials
from smmod.errors import InputError, NotFound, SmmodError
from smmod.identity import Actor, require
from smmod.queue.access import account_ref
from smmod.queue.records import AccountRef
from smmod.store.engine import SessionFactory
from smmod.store.models import Connection
from smmod.vault import Vault

log = logging.getLogger("smmod.connectors")

PLATFORMS = ("mastodon",)
CONNECTABLE_STATUSES = ("approved", "active")


@dataclass(frozen=True)
class ConnectionInfo:
    account_id: int
    account: str
    platform: str
    api_base: str
    scopes: tuple[str, ...]
    connected_at: datetime
    last_sync_at: datetime | None
    last_ok_at: datetime | None
    last_error: str | None
    last_new_count: int
    revocable: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "platform": self.platform,
            "api_base": self.api_base,
            "scopes": list(self.scopes),
            "connected_at": self.connected_at.isoformat(),
            "last_sync_at": self.last_sync_at.isoformat() if self.last_sync_at else None,
            "last_ok_at": self.last_ok_at.isoformat() if self.last_ok_at else None,
            "last_error": self.last_error,
            "last_new_count": self.last_new_count,
        }


def _info(row: Connection, account: AccountRef) -> ConnectionInfo:
    return ConnectionInfo(
        account.id,
        account.label,
        row.platform,
        row.api_base,
        tuple(row.scopes.split()),
        row.connected_at,
        row.last_sync_at,
        row.last_ok_at,
        row.last_error,
        row.last_new_count,
        bool(row.client_id and row.client_secret_key),
    )


class ConnectionService:
    def __init__(
        self,
        session_factory: SessionFactory,
        vault: Callable[[], Vault],
        *,
        now: Callable[[], datetime],
        open_browser: Callable[[str], object] | None = None,
        client_options: dict[str, Any] | None = None,
    ) -> None:
        self._sf = session_factory
        self._vault = vault
        self._now = now
        self.open_browser: Callable[[str], object] = open_browser or (lambda url: webbrowser.open(url))
        self.client_options: dict[str, Any] = client_options or {}

    def client(self, api_base: str, token: str | None = None) -> ApiClient:
        return ApiClient(api_base, platform="Mastodon", token=token, now=self._now, **self.client_options)

    # -- reading ---------------------------------------------------------------------
    def all(self) -> list[ConnectionInfo]:
        with self._sf() as session:
            rows = session.execute(select(Connection).order_by(Connection.id)).scalars().all()
            return [_info(row, account_ref(session, row.account_id)) for row in rows]

    def get(self, account_id: int) -> ConnectionInfo:
        with self._sf() as session:
            row = self._row(session, account_id)
            return _info(row, account_ref(session, account_id))

    def credentials(self, account_id: int) -> Credentials:
        """The token, read from the keyring just before a call; never stored elsewhere."""
        with self._sf() as session:
            row = self._row(session, account_id)
            account = account_ref(session, account_id)
            api_base, token_key = row.api_base, row.token_key
        return Credentials(api_base, self._vault().get_secret(token_key), account.handle)

    def credentials_for_handle(self, handle: str) -> Credentials:
        from smmod.queue.access import resolve_account

        with self._sf() as session:
            account = resolve_account(session, f"mastodon:{handle}")
        return self.credentials(account.id)

    @staticmethod
    def _row(session: Session, account_id: int) -> Connection:
        row = session.execute(
            select(Connection).where(Connection.account_id == account_id)
        ).scalar_one_or_none()
        if row is None:
            label = account_ref(session, account_id).label
            raise NotConnected(f"{label} is not connected; connect it with 'smmod connect'")
        return row

    # -- connecting ------------------------------------------------------------------
    def connect_with_token(self, actor: Actor, account_id: int, instance: str, token: str) -> ConnectionInfo:
        """Keep a token made elsewhere (scripted set-up), after checking that it works."""
        token = (token or "").strip()
        if not token or any(c.isspace() for c in token) or len(token) > 2000:
            raise InputError("the token must be one line of text, without spaces", field="token")
        base = self._check(actor, account_id, instance)
        with self.client(base, token) as client:
            MastodonApi(client).notifications(limit=1)  # 401/403 here: refuse to keep it
        return self._store(actor, account_id, base, auth.Grant(token, auth.SCOPES), method="token")

    def connect_with_browser(
        self, actor: Actor, account_id: int, instance: str, *, timeout: float = auth.SIGN_IN_TIMEOUT
    ) -> ConnectionInfo:
        """Register smmod with the instance and sign in through the system browser."""
        base = self._check(actor, account_id, instance)
        with self.client(base) as client:
            grant = auth.sign_in(client, self.open_browser, timeout=timeout)
        return self._store(actor, account_id, base, grant, method="browser")

    def _check(self, actor: Actor, account_id: int, instance: str) -> str:
        require(actor, "administrator", doing="connect accounts to their platforms")
        base = instance_url(instance)
        with self._sf() as session:
            account = account_ref(session, account_id)
        if account.platform not in PLATFORMS:
            raise InputError(
                f"{account.label} is on {account.platform}; smmod connects only to "
                f"{', '.join(PLATFORMS)} (others stay on files and feeds)",
                field="account",
            )
        if account.status not in CONNECTABLE_STATUSES:
            raise InputError(
                f"{account.label} is {account.status}; only approved or active accounts connect",
                field="account",
            )
        self._vault().ensure_secure()  # say so before the person signs in, not after
        return base

    def _store(
        self, actor: Actor, account_id: int, base: str, grant: auth.Grant, *, method: str
    ) -> ConnectionInfo:
        vault = self._vault()
        token_key = vault.new_key()
        secret_key = vault.new_key() if grant.client_secret else None
        vault.set_secret(token_key, grant.token)
        old_keys: list[str] = []
        try:
            if secret_key and grant.client_secret:
                vault.set_secret(secret_key, grant.client_secret)
            with self._sf.begin() as session:
                account = account_ref(session, account_id)
                row = session.execute(
                    select(Connection).where(Connection.account_id == account_id)
                ).scalar_one_or_none()
                if row is None:
                    row = Connection(account_id=account_id, platform=account.platform, last_new_count=0)
                    session.add(row)
                else:  # connecting again keeps the cursor: sync goes on where it was
                    old_keys = [k for k in (row.token_key, row.client_secret_key) if k]
                row.api_base = base
                row.token_key = token_key
                row.client_id = grant.client_id
                row.client_secret_key = secret_key
                row.scopes = " ".join(grant.scopes)
                row.connected_at = self._now()
                row.connected_by = actor.staff_id
                row.last_error = None
                session.flush()
                audit.record(
                    session,
                    actor=actor.username,
                    action="connector.connect",
                    subject=f"account:{account_id}",
                    details={
                        "account": account.label,
                        "api_base": base,
                        "scopes": list(grant.scopes),
                        "method": method,
                    },
                )
                info = _info(row, account)
        except BaseException:
            self._forget(vault, [k for k in (token_key, secret_key) if k])
            raise
        self._forget(vault, old_keys)
        log.info("connected %s to %s", info.account, base)
        return info

    # -- disconnecting ---------------------------------------------------------------
    def disconnect(self, actor: Actor, account_id: int, *, local_only: bool = False) -> ConnectionInfo:
        """Revoke the token on the platform, then forget it; ``local_only`` skips the revoke."""
        require(actor, "administrator", doing="disconnect accounts from their platforms")
        with self._sf() as session:
            row = self._row(session, account_id)
            info = _info(row, account_ref(session, account_id))
            keys = [k for k in (row.token_key, row.client_secret_key) if k]
            token_key, secret_key, client_id = row.token_key, row.client_secret_key, row.client_id
        vault = self._vault()
        if not local_only:
            token = vault.get_secret(token_key)
            secret = vault.get_secret(secret_key) if secret_key else None
            try:
                with self.client(info.api_base) as client:
                    auth.revoke(client, token, client_id, secret)
            except ConnectorError as error:
                raise ConnectorError(
                    f"{error} Nothing was changed. To forget the connection anyway, add --local-only "
                    "and revoke smmod's access on the instance yourself."
                ) from None
        with self._sf.begin() as session:
            row = self._row(session, account_id)
            session.delete(row)
            audit.record(
                session,
                actor=actor.username,
                action="connector.disconnect",
                subject=f"account:{account_id}",
                details={"account": info.account, "revoked": not local_only},
            )
        self._forget(vault, keys)
        return info

    @staticmethod
    def _forget(vault: Vault, keys: list[str]) -> None:
        for key in keys:
            try:
                vault.delete_secret(key)
            except NotFound:
                pass
            except SmmodError:
                log.warning("could not remove keyring entry %s; remove it with the keyring manager", key)
