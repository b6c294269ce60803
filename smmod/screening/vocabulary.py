"""The closed vocabularies that screening rules may use.

Rules are stored as JSON and edited by schools, so every name a rule can mention is
listed here once: a typo in a stored rule then fails loudly at load time instead of
silently never matching.
"""

from __future__ import annotations

from typing import Final

AUTHOR_KINDS: Final = frozenset({"parent", "student", "staff", "public", "unknown"})
ITEM_KINDS: Final = frozenset({"comment", "reply", "message", "mention", "review"})

FLAGS: Final = frozenset(
    {
        "offensive",
        "discriminatory",
        "threat",
        "personal_data",
        "link",
        "names_protected_pupil",
        "police_advised_suggested",
        "complaint",
        "inappropriate",
        "spam",
        "abuse_of_staff",
        "abuse_of_pupil",
        "sexual_content",
        "self_harm",
        "safeguarding_lead_suggested",
    }
)

POLICE_ADVISED: Final = "police_advised_suggested"
# R9: "police advised" is only ever a suggestion attached to racist content or threats.
POLICE_ADVISED_NEEDS_ONE_OF: Final = frozenset({"discriminatory", "threat"})

SAFEGUARDING_LEAD: Final = "safeguarding_lead_suggested"
# Telling the designated safeguarding lead is suggested alongside these only.
SAFEGUARDING_NEEDS_ONE_OF: Final = frozenset({"self_harm", "sexual_content", "abuse_of_pupil"})

ACTIONS: Final = frozenset(
    {"acknowledge", "reply", "hide", "delete", "block", "report_to_platform", "escalate"}
)
# Only a reply is written from a template (complaints_procedure, request_removal, ...).
TEMPLATE_ACTIONS: Final = frozenset({"reply"})

PERSONAL_DATA_KINDS: Final = ("phone", "email", "postcode", "address", "date_of_birth")

# Built-in checks a rule can use ({"type": "check", "check": ...}).
CHECKS: Final = (
    "threat",
    "hate",
    "abuse_staff",
    "abuse_pupil",
    "offensive",
    "sexual",
    "self_harm",
    "complaint",
)
# The school's word lists each check reads (edit them to change what the check catches).
CHECK_WORDLISTS: Final = {
    "threat": ("threats",),
    "hate": ("discriminatory", "threats"),
    "abuse_staff": ("profanity",),
    "abuse_pupil": ("profanity",),
    "offensive": ("profanity",),
    "complaint": ("complaints",),
}

PRIORITY_NORMAL: Final = 0
PRIORITY_URGENT: Final = 3
