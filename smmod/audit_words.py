"""Audit actions in people's words: "credential.reveal_history" → "Password history revealed".

The trail stores machine keys (they are in every ``--json`` document and CSV export, and
filters match them); people reading the trail see these names instead. Every action smmod
records has one (tests/audit/test_action_words.py reads the code to make sure); an action
from a newer version, unknown here, reads as a tidy form of its key.
"""

from __future__ import annotations

ACTION_WORDS: dict[str, str] = {
    # Accounts
    "account.draft": "Account drafted",
    "account.edit": "Account edited",
    "account.submit": "Account submitted for approval",
    "account.withdraw": "Account withdrawn to a draft",
    "account.approve": "Account approved",
    "account.reject": "Account rejected",
    "account.activate": "Account activated",
    "account.close": "Account closed",
    "account.register_existing": "Existing account registered",
    "account.import": "Existing account imported",
    "account.transfer": "Account handed over",
    # Passwords and other credentials
    "credential.add": "Password stored",
    "credential.edit": "Password details edited",
    "credential.reveal": "Password revealed",
    "credential.copy": "Password copied",
    "credential.reveal_history": "Password history revealed",
    "credential.rotate": "Password change started",
    "credential.confirm_rotation": "Password change confirmed",
    "credential.cancel_rotation": "Password change cancelled",
    "credential.delete": "Password deleted",
    "credential.weak_override": "Weak password kept",
    # Connections to the platforms
    "connector.connect": "Platform connected",
    "connector.disconnect": "Platform disconnected",
    "connector.sync": "Platform synced",
    "connector.action_queued": "Platform action queued",
    "connector.outbox_pending": "Platform action retried",
    "connector.outbox_cancelled": "Platform action cancelled",
    "connector.photos": "Comment photos checked",
    "connector.photos_pruned": "Old comment photos deleted",
    # The database itself
    "database.new_register": "New register started",
    "database.restored": "Database restored from a backup",
    "server.init": "Shared database set up",
    "settings.set": "Setting changed",
    "settings.migrated": "Setting moved into the database",
    # Do-not-publish register and image checks
    "dnp.add": "Pupil added to do-not-publish list",
    "dnp.photo_add": "Pupil's reference photo added",
    "dnp.consent_recorded": "Biometric consent recorded",
    "dnp.consent_withdrawn": "Biometric consent withdrawn",
    "dnp.remove": "Pupil taken off do-not-publish list",
    "image.check": "Images checked",
    "image.face_confirmed": "Face match confirmed",
    "image.no_people_confirmed": "No people confirmed in image",
    "image.confirmations_kept": "Earlier image answers kept",
    "image.export": "Checked images exported",
    # Handovers when staff leave
    "handover.start": "Handover started",
    "handover.save": "Handover plan saved",
    "handover.discard": "Handover plan discarded",
    "handover.apply": "Handover carried out",
    "handover.task_done": "Handover step done",
    "handover.token_revoked": "Platform access revoked",
    "handover.token_not_revoked": "Platform access not revoked",
    "incident.reassign": "Incident handed over",
    "queue.reassign": "Comment handed over",
    "staff.handover": "Staff member handed over",
    # Moderating comments
    "moderation.acknowledge": "Comment acknowledged",
    "moderation.reply": "Reply sent",
    "moderation.hide": "Comment hidden",
    "moderation.delete": "Comment deleted",
    "moderation.block": "Author blocked",
    "moderation.mute": "Author muted",
    "moderation.report_to_platform": "Reported to the platform",
    "moderation.escalate": "Comment escalated",
    "moderation.resolve": "Comment resolved",
    "moderation.reopen": "Comment reopened",
    "moderation.flag_marked_wrong": "Flag marked wrong",
    "moderation.rescreened": "Comments screened again",
    "moderation.incident_opened": "Incident opened",
    "moderation.incident_items_added": "Comments added to incident",
    "moderation.incident_note": "Incident note added",
    "moderation.incident_exported": "Incident exported",
    "moderation.incident_updated": "Incident updated",
    "moderation.incident_lead_changed": "Incident lead changed",
    "moderation.incident_closed": "Incident closed",
    "moderation.incident_reopened": "Incident reopened",
    "moderation.rule_added": "Screening rule added",
    "moderation.rule_changed": "Screening rule changed",
    "moderation.rule_deleted": "Screening rule deleted",
    "moderation.rule_enabled": "Screening rule turned on",
    "moderation.rule_disabled": "Screening rule turned off",
    "moderation.rule_moved": "Screening rule moved",
    "moderation.rules_imported": "Screening rules imported",
    "moderation.template_saved": "Reply template saved",
    "moderation.template_reset": "Reply template reset",
    "moderation.wordlist_saved": "Word list saved",
    "moderation.wordlist_reset": "Word list reset",
    # Posts
    "post.draft": "Post drafted",
    "post.change": "Post changed",
    "post.signed_off": "Post signed off",
    "post.refused": "Post refused",
    "post.export": "Post exported",
    "post.published": "Post published",
    "post.publish_failed": "Post failed to publish",
    "post.taken_down": "Post taken down",
    "post.delete": "Post deleted",
    "post.undelete": "Post restored",
    # The comment queue
    "queue.import": "Comments imported",
    "queue.add_manual": "Comment added by hand",
    "queue.claim": "Comment claimed",
    "queue.release": "Comment released",
    "queue.first_response": "First response recorded",
    "queue.feed_add": "Feed added",
    "queue.feed_update": "Feed changed",
    "queue.feed_remove": "Feed removed",
    "queue.feed_poll": "Feed read",
    # Staff
    "staff.init": "First person set up",
    "staff.add": "Staff member added",
    "staff.edit": "Staff member edited",
    "staff.deactivate": "Staff member deactivated",
    "staff.reactivate": "Staff member reactivated",
    "staff.import": "Staff imported",
    "staff.login": "Login given",
    "staff.titles.set": "Job title roles set",
    "staff.titles.remove": "Job title removed",
    # The shared password vault
    "vault.register": "Vault key registered",
    "vault.create": "Shared vault created",
    "vault.grant": "Vault access granted",
    "vault.revoke": "Vault access taken away",
    "vault.recover": "Shared vault recovered",
    "vault.migrate": "Passwords moved to shared vault",
    "vault.members": "Vault members listed",
    "vault.list": "Vault passwords listed",
    "vault.generate": "Password generated",
    "vault.history": "Password history listed",
}


def tidy_key(action: str) -> str:
    """An action unknown here, said as tidily as its key allows:
    "image.no_people_later" → "Image: no people later"."""
    words = [part.replace("_", " ").strip() for part in str(action).split(".")]
    words = [w for w in words if w]
    if not words:
        return "Unnamed action"
    if len(words) == 1:
        return words[0][:1].upper() + words[0][1:]
    area = " ".join(words[:-1])
    return f"{area[:1].upper()}{area[1:]}: {words[-1]}"


def action_words(action: str) -> str:
    """The action in people's words; never fails, whatever the key."""
    return ACTION_WORDS.get(action) or tidy_key(action)
