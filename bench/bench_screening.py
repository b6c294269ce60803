"""Screening quality and speed on the labelled set in tests/data/screening/.

    uv run python bench/bench_screening.py [--before REV] [--failures] [--no-before]

Prints, per category of the labelled set, the share caught (harmful categories: recall)
or left alone (benign categories: 1 - false alarms), for the tuning part and the
held-out part separately, then each flag's precision and recall over the whole set, and
items screened per second of CPU time on one core (the process is pinned to one core,
and CPU time leaves out time spent waiting for a busy machine). "Before" is the engine at git revision REV
(default: where this branch left main), run from a `git archive` copy in a subprocess
with the same data, so both columns come from the same run on the same machine.

--failures lists the tuning part's misses (never the held-out part's: it is for
measuring, not tuning).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.screening.labelled_set import (  # noqa: E402
    CATEGORIES,
    DATA_DIR,
    Example,
    Outcome,
    flag_precision,
    load,
    score,
)

LATE_DIR = DATA_DIR / "late"
# Blind sets, written later, each without looking at the engine's rules (blind2), at
# the misses of the sets before it (blind3), or before the rules were changed and never
# looked at sentence by sentence (blind4 to blind13); printed as blocks of their own.
BLIND_DIRS = {
    name: DATA_DIR / name
    for name in (
        "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11",
        "blind12", "blind13",
    )
}

# Runs inside the old code: only the API every version has (Screener, default rules,
# WordLists.load). Reads [[text, author], ...] on stdin, writes results and a speed.
_RUNNER = r"""
import json, sys, time
from smmod.screening import Screener, WordLists, load_default_rules
if sys.argv[2:] == ["rules"]:
    from smmod.screening.threat_model import rules_only
    rules_only().__enter__()  # the trained models off for the whole run
lists = WordLists.load()
screener = Screener(load_default_rules(wordlists=lists), lists)
items = json.load(sys.stdin)
out = []
for text, author in items:
    r = screener.screen(text, author_kind=author, item_kind="comment")
    out.append([sorted(r.flags), list(r.suggestions)])
def speed(batch):
    # CPU time of this process: other work on a shared machine does not count.
    n, started = 0, time.process_time()
    while time.process_time() - started < 3.0:
        for text, author in batch:
            screener.screen(text, author_kind=author, item_kind="comment")
        n += len(batch)
    return n / (time.process_time() - started)
benign = [i for i, c in zip(items, sys.argv[1].split(",")) if c == "school_benign"]
json.dump({"results": out, "speed_all": speed(items), "speed_benign": speed(benign)}, sys.stdout)
"""


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def run_engine(
    source: Path | None, examples: list[Example], rules: bool = False
) -> tuple[dict[Example, Outcome], float, float]:
    """Outcomes and speeds of the engine at ``source`` (None: this tree); ``rules``: with
    the trained models switched off."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    payload = json.dumps([[e.text, e.author_kind] for e in examples])
    categories = ",".join(e.category for e in examples)
    cmd = [sys.executable, "-c", _RUNNER, categories, *(["rules"] if rules else [])]
    if hasattr(os, "sched_getaffinity"):
        core = sorted(os.sched_getaffinity(0))[0]
        cmd = ["taskset", "-c", str(core), *cmd]
    done = subprocess.run(
        cmd, input=payload, capture_output=True, text=True, env=env, cwd=source or ROOT, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"screening run failed:\n{done.stderr}")
    data = json.loads(done.stdout)
    outcomes = {
        e: Outcome(frozenset(flags), tuple(sugg))
        for e, (flags, sugg) in zip(examples, data["results"], strict=True)
    }
    return outcomes, data["speed_all"], data["speed_benign"]


def export(rev: str, target: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "smmod", "resources"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def default_before() -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "merge-base", "HEAD", "main"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "main"


def pct(value: float) -> str:
    return f"{value * 100:5.1f}%"


def print_blind(name: str, items: list[Example], runs: dict[str, dict[Example, Outcome]]) -> None:
    """One block per blind set: every category and group, each engine a column."""
    print(f"\nBlind set {name}: {len(items)} sentences (tests/data/screening/{name}/README.md)")
    tables = {n: score(items, runs[n]) for n in runs}
    print(f"  {'category':38} {'n':>4} " + " ".join(f"{n:>22}" for n in runs))
    for key in CATEGORIES:
        total = sum(1 for e in items if e.category == key)
        if total:
            cells = " ".join(f"{pct(tables[n][0][key].rate):>22}" for n in runs)
            print(f"  {CATEGORIES[key].title:38} {total:>4} {cells}")
    for group in sorted({g for t in tables.values() for g in t[1]}):
        total = next(iter(tables.values()))[1][group].total
        cells = " ".join(f"{pct(tables[n][1][group].rate):>22}" for n in runs)
        print(f"  {group:38} {total:>4} {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", default=None, help="git revision of the 'before' engine")
    parser.add_argument("--no-before", action="store_true", help="only measure the current engine")
    parser.add_argument("--failures", action="store_true", help="list the tuning part's misses")
    args = parser.parse_args()
    examples = load()
    late_examples = load(LATE_DIR) if LATE_DIR.is_dir() else []
    engines: dict[str, tuple[dict[Example, Outcome], float, float]] = {}
    late: dict[str, dict[Example, Outcome]] = {}
    blind_sets = {name: load(path) for name, path in BLIND_DIRS.items() if path.is_dir()}
    blind: dict[str, dict[str, dict[Example, Outcome]]] = {name: {} for name in blind_sets}
    if not args.no_before:
        rev = args.before or default_before()
        with tempfile.TemporaryDirectory() as tmp:
            export(rev, Path(tmp))
            engines[f"before ({rev[:9]})"] = run_engine(Path(tmp), examples)
            if late_examples:
                late[f"before ({rev[:9]})"] = run_engine(Path(tmp), late_examples)[0]
            for name, items in blind_sets.items():
                blind[name][f"before ({rev[:9]})"] = run_engine(Path(tmp), items)[0]
    engines["after"] = run_engine(None, examples)
    rules_alone = run_engine(None, examples, rules=True)
    if late_examples:
        late["after"] = run_engine(None, late_examples)[0]
    for name, items in blind_sets.items():
        blind[name]["after"] = run_engine(None, items)[0]

    names = list(engines)
    parts = {"tune": [e for e in examples if not e.held_out], "held-out": [e for e in examples if e.held_out]}
    print(
        f"Labelled set: {len(examples)} sentences, {len(parts['held-out'])} held out "
        f"({len(CATEGORIES)} categories)"
    )
    print("Harmful categories: share caught (recall). Benign: share left alone (1 - false alarms).\n")
    header = f"{'category':40} {'n':>4} " + " ".join(f"{n + ' ' + p:>22}" for n in names for p in parts)
    print(header)
    print("-" * len(header))
    tables = {(n, p): score(part, engines[n][0]) for n in names for p, part in parts.items()}
    for key in CATEGORIES:
        n_all = sum(1 for e in examples if e.category == key)
        cells = []
        for n in names:
            for p in parts:
                s = tables[(n, p)][0].get(key)
                cells.append(f"{pct(s.rate) if s else '   -  ':>22}")
        print(f"{CATEGORIES[key].title:40} {n_all:>4} " + " ".join(cells))
    print()
    groups = sorted({g for n in names for p in parts for g in tables[(n, p)][1]})
    for group in groups:
        cells = []
        for n in names:
            for p in parts:
                s = tables[(n, p)][1].get(group)
                cells.append(f"{pct(s.rate) if s else '   -  ':>22}")
        total = sum(tables[(names[0], p)][1][group].total for p in parts if group in tables[(names[0], p)][1])
        print(f"{group:40} {total:>4} " + " ".join(cells))

    print("\nPer flag over the whole set: precision (raised rightly / raised) and recall")
    print(f"{'flag':30} " + " ".join(f"{n + ' P':>18} {'R':>7}" for n in names))
    flags = sorted({f for n in names for f in flag_precision(examples, engines[n][0])})
    stats = {n: flag_precision(examples, engines[n][0]) for n in names}
    for flag in flags:
        cells = []
        for n in names:
            raised, right, needed = stats[n].get(flag, (0, 0, 0))
            caught = sum(
                1
                for e in examples
                if flag in CATEGORIES[e.category].required and flag in engines[n][0][e].flags
            )
            p = f"{pct(right / raised)}" if raised else "   -  "
            r = f"{pct(caught / needed)}" if needed else "   -  "
            cells.append(f"{p:>18} {r:>7}")
        print(f"{flag:30} " + " ".join(cells))

    if late_examples:
        print(
            f"\nLate set: {len(late_examples)} sentences written after tuning "
            "(first, blind score: tests/data/screening/README.md)"
        )
        late_tables = {n: score(late_examples, late[n])[1] for n in late}
        for group in sorted({g for t in late_tables.values() for g in t}):
            cells = " ".join(f"{n + ' ' + pct(late_tables[n][group].rate):>34}" for n in late)
            print(f"  {group:38} {late_tables[names[-1]][group].total:>4} {cells}")

    for name, items in blind_sets.items():
        print_blind(name, items, blind[name])

    print("\nSpeed, one core (items per CPU second):")
    for n in names:
        _, every, benign = engines[n]
        print(f"  {n:22} whole labelled set {every:9,.0f}/s   ordinary school comments {benign:9,.0f}/s")
    print(f"  {'rules only (no model)':22} whole labelled set {rules_alone[1]:9,.0f}/s   "
          f"ordinary school comments {rules_alone[2]:9,.0f}/s")
    if len(names) == 2:
        print(
            f"  after/before: {engines[names[1]][1] / engines[names[0]][1]:.2f}x (whole set), "
            f"{engines[names[1]][2] / engines[names[0]][2]:.2f}x (school comments)"
        )
    print(
        f"  after/rules only: {engines['after'][1] / rules_alone[1]:.2f}x (whole set), "
        f"{engines['after'][2] / rules_alone[2]:.2f}x (school comments)"
    )

    if args.failures:
        after = engines["after"][0]
        print("\nTuning-part misses (after):")
        for e in parts["tune"]:
            from tests.screening.labelled_set import passed

            if not passed(e, after[e]):
                print(f"  {e.category:24} {e.text!r} -> {sorted(after[e].flags)}")


if __name__ == "__main__":
    main()
