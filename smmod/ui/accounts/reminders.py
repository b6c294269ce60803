"""The credential reminders as people read them: at start-up and on the Accounts page."""

from __future__ import annotations

from smmod.accounts import Reminder

SHOWN = 6


def reminder_text(reminders: list[Reminder]) -> str:
    """Credentials to rotate (overdue or due within 7 days) or to confirm, in one paragraph."""
    if not reminders:
        return ""
    lines = "\n".join(f"• {r.message}" for r in reminders[:SHOWN])
    more = f"\n…and {len(reminders) - SHOWN} more" if len(reminders) > SHOWN else ""
    return f"Passwords need attention ({len(reminders)}):\n{lines}{more}"
