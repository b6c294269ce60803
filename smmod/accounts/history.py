"""An account's story, read back from the audit trail (which is the only record of it)."""

from __future__ import annotations

from typing import Any

from smmod import audit
from smmod.accounts.records import HistoryEntry
from smmod.audit_words import ACTION_WORDS
from smmod.store.engine import SessionFactory
from smmod.wording import count

_PHRASES = {
    "account.draft": "Drafted",
    "account.edit": "Edited",
    "account.submit": "Submitted for SLT approval",
    "account.withdraw": "Withdrawn to a draft",
    "account.approve": "Approved",
    "account.reject": "Rejected",
    "account.activate": "Activated: created on the platform",
    "account.close": "Closed",
    "account.register_existing": "Registered as an existing, running account",
    "credential.add": "Stored credential",
    "credential.edit": "Edited credential",
    "credential.reveal": "Revealed credential",
    "credential.copy": "Copied credential to the clipboard",
    "credential.rotate": "Rotated credential",
    "credential.confirm_rotation": "Confirmed rotation on the platform",
    "credential.delete": "Deleted credential",
    "connector.connect": "Connected to the platform",
    "connector.disconnect": "Disconnected from the platform",
    "connector.sync": "Synced with the platform",
    "queue.import": "Imported comments",
    "handover.task_done": "Handover step done",
}


def _fallback(action: str) -> str:
    """An action unknown here (a newer version's), said in words rather than as its code."""
    return action.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def _summary(action: str, details: dict[str, Any]) -> str:
    phrase = _PHRASES.get(action) or ACTION_WORDS.get(action) or _fallback(action)
    if action.startswith("credential.") and details.get("login_name"):
        phrase += f" '{details['login_name']}'"
    if action == "account.edit" and details:
        phrase += ": " + ", ".join(sorted(details))
    if action == "connector.sync" and "imported" in details:
        phrase += f": {count(int(details['imported']), 'new item')}"
    if action == "queue.import" and details.get("file"):
        phrase += f" from {details['file']}: {count(int(details.get('imported', 0)), 'item')}"
    if action == "account.register_existing" and details.get("accepted_problems"):
        phrase += f" with {count(len(details['accepted_problems']), 'problem')} to fix"
    return phrase


def account_history(session_factory: SessionFactory, subject: str) -> list[HistoryEntry]:
    """Entries about the account and its credentials, oldest first.

    ``audit.history`` matches by prefix, so "account:1" also finds "account:12": keep
    only the account itself and its own credentials ("account:1/credential:…").
    """
    entries = audit.history(session_factory, subject)
    return [HistoryEntry(e.at, e.actor, e.action, _summary(e.action, e.details), e.reason,
                         e.actor_name)
            for e in entries if e.subject == subject or e.subject.startswith(subject + "/")]
