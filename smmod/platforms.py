"""Platform names as people read them ("Facebook", "YouTube"), for services and the UI alike.

The database, the account syntax people type ("facebook:brookfieldprimary") and the
documented JSON formats keep the lower-case platform key; everything written for a
person goes through ``platform_label`` or ``account_label``.
"""

from __future__ import annotations

PLATFORM_LABELS = {
    "facebook": "Facebook", "x": "X", "instagram": "Instagram", "youtube": "YouTube",
    "linkedin": "LinkedIn", "tiktok": "TikTok", "mastodon": "Mastodon", "other": "Other",
}


def platform_label(platform: str) -> str:
    """``"youtube"`` → "YouTube" (an unknown key is shown as it is)."""
    return PLATFORM_LABELS.get(platform, platform)


def account_label(platform: str, handle: str) -> str:
    """``("facebook", "brookfieldprimary")`` → "Facebook: brookfieldprimary"."""
    return f"{platform_label(platform)}: {handle}"


def handle_label(platform: str, handle: str) -> str:
    """``("facebook", "brookfieldprimary")`` → "brookfieldprimary (Facebook)"."""
    return f"{handle} ({platform_label(platform)})"


def readable_handle_label(label: str) -> str:
    """The machine form of ``--json`` documents, "brookfieldprimary (facebook)", as people
    read it: "brookfieldprimary (Facebook)". Anything else is returned as it is."""
    handle, sep, rest = label.rpartition(" (")
    if not sep or not rest.endswith(")"):
        return label
    return handle_label(rest[:-1], handle)
