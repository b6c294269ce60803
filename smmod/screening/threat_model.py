"""A small trained threat model: one more signal for the threat check.

The rules (``smmod.screening.checks``) look for the shape of a threat; a threat worded
in a way no rule foresaw ("Mr Kamara will be eating through a straw after parents'
evening") slips past them. This model scores the words of an item: a logistic regression
over words, pairs of words and the first five letters of longer words, trained by
``scripts/train_threat_model.py`` on smmod's own hand-written labelled sentences
(``tests/data/screening``, the main set, ``late/``, ``blind2/``, ``blind3/`` and the
``dev*`` batches; never the blind sets 4 to 12). The weights ship in
``resources/screening/threat_model.json``; inference here is plain Python, nothing is
downloaded and nothing leaves the machine.

A score is only a signal: the threat check raises the flag from it when the score is at
least the threshold chosen by cross-validation on the training data, the item is of a
social-media length, and none of the guards says the violence is a story, a safety
warning, a quote or a threat reported by the person it frightened. The explanation names
the score and the words that weighed most, so a moderator sees why.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from smmod.errors import InputError
from smmod.paths import resource
from smmod.screening.patterns import DISCLAIMER
from smmod.screening.text import fold_text

if TYPE_CHECKING:
    from smmod.screening.reading import Reading

MODEL_PATH = resource("screening", "threat_model.json")
MODEL_FORMAT = 1
# A social-media comment: longer text is left to the rules (bounded work, and a long
# text's many words would add up to a score that means nothing).
MAX_CHARS = 600
MIN_WORDS = 3
PREFIX = 5  # "slashed", "slashing" -> "p:slash"
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
_TITLES = frozenset({"mr", "mrs", "ms", "mx", "miss", "dr", "sir"})


def features(folded: str) -> list[str]:
    """The features of folded (lower-case, accent-free) text, each once, in order of
    first appearance: words, pairs of words and ``p:`` prefixes of longer words. A word
    after a title ("mr kamara") is read as ``_name_``; a number as ``_num_``."""
    words = _TOKEN.findall(folded)
    out: dict[str, None] = {}
    previous = ""
    for word in words:
        if previous in _TITLES:
            word = "_name_"
        elif word.isdigit():
            word = "_num_"
        out[word] = None
        if len(word) > PREFIX + 1 and word.isalpha():
            out["p:" + word[:PREFIX]] = None
        if previous:
            out[previous + " " + word] = None
        previous = word
    return list(out)


def model_text(folded: str, reading: Reading | None) -> str:
    """The text the models read: ``folded`` (the item lower case, without accents), with
    every word the reading decoded (leetspeak ``r0manians``, masking ``p*kis``, spaced
    letters, words run together, typos, chat spellings) written as it was read, so that
    "m*sl!ms" weighs what "muslims" weighs; a disclaimer ("I'm not racist but") is read
    as "but", so that its "racist" does not weigh as counter-speech. ``reading``: None
    when the item looked clean and was not read; then ``folded`` itself."""
    if reading is None:
        return folded
    disguised = reading.disguised
    if not disguised:
        return DISCLAIMER.sub("but", folded) if "but" in folded else folded
    original = reading.original
    parts: list[str] = []
    last = 0
    previous: tuple[int, int] | None = None
    for word in disguised:
        start, end = word.span
        read = word.word.lstrip("§¤")
        if word.span == previous:  # a word run together: its next piece
            parts.append(" " + read)
            continue
        if start < last:
            continue
        parts += [original[last:start], read]
        last, previous = end, word.span
    parts.append(original[last:])
    decoded = fold_text("".join(parts)).folded
    return DISCLAIMER.sub("but", decoded) if "but" in decoded else decoded


def _judged(folded: str, feats: list[str] | None) -> list[str] | None:
    """The features a model scores ``folded`` by, or None when the text is too long or too
    short for a model to judge (it is left to the rules)."""
    if len(folded) > MAX_CHARS:
        return None
    if feats is None:
        feats = features(folded)
    return feats if len(feats) >= MIN_WORDS else None


@dataclass(frozen=True)
class ModelScore:
    probability: float
    top: tuple[str, ...]  # the features that raised the score most, most first
    kind: str = "threat"  # which model: "threat" or "hate"

    def explain(self) -> str:
        words = ", ".join(f"'{_shown(f)}'" for f in self.top)
        return f"{self.kind} model score {self.probability:.2f} (words weighing most: {words})"


def _shown(feature: str) -> str:
    if feature.startswith("p:"):
        return feature[2:] + "…"
    return feature.replace("_name_", "<name>").replace("_num_", "<number>")


class WordModel:
    """The weights of one trained model of words and its threshold; ``KIND`` names it in
    explanations and messages, ``PATH`` is its shipped file."""

    KIND = "word"
    PATH = MODEL_PATH

    def __init__(self, data: dict[str, Any], source: str | None = None) -> None:
        source = source or f"{self.KIND} model"
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise InputError(f"model format {found!r}, expected {MODEL_FORMAT}", file=source, field="format")
        for key in ("bias", "threshold"):
            if isinstance(data.get(key), bool) or not isinstance(data.get(key), int | float):
                raise InputError(f"{key} must be a number, found {data.get(key)!r}", file=source, field=key)
        weights = data.get("weights")
        if not isinstance(weights, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in weights.values()
        ):
            raise InputError("weights must map each feature to a number", file=source, field="weights")
        self.bias = float(data["bias"])
        self.threshold = float(data["threshold"])
        self.weights: dict[str, float] = {str(k): float(v) for k, v in weights.items()}
        if not 0.0 < self.threshold < 1.0:
            raise InputError(
                f"threshold {self.threshold} is not between 0 and 1", file=source, field="threshold"
            )
        self.metadata = {k: v for k, v in data.items() if k != "weights"}
        self._logit_threshold = math.log(self.threshold / (1.0 - self.threshold))

    @classmethod
    def load(cls, path: Path | None = None) -> Self:
        path = path or cls.PATH
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InputError(f"cannot read the {cls.KIND} model: {error}", file=str(path)) from error
        return cls(data, str(path))

    def score(self, folded: str, top: int = 4, feats: list[str] | None = None) -> ModelScore | None:
        """The model's probability that ``folded`` is of its kind, or None when the text is
        too short or too long for the model to judge. ``feats``: ``features(folded)``,
        when already worked out."""
        feats = _judged(folded, feats)
        if feats is None:
            return None
        weights = self.weights
        contributions = [(weights[f], f) for f in feats if f in weights]
        total = self.bias + sum(w for w, _ in contributions)
        probability = 1.0 / (1.0 + math.exp(-total)) if total > -50 else 0.0
        return ModelScore(probability, _weighing_most(contributions, top), self.KIND)

    def flags(self, folded: str, feats: list[str] | None = None) -> ModelScore | None:
        """The score when it reaches the threshold, else None. Most items are far below
        it: their sum of weights is compared with the threshold's, and nothing else is
        worked out. ``feats``: ``features(folded)``, when already worked out."""
        feats = _judged(folded, feats)
        if feats is None:
            return None
        get = self.weights.get
        if self.bias + sum([get(f, 0.0) for f in feats]) < self._logit_threshold - 1e-6:
            return None
        result = self.score(folded, feats=feats)
        if result is None or result.probability < self.threshold:
            return None
        return result


class ThreatModel(WordModel):
    """The threat model (``resources/screening/threat_model.json``)."""

    KIND = "threat"
    PATH = MODEL_PATH


def _weighing_most(contributions: list[tuple[float, str]], top: int) -> tuple[str, ...]:
    """The features that raised the score most, words that carry meaning ("straw",
    "stab") before everyday ones ("i'll", "that"), each word once."""
    raising = sorted((c for c in contributions if c[0] > 0), reverse=True)
    ordered = [f for _, f in raising if not _everyday(f)] + [f for _, f in raising if _everyday(f)]
    best: list[str] = []
    for feature in ordered:
        if len(best) == top:
            break
        if feature.startswith("p:") and any(b.startswith(feature[2:]) or feature[2:] in b for b in best):
            continue  # "getting" shown already: not its prefix too
        best.append(feature)
    return tuple(best)


def word_spans(folded: str, top: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the words of ``top`` (as ``score`` names them) first appear in ``folded``,
    for highlighting: a pair as one span, a prefix as its whole word; names and numbers
    are not shown."""
    spans: list[tuple[int, int]] = []
    for feature in top:
        if feature.startswith("_") or "_" in feature:
            continue
        if feature.startswith("p:"):
            pattern = rf"(?<![a-z0-9']){re.escape(feature[2:])}[a-z0-9']*"
        else:
            words = r"[^a-z0-9']+".join(map(re.escape, feature.split(" ")))
            pattern = rf"(?<![a-z0-9']){words}(?![a-z0-9'])"
        found = re.search(pattern, folded)
        if found is not None:
            spans.append(found.span())
    # "home tonight" shown: not "tonight" inside it again.
    return [a for a in spans if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in spans)]


def _everyday(feature: str) -> bool:
    return all(w in EVERYDAY or w.startswith("_") for w in feature.removeprefix("p:").split(" "))


# Words that say how something is said rather than what: shown after the others.
EVERYDAY = frozenset(
    """i i'll ill i'm im i'd i've me my we we'll we're us our you you'll you're u ur your yours he
    he'll he's him his she she'll she's her they they'll they're them their it it's its this that
    these those a an the and or but if so to of in on at by for from with up out off down over
    into about after before is are was were be been being am will would can could shall should may
    might must do does did don't doesn't didn't won't can't not no yes have has had going gonna
    get gets getting got just all every some any one who what when where which there here then
    than as too very really still mr mrs ms mx miss dr sir""".split()
)


@lru_cache(maxsize=1)
def default_model() -> ThreatModel | None:
    """The shipped model, or None when its file says ``"enabled": false``."""
    model = ThreatModel.load()
    return model if model.metadata.get("enabled", True) else None


_rules_only = False


def models_off() -> bool:
    """True inside ``rules_only()``: no trained model is used."""
    return _rules_only


def active_model() -> ThreatModel | None:
    """The model the threat check uses: None inside ``rules_only()``."""
    return None if _rules_only else default_model()


@contextmanager
def rules_only() -> Iterator[None]:
    """Screen with the rules alone (the training script measures them this way)."""
    global _rules_only
    previous, _rules_only = _rules_only, True
    try:
        yield
    finally:
        _rules_only = previous
