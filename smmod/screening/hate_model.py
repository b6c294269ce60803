"""A small trained hate model: one more signal for the hate check.

The rules (``smmod.screening.check_hate``) look for the shape of hate: a slur, a group
and a dehumanising or negative word, a loaded question. Hate worded as an opinion or a
question no rule foresaw ("Is it just me or do <group> never bother...") slips past
them. This model, made like the threat model (``smmod.screening.threat_model``: the same
features, the same plain-Python scoring, one JSON file of weights), scores the words of
an item that names a protected group and that the rules did not already find hateful.
It is trained by ``scripts/train_hate_model.py`` on smmod's own hand-written labelled
sentences (the main set, ``late/``, ``blind2/``, ``blind3/`` and the ``dev*`` batches;
never the blind sets 4 to 12); nothing is downloaded and nothing leaves the machine.

The hate check raises the flag from the score when it reaches the threshold chosen by
cross-validation on the training data and no guard (``smmod.screening.model_guards``)
says the item condemns hate, quotes it to condemn it or only mentions a group. The
explanation names the score and the words that weighed most.
"""

from __future__ import annotations

from functools import lru_cache

from smmod.paths import resource
from smmod.screening.threat_model import WordModel, models_off

MODEL_PATH = resource("screening", "hate_model.json")


class HateModel(WordModel):
    """The hate model (``resources/screening/hate_model.json``)."""

    KIND = "hate"
    PATH = MODEL_PATH


@lru_cache(maxsize=1)
def default_hate_model() -> HateModel | None:
    """The shipped model, or None when its file says ``"enabled": false``."""
    model = HateModel.load()
    return model if model.metadata.get("enabled", True) else None


def active_hate_model() -> HateModel | None:
    """The model the hate check uses: None inside ``threat_model.rules_only()``."""
    return None if models_off() else default_hate_model()
