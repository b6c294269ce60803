"""What can go wrong talking to a platform, in words a moderator can act on.

Every error says whether trying again later can help (``retryable``) and whether the
platform may have done the thing anyway (``maybe_done``: the request may have reached
it before the answer was lost). The outbox uses both to decide between retrying,
checking the platform first, and asking a person. No message ever holds a token.
"""

from __future__ import annotations

from datetime import datetime

from smmod.errors import SmmodError


class ConnectorError(SmmodError):
    """A platform call that did not succeed."""

    retryable = False

    def __init__(self, message: str, *, maybe_done: bool = False) -> None:
        super().__init__(message)
        self.maybe_done = maybe_done


class NotConnected(ConnectorError):
    """The account has no live connection (never connected, or disconnected)."""


class TokenRefused(ConnectorError):
    """401: the token expired or was revoked; only connecting again helps."""


class PermissionMissing(ConnectorError):
    """403: the token lacks the permission (scope) this needs."""


class Gone(ConnectorError):
    """404: the status or account no longer exists on the platform."""


class Rejected(ConnectorError):
    """4xx other than the above: the platform refused the request as it stands."""


class BadResponse(ConnectorError):
    """The platform answered with something that is not what its API documents."""

    retryable = True


class RateLimited(ConnectorError):
    """429: wait until ``retry_at`` (from Retry-After) before asking again."""

    retryable = True

    def __init__(self, message: str, *, retry_at: datetime | None, maybe_done: bool = False) -> None:
        super().__init__(message, maybe_done=maybe_done)
        self.retry_at = retry_at


class ServerError(ConnectorError):
    """5xx: the platform had a problem; try again later."""

    retryable = True


class NetworkError(ConnectorError):
    """No answer: no network, a refused connection or a timeout."""

    retryable = True
