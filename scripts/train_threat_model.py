"""Train the threat model shipped in resources/screening/threat_model.json.

    uv run python scripts/train_threat_model.py [--check] [--report]

Data: smmod's own hand-written labelled sentences in tests/data/screening (the main
set, late/, blind2/, blind3/ and the dev*/ batches; see that folder's README: written
for smmod by its engineers, under smmod's licence). The blind sets blind4 to blind12 are
never read: they measure the model. Positive class: threat_person and threat_group;
every other category is negative.

Model: scikit-learn's logistic regression (L2, fixed seed) on binary features from
``smmod.screening.threat_model.features``. scikit-learn is a dev dependency, used only
here; smmod scores with the saved weights in plain Python.

Threshold: out-of-fold scores from 5-fold cross-validation on the training data, with
the model's guards applied and only where the rules raised no threat flag (that is
where the model adds flags). The threshold is the lowest of 0.50, 0.51, ... 0.99 at which
the model adds false alarms on at most 2% of the non-hateful sentences, at most 0.5% of
the school comments, and at most 3% of the other harmful sentences (hate, abuse...).

--check retrains and exits 1 if the shipped file differs; --report prints the
cross-validation figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smmod.screening import Screener, WordLists, load_default_rules  # noqa: E402
from smmod.screening.analysis import Analyser, analyser_for  # noqa: E402
from smmod.screening.model_guards import model_vetoed  # noqa: E402
from smmod.screening.reading import Reading  # noqa: E402
from smmod.screening.text import fold_text  # noqa: E402
from smmod.screening.threat_model import (  # noqa: E402
    MAX_CHARS,
    MIN_WORDS,
    MODEL_FORMAT,
    MODEL_PATH,
    features,
    model_text,
    rules_only,
)
from tests.screening.labelled_set import CATEGORIES, DATA_DIR, Example, load  # noqa: E402

SEED = 17
C = 1.0
MIN_DF = 2
FOLDS = 5
KEEP = 0.01  # weights smaller than this are dropped from the file
LIMITS = {"non-hateful": 0.02, "school comments": 0.005, "other harmful": 0.03}
THREATS = frozenset({"threat_person", "threat_group"})


@dataclass(frozen=True)
class Target:
    """What a model is trained to find, and where it may add a flag."""

    flag: str  # the flag the model adds
    positive: frozenset[str]  # the categories it learns to find
    vetoed: Callable[[str], str | None]  # its guards, on the item as read
    left_out: frozenset[str] = frozenset()  # categories neither found nor avoided
    gate: Callable[[Analyser, str, Reading], bool] = field(default=lambda analyser, folded, reading: True)


THREAT = Target("threat", THREATS, model_vetoed)


def training_dirs() -> list[Path]:
    dirs = [DATA_DIR, DATA_DIR / "late", DATA_DIR / "blind2", DATA_DIR / "blind3"]
    dirs += sorted(p for p in DATA_DIR.iterdir() if p.is_dir() and p.name.startswith("dev"))
    return dirs


def training_set(target: Target = THREAT) -> list[tuple[str, Example]]:
    out = []
    for directory in training_dirs():
        assert not directory.name.startswith("blind") or directory.name in ("blind2", "blind3")
        out += [
            (directory.name if directory != DATA_DIR else "main", e)
            for e in load(directory)
            if e.category not in target.left_out
        ]
    return out


def kind(example: Example, target: Target = THREAT) -> str:
    category = CATEGORIES[example.category]
    if example.category in target.positive:
        return target.flag
    if category.harmful:
        return "other harmful"
    return category.group


def _fit(texts: list[str], labels: np.ndarray) -> tuple[CountVectorizer, LogisticRegression]:
    vectorizer = CountVectorizer(analyzer=features, binary=True, min_df=MIN_DF)
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=C, max_iter=5000, random_state=SEED)
    model.fit(matrix, labels)
    return vectorizer, model


def as_the_models_read(analyser: Analyser, text: str) -> str:
    """``text`` as the screening's models read it (``Item._model_text``): folded, and
    with disguised words decoded when the item does not look clean."""
    folded = fold_text(text).folded
    return model_text(folded, None if analyser.looks_clean(folded) else analyser.reader.read(text))


def _judgeable(folded: str) -> bool:
    return len(folded) <= MAX_CHARS and len(features(folded)) >= MIN_WORDS


def choose_threshold(data: list[tuple[str, Example]], folded: list[str], labels: np.ndarray,
                     report: bool, target: Target = THREAT) -> float:
    oof = np.zeros(len(folded))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train, test in folds.split(folded, labels):
        vectorizer, model = _fit([folded[i] for i in train], labels[train])
        oof[test] = model.predict_proba(vectorizer.transform([folded[i] for i in test]))[:, 1]
    lists = WordLists.load()
    screener = Screener(load_default_rules(wordlists=lists), lists)
    analyser = analyser_for(())
    reader = analyser.reader
    kinds = [kind(e, target) for _, e in data]
    with rules_only():
        rules = [
            target.flag in screener.screen(e.text, author_kind=e.author_kind, item_kind="comment").flags
            for _, e in data
        ]
    readings = [reader.read(e.text) for _, e in data]
    open_ = [_judgeable(f) and target.vetoed(r.text) is None and target.gate(analyser, f, r) for f, r in
             zip(folded, readings, strict=True)]
    totals = {k: kinds.count(k) for k in set(kinds)}
    chosen = 0.99
    for step in range(50, 100):
        t = step / 100
        added = {k: 0 for k in totals}
        for p, k, r, o in zip(oof, kinds, rules, open_, strict=True):
            if p >= t and o and not r:
                added[k] += 1
        rates = {k: added[k] / totals[k] for k in totals}
        if report:
            flag = target.flag
            caught = sum(1 for k, r in zip(kinds, rules, strict=True) if k == flag and r)
            print(f"t={t:.2f} {flag} rules {caught / totals[flag]:.3f} "
                  f"+model {(caught + added[flag]) / totals[flag]:.3f}  "
                  + "  ".join(f"{k} {rates[k]:.3f}" for k in sorted(totals) if k != flag))
        if all(rates[k] <= limit for k, limit in LIMITS.items()):
            chosen = t
            break
    return chosen


def fit_model(target: Target, report: bool) -> tuple[list[tuple[str, Example]], dict[str, object]]:
    """The training data, and the fields of the model file that training decides."""
    data = training_set(target)
    analyser = analyser_for(())
    folded = [as_the_models_read(analyser, e.text) for _, e in data]
    labels = np.array([e.category in target.positive for _, e in data], dtype=int)
    threshold = choose_threshold(data, folded, labels, report, target)
    vectorizer, model = _fit(folded, labels)
    names = vectorizer.get_feature_names_out()
    weights = {
        str(name): round(float(w), 4)
        for name, w in sorted(zip(names, model.coef_[0], strict=True))
        if abs(w) >= KEEP
    }
    return data, {
        "positives": int(labels.sum()),
        "threshold": threshold,
        "bias": round(float(model.intercept_[0]), 4),
        "weights": weights,
    }


def train(report: bool = False) -> dict[str, object]:
    data, fitted = fit_model(THREAT, report)
    sets = sorted({name for name, _ in data})
    return {
        "format": MODEL_FORMAT,
        "enabled": True,
        "about": "Threat model for smmod's threat check: logistic regression over words, word pairs "
        "and 5-letter prefixes (smmod.screening.threat_model.features); made by "
        "scripts/train_threat_model.py.",
        "source": "smmod's own hand-written labelled sentences in tests/data/screening, written for "
        "smmod by its engineers (no public data set, nothing downloaded)",
        "licence": "same as smmod (the labelled set is part of smmod and under its licence)",
        "trained_on": sets,
        "not_trained_on": "blind4 to blind12 (they measure the model)",
        "examples": len(data),
        "threats": fitted["positives"],
        "threshold_rule": "lowest threshold at which, in 5-fold cross-validation on the training data, "
        "the model adds false alarms on at most 2% of non-hateful sentences, 0.5% of school comments "
        "and 3% of other harmful sentences",
        "C": C,
        "seed": SEED,
        "threshold": fitted["threshold"],
        "bias": fitted["bias"],
        "weights": fitted["weights"],
    }


def dump(model: dict[str, object]) -> str:
    return json.dumps(model, indent=0, ensure_ascii=False, sort_keys=False) + "\n"


def run(doc: str, make: Callable[[bool], dict[str, object]], path: Path) -> None:
    """The command line of a training script: write ``path``, or --check it."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if the shipped file differs")
    parser.add_argument("--report", action="store_true", help="print the cross-validation figures")
    args = parser.parse_args()
    text = dump(make(args.report))
    if args.check:
        if path.read_text(encoding="utf-8") != text:
            print(f"{path}: differs from what the training script makes", file=sys.stderr)
            raise SystemExit(1)
        return
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({len(text):,} bytes)")


if __name__ == "__main__":
    run(__doc__ or "", train, MODEL_PATH)
