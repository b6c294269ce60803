"""New secrets for a handover: staged beside the real ones, swapped in last, undone on failure.

The order is what keeps "all or nothing" true for the keyring as well as the database:

1. every new secret is staged (``key + ':staged'``); the real secrets are untouched;
2. the database work is done and flushed (not yet committed);
3. the staged secrets are swapped in, remembering each previous secret in memory only;
4. the database commits.

A failure at any point undoes what the keyring did (previous secrets put back, staged
copies removed) and the database rolls back, so both are as they were. The previous
secrets are held only for the few milliseconds between the swap and the commit, and
never logged. If the keyring refuses to put a previous secret back, ``undo`` says which
credentials, and applying reports them by name instead of failing as if all was undone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from smmod.errors import NotFound
from smmod.vault import StagedWrite, Vault

log = logging.getLogger("smmod.handover")


class StagedSecrets:
    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._staged: list[StagedWrite] = []
        self._labels: dict[str, str] = {}
        self._previous: list[tuple[str, str | None]] = []

    def stage(self, key: str, secret: str, label: str | None = None) -> None:
        """Stage ``secret`` for ``key``; ``label`` names the credential to people
        ("login on @account (platform)") if it cannot be put back after a failure."""
        staged = StagedWrite(key)
        self._staged.append(staged)  # before writing: a half-done write is discarded too
        self._labels[key] = label or f"credential '{key}'"
        self._vault.stage(key, secret)

    def swap_all(self, after_each: Callable[[], None] = lambda: None) -> None:
        for staged in self._staged:
            try:
                previous: str | None = self._vault.get_secret(staged.key)
            except NotFound:
                previous = None
            self._previous.append((staged.key, previous))
            self._vault.commit_staged(staged)
            after_each()

    def _current(self, key: str) -> str | None:
        try:
            return self._vault.get_secret(key)
        except NotFound:
            return None

    def done(self) -> None:
        """The database committed: forget the previous secrets."""
        self._previous.clear()
        self._staged.clear()

    def undo(self) -> tuple[str, ...]:
        """Put every swapped secret back and remove every staged copy; never raises.

        Returns the labels of the credentials whose previous secret could not be put
        back (the keyring refused, or failed): the caller must tell the user, because
        for those the keyring may now hold a new password the platform does not have.
        A staged copy that cannot be removed is only logged: it is not in force.
        """
        not_restored: list[str] = []
        for key, previous in reversed(self._previous):
            try:
                if self._current(key) == previous:
                    continue  # the swap never happened (or was already put back)
                if previous is None:
                    self._vault.delete_secret(key)
                else:
                    self._vault.set_secret(key, previous)
            except NotFound:
                pass
            except Exception as exc:  # one refusal must not stop the others being put back
                log.error("could not put back the previous secret of credential %s after a "
                          "failed handover (%s); check it in the keyring manager", key,
                          type(exc).__name__)
                not_restored.append(self._labels.get(key, f"credential '{key}'"))
        for staged in self._staged:
            try:
                self._vault.discard_staged(staged)
            except Exception as exc:
                log.warning("could not remove the staged copy of credential %s (%s); it holds "
                            "no secret in force", staged.key, type(exc).__name__)
        self.done()
        return tuple(reversed(not_restored))
