"""The recovery kit: one page for SLT to print, sign and keep offline (HTML for the PDF)."""

from __future__ import annotations

from html import escape

from smmod import formatting as fmt
from smmod.vault_shared.service import RecoveryKit


def kit_html(kit: RecoveryKit, school_day: str) -> str:
    groups = kit.recovery_key.split("-")
    lines = ["-".join(groups[i:i + 4]) for i in range(0, len(groups), 4)]
    key = "<br>".join(escape(line) for line in lines)
    return (
        "<h1>smmod shared vault: recovery kit</h1>"
        f"<p>Vault {escape(kit.vault_id)}, created by {escape(kit.created_by)} on "
        f"{escape(school_day)}.</p>"
        "<p>This key opens every password in the school's shared vault if every "
        "administrator's keyring is lost. Keep this page offline, somewhere locked, where "
        "two members of SLT can reach it. Never photograph it, scan it or email it.</p>"
        f"<p style='font-family: monospace; font-size: 16pt'>{key}</p>"
        "<p>To use it: an administrator runs <b>smmod vault recover</b> on their computer "
        "and types the key. It is printed once: smmod does not keep it.</p>"
        "<p>Signed (SLT): ______________________ &nbsp; Date: ____________</p>")


def kit_day(kit: RecoveryKit) -> str:
    return fmt.day(kit.created_at.date())
