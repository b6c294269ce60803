"""List what the current screener gets wrong in a labelled folder, with its flags and why.

    uv run python bench/screening_misses.py tests/data/screening/dev5

For development sets only: it refuses the blind sets (``blind*``), whose sentences are
scored by ``bench_screening.py`` without being looked at one by one.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smmod.screening import Screener, WordLists, load_default_rules  # noqa: E402
from tests.screening.labelled_set import Outcome, load, passed  # noqa: E402


def main(folder: str) -> int:
    path = Path(folder)
    if path.name.startswith("blind"):
        print(f"{path}: a blind set is scored by bench_screening.py, not listed", file=sys.stderr)
        return 2
    lists = WordLists.load()
    screener = Screener(load_default_rules(wordlists=lists), lists)
    examples = load(path)
    misses = 0
    for example in examples:
        result = screener.screen(example.text, author_kind=example.author_kind, item_kind="comment")
        if not passed(example, Outcome(frozenset(result.flags), tuple(result.suggestions))):
            misses += 1
            why = "; ".join(f"{m.rule_id}: {m.matched}" for m in result.matches)
            print(f"{example.category:16} {example.text!r} -> {sorted(result.flags)} {why}")
    print(f"{misses} of {len(examples)} wrong")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    raise SystemExit(main(sys.argv[1]))
