"""Every sentence of every labelled set with the flags and explanations it gets.

    uv run python bench/screening_fingerprint.py OUT.json

Run before and after a refactoring of the screening code and compare the two files
(``cmp``): a move that changes no rule leaves them identical.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smmod.screening import Screener, WordLists, load_default_rules  # noqa: E402
from tests.screening.labelled_set import DATA_DIR  # noqa: E402


def main() -> None:
    lists = WordLists.load()
    screener = Screener(load_default_rules(wordlists=lists), lists)
    out = []
    for path in sorted(DATA_DIR.rglob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            author = "public"
            if line.startswith("[") and "]" in line:
                author, line = line[1 : line.index("]")], line[line.index("]") + 1 :].strip()
            if author not in ("parent", "student", "staff", "public", "unknown"):
                author = "public"
            r = screener.screen(line, author_kind=author, item_kind="comment")
            out.append([str(path.relative_to(DATA_DIR)), line, sorted(r.flags), [repr(m) for m in r.matches]])
    Path(sys.argv[1]).write_text(json.dumps(out, indent=0), encoding="utf-8")
    print(f"{len(out)} sentences")


if __name__ == "__main__":
    main()
