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
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.connectors.errors import ConnectorError, NotConnected
from smmod.connectors.http import ApiClient
from smmod.connectors.mastodon import auth
from smmod.connectors.mastodon.api import MastodonApi, instance_url
from smmod.connectors.mastodon.connector import Credentials
from smmod.connectors.oauth import Grant, OAuthClient
from smmod.errors import InputError, NotFound, SmmodError
from smmod.identity import Actor, require
from smmod.platforms import PLATFORM_LABELS, platform_label
from smmod.queue.access import account_ref
from smmod.queue.records import AccountRef
from smmod.store.engine import SessionFactory
from smmod.store.models import Connection
from smmod.vault import Vault

log = logging.getLogger("smmod.connectors")

PLATFORMS = ("mastodon", "youtube", "facebook", "instagram")
# The platforms smmod connects to, by their names (smmod.platforms has them all).
LABELS = {p: PLATFORM_LABELS[p] for p in ("mastodon", "youtube", "facebook", "instagram")}
REFRESH_AHEAD = timedelta(minutes=2)  # refresh a token this close to its expiry before using it
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
    token_expires_at: datetime | None = None
    platform_account_id: str | None = None

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
            "platform_account_id": self.platform_account_id,
            "token_expires_at": self.token_expires_at.isoformat() if self.token_expires_at else None,
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
        bool(row.client_id and row.client_secret_key) or bool(row.refresh_token_key),
        # YouTube's access token lasts an hour and renews itself: what matters is the refresh.
        None if row.refresh_token_key else row.token_expires_at,
        row.platform_account_id,
    )


@dataclass(frozen=True)
class Live:
    """What one call to a platform needs; the token is read from the keyring just before."""

    account_id: int
    platform: str
    api_base: str
    token: str
    handle: str
    platform_account_id: str | None
    can_refresh: bool

    def __repr__(self) -> str:
        # machine form
        return f"Live(account_id={self.account_id!r}, platform={self.platform!r}, api_base={self.api_base!r})"


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

    def client(self, api_base: str, token: str | None = None, platform: str = "mastodon") -> ApiClient:
        from smmod.connectors.graph.api import GraphClient
        from smmod.connectors.youtube.api import YouTubeClient

        kind = {"youtube": YouTubeClient, "facebook": GraphClient, "instagram": GraphClient}.get(
            platform, ApiClient
        )
        return kind(
            api_base,
            platform=LABELS.get(platform, platform),
            token=token,
            now=self._now,
            **self.client_options,
        )

    def live(self, account_id: int, *, refresh: bool = False) -> Live:
        """The account's token, renewed first when it is about to expire (or ``refresh``)."""
        with self._sf() as session:
            row = self._row(session, account_id)
            account = account_ref(session, account_id)
            expires, has_refresh = row.token_expires_at, bool(row.refresh_token_key)
            base, token_key, platform_id = row.api_base, row.token_key, row.platform_account_id
        if has_refresh and (refresh or (expires is not None and expires <= self._now() + REFRESH_AHEAD)):
            self.refresh(account_id)
        return Live(
            account_id,
            account.platform,
            base,
            self._vault().get_secret(token_key),
            account.handle,
            platform_id,
            has_refresh,
        )

    def live_for(self, platform: str, handle: str) -> Live:
        from smmod.queue.access import resolve_account

        with self._sf() as session:
            account = resolve_account(session, f"{platform}:{handle}")  # machine form
        return self.live(account.id)

    def refresh(self, account_id: int) -> None:
        """YouTube: a new access token from the refresh token, written over the old one."""
        from smmod.connectors.youtube import auth as youtube_auth

        with self._sf() as session:
            row = self._row(session, account_id)
            label = account_ref(session, account_id).label
            keys = (row.token_key, row.refresh_token_key, row.client_secret_key)
            base, client_id = row.api_base, row.client_id
        token_key, refresh_key, secret_key = keys
        if not refresh_key or not secret_key or not client_id:
            raise NotConnected(f"{label}: smmod has no refresh token for it; connect it again")
        vault = self._vault()
        oauth = OAuthClient(client_id, vault.get_secret(secret_key))
        token, new_refresh, expires = youtube_auth.refresh(
            base, oauth, vault.get_secret(refresh_key), now=self._now, client_options=self.client_options
        )
        vault.set_secret(token_key, token)
        if new_refresh:
            vault.set_secret(refresh_key, new_refresh)
        with self._sf.begin() as session:
            self._row(session, account_id).token_expires_at = expires
        log.info("renewed the YouTube access token of %s", label)

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

    def connect_youtube(
        self,
        actor: Actor,
        account_id: int,
        *,
        api_base: str | None = None,
        oauth: OAuthClient | None = None,
        token: str | None = None,
        refresh_token: str | None = None,
        timeout: float = 300.0,
    ) -> ConnectionInfo:
        """Sign in with Google in the browser (``oauth`` given, no ``token``), or keep a token
        made elsewhere (with its refresh token and ``oauth``, so it can be renewed)."""
        from smmod.connectors.youtube import auth as youtube_auth
        from smmod.connectors.youtube.api import DEFAULT_API_BASE, SCOPES, YouTubeApi

        base = self._check(actor, account_id, api_base or DEFAULT_API_BASE, platform="youtube")
        if token is None:
            if oauth is None:
                raise InputError(
                    "give the Google client file (--client-file) to sign in", field="client_file"
                )
            grant = youtube_auth.sign_in(
                base,
                oauth,
                self.open_browser,
                now=self._now,
                client_options=self.client_options,
                timeout=timeout,
            )
            method = "browser"
        else:
            token = _one_line(token, "token")
            if refresh_token is not None:
                refresh_token = _one_line(refresh_token, "refresh_token")
                if oauth is None:
                    raise InputError(
                        "a refresh token needs the client file it belongs to", field="client_file"
                    )
            grant = Grant(
                token,
                SCOPES,
                oauth.client_id if oauth and refresh_token else None,
                oauth.client_secret if oauth and refresh_token else None,
                refresh_token,
                self._now() + timedelta(minutes=55) if refresh_token else None,
            )
            method = "token"
        with self.client(base, grant.token, "youtube") as client:
            channel_id, title, custom = YouTubeApi(client).my_channel()
        self._same_account(account_id, custom, f"the YouTube channel {title!r} ({custom or channel_id})")
        grant = Grant(
            grant.token,
            grant.scopes,
            grant.client_id,
            grant.client_secret,
            grant.refresh_token,
            grant.expires_at,
            channel_id,
        )
        return self._store(actor, account_id, base, grant, method=method)

    def connect_graph(
        self,
        actor: Actor,
        account_id: int,
        *,
        api_base: str | None = None,
        oauth: OAuthClient | None = None,
        token: str | None = None,
        page_id: str | None = None,
        timeout: float = 300.0,
    ) -> ConnectionInfo:
        """A Facebook Page or Instagram professional account: Facebook Login in the browser,
        or a Page access token made elsewhere."""
        from smmod.connectors.graph import auth as graph_auth
        from smmod.connectors.graph.api import DEFAULT_API_BASE

        with self._sf() as session:
            platform = account_ref(session, account_id).platform
        base = self._check(actor, account_id, api_base or DEFAULT_API_BASE, platform=platform)
        if token is None:
            if oauth is None:
                raise InputError(
                    "give the Meta app's client file (--client-file) to sign in", field="client_file"
                )
            grant, name = graph_auth.sign_in(
                base,
                platform,
                oauth,
                self.open_browser,
                page_id=page_id,
                now=self._now,
                client_options=self.client_options,
                timeout=timeout,
            )
            method = "browser"
        else:
            with self.client(base, _one_line(token, "token"), platform) as client:
                grant, name = graph_auth.check_page_token(client, platform, token.strip(), page_id)
            method = "token"
        if platform == "instagram":
            self._same_account(account_id, name, f"the Instagram account @{name}")
        return self._store(actor, account_id, base, grant, method=method)

    def _same_account(self, account_id: int, platform_handle: str, described: str) -> None:
        """Refuse a token for another channel or account than the one in the register."""
        with self._sf() as session:
            account = account_ref(session, account_id)
        ours = account.handle.lstrip("@").casefold()
        if platform_handle and platform_handle.lstrip("@").casefold() != ours:
            raise InputError(
                f"the token is for {described}, not {account.display}; sign in as {account.handle}",
                field="token",
            )

    def _check(self, actor: Actor, account_id: int, instance: str, *, platform: str = "mastodon") -> str:
        require(actor, "administrator", doing="connect accounts to their platforms")
        try:
            base = instance_url(instance)
        except InputError as error:
            if platform == "mastodon":
                raise
            raise InputError(error.reason.replace("instance", "API"), field="api_base") from None
        with self._sf() as session:
            account = account_ref(session, account_id)
        if account.platform != platform and account.platform in PLATFORMS:
            raise InputError(
                f"{account.display} is on {LABELS[account.platform]}, not {LABELS.get(platform, platform)}",
                field="account",
            )
        if account.platform not in PLATFORMS:
            raise InputError(
                f"{account.display} is on {platform_label(account.platform)}; smmod connects only to "
                f"{', '.join(PLATFORMS)} (others stay on files and feeds)",
                field="account",
            )
        if account.status not in CONNECTABLE_STATUSES:
            raise InputError(
                f"{account.display} is {account.status}; only approved or active accounts connect",
                field="account",
            )
        self._vault().ensure_secure()  # say so before the person signs in, not after
        return base

    def _store(
        self, actor: Actor, account_id: int, base: str, grant: Grant, *, method: str
    ) -> ConnectionInfo:
        vault = self._vault()
        token_key = vault.new_key()
        secret_key = vault.new_key() if grant.client_secret else None
        refresh_key = vault.new_key() if grant.refresh_token else None
        vault.set_secret(token_key, grant.token)
        old_keys: list[str] = []
        try:
            if secret_key and grant.client_secret:
                vault.set_secret(secret_key, grant.client_secret)
            if refresh_key and grant.refresh_token:
                vault.set_secret(refresh_key, grant.refresh_token)
            with self._sf.begin() as session:
                account = account_ref(session, account_id)
                row = session.execute(
                    select(Connection).where(Connection.account_id == account_id)
                ).scalar_one_or_none()
                if row is None:
                    row = Connection(account_id=account_id, platform=account.platform, last_new_count=0)
                    session.add(row)
                else:  # connecting again keeps the cursor: sync goes on where it was
                    old_keys = [k for k in (row.token_key, row.client_secret_key, row.refresh_token_key) if k]
                row.api_base = base
                row.token_key = token_key
                row.client_id = grant.client_id
                row.client_secret_key = secret_key
                row.refresh_token_key = refresh_key
                row.token_expires_at = grant.expires_at
                row.platform_account_id = grant.platform_account_id
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
            self._forget(vault, [k for k in (token_key, secret_key, refresh_key) if k])
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
            keys = [k for k in (row.token_key, row.client_secret_key, row.refresh_token_key) if k]
            token_key, secret_key, client_id = row.token_key, row.client_secret_key, row.client_id
            refresh_key = row.refresh_token_key
        vault = self._vault()
        if not local_only:
            try:
                self._revoke(info, vault, token_key, secret_key, refresh_key, client_id)
            except ConnectorError as error:
                raise ConnectorError(
                    f"{error} Nothing was changed. To forget the connection anyway, add --local-only "
                    "and revoke smmod's access on the platform yourself."
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

    def _revoke(
        self,
        info: ConnectionInfo,
        vault: Vault,
        token_key: str,
        secret_key: str | None,
        refresh_key: str | None,
        client_id: str | None,
    ) -> None:
        if info.platform == "youtube":
            from smmod.connectors.youtube import auth as youtube_auth

            token = vault.get_secret(refresh_key or token_key)  # revoking the refresh token ends the grant
            youtube_auth.revoke(info.api_base, token, now=self._now, client_options=self.client_options)
        elif info.platform in ("facebook", "instagram"):
            from smmod.connectors.graph import auth as graph_auth

            with self.client(info.api_base, vault.get_secret(token_key), info.platform) as client:
                graph_auth.revoke(client, info.platform)
        else:
            token = vault.get_secret(token_key)
            secret = vault.get_secret(secret_key) if secret_key else None
            with self.client(info.api_base) as client:
                auth.revoke(client, token, client_id, secret)

    @staticmethod
    def _forget(vault: Vault, keys: list[str]) -> None:
        for key in keys:
            try:
                vault.delete_secret(key)
            except NotFound:
                pass
            except SmmodError:
                log.warning("could not remove keyring entry %s; remove it with the keyring manager", key)


def _one_line(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value or any(c.isspace() for c in value) or len(value) > 4000:
        raise InputError(
            f"the {field.replace('_', ' ')} must be one line of text, without spaces", field=field
        )
    return value
