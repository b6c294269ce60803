"""People read platforms by their names ("Facebook: brookfieldprimary", "YouTube"), never by
the lower-case keys the database and the documented JSON formats keep.

Every f-string in smmod that puts a platform key into text must go through
``smmod.platforms.platform_label`` / ``account_label``; the few machine forms (JSON
fields documented in docs/json.md, the "platform:handle" syntax people type, audit
details) say so with a "# machine form" comment on the line or the line above, and a
value that is already a name (a connector's "Mastodon") with "# display name".
"""

from __future__ import annotations

import ast
from pathlib import Path

from smmod.platforms import PLATFORM_LABELS, account_label, platform_label

SMMOD = Path(__file__).resolve().parents[1] / "smmod"
MARKS = ("# machine form", "# display name")  # kept on purpose; already a name


def _is_platform_key(node: ast.expr) -> bool:
    """``platform``, ``x.platform``, ``request.platform``: the raw key, not a label."""
    if isinstance(node, ast.Name):
        return node.id == "platform"
    return isinstance(node, ast.Attribute) and node.attr == "platform"


def raw_platforms_in_text() -> list[str]:
    found = []
    for path in sorted(SMMOD.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.JoinedStr):
                continue
            for part in node.values:
                if isinstance(part, ast.FormattedValue) and _is_platform_key(part.value):
                    line = lines[part.lineno - 1]
                    near = (line, lines[node.lineno - 1], lines[node.lineno - 2])  # or the line above
                    if not any(m in text for m in MARKS for text in near):
                        found.append(f"{path.relative_to(SMMOD.parent)}:{part.lineno}: "
                                     f"{line.strip()}")
    return found


def test_no_text_shows_a_lower_case_platform_key() -> None:
    found = raw_platforms_in_text()
    assert not found, "use smmod.platforms.platform_label/account_label:\n" + "\n".join(found)


def test_the_helper_writes_display_names() -> None:
    assert account_label("facebook", "brookfieldprimary") == "Facebook: brookfieldprimary"
    assert [platform_label(p) for p in ("youtube", "instagram", "mastodon", "x")] == [
        "YouTube", "Instagram", "Mastodon", "X"]
    assert all(label[0].isupper() for label in PLATFORM_LABELS.values())
