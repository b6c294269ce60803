"""Word lists and context words the checks use besides the lexicon (see ``checks``)."""

from __future__ import annotations

import re

from smmod.screening.composite import COMPOSITE_WORDS
from smmod.screening.implied import IMPLIED_WORDS
from smmod.screening.injury import INJURY_WORDS
from smmod.screening.menace import MENACE_WORDS
from smmod.screening.veiled import VEILED_WORDS

CHECK_LISTS = {
    "threat": ("violence", "threat_phrases"),
    "hate": ("identity_nouns", "identity_adjectives", "slurs"),
    "abuse_staff": ("insults", "profanity"),
    "abuse_pupil": ("insults", "profanity"),
    "offensive": ("insults", "profanity"),
    "sexual": ("sexual",),
    "self_harm": ("self_harm",),
    "complaint": ("complaint",),
}
# Talk of a match: "smash", "batter" and "destroy" are about the score...
SPORT = re.compile(
    r"(?<![\w'])(?:match|matches|game|games|fixture|league|cup|final|semi|tournament|team|squad|pitch|"
    r"opposition|saturday|sunday|football|netball|rugby|hockey|cricket|tennis|quiz|score|scored|goals?|"
    r"points|race|sports day|season)(?![\w'])"
)
# ...unless weapons or death come into it.
WEAPON = re.compile(
    r"(?<![\w'])(?:knife|knives|gun|guns|blade|acid|bullet|dead|die|kill\w*|stab\w*|shoot|bomb)(?![\w'])"
)

# A reported claim answered at once: ", but ...", "which is nonsense".
REBUTTED = re.compile(
    r"(?: [\w']+){0,3} ,? (?:but(?! (?:it|it 's|it's|they|they 're|they're|that|that 's|that's|honestly|i) "
    r"(?:\S+ )?(?:true|right|agree|are|fact))|which is (?:nonsense|rubbish|wrong|untrue|not true))(?![\w'])"
)
# "<group> are too …": these say nothing against the group ("too often ignored", "too young").
TOO_FINE = frozenset(
    """often many much few little young old busy tired scared afraid frightened poor vulnerable
    important precious valuable good kind nice quick soon late early small far long hard""".split()
)
# Words the threat patterns need besides the violence and threat-phrase lists.
THREAT_EXTRA = (
    "hope", "wish", "die", "suffer", "pay", "cry", "bleed", "run", "knock", "kick", "teach",
    "brick", "bricks", "petrol", "rock", "rocks", "stone", "stones", "bullet", "bullets",
    "dead", "dies", "died", "rot", "funeral", "grave", "coffin", "knife", "knives", "blade", "gun",
    "guns", "acid", "machete", "weapon", "weapons", "alive", "numbered", "disappear", "vanish",
    "eliminated", "eradicated", "culled", "sterilised", "camps", "hammer", "axe", "skull", "throat",
    "neck", "jaw", "kneecaps", "survive", "driving", "drove", "plough", "ploughing", "ramming",
    "mowing", *IMPLIED_WORDS, *MENACE_WORDS, *COMPOSITE_WORDS, *VEILED_WORDS, *INJURY_WORDS,
)  # fmt: skip
CHECK_EXTRA = {
    "threat": THREAT_EXTRA,
    "hate": ("fag",),
    "abuse_pupil": ("hates", "likes", "wants", "stand", "smells", "stinks"),
    "offensive": ("fuck", "piss", "screw", "shitshow"),
    "sexual": (
        "hot",
        "fit",
        "sexy",
        "swimming",
        "bikini",
        "bikinis",
        "underwear",
        "costumes",
        "pants",
        "bra",
        "old",
        "body",
        "figure",
    ),
}
