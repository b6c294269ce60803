"""Train the hate model shipped in resources/screening/hate_model.json.

    uv run python scripts/train_hate_model.py [--check] [--report]

Made exactly like the threat model (scripts/train_threat_model.py, whose data, fitting,
threshold rule and command line it shares): smmod's own hand-written labelled sentences
in tests/data/screening (the main set, late/, blind2/, blind3/ and the dev*/ batches);
the blind sets blind4 to blind12 are never read. Positive class: the five hate
categories (slurs, dehumanising, negative attributes, questions and opinions, disguised
spellings); threats are left out (a threat against a group may rightly be called hate
too); every other category is negative.

Threshold: as for the threat model, from 5-fold cross-validation, counting only items
where the model may add the flag: the rules raised no "discriminatory" flag, the item
names a protected group (the hate check's "group" gate) and no guard of
``smmod.screening.model_guards.hate_model_vetoed`` holds.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_threat_model import SEED, THREATS, C, Target, dump, fit_model, run, training_set  # noqa: E402

from smmod.screening.analysis import Analyser  # noqa: E402
from smmod.screening.hate_model import MODEL_PATH  # noqa: E402
from smmod.screening.model_guards import hate_model_vetoed  # noqa: E402
from smmod.screening.reading import Reading  # noqa: E402
from smmod.screening.threat_model import MODEL_FORMAT  # noqa: E402
from tests.screening.labelled_set import Example  # noqa: E402

HATE_CATEGORIES = frozenset(
    {"hate_slur", "hate_dehumanising", "hate_attribute", "hate_question_opinion", "hate_disguised"}
)


def _names_a_group(analyser: Analyser, folded: str, reading: Reading) -> bool:
    """The cheap gate of ``Item._hate_model``: the item is read and names a group."""
    return not analyser.looks_clean(folded) and "group" in analyser.checks.gates.open(reading)


HATE = Target("discriminatory", HATE_CATEGORIES, hate_model_vetoed, THREATS, _names_a_group)


def hate_training_set() -> list[tuple[str, Example]]:
    """(set name, sentence) of every sentence the hate model learns from."""
    return training_set(HATE)


def train(report: bool = False) -> dict[str, object]:
    data, fitted = fit_model(HATE, report)
    return {
        "format": MODEL_FORMAT,
        "enabled": True,
        "about": "Hate model for smmod's hate check: logistic regression over words, word pairs "
        "and 5-letter prefixes (smmod.screening.threat_model.features); made by "
        "scripts/train_hate_model.py.",
        "source": "smmod's own hand-written labelled sentences in tests/data/screening, written for "
        "smmod by its engineers (no public data set, nothing downloaded)",
        "licence": "same as smmod (the labelled set is part of smmod and under its licence)",
        "trained_on": sorted({name for name, _ in data}),
        "not_trained_on": "blind4 to blind12 (they measure the model)",
        "examples": len(data),
        "hateful": fitted["positives"],
        "threshold_rule": "lowest threshold at which, in 5-fold cross-validation on the training data, "
        "the model adds false alarms on at most 2% of non-hateful sentences, 0.5% of school comments "
        "and 3% of other harmful sentences, counting only items that name a protected group, "
        "that the rules did not flag and that no guard excuses",
        "C": C,
        "seed": SEED,
        "threshold": fitted["threshold"],
        "bias": fitted["bias"],
        "weights": fitted["weights"],
    }


if __name__ == "__main__":
    run(__doc__ or "", train, MODEL_PATH)


__all__ = ["dump", "train"]
