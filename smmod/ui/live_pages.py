"""Which pages show which tables: what a live change (``smmod.ui.live``) refreshes."""

from __future__ import annotations

from smmod.store.live import EVERYTHING

TABLE_PAGES: dict[str, tuple[str, ...]] = {
    "queue_items": ("queue", "foryou"),
    "actions": ("queue", "incidents", "foryou", "audit"),
    "accounts": ("accounts", "foryou", "handover"),
    "account_roles": ("accounts", "foryou", "handover"),
    "posts": ("publish", "foryou"),
    "incidents": ("incidents", "foryou"),
    "handovers": ("handover", "foryou"),
    "handover_tasks": ("handover", "foryou"),
    "staff": ("staff", "accounts", "handover"),
    "staff_roles": ("staff", "accounts"),
    "policy_settings": ("queue", "reports"),
}


def pages_for(table: str) -> tuple[str, ...]:
    """The pages to catch up when ``table`` changed (every page after a reconnect)."""
    if table == EVERYTHING:
        return tuple(dict.fromkeys(key for keys in TABLE_PAGES.values() for key in keys))
    return TABLE_PAGES.get(table, ())
